#include "admin/operating_devices.h"

/* Placeholder until the owner lands the real handlers. */
enum status operating_devices_list(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "operating_devices_list: pending");
}

enum status operating_devices_delete(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "operating_devices_delete: pending");
}

