/*
 * tests/abi/abi-threads.c - musl's pthreads on top of clone, futex, tkill,
 * set_robust_list and per-thread signal masks (see tests/abi/README.md):
 * create/join/detach, TLS, mutexes (normal, errorcheck, recursive, robust,
 * timed), condition variables, rwlocks, barriers, semaphores, cancellation,
 * signals to one thread, exit of one thread vs the whole process, and a
 * stress run of 64 threads on one mutex.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static __thread int tls_value = 7;
static __thread char tls_buf[64];

static void *ret_arg(void *arg)
{
	tls_value += (int)(intptr_t)arg;
	snprintf(tls_buf, sizeof(tls_buf), "t%d", (int)(intptr_t)arg);
	/* Each thread sees its own copy initialised from the TLS image. */
	if (tls_value != 7 + (int)(intptr_t)arg || strcmp(tls_buf, "t") == 0)
		return (void *)-1;
	return (void *)((intptr_t)arg * 10);
}

static void test_create_join(void)
{
	pthread_t t[8];
	int ok = 1;
	for (int i = 0; i < 8; i++)
		ok &= pthread_create(&t[i], NULL, ret_arg, (void *)(intptr_t)(i + 1)) == 0;
	CHECK("create 8", ok);
	long sum = 0;
	for (int i = 0; i < 8; i++) {
		void *r;
		ok &= pthread_join(t[i], &r) == 0;
		sum += (intptr_t)r;
	}
	CHECK("join 8", ok);
	printf("sum of results: %ld\n", sum);
	printf("main tls untouched: %d '%s'\n", tls_value, tls_buf);
}

static pid_t thread_tid, thread_pid;
static void *ids(void *arg)
{
	(void)arg;
	thread_tid = syscall(SYS_gettid);
	thread_pid = getpid();
	return NULL;
}

static void test_ids(void)
{
	pthread_t t;
	pthread_create(&t, NULL, ids, NULL);
	pthread_join(t, NULL);
	CHECK("main gettid == getpid", syscall(SYS_gettid) == getpid());
	CHECK("thread getpid == main's", thread_pid == getpid());
	CHECK("thread gettid differs", thread_tid != getpid() && thread_tid > 0);
}

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2000; i++) {
		pthread_mutex_lock(&big_lock);
		long c = counter;
		if (i % 97 == 0)
			sched_yield(); /* hold the lock across a switch */
		counter = c + 1;
		pthread_mutex_unlock(&big_lock);
	}
	return NULL;
}

static void test_stress(void)
{
	enum { N = 64 };
	pthread_t t[N];
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	int made = 0;
	for (int i = 0; i < N; i++)
		made += pthread_create(&t[i], &a, hammer, NULL) == 0;
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	printf("stress: %d threads, counter %ld\n", made, counter);
}

static void test_mutex_kinds(void)
{
	pthread_mutexattr_t ma;
	pthread_mutex_t m;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &ma);
	E("errorcheck lock", pthread_mutex_lock(&m));
	E("errorcheck relock", pthread_mutex_lock(&m));
	E("errorcheck trylock", pthread_mutex_trylock(&m));
	E("errorcheck unlock", pthread_mutex_unlock(&m));
	E("errorcheck unlock unowned", pthread_mutex_unlock(&m));
	pthread_mutex_destroy(&m);

	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m, &ma);
	E("recursive lock 1", pthread_mutex_lock(&m));
	E("recursive lock 2", pthread_mutex_lock(&m));
	E("recursive unlock 1", pthread_mutex_unlock(&m));
	E("recursive unlock 2", pthread_mutex_unlock(&m));
	pthread_mutex_destroy(&m);
	pthread_mutexattr_destroy(&ma);
}

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static void *try_held(void *arg)
{
	(void)arg;
	intptr_t r = pthread_mutex_trylock(&held);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	long t0 = abi_ms_now();
	intptr_t r2 = pthread_mutex_timedlock(&held, &ts);
	long waited = abi_ms_now() - t0;
	return (void *)(r | r2 << 8 | (intptr_t)(waited >= 40) << 16);
}

