/* kernel/include/random.h - the kernel's random number generator. */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H
#include "kernel.h"
void get_random_bytes(void *buf, size_t n);
#endif
