# tests/unit/alloc.mk - the kernel's page allocator and heap, on the host.
UNIT_TESTS += $(BUILD)/tests/test_alloc
$(BUILD)/tests/test_alloc: tests/unit/test_alloc.c kernel/mm/pmm.c kernel/mm/kmalloc.c \
		kernel/mm/shrinker.c tests/unit/host/kernel_shim.c kernel/include/mm.h \
		kernel/include/shrinker.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -DRAYOS_HOST_TEST -Ikernel/include -o $@ \
		tests/unit/test_alloc.c kernel/mm/pmm.c kernel/mm/kmalloc.c kernel/mm/shrinker.c \
		tests/unit/host/kernel_shim.c $(UNIT_LDLIBS)
