#include "control/snapshots.h"

/* Placeholder until the owner lands the real handlers. */
enum status snapshots_create(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "snapshots_create: pending");
}

enum status snapshots_list(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "snapshots_list: pending");
}

enum status snapshots_restore(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "snapshots_restore: pending");
}

enum status state_reset(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "state_reset: pending");
}

enum status fixtures_post(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "fixtures_post: pending");
}

