/*
 * wallclock.h — the only reader of the machine's clocks.
 *
 * Wall time is transport and bookkeeping (webhook attempts, snapshot dates, the base of
 * real virtual clocks); monotonic time measures and bounds waits. Every time rule of a
 * system reads its virtual clock instead (sim/clock.h), which is built on these.
 */
#ifndef KE_LIB_WALLCLOCK_H
#define KE_LIB_WALLCLOCK_H

#include <stdint.h>
#include <time.h>

/* A system's clock setting: "real" runs with the wall clock, offset seconds apart; "frozen"
 * stands at time. Here, beside the wall clock it is built on, so that every layer (the
 * webhook dispatcher too) reads a system's time without reaching up to the simulator. */
struct virtual_clock {
    char mode[8]; /* "real" or "frozen" */
    int64_t offset;
    int64_t time;
};

/* The virtual now of that clock, in seconds since the epoch. */
int64_t clock_virtual_now(const struct virtual_clock *c);

/* Wall-clock seconds since the epoch (UTC). */
int64_t clock_wall_now(void);

/* Monotonic nanoseconds, for measuring, rate limiting and deadlines. */
int64_t clock_monotonic_ns(void);

/* An absolute CLOCK_MONOTONIC deadline ms milliseconds from now, for timed waits. */
void clock_deadline_after_ms(int64_t ms, struct timespec *out);

#endif
