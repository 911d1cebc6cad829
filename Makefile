# RayOS top-level Makefile.
#
#   make          build everything: build/rayos.img
#   make run      boot it in QEMU (serial on this terminal); GUI=1 for a window
#   make check    unit tests on the host, then integration tests in QEMU
#   make bench    boot-time, memory and build-time figures against Linux
#
# Each part of the tree has its own fragment (kernel/build.mk, boot/build.mk,
# user/build.mk, tests/build.mk); this file only ties them together.

BUILD := build
.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

HOSTCC ?= gcc
# `make V=1` shows every command; by default one short line per step.
V ?= 0
ifeq ($(V),1)
Q :=
else
Q := @
endif
PYTHON := /usr/bin/python3
DEPS := tools/deps.sh

all: $(BUILD)/rayos.img

include kernel/build.mk
include boot/build.mk
include user/build.mk
include tests/build.mk

# ---- initramfs and disk image ----------------------------------------------
# build/root/ is the staging tree of the root file system; user/build.mk
# installs programs into it. The same tree becomes the initramfs (cpio newc)
# and the ext2 root partition.
ROOT := $(BUILD)/root
INITRD := $(BUILD)/initrd.cpio

$(INITRD): $(USER_INSTALLED) $(wildcard rootfs/*/* rootfs/*) tools/mkinitrd.sh
	@$(if $(Q),echo "  CPIO    $@")
	$(Q)tools/mkinitrd.sh rootfs $(ROOT) $@

# The image is made in steps (tools/mkimage.sh) so that the slow ones run
# while the compilers still work: the partition table needs nothing, the
# root file system only the user programs.
$(BUILD)/gpt.img: tools/mkimage.sh
	@mkdir -p $(dir $@)
	$(Q)tools/mkimage.sh gpt $@
$(BUILD)/root.ext2: $(USER_INSTALLED) $(INITRD) tools/mkimage.sh
	@$(if $(Q),echo "  EXT2    $@")
	$(Q)tools/mkimage.sh root $@ $(ROOT)
$(BUILD)/esp.fat: $(BOOT_EFI) $(KERNEL_ESP) $(INITRD) boot/boot.cfg tools/mkimage.sh
	@$(if $(Q),echo "  FAT32   $@")
	$(Q)tools/mkimage.sh esp $@ $(BOOT_EFI) $(KERNEL_ESP) $(INITRD) boot/boot.cfg
$(BUILD)/rayos.img: $(BUILD)/gpt.img $(BUILD)/esp.fat $(BUILD)/root.ext2
	@$(if $(Q),echo "  IMAGE   $@")
	$(Q)tools/mkimage.sh disk $@ $^

# ---- running ---------------------------------------------------------------
QEMU_EXTRA ?=
GUI ?= 0
run: deps all
	tools/run-qemu.sh $(if $(filter 1,$(GUI)),--gui) $(BUILD)/rayos.img $(QEMU_EXTRA)

deps:
	@$(DEPS)

# Build, then host unit tests, then QEMU integration tests, one after the
# other so that their reports don't interleave.
# The build step uses every core (JOBS=n to choose).
JOBS ?= $(shell nproc)
check: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) unit-test
	$(MAKE) integration-test

# 1,000,000 fuzzed system calls and a kernel-memory comparison
# (tests/integration/test_fuzz_long.py), and a long pipe/wait stress
# (test_wait_stress.py); minutes under TCG, too slow for every check.
check-long: all
	RAYOS_LONG=1 $(PYTHON) -m pytest -v -s -p no:cacheprovider \
		tests/integration/test_fuzz_long.py tests/integration/test_wait_stress.py

bench: deps all
	tools/bench.sh

clean:
	rm -rf $(BUILD)

.PHONY: all run deps check check-long bench clean
