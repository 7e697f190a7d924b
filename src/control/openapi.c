#include "control/openapi.h"

/* Placeholder until the owner lands the real handlers. */
enum status openapi_administration(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "openapi_administration: pending");
}

enum status openapi_control(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "openapi_control: pending");
}

enum status parity_get(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "parity_get: pending");
}

