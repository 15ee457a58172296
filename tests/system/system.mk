# QEMU system tests: boot the whole stack (hypervisor + Debian's kernel as dom0) and judge it by its console.
#   make system-test                       all of tests/system/test_*.py (tests/system/run_tests.py)
#   make system-test SYSTEM_TEST_ARGS='-k dom0_boot --echo'   a subset, console copied live
#   make initramfs                         only build/dom0-initrd.cpio.gz
# Console logs of every run: build/test-logs/NAME.log.

DOM0_INITRD      := $(BUILD)/dom0-initrd.cpio.gz
PYTHON3          := /usr/bin/python3
SYSTEM_TEST_ARGS ?=

.PHONY: initramfs

# The kernel tree is an input: the initramfs carries its Xen modules (xenfs, privcmd, ...).
cache/kernel-version:
	scripts/fetch-kernel.sh

$(DOM0_INITRD): scripts/mkinitramfs.sh scripts/gen-cpio.py $(wildcard scripts/initramfs/*) cache/kernel-version
	scripts/mkinitramfs.sh $@

initramfs: $(DOM0_INITRD)

system-test: $(BUILD)/xenolith kernel initramfs
	XENOLITH_HV=$(abspath $(BUILD)/xenolith) XENOLITH_INITRD=$(abspath $(DOM0_INITRD)) \
	  $(PYTHON3) tests/system/run_tests.py $(SYSTEM_TEST_ARGS)
