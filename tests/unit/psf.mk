# tests/unit/psf.mk - host test of the PSF font parser (kernel/drivers/psf.c).
$(BUILD)/tests/test_psf: tests/unit/test_psf.c kernel/drivers/psf.c kernel/drivers/psf.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Ikernel/include -Ikernel/drivers -o $@ \
		tests/unit/test_psf.c kernel/drivers/psf.c $(UNIT_LDLIBS)

UNIT_TESTS += $(BUILD)/tests/test_psf
