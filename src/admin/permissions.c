#include "admin/permissions.h"

/* Placeholder until the owner lands the real handlers. */
enum status permissions_create(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "permissions_create: pending");
}

enum status permissions_list(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "permissions_list: pending");
}

enum status permissions_get(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "permissions_get: pending");
}

enum status permissions_replace(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "permissions_replace: pending");
}

enum status permissions_delete(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "permissions_delete: pending");
}

