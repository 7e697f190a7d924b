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
enum status outbox_emit(struct db *db, const char *system_id, int64_t now, const char *event_type,
                        json_object *fields);

/* Wakes who waits for what this thread emitted since it last announced: long polls of
 * the event log if it emitted events, the webhook dispatcher if it wrote deliveries. Call
 * after the transaction commits (a rolled-back one only costs a needless wake). */
void outbox_announce(void);

/* Who is told after events commit (the server's long polls and event streams), set once
 * before the server starts; outbox_ring() tells it also when the events were replaced
 * wholesale (a restore, a reset). */
void outbox_on_ring(void (*listener)(void));
void outbox_ring(void);

/* The whole event log was replaced: how is "reset" or "restore" (a string literal). Call it
 * while the replacement holds the write lock, before it commits. outbox_replacements()
 * counts the replacements so far and tells how the last one was made (how may be NULL): a
 * reader that reads rows and then finds the count moved cannot trust what it read. */
void outbox_replaced(const char *how);
uint64_t outbox_replacements(const char **how);

#endif
