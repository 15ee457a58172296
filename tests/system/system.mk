# QEMU system tests: boot the whole stack (hypervisor + Debian's kernel as dom0) and judge it by its console.
#   make system-test                       all of tests/system/test_*.py (tests/system/run_tests.py)
#   make system-test SYSTEM_TEST_ARGS='-k dom0_boot --echo'   a subset, console copied live
#   make initramfs                         only the dom0 image build/dom0.cpio.gz
# Console logs of every run: build/test-logs/NAME.log.

DOM0_INITRD      := $(BUILD)/dom0.cpio.gz
GUEST_INITRD     := $(BUILD)/guest-initrd.cpio.gz
# The dom0 tools the image carries (whichever of them the tool makefiles provide).
DOM0_IMAGE_TOOLS  = $(filter %/xl %/xen-init-dom0 %/xenstore %/xenstored %/xenconsoled %/xenconsole,$(TOOLS))
PYTHON3          := /usr/bin/python3
SYSTEM_TEST_ARGS ?=

.PHONY: initramfs

# The kernel tree is an input: the initramfs carries its Xen modules (xenfs, privcmd, ...).
cache/kernel-version:
	scripts/fetch-kernel.sh

$(GUEST_INITRD): scripts/mkguestinitramfs.sh scripts/initramfs-lib.sh scripts/gen-cpio.py \
		$(wildcard scripts/guest-initramfs/*)
	scripts/mkguestinitramfs.sh $@

# The example guest boots Debian's vmlinuz (the real, compressed kernel).
$(DOM0_INITRD): scripts/mkinitramfs.sh scripts/initramfs-lib.sh scripts/gen-cpio.py \
		$(wildcard scripts/initramfs/*) cache/kernel-version $(GUEST_INITRD) $(DOM0_IMAGE_TOOLS)
	scripts/mkinitramfs.sh $@ $(addprefix --tool ,$(DOM0_IMAGE_TOOLS)) \
	  --guest-kernel cache/vmlinuz --guest-initrd $(GUEST_INITRD)

initramfs: $(DOM0_INITRD)

system-test: $(BUILD)/xenolith kernel initramfs
	XENOLITH_HV=$(abspath $(BUILD)/xenolith) XENOLITH_INITRD=$(abspath $(DOM0_INITRD)) \
	  $(PYTHON3) tests/system/run_tests.py $(SYSTEM_TEST_ARGS)
