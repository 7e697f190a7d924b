#include "admin/locking_device_logs.h"

/* Placeholder until the owner lands the real handlers. */
enum status locking_device_logs_system(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "locking_device_logs_system: pending");
}

enum status locking_device_logs_audit(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "locking_device_logs_audit: pending");
}

