/*
 * locking_device_logs.h — the Administration API's locking device system and audit logs:
 * the entries phones and gateways uploaded for the system's locks, filtered by lock,
 * sequence number and time, sorted by occurrence time and id in either direction.
 */
#ifndef KE_ADMIN_LOCKING_DEVICE_LOGS_H
#define KE_ADMIN_LOCKING_DEVICE_LOGS_H

#include "http/request.h"
#include "store/log_entries.h"

/* The vendor's JSON shapes of an entry (row is a struct lock_log_row), also the logEntry
 * of the log webhooks. */
json_object *locking_device_log_render_system(const void *row);
json_object *locking_device_log_render_audit(const void *row);

enum status locking_device_logs_system(struct request *req, struct response *res);
enum status locking_device_logs_audit(struct request *req, struct response *res);

#endif
