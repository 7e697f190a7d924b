#include "admin/testing.h"

/* Placeholder until the owner lands the real handlers. */
enum status testing_rekey(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "testing_rekey: pending");
}

