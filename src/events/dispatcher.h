/*
 * dispatcher.h — the webhook delivery thread (DESIGN.md §6).
 *
 * One thread drives every delivery through libcurl's multi interface, so HTTP workers never
 * wait on a receiver. Delivery rows are written with their event (events/outbox.c). Every
 * DISPATCHER_TICK_MS, and at once when poked, the thread makes a pass: it starts the head
 * of each subscription's queue (its oldest pending delivery) when it is due on the
 * system's clock and nothing of that subscription is in flight;
 * and records each finished attempt: a 2xx answer within DISPATCHER_TIMEOUT_MS delivers,
 * anything else schedules the next attempt after 30 s, 5 min, 30 min, 2 h and 8 h of the
 * system's virtual time, and the sixth failure makes the delivery dead.
 * Ordering: a subscription receives events in the order they happened; a delivery waiting
 * for a retry holds back the later ones of its subscription only; a dead delivery no longer
 * holds anything back, and a redelivered one goes first again.
 * Depends on the store, the clock, signature.h and libcurl.
 */
#ifndef KE_EVENTS_DISPATCHER_H
#define KE_EVENTS_DISPATCHER_H

#include <stdint.h>

#include "lib/problem.h"
#include "store/db.h"
#include "store/webhooks.h"

#define DISPATCHER_TICK_MS 50
#define DISPATCHER_TIMEOUT_MS 5000
#define DISPATCHER_MAX_FAILURES 6

/* Starts and stops the thread. Start after db_open(), before any other thread; stop
 * abandons attempts in flight (they are still pending, so they go out after a restart). */
enum status dispatcher_start(void);
void dispatcher_stop(void);

/* Asks for a pass now (a clock moved, a delivery was restarted). Cheap; any thread. */
void dispatcher_poke(void);

/* The number of passes made so far, and a wait until it exceeds seen or ms pass. For
 * callers that re-check something after each pass (long polls). */
uint64_t dispatcher_passes(void);
void dispatcher_wait_pass(uint64_t seen, int64_t ms);

/* Waits (at most timeout_ms) until no delivery of system_id is due on its clock: every
 * event fanned out and every head delivered, dead, or due later. *settled says whether that
 * happened in time; out gets the counts either way. ST_NOT_FOUND for an unknown system. */
enum status dispatcher_flush(struct db *db, const char *system_id, int64_t timeout_ms,
                             struct webhook_summary *out, int *settled);

#endif
