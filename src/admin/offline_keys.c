#include "admin/offline_keys.h"

/* Placeholder until the owner lands the real handlers. */
enum status offline_keys_create(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "offline_keys_create: pending");
}

enum status offline_keys_list(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "offline_keys_list: pending");
}

