/*
 * test_lenient_bodies.c — --lenient-bodies: unknown members of a request body are dropped and
 * named in a Warning header instead of refused, for clients that send a GET's answer back
 * with PUT (it includes `id`). Without the flag they are refused (test_users.c and others).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static void lenient_setup(void)
{
    static const char *const args[] = {"--lenient-bodies", NULL};

    emu_setup_with(args);
}

/* The GET answer of a permission, sent back unchanged with PUT: its id and the members the
 * platform fills in are ignored, and named. */
START_TEST(a_get_answer_put_back_is_accepted)
{
    struct tenant t;
    struct http_response r;
    char user[64], lock[64], body[512], path[128], id[64];
    const char *warning;
    json_object *got;

    new_tenant(&t);
    new_user(&t, user);
    new_lock(&t, "Lenient Gate", lock);
    snprintf(body, sizeof(body),
             "{\"permissionType\":\"SINGLE_INTERVAL\",\"userId\":\"%s\",\"lockingDeviceId\":\"%s\","
             "\"operationType\":\"OPEN\",\"start\":\"2020-01-01T00:00:00Z\",\"end\":\"2040-01-"
             "01T00:00:00Z\"}",
             user, lock);
    post_id(&t, "/permission", body, id);
    snprintf(path, sizeof(path), "/permission/%s", id);
    got = admin(&t, "GET", path, NULL, 200);
    json_object_object_add(got, "end", json_object_new_string("2039-01-01T00:00:00Z"));
    admin_strict(&t, "PUT", path, json_object_to_json_string(got), 204, &r);
    warning = header(&r, "Warning");
    ck_assert_ptr_nonnull(warning);
    ck_assert_msg(strncmp(warning, "299 keyless-emulator \"ignored unknown members: ", 47) == 0,
                  "%s", warning);
    ck_assert_ptr_nonnull(strstr(warning, "id"));
    http_response_free(&r);
    json_object_put(got);
    got = admin(&t, "GET", path, NULL, 200);
    ck_assert_str_eq(jstr(got, "end"), "2039-01-01T00:00:00Z");
    json_object_put(got);
}
END_TEST

START_TEST(unknown_members_are_named_safely)
{
    struct tenant t;
    struct http_response r;

    new_tenant(&t);
    admin_strict(&t, "POST", "/user", "{\"role\":\"USER\",\"nick\\\"name\\r\\nX-Evil: 1\":\"x\"}",
                 201, &r);
    ck_assert_str_eq(header(&r, "Warning"),
                     "299 keyless-emulator \"ignored unknown members: nick?name??X-Evil: 1\"");
    ck_assert_ptr_null(header(&r, "X-Evil"));
    ck_assert_str_eq(json_str(&r, "role"), "USER");
    http_response_free(&r);
}
END_TEST

/* Known members are still checked: leniency is about members, not values. */
START_TEST(known_members_still_validated)
{
    struct tenant t;
    struct http_response r;

    new_tenant(&t);
    admin_strict(&t, "POST", "/user", "{\"role\":\"OWNER\",\"extra\":1}", 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "role"));
    ck_assert_ptr_null(invalid_reason(&r, "extra"));
    http_response_free(&r);
    admin_strict(&t, "POST", "/user", "{\"role\":\"USER\"}", 201, &r);
    ck_assert_ptr_null(header(&r, "Warning"));
    http_response_free(&r);
}
END_TEST

static Suite *lenient_suite(void)
{
    Suite *s = suite_create("lenient_bodies");
    TCase *tc = tcase_create("lenient_bodies");

    tcase_add_unchecked_fixture(tc, lenient_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_get_answer_put_back_is_accepted);
    tcase_add_test(tc, unknown_members_are_named_safely);
    tcase_add_test(tc, known_members_still_validated);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(lenient_suite());
}
