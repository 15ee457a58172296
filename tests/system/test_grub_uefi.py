# Boot Xenolith from GRUB 2 on UEFI (Debian's OVMF) with the entry tools/grub/20_xenolith writes; ACPI S5 ends it.
"""The same grub-mkrescue ISO as test_grub_bios, but its menu entry is the output of
tools/grub/20_xenolith run against the ISO's /boot (what update-grub would write), and the
firmware is OVMF (OVMF_CODE.fd read-only + a fresh copy of OVMF_VARS.fd as pflash):
QEMU's default machine (i440fx, `pc`) and q35.

What GRUB 2.06 (x86_64-efi) does with Xenolith's multiboot2 header, which has no EFI tags
(no "EFI boot services" tag 7, no EFI entry tag 9): it exits boot services itself, drops to
32-bit protected mode with paging off and enters the header's entry address with
EAX=0x36d76289, as on BIOS. Its information block then holds tags 21 1 2 3 3 6 9 4 12 14 15
17 (tests/system/test_grub_mbi.py): the E820-style map (6) as well as the EFI one (17), the
EFI system table (12) and both RSDP copies (14, 15).

Checks:
  - the firmware is OVMF ("BdsDxe: ... Boot" on the serial line), GRUB booted the generated
    entry ("Booting `GNU/Linux, with Xenolith ..."), the hypervisor read multiboot2 and
    OVMF's ACPI regions are in the map it printed;
  - GRUB 2 recognised (modules named 'module N'), dom0's command line is the module2 string;
  - dom0's shell: `uname -r`, /proc/cmdline is exactly "console=hvc0";
  - `poweroff` powers the machine off through the FIRMWARE's ACPI: no debug-exit device or
    option here, and no -no-reboot, so a reset or triple fault would restart OVMF instead of
    ending QEMU. QEMU must exit by itself with status 0 after "Hardware Dom0 halted", and
    the hypervisor must not print "ACPI power-off did not take effect". That S5 write uses
    the FADT found through the RSDP from GRUB's tag (boot_info.acpi_rsdp).
"""
import os
import re
import sys

from qemu import Qemu
import stack
from test_grub_bios import DOM0_ARGS, boot_to_shell

sys.path.insert(0, os.path.join(stack.ROOT, "scripts", "grub"))
import grub_iso  # noqa: E402

HV_ARGS = "console=com1 com1=115200,8n1 dom0_mem=512M"


def boot_uefi(name, machine):
    stack.require_stack()
    iso, cfg = grub_iso.build_iso("test-grub-uefi", "xenolith", "generated", hv=stack.HV, hv_args=HV_ARGS,
                                  kernel=grub_iso.dom0_kernel(), dom0_args=DOM0_ARGS, initrd=stack.DOM0_INITRD)
    assert "\tmodule2\t/boot/vmlinu" in cfg and f" {DOM0_ARGS}\n" in cfg, cfg
    args = grub_iso.qemu_args(iso, "uefi", machine=machine, debug_exit=False, no_reboot=False, vars_name=name)
    with Qemu(name, args) as vm:
        vm.expect(r"BdsDxe: (loading|starting) Boot", 120)
        ram_map = boot_to_shell(vm, r"GNU/Linux, with Xenolith \S+ and Linux " + re.escape(stack.kernel_version()))
        assert "ACPI data" in ram_map or "ACPI NVS" in ram_map, f"no ACPI region in the RAM map from OVMF:\n{ram_map}"
        vm.send("poweroff")
        vm.expect(r"Hardware Dom0 halted: halting machine", 120)
        status = vm.wait(60)
        assert "ACPI power-off did not take effect" not in vm.output, vm.tail(20)
        assert status == 0, f"QEMU exit status {status} after the ACPI power-off, expected 0"
        stack.assert_no_panic(vm)


def test_grub_uefi():
    """QEMU's default machine, pc (i440fx; ACPI PM registers in the PIIX4)."""
    boot_uefi("grub_uefi", None)


def test_grub_uefi_q35():
    """q35 (ACPI PM registers in the ICH9 LPC bridge; OVMF's FADT says where)."""
    boot_uefi("grub_uefi_q35", "q35")
