#include "control/hardware.h"

/* Placeholder until the owner lands the real handlers. */
enum status hardware_locking_device_create(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "hardware_locking_device_create: pending");
}

enum status hardware_locking_device_get(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "hardware_locking_device_get: pending");
}

enum status hardware_gateway_device_create(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "hardware_gateway_device_create: pending");
}

enum status hardware_gateway_device_get(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "hardware_gateway_device_get: pending");
}

