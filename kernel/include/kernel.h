/*
 * kernel/include/kernel.h - things every kernel file needs: fixed-width
 * types, common macros, the kernel log and panic.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errno.h"

typedef int64_t ssize_t;
typedef int64_t off_t;
typedef uint64_t phys_addr_t;
typedef uint64_t virt_addr_t;
typedef int pid_t;
typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef uint32_t mode_t;
typedef uint64_t dev_t;
typedef uint64_t ino_t;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __noreturn __attribute__((noreturn))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier() __asm__ volatile("" ::: "memory")

/* Error pointers, as in Linux: a pointer in the top 4095 bytes is -errno. */
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((uint64_t)(x) >= (uint64_t)-MAX_ERRNO)
static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p) { return IS_ERR_VALUE((uint64_t)p); }
static inline bool IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR(p); }

/*
 * Kernel log (kernel/lib/printk.c). Every line goes to a ring buffer that
 * user space reads through /dev/kmsg and syslog(2), and to the consoles.
 * A line starting with "<N>" gives its level (0 emergency .. 7 debug);
 * lines without one are level 6 (info).
 */
#define KERN_EMERG "<0>"
#define KERN_ERR "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE "<5>"
#define KERN_INFO "<6>"
#define KERN_DEBUG "<7>"
void kprintf(const char *fmt, ...) __printf(1, 2);
void vkprintf(const char *fmt, va_list ap);
__noreturn void panic(const char *fmt, ...) __printf(1, 2);
/* Print once per call site. */
#define kprintf_once(...)                        \
	do {                                     \
		static bool __done;              \
		if (!__done) {                   \
			__done = true;           \
			kprintf(__VA_ARGS__);    \
		}                                \
	} while (0)

#define BUG_ON(cond)                                                        \
	do {                                                                \
		if (unlikely(cond))                                         \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#include "lib.h"

#endif
