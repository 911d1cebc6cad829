/*
 * tests/sh/fuzz_parse.c - libFuzzer target for the shell's lexer and
 * parser (user/sh/lex.c, parse.c): any bytes are parsed, one complete
 * command after the other, as a script would be, and each tree is freed.
 * Arithmetic expressions are evaluated too (arith.c), on a copy of the
 * input: they are parsed at run time, not by the parser. Built with clang
 * -fsanitize=fuzzer,address,undefined from the shell's own sources (main
 * renamed); tests/unit/sh-fuzz.mk runs it for a short time in `make check`
 * from the seed corpus in tests/sh/fuzz-corpus/ (with -close_fd_mask=2:
 * arith.c's error messages would drown libFuzzer's).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../user/sh/sh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct input in;
	struct node *n;

	memcpy(s, data, size);
	s[size] = 0;
	input_init_string(&in, s, "fuzz");
	for (int i = 0; i < 1000; i++) {
		enum parse_status st = parse_command(&in, &n);
		if (st != P_OK)
			break;
		tree_free(n);
	}
	free(in.buf);
	if (size < 256 && !memchr(s, '=', size)) {
		long v;
		arith_eval(s, &v);
	}
	free(s);
	return 0;
}