static void test_trylock_timedlock(void)
{
	pthread_t t;
	void *r;
	pthread_mutex_lock(&held);
	pthread_create(&t, NULL, try_held, NULL);
	pthread_join(t, &r);
	pthread_mutex_unlock(&held);
	intptr_t v = (intptr_t)r;
	printf("trylock held: %s\n", ename(v & 0xff));
	printf("timedlock held: %s waited: %s\n", ename((v >> 8) & 0xff), (v >> 16) ? "yes" : "no");
}

static pthread_mutex_t robust;
static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL; /* the thread ends holding the lock */
}

static void test_robust(void)
{
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &ma);
	pthread_t t;
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	E("robust lock after owner died", pthread_mutex_lock(&robust));
	E("robust consistent", pthread_mutex_consistent(&robust));
	E("robust unlock", pthread_mutex_unlock(&robust));
	E("robust lock again", pthread_mutex_lock(&robust));
	pthread_mutex_unlock(&robust);
}

/* Producer/consumer over a one-slot buffer. */
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_nonempty = PTHREAD_COND_INITIALIZER, q_empty = PTHREAD_COND_INITIALIZER;
static int q_full, q_item;

static void *producer(void *arg)
{
	int n = (int)(intptr_t)arg;
	for (int i = 1; i <= n; i++) {
		pthread_mutex_lock(&q_lock);
		while (q_full)
			pthread_cond_wait(&q_empty, &q_lock);
		q_item = i;
		q_full = 1;
		pthread_cond_signal(&q_nonempty);
		pthread_mutex_unlock(&q_lock);
	}
	return NULL;
}

static void test_cond(void)
{
	pthread_t t;
	pthread_create(&t, NULL, producer, (void *)500);
	long sum = 0;
	for (int i = 0; i < 500; i++) {
		pthread_mutex_lock(&q_lock);
		while (!q_full)
			pthread_cond_wait(&q_nonempty, &q_lock);
		sum += q_item;
		q_full = 0;
		pthread_cond_signal(&q_empty);
		pthread_mutex_unlock(&q_lock);
	}
	pthread_join(t, NULL);
	printf("cond: consumed sum %ld\n", sum);

	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&q_lock);
	E("cond timedwait", pthread_cond_timedwait(&c, &q_lock, &ts));
	pthread_mutex_unlock(&q_lock);
}

/* Broadcast wakes every waiter. */
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int go_flag, woke;
static void *wait_go(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&q_lock);
	while (!go_flag)
		pthread_cond_wait(&go, &q_lock);
	woke++;
	pthread_mutex_unlock(&q_lock);
	return NULL;
}

static void test_broadcast(void)
{
	pthread_t t[10];
	for (int i = 0; i < 10; i++)
		pthread_create(&t[i], NULL, wait_go, NULL);
	abi_msleep(20);
	pthread_mutex_lock(&q_lock);
	go_flag = 1;
	pthread_cond_broadcast(&go);
	pthread_mutex_unlock(&q_lock);
	for (int i = 0; i < 10; i++)
		pthread_join(t[i], NULL);
	printf("broadcast woke %d\n", woke);
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int readers_in, max_readers;
static pthread_barrier_t bar;

static void *reader(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&rw);
	__atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
	pthread_barrier_wait(&bar); /* all readers hold the lock at once */
	int n = __atomic_load_n(&readers_in, __ATOMIC_SEQ_CST);
	if (n > max_readers)
		max_readers = n;
	pthread_barrier_wait(&bar);
	pthread_rwlock_unlock(&rw);
	return NULL;
}

static void test_rwlock_barrier(void)
{
	pthread_t t[4];
	pthread_barrier_init(&bar, NULL, 4);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("rwlock concurrent readers: %d\n", max_readers);
	E("wrlock", pthread_rwlock_wrlock(&rw));
	E("tryrdlock while written", pthread_rwlock_tryrdlock(&rw));
	E("trywrlock while written", pthread_rwlock_trywrlock(&rw));
	E("unlock", pthread_rwlock_unlock(&rw));
	E("tryrdlock", pthread_rwlock_tryrdlock(&rw));
	E("trywrlock while read", pthread_rwlock_trywrlock(&rw));
	pthread_rwlock_unlock(&rw);
	pthread_barrier_destroy(&bar);
	E("barrier count 0", pthread_barrier_init(&bar, NULL, 0));
}

