#include "admin/invitations.h"

#include <stdio.h>
#include <string.h>

#include "lib/timefmt.h"
#include "store/invitations.h"
#include "store/messages.h"

#define CODE_ATTEMPTS 8

static const char *const mechanisms[] = {"SMS", "EMAIL", "NONE", NULL};
static const char *const formats[] = {"INVITATION_LINK", "INVITATION_CODE", NULL};

struct create_ctx {
    struct request *req;
    const char *user_id;
    struct spec_duration validity;
    const char *mechanism;
    const char *phone_number;
    const char *email;
    const char *format;
    struct invitation_row inv;
};

static const struct spec_field create_fields[] = {
    {"userId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct create_ctx, user_id)},
    {"validityDuration", SPEC_DURATION, 0, INVITATION_MIN_SECONDS, INVITATION_MAX_SECONDS, NULL,
     offsetof(struct create_ctx, validity)},
    {"deliveryMechanism", SPEC_ENUM, SPEC_REQUIRED, 0, 0, mechanisms,
     offsetof(struct create_ctx, mechanism)},
    {"phoneNumber", SPEC_PHONE, 0, 0, 0, NULL, offsetof(struct create_ctx, phone_number)},
    {"email", SPEC_EMAIL, 0, 0, 0, NULL, offsetof(struct create_ctx, email)},
    {"format", SPEC_ENUM, 0, 0, 0, formats, offsetof(struct create_ctx, format)},
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
    if (c->validity.text != NULL && strlen(c->validity.text) >= INVITATION_DURATION_LEN)
        st = problem_invalid(&req->problem, "validityDuration", "must be at most %d characters",
                             INVITATION_DURATION_LEN - 1);
    if (c->mechanism != NULL) {
        if (check_companion(req, c->mechanism, "phoneNumber", "SMS", c->phone_number) != ST_OK)
            st = ST_INVALID;
        if (check_companion(req, c->mechanism, "email", "EMAIL", c->email) != ST_OK)
            st = ST_INVALID;
    }
    return st;
}

/* Codes are unique across systems because a phone presents nothing else. */
static enum status make_unique_code(struct db *db, char out[INVITATION_CODE_LEN])
{
    struct invitation_row other;

    for (int i = 0; i < CODE_ATTEMPTS; i++) {
        rng_code(out, 4);
        enum status st = store_invitation_find_by_code(db, out, &other);
        if (st != ST_OK)
            return st == ST_NOT_FOUND ? ST_OK : st;
    }
    return ST_INTERNAL;
}

static void fill_invitation(struct create_ctx *c, int64_t now)
{
    struct invitation_row *inv = &c->inv;

    rng_uuid(inv->id);
    snprintf(inv->system_id, sizeof(inv->system_id), "%s", c->req->system.id);
    snprintf(inv->user_id, sizeof(inv->user_id), "%s", c->user_id);
    snprintf(inv->validity_duration, sizeof(inv->validity_duration), "%s", c->validity.text);
    inv->expires_at = now + c->validity.seconds;
    snprintf(inv->delivery_mechanism, sizeof(inv->delivery_mechanism), "%s", c->mechanism);
    snprintf(inv->phone_number, sizeof(inv->phone_number), "%s",
             c->phone_number ? c->phone_number : "");
    snprintf(inv->email, sizeof(inv->email), "%s", c->email ? c->email : "");
    snprintf(inv->format, sizeof(inv->format), "%s", c->format);
    snprintf(inv->state, sizeof(inv->state), "PENDING");
    inv->created_at = now;
}

/* Simulated delivery: the text a phone would receive, kept for the control API. */
static enum status deliver(struct db *db, const struct invitation_row *inv)
{
    struct message_row m = {0};
    char until[TIMEFMT_DATETIME_LEN];
    int sms = strcmp(inv->delivery_mechanism, "SMS") == 0;

    timefmt_format_datetime(inv->expires_at, until);
    snprintf(m.system_id, sizeof(m.system_id), "%s", inv->system_id);
    snprintf(m.channel, sizeof(m.channel), "%s", inv->delivery_mechanism);
    snprintf(m.recipient, sizeof(m.recipient), "%s", sms ? inv->phone_number : inv->email);
    snprintf(m.subject, sizeof(m.subject), "%s", inv->id);
    if (strcmp(inv->format, "INVITATION_LINK") == 0)
        snprintf(m.text, sizeof(m.text),
                 "You are invited to use your phone as a key. Open " INVITATION_LINK_BASE
                 "?code=%s to activate it. The invitation expires at %s.",
                 inv->invitation_code, until);
    else
        snprintf(m.text, sizeof(m.text),
                 "You are invited to use your phone as a key. Enter the invitation code %s"
                 " in the app to activate it. The invitation expires at %s.",
                 inv->invitation_code, until);
    m.created_at = inv->created_at;
    return store_message_insert(db, &m);
}

static enum status create_tx(struct db *db, void *ctx)
{
    struct create_ctx *c = ctx;
    struct user_row user;
    enum status st = store_user_get(db, c->req->system.id, c->user_id, &user);

    if (st == ST_NOT_FOUND)
        return request_fail(c->req, st, "user '%s' not found", c->user_id);
    if (st != ST_OK)
        return st;
    fill_invitation(c, request_now(c->req));
    if ((st = make_unique_code(db, c->inv.invitation_code)) != ST_OK)
        return st;
    if ((st = store_invitation_insert(db, &c->inv)) != ST_OK)
        return st;
    return strcmp(c->mechanism, "NONE") == 0 ? ST_OK : deliver(db, &c->inv);
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
        .validity = {"PT24H", 24 * 3600},
        .format = "INVITATION_LINK",
    };
    enum status st = decode_create(req, &c);

    if (st == ST_OK)
        st = db_transact(req->db, create_tx, &c);
    if (st != ST_OK)
        return st;
    return respond_json(res, 201, render_created(&c.inv));
}

/* Revoking twice answers 204 both times: the invitation ends up revoked either way. */
static enum status revoke_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;
    struct invitation_row inv;
    enum status st =
        store_invitation_get(db, req->system.id, request_param(req, "invitation-id"), &inv);

    if (st != ST_OK)
        return st;
    if (strcmp(inv.state, "ACCEPTED") == 0)
        return request_fail(req, ST_CONFLICT,
                            "invitation '%s' was accepted; accepted invitations can't be revoked",
                            inv.id);
    if (strcmp(inv.state, "REVOKED") == 0)
        return ST_OK;
    return store_invitation_revoke(db, req->system.id, inv.id);
}

enum status invitations_revoke(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, revoke_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
