#!/usr/bin/python3
# Extract the ELF vmlinux from an x86 bzImage (Linux boot protocol >= 2.08; xz or gzip payload).
"""Usage: extract-vmlinux.py BZIMAGE OUT_ELF

How it works (x86 boot protocol, Documentation/x86/boot.rst):
  - 0x1F1  u8   setup_sects      number of 512-byte setup sectors after the boot sector
                                 (0 means 4); the protected-mode part starts at
                                 (setup_sects + 1) * 512.
  - 0x202  u32  header magic     "HdrS"
  - 0x206  u16  version          must be >= 0x0208 for payload_offset/length
  - 0x248  u32  payload_offset   offset of the compressed kernel inside the protected-mode part
  - 0x24C  u32  payload_length   its length in bytes
The payload is the compressed vmlinux ELF. Linux appends the decompressed size as
4 little-endian bytes to it (they are inside payload_length). xz-utils 5.4 does NOT
tolerate them: `xz -dc` writes the whole ELF but then fails with "Unexpected end of
input" (exit 1); `xz -dc --single-stream` would ignore them. We strip the 4 bytes
and check the output length against them. Debian's kernel uses xz;
gzip is handled too (Python's zlib/gzip), for other kernels.
Stdlib only.
"""
import lzma
import os
import struct
import subprocess
import sys
import zlib


def extract(data: bytes) -> bytes:
    if len(data) < 0x250 or data[0x202:0x206] != b"HdrS":
        raise SystemExit("not a bzImage: no 'HdrS' boot header at 0x202")
    version = struct.unpack_from("<H", data, 0x206)[0]
    if version < 0x0208:
        raise SystemExit(f"boot protocol {version:#x} < 2.08: no payload fields")
    setup_sects = data[0x1F1] or 4
    payload_offset, payload_length = struct.unpack_from("<II", data, 0x248)
    start = (setup_sects + 1) * 512 + payload_offset
    payload = data[start:start + payload_length]
    if len(payload) != payload_length:
        raise SystemExit("bzImage truncated: payload runs past end of file")
    size = struct.unpack_from("<I", payload, len(payload) - 4)[0]
    if payload.startswith(b"\xfd7zXZ\x00"):
        body = payload[:-4]  # drop Linux's 4-byte decompressed-size trailer
        # xz-utils handles the BCJ x86 filter the kernel uses; use it, with lzma as a fallback.
        try:
            out = subprocess.run(["xz", "-dc"], input=body, stdout=subprocess.PIPE,
                                 check=True).stdout
        except FileNotFoundError:
            out = lzma.decompress(body, format=lzma.FORMAT_XZ)
    elif payload.startswith(b"\x1f\x8b"):
        out = _gunzip(payload)
    else:
        raise SystemExit(f"unsupported payload compression (magic {payload[:6].hex()})")
    if out[:4] != b"\x7fELF":
        raise SystemExit("decompressed payload is not an ELF")
    if len(out) != size:
        raise SystemExit(f"decompressed size {len(out)} != trailer size {size}")
    return out


def _gunzip(payload: bytes) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    return d.decompress(payload)  # trailing bytes after the gzip member are ignored


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    out = extract(data)
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, sys.argv[2])


if __name__ == "__main__":
    main()
