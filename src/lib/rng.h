/*
 * rng.h — the emulator's one source of randomness.
 *
 * Unseeded, bytes come from getrandom(). With a seed (--seed N), bytes come from a
 * SHA-256 counter-mode generator keyed by the seed, so the same seed and the same calls
 * produce the same ids, keys, secrets and codes. Thread-safe; depends on OpenSSL only.
 */
#ifndef KE_LIB_RNG_H
#define KE_LIB_RNG_H

#include <stddef.h>
#include <stdint.h>

#define UUID_STR_LEN 37 /* 36 characters and NUL */

/* Selects the source. seed == NULL means unseeded. Call once before any thread starts;
 * calling again restarts the sequence (tests use this). */
void rng_init(const char *seed);

/* Fills buf with n random bytes. Never fails: an unreadable kernel source aborts. */
void rng_bytes(void *buf, size_t n);

/* Writes a version-4 UUID (lower case, 36 characters) into out. */
void rng_uuid(char out[UUID_STR_LEN]);

/* Writes a version-7 UUID (RFC 9562) for the instant unix_seconds and the row's place in
 * its table: the first 48 bits are the instant's Unix time in milliseconds, the next 42
 * (rand_a and the top of rand_b, RFC 9562's "fixed bit-length dedicated counter") the low
 * bits of order, the last 32 random. Ids of one instant then sort in the order their rows
 * were recorded, which the reference's (datetime, id) sort relies on, without the time
 * running ahead of the clock; and rows appended in time order land at the end of an index on
 * id. */
void rng_uuid_v7(int64_t unix_seconds, uint64_t order, char out[UUID_STR_LEN]);

/* A uniform integer in [0, bound); bound must be > 0. */
uint64_t rng_below(uint64_t bound);

/* A code people read off a label or a message: groups of four characters from an alphabet
 * without look-alikes (no 0/O, no 1/I), joined by '-'. out holds at least 5 * groups bytes. */
void rng_code(char *out, int groups);

/* True when a seed was given: callers that would otherwise use OpenSSL's own generator
 * (key pairs) must then derive from rng_bytes() to stay reproducible. */
int rng_is_seeded(void);

#endif
