/*
 * ratelimit.h — a token bucket per API key, in memory, on real (monotonic) time.
 *
 * Rate limits protect throughput, which is real, so they ignore the virtual clocks.
 */
#ifndef KE_HTTP_RATELIMIT_H
#define KE_HTTP_RATELIMIT_H

#include <stdint.h>

#include "lib/problem.h"

/* Takes one token from key's bucket (refilled at rate per second up to burst).
 * ST_OK, or ST_RATE_LIMITED with *retry_after the whole seconds until a token is back. */
enum status ratelimit_take(const char *key, double rate, int64_t burst, int *retry_after);

/* Forgets a key's bucket (key deleted). */
void ratelimit_forget(const char *key);

/* Forgets every bucket (the database was restored or wiped: its API keys start afresh). */
void ratelimit_forget_all(void);

#endif
