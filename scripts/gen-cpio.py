#!/usr/bin/python3
# Write a reproducible newc cpio archive of a directory, plus device nodes, without needing root.
"""Usage: gen-cpio.py DIR OUT [--nod PATH MODE TYPE MAJOR MINOR]...

Every file, directory and symlink under DIR is archived with owner root:root and
mtime 0, sorted by path, so the same inputs give the same bytes. --nod adds a
device node the way the kernel's usr/gen_init_cpio does (TYPE c or b), e.g.
`--nod dev/console 0600 c 5 1`, which the kernel needs to give /init its stdio.
Output is uncompressed; pipe it through gzip -n.  Stdlib only.
"""
import os
import stat
import sys


def header(ino, mode, nlink, size, rmaj, rmin, name):
    namez = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rmaj, rmin, len(namez), 0]
    h = b"070701" + b"".join(b"%08X" % f for f in fields) + namez
    return h + b"\0" * (-len(h) % 4)


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        raise SystemExit(__doc__)
    src, out = args[0], args[1]
    nods = []
    rest = args[2:]
    while rest:
        if rest[0] != "--nod" or len(rest) < 6:
            raise SystemExit(__doc__)
        path, mode, typ, maj, mnr = rest[1:6]
        kind = {"c": stat.S_IFCHR, "b": stat.S_IFBLK}[typ]
        nods.append((path.lstrip("/"), kind | int(mode, 8), int(maj), int(mnr)))
        rest = rest[6:]

    entries = []
    for root, dirs, files in os.walk(src):
        for n in dirs + files:
            full = os.path.join(root, n)
            entries.append(os.path.relpath(full, src))
    entries.sort()
    ino = 1
    with open(out, "wb") as f:
        for rel in entries:
            full = os.path.join(src, rel)
            st = os.lstat(full)
            perm = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                data = os.readlink(full).encode()
                mode = stat.S_IFLNK | 0o777
            elif stat.S_ISDIR(st.st_mode):
                data, mode = b"", stat.S_IFDIR | perm
            elif stat.S_ISREG(st.st_mode):
                with open(full, "rb") as g:
                    data = g.read()
                mode = stat.S_IFREG | perm
            else:
                raise SystemExit(f"gen-cpio: unsupported file type: {full}")
            nlink = 2 if stat.S_ISDIR(mode) else 1
            f.write(header(ino, mode, nlink, len(data), 0, 0, rel))
            f.write(data + b"\0" * (-len(data) % 4))
            ino += 1
        for path, mode, maj, mnr in nods:
            f.write(header(ino, mode, 1, 0, maj, mnr, path))
            ino += 1
        f.write(header(0, 0, 1, 0, 0, 0, "TRAILER!!!"))
        f.write(b"\0" * (-f.tell() % 512))


if __name__ == "__main__":
    main()
