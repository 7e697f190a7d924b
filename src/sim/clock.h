/*
 * clock.h — each system's virtual clock.
 *
 * Built on the machine's clock (lib/wallclock.h, its only reader). Each system has its own:
 * "real" (wall time plus an offset) or "frozen" (a fixed instant); every time rule of a
 * system reads clock_system_now(). Monotonic time, used for rate limits and latencies,
 * is real time and belongs to no system.
 */
#ifndef KE_SIM_CLOCK_H
#define KE_SIM_CLOCK_H

#include <stdint.h>

#include "lib/wallclock.h"
#include "store/systems.h"

/* The virtual now of a system, in seconds since the epoch. */
int64_t clock_system_now(const struct system_row *system);

/* Fills the clock columns of a new system: mode "real" (time ignored: follows the wall
 * clock from now) or "frozen" at time. */
void clock_setup(struct system_row *system, const char *mode, int64_t time);

/* Moves a system's clock to now, keeping its mode: a frozen clock stands at now, a real
 * one runs on from now. Only the row is changed; the caller stores it. */
void clock_set(struct system_row *system, int64_t now);

/* Switches the mode at the current instant: freeze stops it where it is, resume lets it
 * run on from there. */
void clock_freeze(struct system_row *system);
void clock_resume(struct system_row *system);

#endif
