/*
 * test_invitations.c — POST and DELETE /operating-device-invitation of the Administration
 * API v2, the simulated SMS and e-mail delivery (read back from /outbox-messages), and a
 * phone accepting an invitation through POST /_emulator/v1/invitations/accept.
 *
 * Every system runs on a frozen clock at 2030-01-01T00:00:00Z, so expiration datetimes are
 * exact; expiry is reached by advancing that clock through the control API.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define LINK_PREFIX "https://keyless.assaabloy.com/invitation?code="
#define CODE_PREFIX "Enter the invitation code "
#define CODE_LEN 19 /* XXXX-XXXX-XXXX-XXXX */

/* ---- helpers ------------------------------------------------------------------------ */

/* A system whose clock stands still at FROZEN_AT("2030-01-01T00:00:00Z")'s time. */
static void frozen_tenant(struct tenant *t)
{
    new_tenant_from(t, FROZEN_AT("2030-01-01T00:00:00Z"));
}

/* POST /operating-device-invitation with body, expecting 201; the caller frees r. */
static void invite(const struct tenant *t, const char *body, struct http_response *r)
{
    admin_strict(t, "POST", "/operating-device-invitation", body, 201, r);
    ck_assert_msg(json_str(r, "id") != NULL, "no id: %s", r->body);
}

/* A NONE invitation for user_id; copies its id and code (either may be NULL). */
static void invite_none(const struct tenant *t, const char *user_id, const char *extra, char id[64],
                        char code[64])
{
    struct http_response r;
    char body[512];

    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\"%s}", user_id,
             extra ? extra : "");
    invite(t, body, &r);
    if (id != NULL)
        snprintf(id, 64, "%s", json_str(&r, "id"));
    if (code != NULL)
        snprintf(code, 64, "%s", json_str(&r, "invitationCode"));
    http_response_free(&r);
}

/* POST /_emulator/v1/invitations/accept with body, expecting want; the caller frees r. */
static void accept(const char *body, long want, struct http_response *r)
{
    long got = control_call(&emu, "POST", "/invitations/accept", body, r);

    ck_assert_msg(got == want, "accept %s: expected %ld, got %ld: %s", body, want, got, r->body);
    if (want >= 400)
        assert_control_problem(r, want, "/invitations/accept");
}

static void accept_by(const char *key, const char *value, long want, struct http_response *r)
{
    char body[256];

    snprintf(body, sizeof(body), "{\"%s\":\"%s\"}", key, value);
    accept(body, want, r);
}

/* Accepting the invitation by its code and by its id must both fail with status; the first
 * answer's detail names why (detail_has). */
static void expect_accept_refused(const char *code, const char *id, long status,
                                  const char *detail_has)
{
    struct http_response r;

    accept_by("invitationCode", code, status, &r);
    ck_assert_msg(strstr(json_str(&r, "detail"), detail_has) != NULL, "detail lacks '%s': %s",
                  detail_has, r.body);
    http_response_free(&r);
    accept_by("invitationId", id, status, &r);
    http_response_free(&r);
}

/* Accepts by key/value expecting 201 for user_id; copies the device id (may be NULL). */
static void accept_ok(const char *key, const char *value, const char *user_id, char device[64])
{
    struct http_response r;

    accept_by(key, value, 201, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 2);
    ck_assert_str_eq(json_str(&r, "userId"), user_id);
    ck_assert_msg(json_str(&r, "operatingDeviceId") != NULL, "no device id: %s", r.body);
    if (device != NULL)
        snprintf(device, 64, "%s", json_str(&r, "operatingDeviceId"));
    http_response_free(&r);
}

/* GET a control list of t's system (outbox-messages, events?...) into r; returns its items. */
static json_object *control_items(const struct tenant *t, const char *what, struct http_response *r)
{
    char path[512];
    json_object *items;

    snprintf(path, sizeof(path), "/systems/%s/%s", t->system_id, what);
    ck_assert_int_eq(control_call(&emu, "GET", path, NULL, r), 200);
    items = member(r->json, "items");
    ck_assert_msg(json_object_is_type(items, json_type_array), "no items: %s", r->body);
    return items;
}

static size_t count_items(const struct tenant *t, const char *what)
{
    struct http_response r;
    size_t n = json_object_array_length(control_items(t, what, &r));

    http_response_free(&r);
    return n;
}

