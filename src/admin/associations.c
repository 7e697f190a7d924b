#include "admin/associations.h"

/* Placeholder until the owner lands the real handlers. */
enum status associations_create(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "associations_create: pending");
}

enum status associations_list(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "associations_list: pending");
}

enum status associations_get(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "associations_get: pending");
}

enum status associations_delete(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "associations_delete: pending");
}

