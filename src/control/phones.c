#include "control/phones.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/vendor_json.h"
#include "http/paging.h"
#include "lib/timefmt.h"
#include "sim/clock.h"
#include "sim/locks.h"
#include "sim/phones.h"

#define CODE_MAX_CHARS 64

struct accept_ctx {
    struct request *req;
    const char *code;
    const char *invitation_id;
    struct operating_device_row device;
};

static int body_has(const struct request *req, const char *name)
{
    json_object *v = NULL;

    return json_object_object_get_ex(req->body, name, &v) && v != NULL;
}

/* Exactly one of the two identifies the invitation; when neither or both are given, both
 * are named, since either one alone would do. */
static enum status decode_accept(struct request *req, struct accept_ctx *c)
{
    static const struct spec_field fields[] = {
        {"invitationCode", SPEC_STRING, 0, 1, CODE_MAX_CHARS, NULL,
         offsetof(struct accept_ctx, code)},
        {"invitationId", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct accept_ctx, invitation_id)},
    };
    static const char reason[] = "give exactly one of invitationCode and invitationId";
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), c, NULL);

    if (st == ST_NOMEM || !json_object_is_type(req->body, json_type_object))
        return st;
    if (body_has(req, "invitationCode") == body_has(req, "invitationId")) {
        problem_invalid(&req->problem, "invitationCode", "%s", reason);
        st = problem_invalid(&req->problem, "invitationId", "%s", reason);
    }
    return st;
}

static enum status accept_tx(struct db *db, void *ctx)
{
    struct accept_ctx *c = ctx;
    struct request *req = c->req;
    struct invitation_row inv;
    enum status st = c->code != NULL ? store_invitation_find_by_code(db, c->code, &inv)
                                     : store_invitation_find_by_id(db, c->invitation_id, &inv);

    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no invitation has this %s", c->code != NULL ? "code" : "id");
    if (st != ST_OK)
        return st;
    /* The control API authenticates no system: the invitation says whose clock applies. */
    if ((st = store_system_get(db, inv.system_id, &req->system)) != ST_OK)
        return st;
    return sim_phone_accept(db, &inv, request_now(req), &c->device, &req->problem);
}

enum status invitations_accept(struct request *req, struct response *res)
{
    struct accept_ctx c = {.req = req};
    json_object *body;
    enum status st = decode_accept(req, &c);

    if (st == ST_OK)
        st = db_transact(req->db, accept_tx, &c);
    if (st != ST_OK)
        return st;
    body = json_object_new_object();
    if (body == NULL)
        return ST_NOMEM;
    json_object_object_add(body, "operatingDeviceId", json_object_new_string(c.device.id));
    json_object_object_add(body, "userId", json_object_new_string(c.device.user_id));
    return respond_json(res, 201, body);
}

/* The phone named in the path, and its system (control routes carry no token). */
static enum status load_phone(struct request *req, struct operating_device_row *phone)
{
    const char *id = request_param(req, "operating-device-id");
    enum status st = store_operating_device_find(req->db, id, phone);

    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no operating device '%s'", id);
    return st != ST_OK ? st : store_system_get(req->db, phone->system_id, &req->system);
}

struct claim_ctx {
    struct request *req;
    struct operating_device_row phone;
    const char *locking_device_id;
    const char *serial_number;
    int uploaded;
    int network_checked; /* a conflict after this is the claim's own */
};

static enum status claim_tx(struct db *db, void *ctx)
{
    struct claim_ctx *c = ctx;
    enum status st = sim_phone_require_network(db, c->phone.id, &c->req->problem);

    if (st != ST_OK)
        return st;
    c->network_checked = 1;
    return sim_phone_claim(db, &c->req->system, c->phone.id, c->phone.user_id, c->locking_device_id,
                           c->serial_number, request_now(c->req), &c->uploaded);
}

enum status phones_claim(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"lockingDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
         offsetof(struct claim_ctx, locking_device_id)},
        {"serialNumber", SPEC_STRING, SPEC_REQUIRED, 1, 63, NULL,
         offsetof(struct claim_ctx, serial_number)},
    };
    struct claim_ctx c = {.req = req};
    struct locking_device_row device;
    enum status st = load_phone(req, &c.phone);

    if (st == ST_OK)
        st = request_decode_body(req, fields, COUNT_OF(fields), &c, NULL);
    if (st == ST_OK)
        st = db_transact(req->db, claim_tx, &c);
    if (st == ST_CONFLICT && c.network_checked)
        return request_fail(req, st, "the locking device or the physical lock is claimed already");
    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no unclaimed locking device '%s' or physical lock '%s'",
                            c.locking_device_id, c.serial_number);
    if (st == ST_OK)
        st = store_locking_device_get(req->db, req->system.id, c.locking_device_id, &device);
    return st != ST_OK ? st : respond_json(res, 200, locking_device_render(&device));
}

struct sync_ctx {
    struct request *req;
    struct operating_device_row phone;
    struct sync_report report;
};

