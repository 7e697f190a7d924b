#include "control/hardware.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/timefmt.h"
#include "sim/clock.h"
#include "sim/factory.h"
#include "sim/locks.h"
#include "store/gateway_states.h"
#include "store/hardware.h"

#define PENDING_SHOWN 100
#define LIFETIME_MIN 86400LL
#define LIFETIME_MAX (30 * 365 * 86400LL)

static const char *const locking_models[] = {
    "PADLOCK", "KEY_DEPOSIT", "CONTROLLER", "SWING_HANDLE", "SWING_HANDLE_CONNECTED", NULL,
};
struct hardware_in {
    const char *model;
    const char *hardware_version;
    const char *firmware_version;
    struct spec_duration operational, manufacturing, window;
};

static const struct spec_field gateway_fields[] = {
    {"hardwareVersion", SPEC_STRING, 0, 1, HARDWARE_FIELD_LEN - 1, NULL,
     offsetof(struct hardware_in, hardware_version)},
    {"firmwareVersion", SPEC_STRING, 0, 1, HARDWARE_FIELD_LEN - 1, NULL,
     offsetof(struct hardware_in, firmware_version)},
};

static const struct spec_field locking_fields[] = {
    {"hardwareModel", SPEC_ENUM, SPEC_REQUIRED, 0, 0, locking_models,
     offsetof(struct hardware_in, model)},
    {"hardwareVersion", SPEC_STRING, 0, 1, HARDWARE_FIELD_LEN - 1, NULL,
     offsetof(struct hardware_in, hardware_version)},
    {"firmwareVersion", SPEC_STRING, 0, 1, HARDWARE_FIELD_LEN - 1, NULL,
     offsetof(struct hardware_in, firmware_version)},
    {"operationalCertificateLifetime", SPEC_DURATION, 0, LIFETIME_MIN, LIFETIME_MAX, NULL,
     offsetof(struct hardware_in, operational)},
    {"manufacturingCertificateLifetime", SPEC_DURATION, 0, LIFETIME_MIN, LIFETIME_MAX, NULL,
     offsetof(struct hardware_in, manufacturing)},
    {"reKeyingWindow", SPEC_DURATION, 0, 1, LIFETIME_MAX, NULL,
     offsetof(struct hardware_in, window)},
};

/* What creation needs besides the row: the certificates' lifetimes. */
struct locking_create {
    struct hardware_locking_device_row row;
    struct lock_lifetimes lifetimes;
};

static void add(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, json_object_new_string(value));
}

static json_object *render_locking(const struct hardware_locking_device_row *d)
{
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    add(o, "serialNumber", d->serial_number);
    add(o, "hardwareModel", d->hardware_model);
    add(o, "hardwareVersion", d->hardware_version);
    add(o, "firmwareVersion", d->firmware_version);
    return o;
}

