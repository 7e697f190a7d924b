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

/* Whether this thread wrote a webhook delivery since the last call: the caller wakes the
 * dispatcher after committing (a rolled-back delivery only costs a needless pass). */
int outbox_take_delivery_flag(void);

#endif