static enum status sync_tx(struct db *db, void *ctx)
{
    struct sync_ctx *c = ctx;

    enum status st;

    if (c->phone.activated_at == 0)
        return request_fail(c->req, ST_CONFLICT, "the phone is not activated");
    if ((st = sim_phone_require_network(db, c->phone.id, &c->req->problem)) != ST_OK)
        return st;
    return sim_phone_sync(db, &c->req->system, &c->phone, request_now(c->req), &c->report);
}

enum status phones_sync(struct request *req, struct response *res)
{
    struct sync_ctx c = {.req = req};
    json_object *o;
    enum status st = load_phone(req, &c.phone);

    if (st == ST_OK)
        st = db_transact(req->db, sync_tx, &c);
    if (st != ST_OK)
        return st;
    o = json_object_new_object();
    if (o == NULL)
        return ST_NOMEM;
    json_object_object_add(o, "keysDownloaded", json_object_new_int(c.report.keys_downloaded));
    json_object_object_add(o, "entriesUploaded", json_object_new_int(c.report.entries_uploaded));
    json_object_object_add(o, "certificatesIssued",
                           json_object_new_int(c.report.certificates_issued));
    return respond_json(res, 200, o);
}

struct visit_ctx {
    struct request *req;
    struct operating_device_row phone;
    struct visit_request visit;
    struct visit_report report;
};

static enum status visit_tx(struct db *db, void *ctx)
{
    struct visit_ctx *c = ctx;
    enum status st =
        sim_phone_visit(db, &c->req->system, &c->phone, &c->visit, request_now(c->req), &c->report);

    if (st == ST_INVALID)
        return problem_invalid(&c->req->problem, "operation", "%s", c->report.reason);
    if (st == ST_CONFLICT)
        return request_fail(c->req, st, "%s", c->report.reason);
    return st;
}

static json_object *render_audit(const struct pending_entry *e)
{
    json_object *o = json_object_new_object();
    char when[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(e->entry.occurred_at, when);
    json_object_object_add(o, "eventName", json_object_new_string(e->entry.event_name));
    json_object_object_add(o, "sequenceNumber", json_object_new_int64(e->entry.sequence_number));
    json_object_object_add(o, "occurrenceDatetime", json_object_new_string(when));
    json_object_object_add(o, "granted", json_object_new_boolean(e->entry.granted > 0));
    return o;
}

/* One profile's steps; into o (which it returns), NULL-safe. */
static json_object *render_steps(json_object *o, const struct rekey_steps *r)
{
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "csrCreated", json_object_new_boolean(r->csr_created));
    json_object_object_add(o, "certificateIssued", json_object_new_boolean(r->certificate_issued));
    json_object_object_add(o, "certificateInstalled",
                           json_object_new_boolean(r->certificate_installed));
    json_object_object_add(o, "stage", json_object_new_string(r->stage[0] ? r->stage : "NONE"));
    return o;
}

/* Each profile under its name; the top-level fields are the operational profile's, as they
 * were before the manufacturing certificate re-keyed too. */
static json_object *render_rekey(const struct rekey_report *r)
{
    json_object *o = render_steps(json_object_new_object(), &r->profile[CERT_OPERATIONAL]);

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "operational",
                           render_steps(json_object_new_object(), &r->profile[CERT_OPERATIONAL]));
    json_object_object_add(o, "manufacturing",
                           render_steps(json_object_new_object(), &r->profile[CERT_MANUFACTURING]));
    return o;
}

static json_object *render_visit(const struct visit_ctx *c)
{
    const struct visit_report *r = &c->report;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "granted", json_object_new_boolean(r->granted));
    if (r->reason[0] != '\0')
        json_object_object_add(o, "reason", json_object_new_string(r->reason));
    json_object_object_add(o, "sessionRefused", json_object_new_boolean(r->refused));
    json_object_object_add(o, "online", json_object_new_boolean(r->online));
    if (!r->refused) {
        json_object_object_add(o, "auditLogEntry", render_audit(&r->audit));
        json_object_object_add(o, "reKeying", render_rekey(&r->rekey));
    }
    json_object_object_add(o, "keysDownloaded", json_object_new_int(r->sync.keys_downloaded));
    json_object_object_add(o, "uploaded",
                           json_object_new_int(r->entries_handed_over + r->sync.entries_uploaded));
    return o;
}

enum status phones_visit(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"lockingDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
         offsetof(struct visit_ctx, visit.locking_device_id)},
        {"operation", SPEC_STRING, SPEC_REQUIRED, 1, 63, NULL,
         offsetof(struct visit_ctx, visit.operation)},
        {"online", SPEC_BOOL, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct visit_ctx, visit.online)},
        {"offlineKey", SPEC_STRING, 0, 1, 1024, NULL,
         offsetof(struct visit_ctx, visit.offline_key)},
    };
    struct visit_ctx *c = calloc(1, sizeof(*c));
    enum status st = c ? load_phone(req, &c->phone) : ST_NOMEM;

    if (st == ST_OK) {
        c->req = req;
        st = request_decode_body(req, fields, COUNT_OF(fields), c, NULL);
    }
    if (st == ST_OK)
        st = db_transact(req->db, visit_tx, c);
    if (st == ST_OK)
        st = respond_json(res, 200, render_visit(c));
    free(c);
    return st;
}

