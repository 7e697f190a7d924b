/*
 * test_id_case.c — ids in any letter case. UUIDs are case-insensitive (RFC 9562) and Swift's
 * UUID.uuidString is upper case: an id in upper or mixed case, in a path, a query or a body,
 * names the same resource as its lower-case form, and answers carry the lower-case form.
 */
#include <check.h>
#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static void upper(const char *in, char out[64])
{
    size_t i = 0;

    for (; in[i] != '\0' && i < 63; i++)
        out[i] = (char)toupper((unsigned char)in[i]);
    out[i] = '\0';
}

/* Every other letter upper case. */
static void mixed(const char *in, char out[64])
{
    size_t i = 0;

    for (; in[i] != '\0' && i < 63; i++)
        out[i] = i % 2 ? (char)toupper((unsigned char)in[i]) : in[i];
    out[i] = '\0';
}

START_TEST(path_ids_in_any_case)
{
    struct tenant t;
    char user[64], lock[64], id[64], path[256];
    void (*const cases[])(const char *, char *) = {upper, mixed};

    new_tenant(&t);
    new_user(&t, user);
    new_lock(&t, "Case Gate", lock);
    for (size_t c = 0; c < 2; c++) {
        json_object *o;

        cases[c](user, id);
        snprintf(path, sizeof(path), "/user/%s", id);
        o = admin(&t, "GET", path, NULL, 200);
        ck_assert_str_eq(jstr(o, "id"), user);
        json_object_put(o);
        cases[c](lock, id);
        snprintf(path, sizeof(path), "/locking-device/%s", id);
        json_object_put(admin(&t, "PATCH", path,
                              "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Renamed\"}]",
                              204));
        o = admin(&t, "GET", path, NULL, 200);
        ck_assert_str_eq(jstr(o, "id"), lock);
        ck_assert_str_eq(jstr(o, "name"), "Renamed");
        json_object_put(o);
        cases[c](t.system_id, id);
        snprintf(path, sizeof(path), "/systems/%s/clock", id);
        json_object_put(control("GET", path, NULL, 200));
    }
}
END_TEST

START_TEST(query_and_body_ids_in_any_case)
{
    struct tenant t;
    char user[64], lock[64], up_user[64], up_lock[64], body[512], path[256];
    json_object *o, *items;

    new_tenant(&t);
    new_user(&t, user);
    new_lock(&t, "Case Gate", lock);
    upper(user, up_user);
    upper(lock, up_lock);
    snprintf(body, sizeof(body),
             "{\"permissionType\":\"SINGLE_INTERVAL\",\"userId\":\"%s\",\"lockingDeviceId\":\"%s\","
             "\"operationType\":\"OPEN\",\"start\":\"2020-01-01T00:00:00Z\","
             "\"end\":\"2040-01-01T00:00:00Z\"}",
             up_user, up_lock);
    o = admin(&t, "POST", "/permission", body, 201);
    snprintf(path, sizeof(path), "/permission/%s", jstr(o, "id"));
    json_object_put(o);
    o = admin(&t, "GET", path, NULL, 200);
    ck_assert_str_eq(jstr(o, "userId"), user);
    ck_assert_str_eq(jstr(o, "lockingDeviceId"), lock);
    json_object_put(o);

    /* A filter in upper case finds what the lower-case one does. */
    snprintf(path, sizeof(path), "/locking-device-system-log?locking-device-id=%s", up_lock);
    o = admin(&t, "GET", path, NULL, 200);
    items = member(o, "items");
    ck_assert_ptr_nonnull(items);
    json_object_put(o);
}
END_TEST

START_TEST(login_with_an_upper_case_user_id)
{
    struct tenant t;
    char up[64], token[4096];

    new_tenant(&t);
    upper(t.admin_id, up);
    ck_assert_int_eq(tenant_login(&emu, &t, up, t.access_key, token, sizeof(token)), 200);
}
END_TEST

START_TEST(event_cursor_in_upper_case)
{
    struct tenant t;
    char path[256], first[64], up[64];
    json_object *o;

    new_tenant(&t);
    new_user(&t, first); /* a second UserCreated after the admin's */
    snprintf(path, sizeof(path), "/systems/%s/events", t.system_id);
    o = control("GET", path, NULL, 200);
    snprintf(first, sizeof(first), "%s",
             jstr(json_object_array_get_idx(member(o, "items"), 0), "eventId"));
    json_object_put(o);
    upper(first, up);
    snprintf(path, sizeof(path), "/systems/%s/events?after=%s", t.system_id, up);
    o = control("GET", path, NULL, 200);
    ck_assert_uint_eq(json_object_array_length(member(o, "items")), 1);
    json_object_put(o);
}
END_TEST

/* A segment that is not an id keeps its case: a snapshot's name is the caller's text. */
START_TEST(names_keep_their_case)
{
    json_object_put(
        control("POST", "/snapshots", "{\"name\":\"ABCDEF12-0000-4000-8000-00000000000A\"}", 201));
    json_object_put(
        control("POST", "/snapshots/abcdef12-0000-4000-8000-00000000000a/restore", NULL, 404));
}
END_TEST

static Suite *id_case_suite(void)
{
    Suite *s = suite_create("id_case");
    TCase *tc = tcase_create("id_case");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, path_ids_in_any_case);
    tcase_add_test(tc, query_and_body_ids_in_any_case);
    tcase_add_test(tc, login_with_an_upper_case_user_id);
    tcase_add_test(tc, event_cursor_in_upper_case);
    tcase_add_test(tc, names_keep_their_case);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(id_case_suite());
}
