# tests/unit/sh-fuzz.mk - the shell's parser under libFuzzer
# (tests/sh/fuzz_parse.c): built with clang from the shell's sources and
# run for SH_FUZZ_SECONDS from the seed corpus. New inputs go to a scratch
# directory, so the tree is not changed; a crash leaves its input in
# $(BUILD)/tests/ (crash-*) and fails the check.
SH_FUZZ := $(BUILD)/tests/sh-fuzz
SH_FUZZ_SECONDS ?= 20
SH_FUZZ_SRCS := $(filter-out %/main.c,$(wildcard user/sh/*.c)) user/lib/echo.c user/lib/clear.c

$(SH_FUZZ): tests/sh/fuzz_parse.c $(wildcard user/sh/*.c user/sh/*.h) user/lib/echo.c user/lib/clear.c tests/unit/sh-fuzz.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)clang -std=gnu11 -O1 -g -Iuser/lib -Dmain=sh_main \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ tests/sh/fuzz_parse.c user/sh/main.c $(SH_FUZZ_SRCS)

$(SH_FUZZ)-check: $(SH_FUZZ)
	@printf '#!/bin/sh\nd=$$(mktemp -d) && trap "rm -rf $$d" EXIT && cd $(BUILD)/tests && ASAN_OPTIONS=detect_leaks=0 ./sh-fuzz -max_total_time=$${SH_FUZZ_SECONDS:-$(SH_FUZZ_SECONDS)} -detect_leaks=0 -max_len=4096 -close_fd_mask=2 -print_final_stats=1 $$d $(CURDIR)/tests/sh/fuzz-corpus >$$d.log 2>&1; st=$$?; tail -8 $$d.log; rm -f $$d.log; exit $$st\n' > $@
	@chmod +x $@

UNIT_TESTS += $(SH_FUZZ)-check