struct network_ctx {
    struct operating_device_row phone;
    int online;
};

static enum status network_tx(struct db *db, void *ctx)
{
    struct network_ctx *c = ctx;

    return sim_phone_set_network(db, c->phone.id, c->online);
}

enum status phones_network(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"online", SPEC_BOOL, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct network_ctx, online)},
    };
    struct network_ctx c = {0};
    json_object *o;
    enum status st = load_phone(req, &c.phone);

    if (st == ST_OK)
        st = request_decode_body(req, fields, COUNT_OF(fields), &c, NULL);
    if (st == ST_OK)
        st = db_transact(req->db, network_tx, &c);
    if (st != ST_OK)
        return st;
    o = json_object_new_object();
    if (o == NULL)
        return ST_NOMEM;
    json_object_object_add(o, "operatingDeviceId", json_object_new_string(c.phone.id));
    json_object_object_add(o, "online", json_object_new_boolean(c.online));
    return respond_json(res, 200, o);
}

struct legacy_ctx {
    struct request *req;
    const char *user_id;
    struct operating_device_row device;
};

static enum status legacy_tx(struct db *db, void *ctx)
{
    struct legacy_ctx *c = ctx;

    return sim_phone_add_legacy(db, &c->req->system, c->user_id, request_now(c->req), &c->device,
                                &c->req->problem);
}

enum status phones_legacy_create(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"userId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct legacy_ctx, user_id)},
    };
    struct legacy_ctx c = {.req = req};
    json_object *o;
    enum status st = store_system_get(req->db, request_param(req, "system-id"), &req->system);

    if (st == ST_OK)
        st = request_decode_body(req, fields, COUNT_OF(fields), &c, NULL);
    if (st == ST_OK)
        st = db_transact(req->db, legacy_tx, &c);
    if (st != ST_OK)
        return st;
    o = json_object_new_object();
    if (o == NULL)
        return ST_NOMEM;
    json_object_object_add(o, "operatingDeviceId", json_object_new_string(c.device.id));
    json_object_object_add(o, "userId", json_object_new_string(c.device.user_id));
    json_object_object_add(o, "legacy", json_object_new_boolean(1));
    return respond_json(res, 201, o);
}

/* What the phone of a user is: none, invited (a pending invitation still valid), created
 * (accepted, no certificate yet) or activated. */
static json_object *render_phone(const void *row)
{
    const struct phone_row *p = row;
    json_object *o = json_object_new_object();
    int invited = p->device_id[0] == '\0' && p->invitation_id[0] != '\0';
    const char *state = p->device_id[0] == '\0' ? (invited ? "invited" : "none")
                        : p->activated_at != 0  ? "activated"
                                                : "created";
    char when[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "userId", json_object_new_string(p->user_id));
    json_object_object_add(o, "role", json_object_new_string(p->role));
    json_object_object_add(o, "phone", json_object_new_string(state));
    if (p->device_id[0] != '\0') {
        json_object_object_add(o, "operatingDeviceId", json_object_new_string(p->device_id));
        json_object_object_add(o, "online", json_object_new_boolean(p->online));
        json_object_object_add(o, "legacy", json_object_new_boolean(p->legacy));
    }
    if (p->activated_at != 0) {
        timefmt_format_datetime(p->activated_at, when);
        json_object_object_add(o, "activationDatetime", json_object_new_string(when));
    }
    if (invited) {
        timefmt_format_datetime(p->invitation_expires_at, when);
        json_object_object_add(o, "invitationId", json_object_new_string(p->invitation_id));
        json_object_object_add(o, "invitationExpirationDatetime", json_object_new_string(when));
    }
    return o;
}

struct phones_query {
    const char *system_id;
    int64_t now;
};

static enum status fetch_phones(struct db *db, const void *query, const int64_t after[2],
                                void *rows, size_t cap, size_t *n)
{
    const struct phones_query *q = query;

    return store_phone_list(db, q->system_id, q->now, after[0], rows, cap, n);
}

enum status phones_list(struct request *req, struct response *res)
{
    struct phones_query q = {request_param(req, "system-id"), 0};
    struct page pg;
    enum status st = store_system_get(req->db, q.system_id, &req->system);

    if (st == ST_OK)
        st = paging_begin(req, &pg, "phones|%s", q.system_id);
    if (st != ST_OK)
        return st;
    q.now = clock_system_now(&req->system);
    return paging_list(req, res, &pg, sizeof(struct phone_row), fetch_phones, &q, render_phone,
                       paging_keys_seq);
}
