/*
 * parking.h — connections that wait without holding a worker thread.
 *
 * libmicrohttpd serves every connection of a worker on that worker's one thread, so a
 * handler that sleeps until something happens (a long poll of the event log, a wait for
 * webhooks to settle, an event stream with nothing new) stalls all the others. Instead the
 * waiter parks its connection: libmicrohttpd suspends it and the worker goes on. It is woken
 * (resumed: its callback runs again, on its worker) by the first of:
 *   - parking_wake() of the channel it waits on: something it may be waiting for happened
 *     (events committed; the webhook dispatcher made a pass); it looks again;
 *   - its deadline, kept by a timer thread (a long poll's end, a stream's next heartbeat);
 *   - its client hanging up, which the timer notices (a suspended connection is not polled
 *     by libmicrohttpd and never times out, so without this it would be kept for ever);
 *   - shutdown (parking_close()), after which nothing parks and every waiter answers now.
 *
 * A look and the wait after it cannot miss a wake between them: the waiter notes the wake
 * counts (parking_look()) before it looks and passes them to parking_park(), which refuses
 * to park (so the waiter looks again) when its channel was woken in between.
 */
#ifndef KE_HTTP_PARKING_H
#define KE_HTTP_PARKING_H

#include <stdint.h>

#include "lib/problem.h"

/* What a waiter waits for. */
enum parking_channel {
    PARKING_EVENTS,     /* events committed (the outbox's listener) */
    PARKING_DELIVERIES, /* the webhook dispatcher made a pass (every few ms while busy) */
    PARKING_CHANNELS
};

/* Why a slot was woken (bits of struct parking_slot.woken). */
#define PARKING_WOKEN_WAKE 1u     /* parking_wake() of its channel */
#define PARKING_WOKEN_DEADLINE 2u /* its deadline passed */
#define PARKING_WOKEN_HANGUP 4u   /* its client closed the connection */
#define PARKING_WOKEN_CLOSE 8u    /* the server is stopping */

/* One waiting connection, embedded in what owns it (a request, an event stream). Zeroed
 * with its owner; the owner sets connection, and only this module writes the rest. */
struct parking_slot {
    void *connection; /* the MHD connection */
    struct parking_slot *prev, *next;
    int parked; /* suspended, in the list */
    int in_use; /* has parked at least once and has not been forgotten */
    enum parking_channel channel;
    int64_t deadline_ns; /* clock_monotonic_ns() instant to wake at; INT64_MAX: none */
    unsigned woken;      /* PARKING_WOKEN_* bits since it last parked */
};

/* The wake counts of every channel at one moment. */
struct parking_seen {
    uint64_t wakes[PARKING_CHANNELS];
};

/* Starts and stops the timer thread. */
enum status parking_start(void);
void parking_stop(void);

/* Notes the wake counts, before a look. */
void parking_look(struct parking_seen *seen);

/* Suspends slot's connection until channel is woken, deadline_ns, a hang-up or shutdown.
 * Call it from the connection's own libmicrohttpd callback, which must then return without
 * answering (the access handler: MHD_YES with nothing queued; a content reader: 0 bytes).
 * Returns 1 when parked; 0 when channel was woken after `seen` or the server is closing:
 * look again. */
int parking_park(struct parking_slot *slot, enum parking_channel channel,
                 const struct parking_seen *seen, int64_t deadline_ns);

/* Why slot was woken since it last parked (PARKING_WOKEN_* bits). */
unsigned parking_woken(struct parking_slot *slot);

/* The owner is done with slot (its request completed): drops it from the count of waiters
 * that shutdown waits for. Safe on a slot that never parked. */
void parking_forget(struct parking_slot *slot);

/* Wakes every connection parked on channel. */
void parking_wake(enum parking_channel channel);

/* The listeners the outbox and the dispatcher are given: parking_wake() of their channel. */
void parking_wake_events(void);
void parking_wake_deliveries(void);

/* Refuses new parking and wakes everyone with PARKING_WOKEN_CLOSE; then waits up to
 * timeout_ms for the waiters to answer and be forgotten. Returns how many remain. */
int parking_close(int64_t timeout_ms);

/* True once parking_close() began: waiters answer what they have. */
int parking_closing(void);

/* Waiters in use (parked or between wakes), for /metrics and the tests. */
int parking_waiters(void);

#endif