/* Asserts code has the grouped shape XXXX-XXXX-XXXX-XXXX of unambiguous characters. */
static void assert_code_shape(const char *code)
{
    ck_assert_msg(code != NULL && strlen(code) == CODE_LEN, "bad code '%s'", code);
    for (int i = 0; i < CODE_LEN; i++)
        ck_assert_msg(i % 5 == 4 ? code[i] == '-'
                                 : strchr("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", code[i]) != NULL,
                      "bad code '%s'", code);
}

/* Copies the code that follows prefix in text and checks its shape. */
static void code_after(const char *text, const char *prefix, char code[64])
{
    const char *at = strstr(text, prefix);

    ck_assert_msg(at != NULL, "'%s' not in '%s'", prefix, text);
    snprintf(code, 64, "%.*s", CODE_LEN, at + strlen(prefix));
    assert_code_shape(code);
}

/* The only outbox message of t's system; asserts channel, recipient and subject, and copies
 * its text. */
static void only_message(const struct tenant *t, const char *channel, const char *recipient,
                         const char *subject, char *text, size_t cap)
{
    struct http_response r;
    json_object *items = control_items(t, "outbox-messages", &r);
    json_object *m = json_object_array_get_idx(items, 0);

    ck_assert_int_eq(json_object_array_length(items), 1);
    ck_assert_str_eq(jstr(m, "channel"), channel);
    ck_assert_str_eq(jstr(m, "recipient"), recipient);
    ck_assert_str_eq(jstr(m, "subjectId"), subject);
    ck_assert_str_eq(jstr(m, "creationDatetime"), "2030-01-01T00:00:00Z");
    snprintf(text, cap, "%s", jstr(m, "text"));
    http_response_free(&r);
}

/* ---- creating invitations ----------------------------------------------------------- */

START_TEST(none_link_answers_code_and_environment_url)
{
    struct tenant t;
    struct http_response r;
    char body[256];

    frozen_tenant(&t);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\"}", t.admin_id);
    invite(&t, body, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 4);
    ck_assert_str_eq(json_str(&r, "expirationDatetime"), "2030-01-02T00:00:00Z");
    ck_assert_str_eq(json_str(&r, "environmentUrl"), "https://keyless-emulator.invalid");
    assert_code_shape(json_str(&r, "invitationCode"));
    http_response_free(&r);
    ck_assert_int_eq(count_items(&t, "outbox-messages"), 0);
}
END_TEST

START_TEST(none_code_format_answers_code_only)
{
    struct tenant t;
    struct http_response r, r2;
    char body[256];

    frozen_tenant(&t);
    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\",\"format\":\"INVITATION_CODE\","
             "\"validityDuration\":\"PT90M\"}",
             t.admin_id);
    invite(&t, body, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 3);
    ck_assert_str_eq(json_str(&r, "expirationDatetime"), "2030-01-01T01:30:00Z");
    assert_code_shape(json_str(&r, "invitationCode"));
    ck_assert_ptr_null(json_str(&r, "environmentUrl"));
    invite(&t, body, &r2); /* codes and ids are unique */
    ck_assert_str_ne(json_str(&r, "invitationCode"), json_str(&r2, "invitationCode"));
    ck_assert_str_ne(json_str(&r, "id"), json_str(&r2, "id"));
    http_response_free(&r);
    http_response_free(&r2);
}
END_TEST

START_TEST(validity_duration_bounds)
{
    static const struct {
        const char *duration;
        const char *expires; /* NULL: 400 naming validityDuration */
    } cases[] = {
        {"\"PT1S\"", "2030-01-01T00:00:01Z"},
        {"\"P365D\"", "2031-01-01T00:00:00Z"},
        {"\"P2DT3H\"", "2030-01-03T03:00:00Z"},
        {"\"PT0S\"", NULL},
        {"\"P366D\"", NULL},
        {"\"PT31536001S\"", NULL},
        {"\"1 day\"", NULL},
        {"\"P1M\"", NULL},
        {"\"-PT1H\"", NULL},
        {"86400", NULL},
    };
    static const char *const names[] = {"validityDuration", NULL};
    struct tenant t;

    frozen_tenant(&t);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_response r;
        char body[256];
        snprintf(body, sizeof(body),
                 "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\",\"validityDuration\":%s}",
                 t.admin_id, cases[i].duration);
        if (cases[i].expires != NULL) {
            invite(&t, body, &r);
            ck_assert_str_eq(json_str(&r, "expirationDatetime"), cases[i].expires);
            http_response_free(&r);
        } else {
            expect_invalid(&t, "POST", "/operating-device-invitation", body, names);
        }
    }
}
END_TEST

