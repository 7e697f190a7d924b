#include "domain/invitations.h"

#include <stdio.h>
#include <string.h>

#include "events/outbox.h"
#include "lib/timefmt.h"
#include "store/messages.h"
#include "store/users.h"

#define CODE_ATTEMPTS 8

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

static void fill_invitation(const char *system_id, const struct invitation_request *in, int64_t now,
                            struct invitation_row *inv)
{
    memset(inv, 0, sizeof(*inv));
    rng_uuid(inv->id);
    snprintf(inv->system_id, sizeof(inv->system_id), "%s", system_id);
    snprintf(inv->user_id, sizeof(inv->user_id), "%s", in->user_id);
    snprintf(inv->validity_duration, sizeof(inv->validity_duration), "%s", in->validity.text);
    inv->expires_at = now + in->validity.seconds;
    snprintf(inv->delivery_mechanism, sizeof(inv->delivery_mechanism), "%s", in->mechanism);
    snprintf(inv->phone_number, sizeof(inv->phone_number), "%s",
             in->phone_number ? in->phone_number : "");
    snprintf(inv->email, sizeof(inv->email), "%s", in->email ? in->email : "");
    snprintf(inv->format, sizeof(inv->format), "%s", in->format);
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

enum status domain_invitation_create(struct db *db, const char *system_id,
                                     const struct invitation_request *in, int64_t now,
                                     struct invitation_row *out, struct problem *p)
{
    struct user_row user;
    enum status st = store_user_get(db, system_id, in->user_id, &user);

    if (st == ST_NOT_FOUND)
        return problem_set(p, st, "user '%s' not found", in->user_id);
    if (st != ST_OK)
        return st;
    fill_invitation(system_id, in, now, out);
    if ((st = make_unique_code(db, out->invitation_code)) != ST_OK)
        return st;
    if ((st = store_invitation_insert(db, out)) != ST_OK)
        return st;
    return strcmp(in->mechanism, "NONE") == 0 ? ST_OK : deliver(db, out);
}

enum status domain_invitation_revoke(struct db *db, const char *system_id, const char *id,
                                     struct problem *p)
{
    struct invitation_row inv;
    enum status st = store_invitation_get(db, system_id, id, &inv);

    if (st != ST_OK)
        return st;
    if (strcmp(inv.state, "ACCEPTED") == 0)
        return problem_set(p, ST_CONFLICT,
                           "invitation '%s' was accepted; accepted invitations can't be revoked",
                           inv.id);
    if (strcmp(inv.state, "REVOKED") == 0)
        return ST_OK; /* it ends up revoked either way */
    return store_invitation_revoke(db, system_id, inv.id);
}

/* The invitation's state, then its window, then the user. */
static enum status check_acceptable(struct db *db, const struct invitation_row *inv, int64_t now,
                                    struct problem *p)
{
    struct operating_device_row existing;
    char until[TIMEFMT_DATETIME_LEN];
    size_t n = 0;
    enum status st;

    if (strcmp(inv->state, "ACCEPTED") == 0)
        return problem_set(p, ST_CONFLICT, "the invitation was already accepted");
    if (strcmp(inv->state, "REVOKED") == 0)
        return problem_set(p, ST_GONE, "the invitation was revoked");
    if (now >= inv->expires_at) {
        timefmt_format_datetime(inv->expires_at, until);
        return problem_set(p, ST_GONE, "the invitation expired at %s", until);
    }
    st = store_operating_device_list_of_user(db, inv->system_id, inv->user_id, &existing, 1, &n);
    if (st == ST_OK && n > 0)
        return problem_set(p, ST_CONFLICT,
                           "user '%s' already has an operating device; a user can have only one",
                           inv->user_id);
    return st;
}

enum status domain_invitation_accept(struct db *db, const struct invitation_row *inv, int64_t now,
                                     struct operating_device_row *out, struct problem *p)
{
    json_object *event;
    enum status st = check_acceptable(db, inv, now, p);

    if (st != ST_OK)
        return st;
    memset(out, 0, sizeof(*out));
    rng_uuid(out->id);
    snprintf(out->system_id, sizeof(out->system_id), "%s", inv->system_id);
    snprintf(out->user_id, sizeof(out->user_id), "%s", inv->user_id);
    snprintf(out->invitation_id, sizeof(out->invitation_id), "%s", inv->id);
    out->created_at = now;
    if ((st = store_operating_device_insert(db, out)) != ST_OK)
        return st;
    if ((st = store_invitation_accept(db, inv->system_id, inv->id, out->id, now)) != ST_OK)
        return st;
    event = json_object_new_object();
    if (event == NULL)
        return ST_NOMEM;
    json_object_object_add(event, "operatingDeviceId", json_object_new_string(out->id));
    json_object_object_add(event, "userId", json_object_new_string(out->user_id));
    json_object_object_add(event, "invitationId", json_object_new_string(inv->id));
    return outbox_emit(db, inv->system_id, now, "OperatingDeviceCreated", event);
}
