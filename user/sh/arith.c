/*
 * user/sh/arith.c - $((expression)): POSIX shell arithmetic, C's integer
 * operators and precedence on signed long, evaluated while parsing
 * (recursive descent, one function per precedence level). Variables are
 * read by name (an unset or empty one is 0) and assigned with = and the
 * op= forms. A skip counter turns off side effects and division checks
 * in the branch not taken by && || ?:.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

static const char *p, *expr_text;
static int skip;
static jmp_buf fail;

static _Noreturn void error(const char *msg)
{
	sh_error("arithmetic expression: %s: \"%s\"", msg, expr_text);
	longjmp(fail, 1);
}

static void ws(void)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
}

static int accept(const char *op)
{
	size_t n = strlen(op);

	ws();
	if (strncmp(p, op, n))
		return 0;
	/* "<" must not take the first half of "<<" or "<=", and so on */
	if (n == 1 && p[1] && strchr("<>&|=", p[0]) && p[1] == p[0])
		return 0;
	if (n == 1 && p[1] == '=' && strchr("<>!=*/%+-&^|", p[0]))
		return 0;
	if (n == 2 && p[2] == '=' && (!strcmp(op, "<<") || !strcmp(op, ">>")))
		return 0;
	p += n;
	return 1;
}

static long var_value(const char *name)
{
	const char *v = var_get(name);
	char *end;
	long r;

	if (!v || !*v)
		return 0;
	r = strtol(v, &end, 0);
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		error("bad number");
	return r;
}

static long assign(void);

/* Wrapping arithmetic, as the hardware does it (signed overflow and
 * shifts of negative numbers are undefined in C). */
static long wrap_add(long a, long b) { return (long)((unsigned long)a + (unsigned long)b); }
static long wrap_sub(long a, long b) { return (long)((unsigned long)a - (unsigned long)b); }
static long wrap_mul(long a, long b) { return (long)((unsigned long)a * (unsigned long)b); }
static long shl(long a, long b) { return (long)((unsigned long)a << (b & 63)); }
static long shr(long a, long b) { return a >> (b & 63); }

static long divide(long a, long b, char op)
{
	if (b == 0) {
		if (skip)
			return 0;
		error("division by zero");
	}
	if (b == -1)   /* LONG_MIN / -1 traps */
		return op == '/' ? wrap_sub(0, a) : 0;
	return op == '/' ? a / b : a % b;
}

static long primary(void)
{
	ws();
	if (*p == '(') {
		p++;
		long v = assign();
		ws();
		if (*p != ')')
			error("missing )");
		p++;
		return v;
	}
	if (isdigit((unsigned char)*p)) {
		char *end;
		long v = strtol(p, &end, 0);
		if (isalnum((unsigned char)*end) || *end == '_')
			error("bad number");
		p = end;
		return v;
	}
	int n = var_name_len(p);
	if (n) {
		char name[256];
		if (n >= (int)sizeof name)
			error("name too long");
		memcpy(name, p, n);
		name[n] = 0;
		p += n;
		ws();
		/* assignment operators */
		static const char *ops[] = { "=", "*=", "/=", "%=", "+=", "-=",
			"<<=", ">>=", "&=", "^=", "|=", NULL };
		for (int i = 0; ops[i]; i++) {
			size_t l = strlen(ops[i]);
			if (strncmp(p, ops[i], l) || (l == 1 && p[1] == '='))
				continue;
			p += l;
			long r = assign(), v = var_value(name);
			switch (ops[i][0]) {
			case '=': v = r; break;
			case '*': v = wrap_mul(v, r); break;
			case '/':
			case '%': v = divide(v, r, ops[i][0]); break;
			case '+': v = wrap_add(v, r); break;
			case '-': v = wrap_sub(v, r); break;
			case '<': v = shl(v, r); break;
			case '>': v = shr(v, r); break;
			case '&': v &= r; break;
			case '^': v ^= r; break;
			case '|': v |= r; break;
			}
			if (!skip) {
				char b[32];
				snprintf(b, sizeof b, "%ld", v);
				var_set(name, b, 0);
			}
			return v;
		}
		return var_value(name);
	}
	if (!*p)
		error("missing operand");
	error("syntax error");
}

static long unary(void)
{
	ws();
	if (accept("+"))
		return unary();
	if (accept("-"))
		return wrap_sub(0, unary());
	if (accept("!"))
		return !unary();
	if (accept("~"))
		return ~unary();
	return primary();
}

static long mul(void)
{
	long v = unary();

	for (;;) {
		if (accept("*"))
			v = wrap_mul(v, unary());
		else if (accept("/") || accept("%")) {
			char op = p[-1];
			v = divide(v, unary(), op);
		} else
			return v;
	}
}

static long add(void)
{
	long v = mul();

	for (;;) {
		if (accept("+"))
			v = wrap_add(v, mul());
		else if (accept("-"))
			v = wrap_sub(v, mul());
		else
			return v;
	}
}

static long shift(void)
{
	long v = add();

	for (;;) {
		if (accept("<<"))
			v = shl(v, add());
		else if (accept(">>"))
			v = shr(v, add());
		else
			return v;
	}
}

static long rel(void)
{
	long v = shift();

	for (;;) {
		if (accept("<="))
			v = v <= shift();
		else if (accept(">="))
			v = v >= shift();
		else if (accept("<"))
			v = v < shift();
		else if (accept(">"))
			v = v > shift();
		else
			return v;
	}
}

static long eq(void)
{
	long v = rel();

	for (;;) {
		if (accept("=="))
			v = v == rel();
		else if (accept("!="))
			v = v != rel();
		else
			return v;
	}
}

static long band(void)
{
	long v = eq();

	while (accept("&"))
		v &= eq();
	return v;
}

static long bxor(void)
{
	long v = band();

	while (accept("^"))
		v ^= band();
	return v;
}

static long bor(void)
{
	long v = bxor();

	while (accept("|"))
		v |= bxor();
	return v;
}

static long land(void)
{
	long v = bor();

	while (accept("&&")) {
		if (!v)
			skip++;
		long r = bor();
		if (!v)
			skip--;
		v = v && r;
	}
	return v;
}

static long lor(void)
{
	long v = land();

	while (accept("||")) {
		if (v)
			skip++;
		long r = land();
		if (v)
			skip--;
		v = v || r;
	}
	return v;
}

static long cond(void)
{
	long v = lor();

	if (!accept("?"))
		return v;
	if (!v)
		skip++;
	long a = assign();
	if (!v)
		skip--;
	ws();
	if (!accept(":"))
		error("expecting ':'");
	if (v)
		skip++;
	long b = cond();
	if (v)
		skip--;
	return v ? a : b;
}

static long assign(void)
{
	return cond();
}

int arith_eval(const char *expr, long *result)
{
	const char *sp = p, *st = expr_text;
	int sskip = skip;
	jmp_buf saved;

	memcpy(saved, fail, sizeof saved);
	p = expr;
	expr_text = expr;
	skip = 0;
	if (setjmp(fail)) {
		memcpy(fail, saved, sizeof saved);
		p = sp;
		expr_text = st;
		skip = sskip;
		return -1;
	}
	ws();
	long v = *p ? assign() : 0;
	ws();
	if (*p)
		error("syntax error");
	*result = v;
	memcpy(fail, saved, sizeof saved);
	p = sp;
	expr_text = st;
	skip = sskip;
	return 0;
}