/* Invites a new user of a new system with delivery (the body's members after userId) and
 * expects expires; copies the one message sent on channel to recipient into text, takes
 * the code after prefix from it and accepts the invitation with that code. */
static void invite_delivered(const char *delivery, const char *expires, const char *channel,
                             const char *recipient, const char *prefix, char text[1024])
{
    struct tenant t;
    struct http_response r;
    char body[512], code[64], user[64];

    frozen_tenant(&t);
    new_user(&t, user);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",%s}", user, delivery);
    invite(&t, body, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 2);
    ck_assert_str_eq(json_str(&r, "expirationDatetime"), expires);
    only_message(&t, channel, recipient, json_str(&r, "id"), text, 1024);
    code_after(text, prefix, code);
    http_response_free(&r);
    accept_ok("invitationCode", code, user, NULL);
}

START_TEST(sms_link_delivers_a_link_and_hides_the_code)
{
    char text[1024];

    invite_delivered("\"deliveryMechanism\":\"SMS\",\"phoneNumber\":\"+358401234567\"",
                     "2030-01-02T00:00:00Z", "SMS", "+358401234567", LINK_PREFIX, text);
    ck_assert_ptr_nonnull(strstr(text, "2030-01-02T00:00:00Z"));
}
END_TEST

START_TEST(email_code_delivers_the_bare_code)
{
    char text[1024];

    invite_delivered("\"deliveryMechanism\":\"EMAIL\",\"email\":\"ann@example.com\","
                     "\"format\":\"INVITATION_CODE\",\"validityDuration\":\"P7D\"",
                     "2030-01-08T00:00:00Z", "EMAIL", "ann@example.com", CODE_PREFIX, text);
    ck_assert_ptr_null(strstr(text, "https://"));
}
END_TEST

START_TEST(sms_code_and_email_link_formats)
{
    struct tenant t;
    struct http_response r, m;
    char body[256], code[64];
    json_object *items;

    frozen_tenant(&t);
    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"deliveryMechanism\":\"SMS\",\"phoneNumber\":\"+12025550123\","
             "\"format\":\"INVITATION_CODE\"}",
             t.admin_id);
    invite(&t, body, &r);
    http_response_free(&r);
    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"deliveryMechanism\":\"EMAIL\",\"email\":\"bo@example.org\","
             "\"format\":\"INVITATION_LINK\"}",
             t.admin_id);
    invite(&t, body, &r);
    items = control_items(&t, "outbox-messages", &m);
    ck_assert_int_eq(json_object_array_length(items), 2);
    ck_assert_str_eq(jstr(json_object_array_get_idx(items, 0), "channel"), "SMS");
    code_after(jstr(json_object_array_get_idx(items, 0), "text"), CODE_PREFIX, code);
    ck_assert_str_eq(jstr(json_object_array_get_idx(items, 1), "channel"), "EMAIL");
    ck_assert_str_eq(jstr(json_object_array_get_idx(items, 1), "subjectId"), json_str(&r, "id"));
    code_after(jstr(json_object_array_get_idx(items, 1), "text"), LINK_PREFIX, code);
    http_response_free(&m);
    http_response_free(&r);
}
END_TEST

