#include "admin/invitations.h"

#include <string.h>

#include "domain/invitations.h"
#include "lib/timefmt.h"

static const char *const mechanisms[] = {"SMS", "EMAIL", "NONE", NULL};
static const char *const formats[] = {"INVITATION_LINK", "INVITATION_CODE", NULL};

struct create_ctx {
    struct request *req;
    struct invitation_request in;
    struct invitation_row inv;
};

static const struct spec_field create_fields[] = {
    {"userId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct create_ctx, in.user_id)},
    {"validityDuration", SPEC_DURATION, 0, INVITATION_MIN_SECONDS, INVITATION_MAX_SECONDS, NULL,
     offsetof(struct create_ctx, in.validity)},
    {"deliveryMechanism", SPEC_ENUM, SPEC_REQUIRED, 0, 0, mechanisms,
     offsetof(struct create_ctx, in.mechanism)},
    {"phoneNumber", SPEC_PHONE, 0, 0, 0, NULL, offsetof(struct create_ctx, in.phone_number)},
    {"email", SPEC_EMAIL, 0, 0, 0, NULL, offsetof(struct create_ctx, in.email)},
    {"format", SPEC_ENUM, 0, 0, 0, formats, offsetof(struct create_ctx, in.format)},
};

static int body_has(const struct request *req, const char *name)
{
    json_object *v = NULL;

    return json_object_object_get_ex(req->body, name, &v) && v != NULL;
}

/* A companion field belongs to exactly one mechanism: required with it, refused with the
 * others. A malformed value was already reported by the decoder and is not named twice. */
static enum status check_companion(struct request *req, const char *mechanism, const char *field,
                                   const char *owner, const char *decoded)
{
    int needed = strcmp(mechanism, owner) == 0;

    if (needed && !body_has(req, field))
        return problem_invalid(&req->problem, field, "is required when deliveryMechanism is %s",
                               owner);
    if (!needed && decoded != NULL)
        return problem_invalid(&req->problem, field, "is only allowed when deliveryMechanism is %s",
                               owner);
    return ST_OK;
}

static enum status decode_create(struct request *req, struct create_ctx *c)
{
    enum status st = request_decode_body(req, create_fields, COUNT_OF(create_fields), c, NULL);

    if (st == ST_NOMEM || req->body == NULL)
        return st;
    if (c->in.validity.text != NULL && strlen(c->in.validity.text) >= INVITATION_DURATION_LEN)
        st = problem_invalid(&req->problem, "validityDuration", "must be at most %d characters",
                             INVITATION_DURATION_LEN - 1);
    if (c->in.mechanism != NULL) {
        if (check_companion(req, c->in.mechanism, "phoneNumber", "SMS", c->in.phone_number) !=
            ST_OK)
            st = ST_INVALID;
        if (check_companion(req, c->in.mechanism, "email", "EMAIL", c->in.email) != ST_OK)
            st = ST_INVALID;
    }
    return st;
}

static enum status create_tx(struct db *db, void *ctx)
{
    struct create_ctx *c = ctx;

    return domain_invitation_create(db, c->req->system.id, &c->in, request_now(c->req), &c->inv,
                                    &c->req->problem);
}

static json_object *render_created(const struct invitation_row *inv)
{
    json_object *o = json_object_new_object();
    char until[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(inv->expires_at, until);
    json_object_object_add(o, "id", json_object_new_string(inv->id));
    json_object_object_add(o, "expirationDatetime", json_object_new_string(until));
    if (strcmp(inv->delivery_mechanism, "NONE") != 0)
        return o; /* the code travels only in the delivered message */
    json_object_object_add(o, "invitationCode", json_object_new_string(inv->invitation_code));
    if (strcmp(inv->format, "INVITATION_LINK") == 0)
        json_object_object_add(o, "environmentUrl",
                               json_object_new_string(INVITATION_ENVIRONMENT_URL));
    return o;
}

enum status invitations_create(struct request *req, struct response *res)
{
    struct create_ctx c = {
        .req = req,
        .in = {.validity = {"PT24H", 24 * 3600}, .format = "INVITATION_LINK"},
    };
    enum status st = decode_create(req, &c);

    if (st == ST_OK)
        st = db_transact(req->db, create_tx, &c);
    if (st != ST_OK)
        return st;
    return respond_json(res, 201, render_created(&c.inv));
}

static enum status revoke_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;

    return domain_invitation_revoke(db, req->system.id, request_param(req, "invitation-id"),
                                    &req->problem);
}

enum status invitations_revoke(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, revoke_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
