/*
 * log_bodies.h — the vendor's JSON shapes of gateway log entries, shared by the log
 * endpoints and by the events that carry an entry as `logEntry`.
 */
#ifndef KE_EVENTS_LOG_BODIES_H
#define KE_EVENTS_LOG_BODIES_H

#include <json-c/json.h>

#include "store/log_entries.h"

/* {sequenceNumber, datetime, eventName, ...the entry's stored details}. */
json_object *log_body_gateway_system(const struct gateway_log_row *e);

/* {sequenceNumber, datetime, conversationName, lockingDeviceId, remoteCommandId?}. */
json_object *log_body_gateway_audit(const struct gateway_log_row *e);

#endif