START_TEST(create_rejects_invalid_bodies)
{
    static const struct {
        const char *body;     /* %s: a user id */
        const char *names[5]; /* NULL-terminated */
    } cases[] = {
        {"{}", {"userId", "deliveryMechanism"}},
        {"{\"userId\":\"abc\",\"deliveryMechanism\":\"NONE\"}", {"userId"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"FAX\"}", {"deliveryMechanism"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\",\"format\":\"QR\"}", {"format"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"SMS\"}", {"phoneNumber"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"SMS\",\"phoneNumber\":\"0401234567\"}",
         {"phoneNumber"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"SMS\",\"phoneNumber\":\"+358401234567\","
         "\"email\":\"a@example.com\"}",
         {"email"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"EMAIL\"}", {"email"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"EMAIL\",\"email\":\"nobody\"}", {"email"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"EMAIL\",\"email\":\"a@example.com\","
         "\"phoneNumber\":\"+358401234567\"}",
         {"phoneNumber"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\",\"phoneNumber\":\"+358401234567\","
         "\"email\":\"a@example.com\"}",
         {"phoneNumber", "email"}},
        {"{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\",\"colour\":\"red\"}", {"colour"}},
        {"{\"userId\":7,\"deliveryMechanism\":\"SMS\",\"format\":\"X\","
         "\"validityDuration\":\"PT0S\"}",
         {"userId", "phoneNumber", "format", "validityDuration"}},
    };
    struct tenant t;

    frozen_tenant(&t);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char body[512];
        snprintf(body, sizeof(body), cases[i].body, t.admin_id);
        expect_invalid(&t, "POST", "/operating-device-invitation", body, cases[i].names);
    }
    ck_assert_int_eq(count_items(&t, "outbox-messages"), 0);
}
END_TEST

START_TEST(unknown_or_foreign_user_is_not_found)
{
    struct tenant a, b;
    const char *ids[2];
    char body[256];

    frozen_tenant(&a);
    frozen_tenant(&b);
    ids[0] = UNKNOWN_ID;
    ids[1] = b.admin_id;
    for (int i = 0; i < 2; i++) {
        struct http_response r;
        snprintf(body, sizeof(body),
                 "{\"userId\":\"%s\",\"deliveryMechanism\":\"SMS\","
                 "\"phoneNumber\":\"+358401234567\"}",
                 ids[i]);
        admin_strict(&a, "POST", "/operating-device-invitation", body, 404, &r);
        ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), ids[i]));
        http_response_free(&r);
    }
    ck_assert_int_eq(count_items(&a, "outbox-messages"), 0);
    ck_assert_int_eq(count_items(&b, "outbox-messages"), 0);
}
END_TEST

/* ---- revoking ----------------------------------------------------------------------- */

START_TEST(revoked_invitation_is_gone)
{
    struct tenant t;
    struct http_response r;
    char id[64], code[64], path[256];

    frozen_tenant(&t);
    invite_none(&t, t.admin_id, NULL, id, code);
    snprintf(path, sizeof(path), "/operating-device-invitation/%s", id);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);
    admin_strict(&t, "DELETE", path, NULL, 204, &r); /* revoking again changes nothing */
    http_response_free(&r);
    expect_accept_refused(code, id, 410, "revoked");
    ck_assert_int_eq(count_items(&t, "events?type=OperatingDeviceCreated"), 0);
}
END_TEST

START_TEST(accepted_invitation_cannot_be_revoked)
{
    struct tenant t;
    struct http_response r;
    char id[64], path[256];

    frozen_tenant(&t);
    invite_none(&t, t.admin_id, NULL, id, NULL);
    accept_ok("invitationId", id, t.admin_id, NULL);
    snprintf(path, sizeof(path), "/operating-device-invitation/%s", id);
    admin_strict(&t, "DELETE", path, NULL, 409, &r);
    ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), "accepted"));
    http_response_free(&r);
}
END_TEST

START_TEST(revoking_unknown_or_foreign_is_not_found)
{
    struct tenant a, b;
    char id[64], path[256];

    frozen_tenant(&a);
    frozen_tenant(&b);
    invite_none(&b, b.admin_id, NULL, id, NULL);
    snprintf(path, sizeof(path), "/operating-device-invitation/%s", id);
    expect_not_found(&a, "DELETE", path, NULL);
    expect_not_found(&a, "DELETE", "/operating-device-invitation/" UNKNOWN_ID, NULL);
    expect_problem(&a, "DELETE", "/operating-device-invitation/not-a-uuid", NULL, 404, NULL);
    accept_ok("invitationId", id, b.admin_id, NULL); /* b's invitation was left alone */
}
END_TEST

/* ---- accepting ---------------------------------------------------------------------- */

START_TEST(accept_rejects_invalid_bodies)
{
    static const struct invalid_body cases[] = {
        {"{}", {"invitationCode", "invitationId"}},
        {"{\"invitationCode\":\"ABCD-EFGH-JKLM-NPQR\",\"invitationId\":\"" UNKNOWN_ID "\"}",
         {"invitationCode", "invitationId"}},
        {"{\"invitationId\":\"abc\"}", {"invitationId"}},
        {"{\"invitationCode\":\"\"}", {"invitationCode"}},
        {"{\"invitationCode\":42}", {"invitationCode"}},
        {"{\"invitationCode\":\"ABCD\",\"phone\":\"x\"}", {"phone"}},
    };

    ck_assert(emu_ok);
    expect_control_invalid_bodies("/invitations/accept", cases, sizeof(cases) / sizeof(cases[0]));
}
END_TEST

START_TEST(accept_unknown_is_not_found)
{
    struct http_response r;

    ck_assert(emu_ok);
    accept_by("invitationCode", "AAAA-BBBB-CCCC-DDDD", 404, &r);
    http_response_free(&r);
    accept_by("invitationId", UNKNOWN_ID, 404, &r);
    http_response_free(&r);
}
END_TEST

START_TEST(accept_creates_and_activates_the_device)
{
    struct tenant t;
    struct http_response r;
    char user[64], id[64], device[64];
    json_object *items, *created, *activated;

    frozen_tenant(&t);
    new_user(&t, user);
    invite_none(&t, user, NULL, id, NULL);
    accept_ok("invitationId", id, user, device);

    items = control_items(&t, "events", &r);
    ck_assert_int_eq(json_object_array_length(items), 4); /* UserCreated twice */
    created = json_object_array_get_idx(items, 2);
    activated = json_object_array_get_idx(items, 3);
    ck_assert_str_eq(jstr(created, "eventType"), "OperatingDeviceCreated");
    ck_assert_str_eq(jstr(created, "eventSystemId"), t.system_id);
    ck_assert_str_eq(jstr(created, "operatingDeviceId"), device);
    ck_assert_str_eq(jstr(created, "userId"), user);
    ck_assert_str_eq(jstr(created, "invitationId"), id);
    ck_assert_str_eq(jstr(created, "occurredDatetime"), "2030-01-01T00:00:00Z");
    ck_assert_str_eq(jstr(activated, "eventType"), "OperatingDeviceActivated");
    ck_assert_str_eq(jstr(activated, "operatingDeviceId"), device);
    ck_assert_ptr_null(member(activated, "userId"));
    http_response_free(&r);

    admin_strict(&t, "GET", "/operating-device", NULL, 200, &r);
    items = member(r.json, "items");
    ck_assert_int_eq(json_object_array_length(items), 1);
    ck_assert_str_eq(jstr(json_object_array_get_idx(items, 0), "id"), device);
    ck_assert_str_eq(jstr(json_object_array_get_idx(items, 0), "userId"), user);
    http_response_free(&r);
}
END_TEST

START_TEST(accepting_twice_is_conflict)
{
    struct tenant t;
    char id[64], code[64];

    frozen_tenant(&t);
    invite_none(&t, t.admin_id, NULL, id, code);
    accept_ok("invitationCode", code, t.admin_id, NULL);
    expect_accept_refused(code, id, 409, "already accepted");
    ck_assert_int_eq(count_items(&t, "events?type=OperatingDeviceCreated"), 1);
}
END_TEST

START_TEST(a_user_has_one_operating_device)
{
    struct tenant t;
    struct http_response r;
    char user[64], first[64], second[64], device[64], path[256];

    frozen_tenant(&t);
    new_user(&t, user);
    invite_none(&t, user, NULL, first, NULL);
    invite_none(&t, user, ",\"format\":\"INVITATION_CODE\"", second, NULL);
    accept_ok("invitationId", first, user, device);
    accept_by("invitationId", second, 409, &r);
    ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), user));
    http_response_free(&r);
    ck_assert_int_eq(count_items(&t, "events?type=OperatingDeviceCreated"), 1);

    /* Once the device is gone, the second invitation, still pending, can be accepted. */
    snprintf(path, sizeof(path), "/operating-device/%s", device);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    http_response_free(&r);
    accept_ok("invitationId", second, user, NULL);
}
END_TEST

