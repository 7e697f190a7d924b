#include "admin/gateway_logs.h"

/* Placeholder until the owner lands the real handlers. */
enum status gateway_logs_system(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "gateway_logs_system: pending");
}

enum status gateway_logs_audit(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "gateway_logs_audit: pending");
}

