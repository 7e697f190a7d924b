#include "control/phones.h"

/* Placeholder until the owner lands the real handlers. */
enum status invitations_accept(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "invitations_accept: pending");
}

