# Shared helpers of scripts/mkinitramfs.sh and scripts/mkguestinitramfs.sh (sourced, not run).
# stage_busybox DIR: a root with /bin/busybox (static, with cttyhack) and a link per applet.
# pack_cpio DIR OUT: reproducible gzip'd newc archive (mtime 0, root-owned, sorted) with /dev/console.

BUSYBOX=${BUSYBOX:-/bin/busybox}

stage_busybox() {
    local root=$1 applets ldd_out applet
    applets=$("$BUSYBOX" --list 2>/dev/null || true)
    ldd_out=$(LC_ALL=C ldd "$BUSYBOX" 2>&1 || true)
    if ! grep -qx cttyhack <<<"$applets" || [[ $ldd_out != *"not a dynamic executable"* ]]; then
        echo "initramfs: $BUSYBOX is not busybox-static with cttyhack (scripts/deps.sh installs it)" >&2
        return 1
    fi
    mkdir -p "$root"/{bin,dev,proc,sys,tmp,root,etc,mnt,run,lib}
    chmod 1777 "$root/tmp"
    ln -s bin "$root/sbin"
    mkdir -p "$root/usr"
    ln -s ../bin "$root/usr/bin"
    ln -s ../bin "$root/usr/sbin"
    install -m 0755 "$BUSYBOX" "$root/bin/busybox"
    for applet in $applets; do
        [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
    echo 'root:x:0:' > "$root/etc/group"
}

pack_cpio() {
    local root=$1 out=$2
    /usr/bin/python3 scripts/gen-cpio.py "$root" "$root.cpio" --nod dev/console 0600 c 5 1
    gzip -9 -n -c "$root.cpio" > "$out.tmp"
    rm -f "$root.cpio"
    mv "$out.tmp" "$out"
}
