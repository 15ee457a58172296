#!/usr/bin/env bash
# `make run`: boot Xenolith with Debian's kernel as PVH dom0 in QEMU, console on this terminal.
# In dom0, `xl create -c /etc/xen/example.cfg` starts the example guest and attaches to it.
set -euo pipefail
#
# Keys: Ctrl-A three times switches serial input between dom0 and the hypervisor's
# debug keys (as in Xen). QEMU's own escape key is moved from Ctrl-A to Ctrl-]:
# Ctrl-] x quits QEMU, Ctrl-] c toggles the QEMU monitor, Ctrl-] h lists the rest.
# In dom0, `poweroff` ends QEMU.
#
# Environment (defaults in brackets; tests/system/stack.py uses the same values):
#   XENOLITH_HV           [build/xenolith]             hypervisor image (-kernel)
#   XENOLITH_DOM0_KERNEL  [cache/vmlinux]              dom0 kernel boot module
#   XENOLITH_INITRD       [build/dom0.cpio.gz]         dom0 image (initramfs) boot module
#   HV_APPEND             []  extra hypervisor command-line options
#   DOM0_APPEND           []  extra dom0 kernel command-line options
#   QEMU_CPU [max]  QEMU_MEM [2048]  QEMU_SMP [1]
# Extra arguments are passed to QEMU as they are (e.g. scripts/run.sh -s -S for gdb).
#
# QEMU's exit status tells how the machine ended: the hypervisor writes a code to the
# isa-debug-exit port (debug_exit=0xf4) and QEMU exits with (code << 1) | 1:
#   1 = poweroff (code 0), 3 = reboot (code 1), 5 = hypervisor crash/fatal stop (code 2);
#   0 = QEMU quit (Ctrl-] x), or a triple fault/reset (-no-reboot turns those into an exit).
# This script prints which, and exits 0 for poweroff/reboot/quit, 5 for a crash.

cd "$(dirname "$0")/.."
HV=${XENOLITH_HV:-build/xenolith}
DOM0_KERNEL=${XENOLITH_DOM0_KERNEL:-cache/vmlinux}
INITRD=${XENOLITH_INITRD:-build/dom0.cpio.gz}

for f in "$HV" "$DOM0_KERNEL" "$INITRD"; do
    [ -e "$f" ] || { echo "run: $f is missing: use \`make run\` (builds it and fetches the kernel)" >&2; exit 1; }
done

hv_cmdline="console=com1 com1=115200,8n1 dom0_mem=512M dom0_max_vcpus=1 loglvl=all noreboot debug_exit=0xf4"
dom0_cmdline="console=hvc0 earlyprintk=xen"
hv_cmdline+=${HV_APPEND:+ $HV_APPEND}
dom0_cmdline+=${DOM0_APPEND:+ $DOM0_APPEND}
# QEMU's multiboot modules: -initrd "file args,file2 args"; a literal comma is doubled.
modules="$DOM0_KERNEL ${dom0_cmdline//,/,,},$INITRD"

cmd=(qemu-system-x86_64 -accel tcg -cpu "${QEMU_CPU:-max}" -m "${QEMU_MEM:-2048}" -smp "${QEMU_SMP:-1}"
     -nographic -echr 0x1d -no-reboot
     -kernel "$HV" -append "$hv_cmdline" -initrd "$modules"
     -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@")
echo "run: ${cmd[*]}" >&2
echo "run: Ctrl-A x3 switches input dom0/hypervisor; Ctrl-] x quits QEMU; 'poweroff' in dom0 ends it" >&2

status=0
"${cmd[@]}" || status=$?
# Leave the terminal sane even if QEMU died with it in raw mode.
[ -t 0 ] && stty sane 2>/dev/null || true
case $status in
    0) echo "run: QEMU quit (Ctrl-] x, or a triple fault/reset)" >&2 ;;
    1) echo "run: powered off" >&2; status=0 ;;
    3) echo "run: reboot requested (noreboot: QEMU stops instead)" >&2; status=0 ;;
    5) echo "run: the hypervisor stopped on a fatal error (debug_exit code 2)" >&2 ;;
    *) echo "run: QEMU exited with status $status" >&2 ;;
esac
exit "$status"
