#include "admin/testing.h"

#include <string.h>

#include "sim/locks.h"
#include "store/locking_devices.h"
#include "store/remote_commands.h"

/* The vendor's sentence, verbatim. */
#define NOT_IN_THIS_ENVIRONMENT "This action is not available in this environment."

static enum status rekey_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;
    const char *id = request_param(req, "locking-device-id");
    struct locking_device_row lock;
    enum status st = store_locking_device_get(db, req->system.id, id, &lock);

    if (st != ST_OK)
        return st;
    if (strcmp(lock.claiming_status, "CLAIMED") != 0)
        return request_fail(req, ST_CONFLICT, "locking device '%s' is not claimed", id);
    st = store_rekey_request_insert(db, req->system.id, id, req->caller.id, request_now(req));
    /* The same path as a certificate nearing expiry: eligible, announced once. */
    if (st == ST_OK)
        st = sim_certificate_make_eligible(db, &req->system, id, PROFILE_OPERATIONAL,
                                           request_now(req));
    return st;
}

enum status testing_rekey(struct request *req, struct response *res)
{
    enum status st;

    if (req->options->production)
        return request_fail(req, ST_FORBIDDEN, NOT_IN_THIS_ENVIRONMENT);
    st = db_transact(req->db, rekey_tx, req);
    return st != ST_OK ? st : respond_empty(res);
}
