#include "admin/invitations.h"

/* Placeholder until the owner lands the real handlers. */
enum status invitations_create(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "invitations_create: pending");
}

enum status invitations_revoke(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "invitations_revoke: pending");
}

