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
 * Headers: webhook-id is the event's id (the same on every retry); webhook-timestamp and
 * the signature are of the attempt, on the wall clock; X-Emulator-Event-Time is the event's
 * time on the system's clock (RFC 3339).
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

/* Who is told after every pass (the server's waits for webhooks to settle), set once
 * before the thread starts. */
void dispatcher_on_pass(void (*listener)(void));

/* One look: whether no delivery of system_id is due on its clock (every event fanned out
 * and every head delivered, dead, or due later). out gets the counts either way.
 * ST_NOT_FOUND for an unknown system. A caller that waits pokes the dispatcher once and
 * looks again after each pass. */
enum status dispatcher_settled(struct db *db, const char *system_id, struct webhook_summary *out,
                               int *settled);

#endif
