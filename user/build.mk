# user/build.mk - user programs, built with musl-gcc -static. OWNED BY THE USER PART.
#
# Layout (see user/README.md):
#   user/init/*.c       one program, /sbin/init
#   user/sh/*.c         one program, /bin/sh
#   user/coreutils/X.c  one file per utility, /bin/X
#   user/lib/X.c        code shared by several programs (echo.c: the shell's
#                       built-in echo and /bin/echo), listed per program below
#   user/tests/t-X.c    one file per test program, /bin/t-X (on PATH, so the
#                       integration tests and a person at the prompt can just
#                       type `t-fork 200`)
# Each program is compiled and linked by a single musl-gcc invocation (no .o
# files): with about twenty small programs that is the fastest build.
# USER_INSTALLED lists the files installed into the staging root
# $(BUILD)/root (tools/mkinitrd.sh and tools/mkimage.sh pack that tree).

USER_CC := musl-gcc
USER_CFLAGS := -static -O2 -pipe -std=gnu11 -Wall -Wextra -Werror -s -Iuser/lib
USER_OUT := $(BUILD)/user
USER_ROOT := $(BUILD)/root

USER_TOOLS := $(sort $(basename $(notdir $(wildcard user/coreutils/*.c))))
USER_TESTS := $(sort $(basename $(notdir $(wildcard user/tests/t-*.c))))

# Shared code from user/lib/ linked into a program: USER_LIB_<program>.
USER_LIB_sh := user/lib/echo.c user/lib/echo.h user/lib/clear.c user/lib/clear.h
USER_LIB_clear := user/lib/clear.c user/lib/clear.h
USER_LIB_echo := user/lib/echo.c user/lib/echo.h
USER_LIB_head := user/lib/slurp.c user/lib/slurp.h
USER_LIB_tail := user/lib/slurp.c user/lib/slurp.h
USER_LIB_chmod := user/lib/walk.c user/lib/walk.h
USER_LIB_chown := user/lib/walk.c user/lib/walk.h
USER_LIB_date := user/lib/datearg.c user/lib/datearg.h
USER_LIB_touch := user/lib/datearg.c user/lib/datearg.h
USER_LIB_ls := user/lib/human.c user/lib/human.h
USER_LIB_du := user/lib/human.c user/lib/human.h
USER_LIB_df := user/lib/human.c user/lib/human.h
USER_LIB_readlink := user/lib/canon.c user/lib/canon.h
USER_LIB_realpath := user/lib/canon.c user/lib/canon.h

# Folder programs: $(BUILD)/user/NAME from every .c (and .h) in user/NAME/.
define user_folder_prog
$(USER_OUT)/$(1): $(wildcard user/$(1)/*.c user/$(1)/*.h) $(USER_LIB_$(1)) user/build.mk
	@mkdir -p $$(dir $$@)
	$$(USER_CC) $$(USER_CFLAGS) -o $$@ $$(filter %.c,$$^)
endef
# Every folder under user/ except lib, tests and coreutils is one program;
# init goes to /sbin, the others to /bin.
USER_FOLDERS := $(filter-out lib tests coreutils,$(patsubst user/%/,%,$(wildcard user/*/)))
$(foreach p,$(USER_FOLDERS),$(eval $(call user_folder_prog,$(p))))

# Single-file programs, with their USER_LIB_<program> code if any.
.SECONDEXPANSION:
# (Other prerequisites below are sources a tool #includes, not links.)
$(USER_OUT)/%: user/coreutils/%.c $$(USER_LIB_$$*) user/build.mk
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -o $@ $< $(filter %.c,$(USER_LIB_$*))

$(USER_OUT)/reboot: user/coreutils/poweroff.c
$(USER_OUT)/false: user/coreutils/true.c
$(USER_OUT)/mv: user/coreutils/cp.c

$(USER_OUT)/t-%: user/tests/t-%.c user/build.mk
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -o $@ $<

# t-pie is a static PIE (ET_DYN, no interpreter). musl-gcc's specs file can
# only make dynamic PIEs, so link it by hand with musl's rcrt1.o, whose start
# code relocates the program itself.
MUSL_LIB := /usr/lib/x86_64-linux-musl
$(USER_OUT)/t-pie: user/tests/t-pie.c user/build.mk
	@mkdir -p $(dir $@)
	$(USER_CC) -fPIE -O2 -std=gnu11 -Wall -Wextra -Werror -c $< -o $@.o
	ld -static -pie --no-dynamic-linker -z text -s -o $@ $(MUSL_LIB)/rcrt1.o \
		$(MUSL_LIB)/crti.o $@.o -L$(MUSL_LIB) -lc $(shell gcc -print-libgcc-file-name) \
		$(MUSL_LIB)/crtn.o
	@rm -f $@.o

USER_BINS := $(addprefix $(USER_OUT)/,$(USER_FOLDERS) $(USER_TOOLS) $(USER_TESTS))

USER_INSTALLED := $(USER_ROOT)/sbin/init \
	$(addprefix $(USER_ROOT)/bin/,$(filter-out init,$(USER_FOLDERS)) $(USER_TOOLS) $(USER_TESTS))

$(USER_ROOT)/sbin/%: $(USER_OUT)/%
	install -D -m 755 $< $@

$(USER_ROOT)/bin/%: $(USER_OUT)/%
	install -D -m 755 $< $@

# "[" is test (test.c checks its argv[0] for the closing "]").
USER_INSTALLED += $(USER_ROOT)/bin/[
$(USER_ROOT)/bin/[: $(USER_OUT)/test
	install -D -m 755 $< '$@'

# Keep build/user/* although they are only reached through pattern rules:
# the host check (tests/unit/user-host.mk) runs them from there.
.SECONDARY: $(USER_BINS)

user: $(USER_BINS) $(USER_INSTALLED)
.PHONY: user
