/*
 * kernel/arch/x86_64/timer.c - time keeping and the scheduler tick.
 *
 * Clock source: the TSC, whose rate is measured at boot against the HPET
 * (or, without one, the PIT). Reading the TSC is one instruction, while an
 * HPET read is an MMIO access that QEMU has to emulate. Under QEMU TCG the
 * TSC follows host time, so monotonic time stays true even when the guest
 * is descheduled. The same calibration gives the LAPIC timer's rate, which
 * then interrupts HZ times a second for scheduling and timed sleeps.
 */
#include "acpi.h"
#include "arch.h"
#include "irq.h"
#include "kernel.h"
#include "klog.h"
#include "ktime.h"
#include "mm.h"
#include "sync.h"
#include "task.h"

void lapic_timer_oneshot_max(void);
uint32_t lapic_timer_current(void);
void lapic_timer_periodic(uint32_t count);
void irq_set_handler(int vector, irq_handler_t handler, void *ctx);

static uint64_t tsc_base;
static uint64_t tsc_mult;      /* ns = (delta * tsc_mult) >> 32 */
static uint64_t tsc_hz;
static volatile uint64_t ticks;
static uint64_t realtime_offset_ns; /* realtime = monotonic + offset */
static spinlock_t time_lock = SPINLOCK_INIT("time");
static volatile uint64_t *hpet;

static uint64_t hpet_read(void) { return hpet[0xf0 / 8]; }

/* Busy-wait about ms milliseconds using the HPET or the PIT, returning the
 * TSC ticks and LAPIC timer ticks that elapsed meanwhile. */
static void calibrate(unsigned ms, uint64_t *tsc_ticks, uint32_t *lapic_ticks)
{
	lapic_timer_oneshot_max();
	if (hpet) {
		uint64_t period_fs = hpet[0] >> 32;
		uint64_t wait = (uint64_t)ms * 1000000000000ULL / period_fs;
		uint32_t l0 = lapic_timer_current();
		uint64_t t0 = rdtsc(), h0 = hpet_read();
		while (hpet_read() - h0 < wait)
			cpu_relax();
		*tsc_ticks = rdtsc() - t0;
		*lapic_ticks = l0 - lapic_timer_current();
		return;
	}
	/* PIT channel 2, gate on, one-shot, counting 1193182 Hz. */
	uint32_t count = 1193182 * ms / 1000;
	outb(0x61, (inb(0x61) & ~2) | 1);
	outb(0x43, 0xb0);
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	uint32_t l0 = lapic_timer_current();
	uint64_t t0 = rdtsc();
	outb(0x61, inb(0x61) & ~1);
	outb(0x61, inb(0x61) | 1); /* restart the count */
	while (!(inb(0x61) & 0x20))
		cpu_relax();
	*tsc_ticks = rdtsc() - t0;
	*lapic_ticks = l0 - lapic_timer_current();
}

static void timer_interrupt(void *ctx __unused)
{
	ticks++;
	sched_tick();
}

void timer_init(void)
{
	if (acpi.hpet_phys) {
		hpet = ioremap(acpi.hpet_phys, PAGE_SIZE);
		if (hpet) {
			hpet[0x10 / 8] |= 1; /* ENABLE_CNF: start the main counter */
		}
	}
	if (!hpet)
		kprintf(KERN_WARNING "timer: no HPET, calibrating with the PIT\n");
	uint64_t tsc_ticks;
	uint32_t lapic_ticks;
	const unsigned ms = 10;
	calibrate(ms, &tsc_ticks, &lapic_ticks);
	tsc_hz = tsc_ticks * (1000 / ms);
	tsc_mult = (NSEC_PER_SEC << 32) / tsc_hz;
	tsc_base = rdtsc();
	uint64_t lapic_hz = (uint64_t)lapic_ticks * (1000 / ms);
	irq_set_handler(0xf0, timer_interrupt, NULL);
	lapic_timer_periodic((uint32_t)(lapic_hz / HZ));
	printk_time_ready();
	kprintf("timer: TSC %lu.%03lu MHz, LAPIC timer %lu kHz (calibrated against the %s), %d Hz tick\n",
	        (unsigned long)(tsc_hz / 1000000), (unsigned long)(tsc_hz / 1000 % 1000),
	        (unsigned long)(lapic_hz / 1000), hpet ? "HPET" : "PIT", HZ);
}

uint64_t time_ns(void)
{
	if (!tsc_mult)
		return 0;
	uint64_t d = rdtsc() - tsc_base;
	return (uint64_t)(((unsigned __int128)d * tsc_mult) >> 32);
}

uint64_t jiffies(void) { return ticks; }

uint64_t tsc_to_ns(uint64_t delta)
{
	return (uint64_t)(((unsigned __int128)delta * tsc_mult) >> 32);
}

uint64_t time_realtime_ns(void)
{
	return time_ns() + realtime_offset_ns;
}

void time_set_realtime_ns(uint64_t ns)
{
	spin_lock(&time_lock);
	realtime_offset_ns = ns - time_ns();
	spin_unlock(&time_lock);
}

void udelay(uint64_t us)
{
	uint64_t end = time_ns() + us * 1000;
	while (time_ns() < end)
		cpu_relax();
}

static wait_queue_t sleepers = WAIT_QUEUE_INIT("sleep");

int sleep_until(uint64_t deadline_ns, bool interruptible)
{
	int r = __wait_event(&sleepers, time_ns() >= deadline_ns, interruptible, deadline_ns);
	return r == -ETIMEDOUT ? 0 : r;
}

/* ---- CMOS real-time clock ---- */

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned bcd(uint8_t v, bool is_bcd) { return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v; }

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void rtc_init(void)
{
	uint8_t sec, min, hour, day, mon, year, cent = 0, b;
	/* Wait for no update in progress, then read twice until stable. */
	for (int tries = 0; tries < 5; tries++) {
		for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
			;
		sec = cmos(0x00); min = cmos(0x02); hour = cmos(0x04);
		day = cmos(0x07); mon = cmos(0x08); year = cmos(0x09);
		if (acpi.century_reg)
			cent = cmos(acpi.century_reg);
		if (sec == cmos(0x00) && min == cmos(0x02))
			break;
	}
	b = cmos(0x0b);
	bool is_bcd = !(b & 0x04);
	bool pm = hour & 0x80;
	unsigned h = bcd(hour & 0x7f, is_bcd);
	if (!(b & 0x02)) { /* 12-hour mode */
		h %= 12;
		if (pm)
			h += 12;
	}
	unsigned y = bcd(year, is_bcd) + (cent ? bcd(cent, is_bcd) * 100 : 2000);
	int64_t days = days_from_civil(y, bcd(mon, is_bcd), bcd(day, is_bcd));
	uint64_t secs = (uint64_t)days * 86400 + h * 3600 + bcd(min, is_bcd) * 60 + bcd(sec, is_bcd);
	time_set_realtime_ns(secs * NSEC_PER_SEC);
	kprintf("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC\n", y, bcd(mon, is_bcd), bcd(day, is_bcd), h,
	        bcd(min, is_bcd), bcd(sec, is_bcd));
}
