/*
 * gateway_logs.h — the Administration API's gateway device system and audit logs: the
 * entries one gateway uploaded, filtered by sequence number, sorted by time and sequence
 * number in either direction.
 */
#ifndef KE_ADMIN_GATEWAY_LOGS_H
#define KE_ADMIN_GATEWAY_LOGS_H

#include "http/request.h"
#include "store/log_entries.h"

/* The vendor's JSON shapes of an entry (row is a struct gateway_log_row), also the logEntry
 * of GatewayDeviceSystemLogEntryReceived and GatewayDeviceAuditLogEntryReceived. A system
 * entry shows its stored details' members after sequenceNumber, datetime and eventName. */
json_object *gateway_log_render_system(const void *row);
json_object *gateway_log_render_audit(const void *row);

enum status gateway_logs_system(struct request *req, struct response *res);
enum status gateway_logs_audit(struct request *req, struct response *res);

#endif