static sem_t sem;
static void *sem_poster(void *arg)
{
	(void)arg;
	abi_msleep(10);
	for (int i = 0; i < 3; i++)
		sem_post(&sem);
	return NULL;
}

static void test_sem(void)
{
	sem_init(&sem, 0, 0);
	R("sem_trywait empty", sem_trywait(&sem));
	pthread_t t;
	pthread_create(&t, NULL, sem_poster, NULL);
	int got = 0;
	for (int i = 0; i < 3; i++)
		got += sem_wait(&sem) == 0;
	pthread_join(t, NULL);
	printf("sem waits: %d\n", got);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	R("sem_timedwait", sem_timedwait(&sem, &ts));
	sem_destroy(&sem);
}

static int cleanup_ran;
static void cleanup(void *arg)
{
	(void)arg;
	cleanup_ran = 1;
}

static void *cancel_me(void *arg)
{
	int *fds = arg;
	char c;
	pthread_cleanup_push(cleanup, NULL);
	for (;;)
		read(fds[0], &c, 1); /* a cancellation point that blocks */
	pthread_cleanup_pop(0);
	return NULL;
}

static void *spin_async(void *arg)
{
	(void)arg;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	for (volatile int i = 0;; i++)
		;
	return NULL;
}

static void test_cancel(void)
{
	int fds[2];
	pipe(fds);
	pthread_t t;
	void *r;
	pthread_create(&t, NULL, cancel_me, fds);
	abi_msleep(20);
	E("cancel", pthread_cancel(t));
	pthread_join(t, &r);
	CHECK("canceled in read", r == PTHREAD_CANCELED);
	CHECK("cleanup ran", cleanup_ran);
	pthread_create(&t, NULL, spin_async, NULL);
	abi_msleep(20);
	pthread_cancel(t);
	pthread_join(t, &r);
	CHECK("async cancel while spinning", r == PTHREAD_CANCELED);
	close(fds[0]);
	close(fds[1]);
}

static volatile pid_t handler_tid;
static void on_usr1(int sig)
{
	(void)sig;
	handler_tid = syscall(SYS_gettid);
}

static volatile int stop_waiter;
static void *waiter(void *arg)
{
	*(pid_t *)arg = syscall(SYS_gettid);
	while (!stop_waiter)
		abi_msleep(1);
	return NULL;
}

static void test_signals(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	pid_t wtid = 0;
	pthread_t t;
	pthread_create(&t, NULL, waiter, &wtid);
	while (!__atomic_load_n(&wtid, __ATOMIC_SEQ_CST))
		abi_msleep(1);
	/* pthread_kill reaches exactly that thread. */
	E("pthread_kill", pthread_kill(t, SIGUSR1));
	for (int i = 0; i < 500 && !handler_tid; i++)
		abi_msleep(2);
	CHECK("handler ran in target thread", handler_tid == wtid);

	/* A process signal goes to a thread that does not block it. */
	handler_tid = 0;
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, &old);
	kill(getpid(), SIGUSR1);
	for (int i = 0; i < 500 && !handler_tid; i++)
		abi_msleep(2);
	CHECK("process signal went to unblocking thread", handler_tid == wtid);
	stop_waiter = 1;
	pthread_join(t, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	R("tgkill bad tgid", syscall(SYS_tgkill, 999999, syscall(SYS_gettid), 0));
	R("tgkill bad signal", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 99));
	R("tgkill self 0", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 0));
	R("tkill bad tid", syscall(SYS_tkill, -5, 0));
	R("tkill gone", syscall(SYS_tkill, 999999, 0));
	signal(SIGUSR1, SIG_DFL);
}

static void *exit_process(void *arg)
{
	abi_msleep(10);
	exit((int)(intptr_t)arg);
}

static void *sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *raw_exit_thread(void *arg)
{
	(void)arg;
	syscall(SYS_exit, 9); /* only this thread */
	return NULL;
}

static void report(const char *label, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", label, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %d\n", label, WTERMSIG(st));
	else
		printf("%s: status %#x\n", label, st);
}

