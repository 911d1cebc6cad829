/*
 * kernel/include/random.h - the kernel's random number generator
 * (kernel/fs/random.c): ChaCha20 keyed from RDRAND (when the CPU has it)
 * and the TSC, with fast key erasure after every request. Backs
 * /dev/random, /dev/urandom, AT_RANDOM and getrandom(2).
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include "kernel.h"

/* Fill buf with n random bytes. Never blocks; callable from any context
 * that may take a spinlock. */
void get_random_bytes(void *buf, size_t n);

#endif
