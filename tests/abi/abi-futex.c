/*
 * tests/abi/abi-futex.c - the futex system call itself (see
 * tests/abi/README.md): WAIT/WAKE with and without PRIVATE, timeouts
 * (relative, absolute with WAIT_BITSET on both clocks), bitsets, REQUEUE,
 * CMP_REQUEUE, WAKE_OP, shared futexes between processes, error paths,
 * set_robust_list/get_robust_list and a futex ping-pong between threads.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

/* <linux/futex.h> is not in musl-gcc's include path. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_REQUEUE_PRIVATE (FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_OP_PRIVATE (FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_BITSET_PRIVATE (FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP(op, oparg, cmp, cmparg) \
	(((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))
#define FUTEX_OWNER_DIED 0x40000000
#define FUTEX_TID_MASK 0x3fffffff
struct robust_list {
	struct robust_list *next;
};
struct robust_list_head {
	struct robust_list list;
	long futex_offset;
	struct robust_list *list_op_pending;
};

static long futex(void *uaddr, int op, uint32_t val, const void *ts, void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static uint32_t word, word2;
static int woken_count;

static void *waiter(void *arg)
{
	uint32_t *w = arg;
	long r = futex(w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	if (r == 0)
		__atomic_add_fetch(&woken_count, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void *bit_waiter(void *arg)
{
	uint32_t bits = (uint32_t)(uintptr_t)arg;
	long r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, bits);
	if (r == 0)
		__atomic_add_fetch(&woken_count, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Wait until n threads sleep on the futex: wake 0 tells nothing, so
 * give them time; the results below do not depend on exact timing. */
static void settle(void) { abi_msleep(50); }

static void test_errors(void)
{
	struct timespec bad = { 0, 1000000000 }, neg = { -1, 0 };
	word = 1;
	R("wait value mismatch", futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0));
	R("wait private mismatch", futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	R("wait unaligned", futex((char *)&word + 1, FUTEX_WAIT, 1, NULL, NULL, 0));
	R("wait bad address", futex((void *)16, FUTEX_WAIT, 0, NULL, NULL, 0));
	R("wait bad timeout nsec", futex(&word, FUTEX_WAIT, 1, &bad, NULL, 0));
	R("wait negative timeout", futex(&word, FUTEX_WAIT, 1, &neg, NULL, 0));
	R("wait bad timeout pointer", futex(&word, FUTEX_WAIT, 1, (void *)16, NULL, 0));
	R("wake nobody", futex(&word, FUTEX_WAKE, 10, NULL, NULL, 0));
	R("wake unaligned", futex((char *)&word + 2, FUTEX_WAKE, 1, NULL, NULL, 0));
	R("wait_bitset zero mask", futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0));
	R("wake_bitset zero mask", futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
	R("unknown op", futex(&word, 99, 0, NULL, NULL, 0));
	R("cmp_requeue mismatch", futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1, &word2, 5));
	R("requeue nobody", futex(&word, FUTEX_REQUEUE, 1, (void *)1, &word2, 0));
	R("clock_realtime on wake", futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
}

static void test_timeouts(void)
{
	word = 0;
	struct timespec rel = { 0, 30 * 1000000 };
	long t0 = abi_ms_now();
	R("wait relative timeout", futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0));
	CHECK("waited >= 25ms", abi_ms_now() - t0 >= 25);

	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 30 * 1000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	t0 = abi_ms_now();
	R("wait_bitset absolute monotonic", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, ~0u));
	CHECK("waited >= 25ms", abi_ms_now() - t0 >= 25);

	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 30 * 1000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	t0 = abi_ms_now();
	R("wait_bitset absolute realtime",
	  futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, ~0u));
	CHECK("waited >= 25ms", abi_ms_now() - t0 >= 25);

	struct timespec past = { 1, 0 };
	R("wait_bitset deadline in the past", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &past, NULL, ~0u));
}

