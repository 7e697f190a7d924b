#include "admin/remote_commands.h"

/* Placeholder until the owner lands the real handlers. */
enum status remote_commands_create(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "remote_commands_create: pending");
}

enum status remote_commands_list(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "remote_commands_list: pending");
}

enum status remote_commands_get(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "remote_commands_get: pending");
}

enum status remote_commands_cancel(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "remote_commands_cancel: pending");
}