START_TEST(accepting_touches_only_the_invitations_system)
{
    struct tenant a, b;
    char code[64];

    frozen_tenant(&a);
    frozen_tenant(&b);
    invite_none(&a, a.admin_id, NULL, NULL, code);
    accept_ok("invitationCode", code, a.admin_id, NULL);
    ck_assert_int_eq(count_items(&a, "events?type=OperatingDeviceActivated"), 1);
    ck_assert_int_eq(count_items(&b, "events?type=OperatingDeviceCreated"), 0);
    ck_assert_int_eq(count_items(&b, "events?type=OperatingDeviceActivated"), 0);
}
END_TEST

/* ---- expiry ------------------------------------------------------------------------ */

static void advance_clock(const struct tenant *t, const char *by)
{
    struct http_response r;
    char path[256], body[64];

    snprintf(path, sizeof(path), "/systems/%s/clock/advance", t->system_id);
    snprintf(body, sizeof(body), "{\"by\":\"%s\"}", by);
    ck_assert_int_eq(control_call(&emu, "POST", path, body, &r), 200);
    http_response_free(&r);
}

START_TEST(expired_invitation_is_gone)
{
    struct tenant t;
    struct http_response r;
    char users[3][64], ids[3][64], codes[3][64], path[256];

    frozen_tenant(&t);
    for (int i = 0; i < 3; i++)
        new_user(&t, users[i]);
    invite_none(&t, users[0], ",\"validityDuration\":\"PT1H\"", ids[0], codes[0]);
    invite_none(&t, users[1], ",\"validityDuration\":\"PT1H\"", ids[1], codes[1]);
    invite_none(&t, users[2], ",\"validityDuration\":\"PT2H\"", ids[2], codes[2]);
    snprintf(path, sizeof(path), "/operating-device-invitation/%s", ids[1]);

    advance_clock(&t, "PT59M59S"); /* the last second of the first two */
    accept_ok("invitationCode", codes[0], users[0], NULL);
    advance_clock(&t, "PT1S"); /* the instant of expiry is outside the window */
    accept_by("invitationCode", codes[1], 410, &r);
    ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), "expired at 2030-01-01T01:00:00Z"));
    http_response_free(&r);
    accept_by("invitationId", ids[1], 410, &r);
    http_response_free(&r);
    accept_ok("invitationId", ids[2], users[2], NULL);
    ck_assert_int_eq(count_items(&t, "events?type=OperatingDeviceCreated"), 2);

    /* Advancing an hour expired the admin's token; an expired invitation can still be
     * revoked, and then it answers as revoked. */
    ck_assert_int_eq(tenant_login(&emu, &t, t.admin_id, t.access_key, t.token, sizeof(t.token)),
                     200);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    http_response_free(&r);
    accept_by("invitationId", ids[1], 410, &r);
    ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), "revoked"));
    http_response_free(&r);
}
END_TEST

