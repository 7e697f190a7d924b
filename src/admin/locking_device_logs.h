/*
 * locking_device_logs.h — Locking device logs (owner: commands helper).
 */
#ifndef KE_ADMIN_LOCKING_DEVICE_LOGS_H
#define KE_ADMIN_LOCKING_DEVICE_LOGS_H

#include "http/request.h"

enum status locking_device_logs_system(struct request *req, struct response *res);
enum status locking_device_logs_audit(struct request *req, struct response *res);

#endif