static void test_wake_counts(void)
{
	pthread_t t[5];
	word = 0;
	woken_count = 0;
	for (int i = 0; i < 5; i++)
		pthread_create(&t[i], NULL, waiter, &word);
	settle();
	R("wake 2 of 5", futex(&word, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0));
	settle();
	printf("woken so far: %d\n", __atomic_load_n(&woken_count, __ATOMIC_SEQ_CST));
	R("wake rest", futex(&word, FUTEX_WAKE_PRIVATE, 100, NULL, NULL, 0));
	for (int i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	printf("woken total: %d\n", woken_count);
}

static void test_bitset(void)
{
	pthread_t a, b;
	word = 0;
	woken_count = 0;
	pthread_create(&a, NULL, bit_waiter, (void *)1);
	pthread_create(&b, NULL, bit_waiter, (void *)2);
	settle();
	R("wake_bitset 4 (none match)", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 4));
	R("wake_bitset 2", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 2));
	R("plain wake reaches bitset waiter", futex(&word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("bitset woken: %d\n", woken_count);
}

static void test_requeue(void)
{
	pthread_t t[4];
	word = 0;
	word2 = 0;
	woken_count = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, waiter, &word);
	settle();
	R("cmp_requeue wake 1 move 2", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2, &word2, 0));
	settle();
	R("wake on old word", futex(&word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
	settle();
	R("wake on new word", futex(&word2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("requeue woken: %d\n", woken_count);

	woken_count = 0;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, waiter, &word);
	settle();
	R("requeue wake 0 move all", futex(&word, FUTEX_REQUEUE_PRIVATE, 0, (void *)10, &word2, 0));
	R("wake on new word", futex(&word2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

static void test_wake_op(void)
{
	pthread_t a, b;
	word = 0;
	word2 = 0;
	woken_count = 0;
	pthread_create(&a, NULL, waiter, &word);
	pthread_create(&b, NULL, waiter, &word2);
	settle();
	/* word2 = 0 + 5; wake 1 on word; old word2 (0) == 0 so wake 1 on word2 */
	R("wake_op add, cmp eq", futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2,
	                               FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 0)));
	printf("word2 now %u\n", word2);
	R("wake_op set, cmp gt fails", futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2,
	                                     FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_GT, 9)));
	printf("word2 now %u\n", word2);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("wake_op woken: %d\n", woken_count);
}

static void test_shared(void)
{
	uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*w = 0;
	pid_t p = fork();
	if (!p) {
		/* Wait on the shared word until the parent flips it. */
		while (__atomic_load_n(w, __ATOMIC_SEQ_CST) == 0)
			futex(w, FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(*w == 7 ? 0 : 1);
	}
	abi_msleep(50);
	__atomic_store_n(w, 7, __ATOMIC_SEQ_CST);
	long n = futex(w, FUTEX_WAKE, 1, NULL, NULL, 0);
	int st;
	waitpid(p, &st, 0);
	CHECK("shared futex woke the other process", n == 1 || (WIFEXITED(st) && WEXITSTATUS(st) == 0));
	printf("child status: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	munmap(w, 4096);
}

static void test_robust_calls(void)
{
	struct robust_list_head head = { { &head.list }, 0, NULL };
	R("set_robust_list bad size", syscall(SYS_set_robust_list, &head, 1));
	R("set_robust_list", syscall(SYS_set_robust_list, &head, sizeof(head)));
	void *h = NULL;
	size_t len = 0;
	R("get_robust_list self", syscall(SYS_get_robust_list, 0, &h, &len));
	CHECK("head is ours", h == &head && len == sizeof(head));
	R("get_robust_list no such pid", syscall(SYS_get_robust_list, 999999, &h, &len));
	R("get_robust_list bad pointer", syscall(SYS_get_robust_list, 0, (void *)16, &len));

	/* A process that dies holding a robust futex: the kernel marks it. */
	uint32_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t p = fork();
	if (!p) {
		static struct robust_list_head ch;
		static struct robust_list entry;
		/* futex word lives at entry + offset */
		ch.list.next = &entry;
		entry.next = &ch.list;
		ch.futex_offset = (long)((char *)m - (char *)&entry);
		syscall(SYS_set_robust_list, &ch, sizeof(ch));
		*m = syscall(SYS_gettid);
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	CHECK("owner died bit set", (*m & FUTEX_OWNER_DIED) != 0);
	CHECK("tid cleared", (*m & FUTEX_TID_MASK) == 0);
	munmap(m, 4096);
}

/* Two threads bounce a token 2000 times through two futex words. */
static uint32_t ping, pong;
static void *ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2000; i++) {
		while (__atomic_load_n(&ping, __ATOMIC_SEQ_CST) == 0)
			futex(&ping, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
		__atomic_store_n(&ping, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&pong, 1, __ATOMIC_SEQ_CST);
		futex(&pong, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
	return NULL;
}

static void test_pingpong(void)
{
	pthread_t t;
	pthread_create(&t, NULL, ponger, NULL);
	int rounds = 0;
	for (int i = 0; i < 2000; i++) {
		__atomic_store_n(&ping, 1, __ATOMIC_SEQ_CST);
		futex(&ping, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		while (__atomic_load_n(&pong, __ATOMIC_SEQ_CST) == 0)
			futex(&pong, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
		__atomic_store_n(&pong, 0, __ATOMIC_SEQ_CST);
		rounds++;
	}
	pthread_join(t, NULL);
	printf("ping-pong rounds: %d\n", rounds);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_errors();
	test_timeouts();
	test_wake_counts();
	test_bitset();
	test_requeue();
	test_wake_op();
	test_shared();
	test_robust_calls();
	test_pingpong();
	printf("DONE\n");
	return 0;
}