static Suite *invitations_suite(void)
{
    Suite *s = suite_create("invitations");
    TCase *tc = tcase_create("invitations");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, none_link_answers_code_and_environment_url);
    tcase_add_test(tc, none_code_format_answers_code_only);
    tcase_add_test(tc, validity_duration_bounds);
    tcase_add_test(tc, sms_link_delivers_a_link_and_hides_the_code);
    tcase_add_test(tc, email_code_delivers_the_bare_code);
    tcase_add_test(tc, sms_code_and_email_link_formats);
    tcase_add_test(tc, create_rejects_invalid_bodies);
    tcase_add_test(tc, unknown_or_foreign_user_is_not_found);
    tcase_add_test(tc, revoked_invitation_is_gone);
    tcase_add_test(tc, accepted_invitation_cannot_be_revoked);
    tcase_add_test(tc, revoking_unknown_or_foreign_is_not_found);
    tcase_add_test(tc, accept_rejects_invalid_bodies);
    tcase_add_test(tc, accept_unknown_is_not_found);
    tcase_add_test(tc, accept_creates_and_activates_the_device);
    tcase_add_test(tc, accepting_twice_is_conflict);
    tcase_add_test(tc, a_user_has_one_operating_device);
    tcase_add_test(tc, accepting_touches_only_the_invitations_system);
    tcase_add_test(tc, expired_invitation_is_gone);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(invitations_suite());
}
