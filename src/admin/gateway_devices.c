#include "admin/gateway_devices.h"

/* Placeholder until the owner lands the real handlers. */
enum status gateway_devices_claim(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "gateway_devices_claim: pending");
}

enum status gateway_devices_list(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "gateway_devices_list: pending");
}

enum status gateway_devices_get(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "gateway_devices_get: pending");
}

enum status gateway_devices_delete(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "gateway_devices_delete: pending");
}

