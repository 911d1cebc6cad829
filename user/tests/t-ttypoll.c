/*
 * t-ttypoll - poll and select on the console terminal in canonical mode
 * (driven by tests/integration/test_poll.py, which types the input).
 *
 * Nothing typed: stdin is not readable, stdout is writable. After
 * "waiting1" the test types "ab" without Enter: a partial line does not
 * make the terminal readable (poll times out). After "waiting2" it types
 * "c" and Enter: poll, then select, report stdin readable and read()
 * returns the whole line "abc\n". Prints PASS last only if all held.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static int fails;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		fails++;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct pollfd in = { 0, POLLIN, 0 }, out = { 1, POLLOUT, 0 };
	check(poll(&in, 1, 0) == 0 && in.revents == 0, "idle stdin not readable");
	check(poll(&out, 1, 0) == 1 && out.revents == POLLOUT, "stdout writable");

	printf("waiting1\n");
	int r = poll(&in, 1, 1500);
	check(r == 0 && in.revents == 0, "partial line not readable");

	printf("waiting2\n");
	r = poll(&in, 1, 20000);
	check(r == 1 && in.revents == POLLIN, "finished line readable");
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(0, &rs);
	struct timeval tv = { 0, 0 };
	check(select(1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(0, &rs), "select agrees");
	char buf[64] = { 0 };
	ssize_t n = read(0, buf, sizeof(buf) - 1);
	check(n == 4 && !strcmp(buf, "abc\n"), "read the line");
	check(poll(&in, 1, 0) == 0, "drained");
	printf(fails ? "FAIL\n" : "PASS\n");
	return fails != 0;
}