/* One profile's installed certificate and how far its re-keying has come. */
static json_object *render_certificate(const struct lock_state *s, enum cert_profile p)
{
    json_object *o = json_object_new_object();
    char when[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(s->cert[p].not_after, when);
    add(o, "certificatePem", s->cert[p].cert_pem);
    add(o, "expirationDatetime", when);
    add(o, "reKeyingStage", s->rekey[p].stage);
    return o;
}

static json_object *render_pending(const struct pending_entry *p, size_t n)
{
    json_object *arr = json_object_new_array();
    char when[TIMEFMT_DATETIME_LEN];

    for (size_t i = 0; arr != NULL && i < n; i++) {
        json_object *e = json_object_new_object();
        if (e == NULL)
            break;
        timefmt_format_datetime(p[i].entry.occurred_at, when);
        add(e, "kind", p[i].entry.kind);
        add(e, "eventName", p[i].entry.event_name);
        add(e, "occurrenceDatetime", when);
        json_object_object_add(e, "sequenceNumber",
                               json_object_new_int64(p[i].entry.sequence_number));
        add(e, "heldBy", strcmp(p[i].holder, LOCK_HOLDER) == 0 ? "LOCK" : p[i].holder);
        json_object_array_add(arr, e);
    }
    return arr;
}

/* The physical side a test may want to see: certificates, claim, re-keying, pending log. */
static enum status render_lock_state(struct db *db, json_object *o, const char *serial)
{
    struct lock_state *s = calloc(1, sizeof(*s));
    struct pending_entry *pending = calloc(PENDING_SHOWN, sizeof(*pending));
    size_t n = 0;
    enum status st = s && pending ? store_lock_state_get(db, serial, s) : ST_NOMEM;

    if (st == ST_OK)
        st = store_pending_of_lock(db, serial, pending, PENDING_SHOWN, &n);
    if (st == ST_OK) {
        json_object_object_add(o, "operationalCertificate",
                               render_certificate(s, CERT_OPERATIONAL));
        json_object_object_add(o, "manufacturingCertificate",
                               render_certificate(s, CERT_MANUFACTURING));
        if (s->system_id[0] != '\0') {
            json_object *claim = json_object_new_object();
            add(claim, "systemId", s->system_id);
            if (s->locking_device_id[0] != '\0')
                add(claim, "lockingDeviceId", s->locking_device_id);
            json_object_object_add(o, "claimedBy", claim);
        }
        /* The operational certificate's, as before each certificate had its own. */
        add(o, "reKeyingStage", s->rekey[CERT_OPERATIONAL].stage);
        add(o, "battery", s->battery);
        json_object_object_add(o, "inGatewayRange", json_object_new_boolean(s->in_gateway_range));
        json_object_object_add(o, "pendingLogEntries", render_pending(pending, n));
    }
    free(s);
    free(pending);
    return st;
}

/* powered: 0 after power-off, until power-on. */
static json_object *render_gateway(const struct hardware_gateway_device_row *g, int powered)
{
    json_object *o = json_object_new_object(), *claim;

    if (o == NULL)
        return NULL;
    add(o, "serialNumber", g->serial_number);
    add(o, "claimingCode", g->claiming_code);
    add(o, "hardwareModel", g->hardware_model);
    add(o, "hardwareVersion", g->hardware_version);
    add(o, "firmwareVersion", g->firmware_version);
    json_object_object_add(o, "poweredOff", json_object_new_boolean(!powered));
    if (g->claimed_gateway_id[0] != '\0' && (claim = json_object_new_object()) != NULL) {
        add(claim, "systemId", g->claimed_system_id);
        add(claim, "gatewayDeviceId", g->claimed_gateway_id);
        json_object_object_add(o, "claimedBy", claim);
    }
    return o;
}

/* The factory makes it with its key pairs and certificates. */
static enum status locking_tx(struct db *db, void *ctx)
{
    struct locking_create *c = ctx;

    return factory_make_lock(db, &c->row, &c->lifetimes, c->row.created_at);
}

static enum status gateway_tx(struct db *db, void *ctx)
{
    return factory_make_gateway(db, ctx);
}

/* What is not given is left empty, for the factory's defaults. */
static void copy_versions(const struct hardware_in *in, char *hardware, char *firmware)
{
    snprintf(hardware, HARDWARE_FIELD_LEN, "%s", in->hardware_version ? in->hardware_version : "");
    snprintf(firmware, HARDWARE_FIELD_LEN, "%s", in->firmware_version ? in->firmware_version : "");
}

enum status hardware_locking_device_create(struct request *req, struct response *res)
{
    struct locking_create c = {
        .lifetimes = {LOCK_OP_LIFETIME, LOCK_MFG_LIFETIME, LOCK_ELIGIBILITY_WINDOW}};
    struct hardware_in in = {.operational.seconds = LOCK_OP_LIFETIME,
                             .manufacturing.seconds = LOCK_MFG_LIFETIME,
                             .window.seconds = LOCK_ELIGIBILITY_WINDOW};
    json_object *o;
    enum status st = request_decode_body(req, locking_fields, COUNT_OF(locking_fields), &in, NULL);

    if (st != ST_OK)
        return st;
    /* The window applies to both certificates. A window as long as a lifetime makes a lock
     * whose certificate is eligible as soon as it is claimed (and again after each
     * re-keying): what a test of re-keying wants. */
    if (in.window.seconds > in.operational.seconds)
        return problem_invalid(&req->problem, "reKeyingWindow",
                               "must not be longer than the operational certificate's lifetime");
    if (in.window.seconds > in.manufacturing.seconds)
        return problem_invalid(&req->problem, "reKeyingWindow",
                               "must not be longer than the manufacturing certificate's lifetime");
    snprintf(c.row.hardware_model, sizeof(c.row.hardware_model), "%s", in.model);
    copy_versions(&in, c.row.hardware_version, c.row.firmware_version);
    c.row.created_at = clock_wall_now();
    c.lifetimes = (struct lock_lifetimes){in.operational.seconds, in.manufacturing.seconds,
                                          in.window.seconds};
    st = db_transact(req->db, locking_tx, &c);
    if (st == ST_CONFLICT)
        return request_fail(req, st, "no free serial number after many draws");
    o = st == ST_OK ? render_locking(&c.row) : NULL;
    if (st == ST_OK &&
        (o == NULL || (st = render_lock_state(req->db, o, c.row.serial_number)) != ST_OK))
        json_object_put(o);
    return st != ST_OK ? st : respond_json(res, 201, o);
}

enum status hardware_locking_device_get(struct request *req, struct response *res)
{
    struct hardware_locking_device_row d;
    const char *serial = request_param(req, "serial-number");
    enum status st = store_hardware_locking_get(req->db, serial, &d);

    json_object *o;

    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no physical locking device has serial number '%s'", serial);
    o = st == ST_OK ? render_locking(&d) : NULL;
    if (st == ST_OK && (o == NULL || (st = render_lock_state(req->db, o, serial)) != ST_OK))
        json_object_put(o);
    return st != ST_OK ? st : respond_json(res, 200, o);
}

enum status hardware_gateway_device_create(struct request *req, struct response *res)
{
    struct hardware_gateway_device_row g = {0};
    struct hardware_in in = {0};
    enum status st = ST_OK;

    /* Every field has a default, so no body at all is as good as {}. */
    if (req->body != NULL)
        st = request_decode_body(req, gateway_fields, COUNT_OF(gateway_fields), &in, NULL);
    if (st != ST_OK)
        return st;
    copy_versions(&in, g.hardware_version, g.firmware_version);
    g.created_at = clock_wall_now();
    st = db_transact(req->db, gateway_tx, &g);
    if (st == ST_CONFLICT)
        return request_fail(req, st, "no free serial number after many draws");
    return st != ST_OK ? st : respond_json(res, 201, render_gateway(&g, 1));
}

enum status hardware_gateway_device_get(struct request *req, struct response *res)
{
    struct hardware_gateway_device_row g;
    const char *serial = request_param(req, "serial-number");
    int powered = 1;
    enum status st = store_hardware_gateway_get(req->db, serial, &g);

    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no physical gateway device has serial number '%s'", serial);
    if (st == ST_OK)
        st = store_gateway_powered(req->db, serial, &powered);
    return st != ST_OK ? st : respond_json(res, 200, render_gateway(&g, powered));
}
