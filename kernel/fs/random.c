/*
 * kernel/fs/random.c - a ChaCha20-based CSPRNG (RFC 8439 block function).
 *
 * The 256-bit key is seeded from RDRAND when CPUID reports it, always mixed
 * with several TSC readings (the only entropy on CPUs without RDRAND, weak
 * but non-constant). Output comes from ChaCha20 blocks in counter mode;
 * after each request the next block replaces the key ("fast key erasure"),
 * so a later compromise of the state does not reveal earlier output.
 * Every request also stirs a fresh TSC reading into the nonce.
 */
#include "random.h"
#include "sync.h"

static spinlock_t rng_lock = SPINLOCK_INIT("random");
static uint32_t rng_key[8];
static uint64_t rng_counter;
static bool rng_seeded;

static inline uint32_t rotl(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

#define QR(a, b, c, d)                                   \
	do {                                             \
		a += b; d ^= a; d = rotl(d, 16);         \
		c += d; b ^= c; b = rotl(b, 12);         \
		a += b; d ^= a; d = rotl(d, 8);          \
		c += d; b ^= c; b = rotl(b, 7);          \
	} while (0)

static void chacha20_block(const uint32_t key[8], uint64_t counter,
                           uint32_t nonce, uint32_t out[16])
{
	uint32_t s[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
		key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
		(uint32_t)counter, (uint32_t)(counter >> 32), nonce, 0,
	};
	uint32_t x[16];
	memcpy(x, s, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + s[i];
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static bool have_rdrand(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return c & (1u << 30);
}

static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < 10; i++) {
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) :: "cc");
		if (ok)
			return true;
	}
	return false;
}

static void rng_seed(void)
{
	bool hw = have_rdrand();
	for (int i = 0; i < 8; i += 2) {
		uint64_t v = 0;
		if (hw && !rdrand64(&v))
			hw = false;
		/* TSC low bits jitter; spread them over the word */
		v ^= rdtsc() * 0x9e3779b97f4a7c15ULL;
		rng_key[i] ^= (uint32_t)v;
		rng_key[i + 1] ^= (uint32_t)(v >> 32);
	}
	rng_seeded = true;
	if (!hw)
		kprintf_once(KERN_WARNING "random: no RDRAND, seeded from the TSC only\n");
}

void get_random_bytes(void *buf, size_t n)
{
	uint32_t block[16];
	uint8_t *out = buf;
	spin_lock(&rng_lock);
	if (!rng_seeded)
		rng_seed();
	uint32_t nonce = (uint32_t)rdtsc();
	while (n > 0) {
		chacha20_block(rng_key, rng_counter++, nonce, block);
		size_t chunk = MIN(n, sizeof(block));
		memcpy(out, block, chunk);
		out += chunk;
		n -= chunk;
	}
	/* Fast key erasure: the next block becomes the key. */
	chacha20_block(rng_key, rng_counter++, nonce, block);
	memcpy(rng_key, block, sizeof(rng_key));
	memset(block, 0, sizeof(block));
	spin_unlock(&rng_lock);
}
