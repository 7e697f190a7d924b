#include "admin/testing.h"

#include <string.h>

#include "events/outbox.h"
#include "lib/timefmt.h"
#include "store/locking_devices.h"
#include "store/remote_commands.h"

/* The vendor's sentence, verbatim. */
#define NOT_IN_THIS_ENVIRONMENT "This action is not available in this environment."

/* Tells integrators the certificate became eligible, as the platform does when a
 * certificate nears its expiry. */
static enum status emit_eligible(struct db *db, struct request *req,
                                 const struct locking_device_row *lock)
{
    json_object *event = json_object_new_object();
    char expiration[TIMEFMT_DATETIME_LEN];

    if (event == NULL)
        return ST_NOMEM;
    timefmt_format_datetime(lock->operational.expiration, expiration);
    json_object_object_add(event, "lockingDeviceId", json_object_new_string(lock->id));
    json_object_object_add(event, "certificateProfile", json_object_new_string("OPERATIONAL"));
    json_object_object_add(event, "certificateExpirationDatetime",
                           json_object_new_string(expiration));
    return outbox_emit(db, req->system.id, request_now(req),
                       "LockingDeviceCertificateEligibleForReKeying", event);
}

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
    /* Asking again while already eligible changes nothing an integrator could observe. */
    if (st == ST_OK && !lock.operational.eligible)
        st = emit_eligible(db, req, &lock);
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