static void test_exit(void)
{
	int st;
	pid_t p = fork();
	if (!p) {
		pthread_t t;
		pthread_create(&t, NULL, sleep_forever, NULL);
		pthread_create(&t, NULL, exit_process, (void *)5);
		for (;;)
			pause();
	}
	waitpid(p, &st, 0);
	report("exit() in a thread ends process", st);

	p = fork();
	if (!p) {
		pthread_t t;
		pthread_create(&t, NULL, raw_exit_thread, NULL);
		/* musl's join cannot see a raw exit; just outlive the thread. */
		abi_msleep(30);
		_exit(4);
	}
	waitpid(p, &st, 0);
	report("SYS_exit ends only the thread", st);

	p = fork();
	if (!p) {
		pthread_t t;
		pthread_create(&t, NULL, sleep_forever, NULL);
		abi_msleep(10);
		raise(SIGTERM);
		_exit(1);
	}
	waitpid(p, &st, 0);
	report("fatal signal kills all threads", st);
}

static void *detached(void *arg)
{
	__atomic_store_n((int *)arg, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_detach(void)
{
	int ran = 0;
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	E("create detached", pthread_create(&t, &a, detached, &ran));
	for (int i = 0; i < 500 && !__atomic_load_n(&ran, __ATOMIC_SEQ_CST); i++)
		abi_msleep(2);
	CHECK("detached ran", ran);
	/* Many short-lived detached threads must not leak. */
	int made = 0;
	for (int i = 0; i < 200; i++) {
		int x = 0;
		if (pthread_create(&t, &a, detached, &x) == 0)
			made++;
		while (!__atomic_load_n(&x, __ATOMIC_SEQ_CST))
			sched_yield();
	}
	printf("detached created: %d\n", made);
}

/* unshare: a thread takes its own descriptor table or cwd; the other
 * threads keep theirs. */
static int unshare_fd = -1;

static void *unshare_files(void *arg)
{
	(void)arg;
	R("unshare CLONE_FILES in a thread", syscall(SYS_unshare, CLONE_FILES));
	unshare_fd = open("/proc/self/status", O_RDONLY);
	return NULL;
}

static void *unshare_fs(void *arg)
{
	(void)arg;
	R("unshare CLONE_FS in a thread", syscall(SYS_unshare, CLONE_FS));
	R("chdir in the thread", chdir("/proc"));
	return NULL;
}

static void *unshare_vm(void *arg)
{
	(void)arg;
	R("unshare CLONE_VM with threads", syscall(SYS_unshare, CLONE_VM));
	R("unshare CLONE_SIGHAND with threads", syscall(SYS_unshare, CLONE_SIGHAND));
	return NULL;
}

static void test_unshare(void)
{
	R("unshare 0", syscall(SYS_unshare, 0));
	R("unshare bad flag", syscall(SYS_unshare, 0x1));
	/* In a fresh child: certainly one thread (joined threads of this
	 * process may still be on their way out). */
	pid_t c = fork();
	if (c == 0) {
		R("unshare CLONE_VM single thread", syscall(SYS_unshare, CLONE_VM));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	R("unshare CLONE_SYSVSEM", syscall(SYS_unshare, CLONE_SYSVSEM));
	pthread_t t;
	pthread_create(&t, NULL, unshare_files, NULL);
	pthread_join(t, NULL);
	CHECK("thread opened a descriptor", unshare_fd >= 0);
	R("its descriptor in the main table", fcntl(unshare_fd, F_GETFD));
	char before[256], after[256];
	getcwd(before, sizeof(before));
	pthread_create(&t, NULL, unshare_fs, NULL);
	pthread_join(t, NULL);
	getcwd(after, sizeof(after));
	CHECK("main cwd unchanged", !strcmp(before, after));
	pthread_create(&t, NULL, unshare_vm, NULL);
	pthread_join(t, NULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_create_join();
	test_ids();
	test_mutex_kinds();
	test_trylock_timedlock();
	test_robust();
	test_cond();
	test_broadcast();
	test_rwlock_barrier();
	test_sem();
	test_cancel();
	test_signals();
	test_exit();
	test_detach();
	test_stress();
	test_unshare();
	printf("DONE\n");
	return 0;
}
