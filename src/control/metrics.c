#include "control/metrics.h"

/* Placeholder until the owner lands the real handlers. */
enum status metrics_get(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "metrics_get: pending");
}

