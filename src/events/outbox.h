/*
 * outbox.h — emitting platform events.
 *
 * An event is the vendor's flat webhook body: eventId, eventSystemId, eventType, then the
 * event's own fields. outbox_emit() writes it to the outbox table inside the caller's
 * transaction, so the change and its event commit or vanish together.
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

#endif
