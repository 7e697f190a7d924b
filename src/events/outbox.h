/*
 * outbox.h — emitting platform events.
 *
 * An event is the vendor's flat webhook body: eventId, eventSystemId, eventType, then the
 * event's own fields. outbox_emit() writes it to the outbox table inside the caller's
 * transaction, with a webhook delivery for each subscription it passes, so the change, its
 * event and its deliveries commit or vanish together.
 */
#ifndef KE_EVENTS_OUTBOX_H
#define KE_EVENTS_OUTBOX_H

#include <json-c/json.h>
#include <stdint.h>

#include "store/db.h"

/* Emits event_type for system_id at virtual time now. fields is a JSON object whose
 * members follow the three common ones; it is consumed (put) whatever the outcome. */
enum status outbox_emit(struct db *db, const char *system_id, int64_t now,
                        const char *event_type, json_object *fields);

/* Wakes who waits for what this thread emitted since it last announced: long polls of
 * the event log if it emitted events, the webhook dispatcher if it wrote deliveries. Call
 * after the transaction commits (a rolled-back one only costs a needless wake). */
void outbox_announce(void);

/* The bell of long polls: rung by outbox_announce() and by anything that replaces the
 * events wholesale (a restore). Wait until the count passes seen or ms elapse. */
void outbox_ring(void);
uint64_t outbox_rings(void);
void outbox_wait_ring(uint64_t seen, int64_t ms);

#endif
