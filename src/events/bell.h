/*
 * bell.h — a count that threads can wait to see move.
 *
 * Whoever makes something happen rings; whoever must look again after each happening
 * (a long poll of the event log, a wait for webhooks to settle) notes the count, looks,
 * and waits for the count to pass the one it noted, so a ring between its look and its
 * wait is never missed.
 */
#ifndef KE_EVENTS_BELL_H
#define KE_EVENTS_BELL_H

#include <pthread.h>
#include <stdint.h>

struct bell {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* on the monotonic clock */
    uint64_t rings;
};

void bell_init(struct bell *b);
void bell_ring(struct bell *b);
uint64_t bell_rings(struct bell *b);
/* Returns once the count differs from seen, or after ms. */
void bell_wait(struct bell *b, uint64_t seen, int64_t ms);

#endif
