/*
 * test_users.c — GET/POST /user, GET/DELETE /user/{user-id} of the Administration API v2,
 * and what a user's role and deletion do to its token.
 *
 * One emulator serves the whole suite; every test makes its own system, so lists start
 * with that system's admin alone.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_USERS 64

/* ---- helpers ------------------------------------------------------------------------ */

/* A 201 from POST /user with role; copies the new id and access key. */
static void create_user(const struct tenant *t, const char *role, char *id, char *access_key)
{
    struct http_response r;
    char body[64];

    snprintf(body, sizeof(body), "{\"role\":\"%s\"}", role);
    admin_strict(t, "POST", "/user", body, 201, &r);
    snprintf(id, 64, "%s", json_str(&r, "id") ? json_str(&r, "id") : "");
    if (access_key != NULL)
        snprintf(access_key, 128, "%s", json_str(&r, "accessKey") ? json_str(&r, "accessKey") : "");
    http_response_free(&r);
}

/* t's credentials with the token of user id (logged in with access_key). */
static void login_as(const struct tenant *t, const char *id, const char *access_key,
                     struct tenant *as)
{
    *as = *t;
    ck_assert_int_eq(tenant_login(&emu, t, id, access_key, as->token, sizeof(as->token)), 200);
}

/* Reads every page of GET /user; copies ids and roles (in order) and returns the count. */
static size_t list_users(const struct tenant *t, char ids[][64], char roles[][16])
{
    json_object *all = admin_list_all(t, "/user?limit=100");
    size_t n = json_object_array_length(all);

    ck_assert_uint_le(n, MAX_USERS);
    for (size_t i = 0; i < n; i++) {
        json_object *u = json_object_array_get_idx(all, i);
        ck_assert_int_eq(json_object_object_length(u), 2);
        snprintf(ids[i], 64, "%s", json_object_get_string(member(u, "id")));
        snprintf(roles[i], 16, "%s", json_object_get_string(member(u, "role")));
    }
    json_object_put(all);
    return n;
}

static size_t count_users(const struct tenant *t)
{
    char ids[MAX_USERS][64], roles[MAX_USERS][16];

    return list_users(t, ids, roles);
}

static void assert_uuid(const char *s)
{
    ck_assert_msg(s != NULL && strlen(s) == 36, "not a UUID: %s", s ? s : "(null)");
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        ck_assert_msg(dash ? s[i] == '-' : strchr("0123456789abcdefABCDEF", s[i]) != NULL,
                      "not a UUID: %s", s);
    }
}

/* Standard base64 of 32 bytes: 43 alphabet characters and one '='. */
static void assert_base64_32_bytes(const char *s)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    ck_assert_msg(s != NULL && strlen(s) == 44, "access key is not 44 characters: %s",
                  s ? s : "(null)");
    ck_assert_msg(strspn(s, alphabet) == 43 && s[43] == '=', "not base64 of 32 bytes: %s", s);
}

/* ---- tests -------------------------------------------------------------------------- */

START_TEST(create_returns_id_access_key_and_role)
{
    static const char *const roles[] = {"USER", "ADMIN"};
    char seen_ids[2][64], seen_keys[2][128];
    struct tenant t;

    new_tenant(&t);
    for (int i = 0; i < 2; i++) {
        struct http_response r;
        char body[64], path[128], token[4096];

        snprintf(body, sizeof(body), "{\"role\":\"%s\"}", roles[i]);
        admin_strict(&t, "POST", "/user", body, 201, &r);
        ck_assert_int_eq(json_object_object_length(r.json), 3);
        assert_uuid(json_str(&r, "id"));
        assert_base64_32_bytes(json_str(&r, "accessKey"));
        ck_assert_str_eq(json_str(&r, "role"), roles[i]);
        snprintf(seen_ids[i], 64, "%s", json_str(&r, "id"));
        snprintf(seen_keys[i], 128, "%s", json_str(&r, "accessKey"));
        http_response_free(&r);

        ck_assert_int_eq(tenant_login(&emu, &t, seen_ids[i], seen_keys[i], token, sizeof(token)),
                         200);

        snprintf(path, sizeof(path), "/user/%s", seen_ids[i]);
        admin_strict(&t, "GET", path, NULL, 200, &r);
        ck_assert_int_eq(json_object_object_length(r.json), 2); /* never the access key */
        ck_assert_str_eq(json_str(&r, "id"), seen_ids[i]);
        ck_assert_str_eq(json_str(&r, "role"), roles[i]);
        http_response_free(&r);
    }
    ck_assert_str_ne(seen_ids[0], seen_ids[1]);
    ck_assert_str_ne(seen_keys[0], seen_keys[1]);
    ck_assert_str_ne(seen_ids[0], t.admin_id);
}
END_TEST

START_TEST(create_rejects_invalid_bodies)
{
    static const struct invalid_body cases[] = {
        {"{\"role\":\"SUPERUSER\"}", {"role"}},
        {"{\"role\":\"admin\"}", {"role"}},
        {"{\"role\":\"\"}", {"role"}},
        {"{}", {"role"}},
        {"{\"role\":1}", {"role"}},
        {"{\"role\":null}", {"role"}},
        {"{\"role\":[\"USER\"]}", {"role"}},
        {"{\"role\":\"USER\",\"colour\":\"red\"}", {"colour"}},
        {"{\"role\":\"ROOT\",\"name\":\"x\"}", {"role", "name"}},
        {"{\"accessKey\":\"x\"}", {"role", "accessKey"}},
    };
    struct tenant t;

    new_tenant(&t);
    expect_invalid_bodies(&t, "POST", "/user", cases, sizeof(cases) / sizeof(cases[0]));
    ck_assert_int_eq(count_users(&t), 1); /* the admin alone: nothing was written */
}
END_TEST

START_TEST(unknown_field_reason_quotes_the_field)
{
    struct tenant t;
    struct http_response r;

    new_tenant(&t);
    admin_strict(&t, "POST", "/user", "{\"role\":\"USER\",\"colour\":\"red\"}", 400, &r);
    ck_assert_str_eq(invalid_reason(&r, "colour"), "unknown field 'colour'");
    http_response_free(&r);
}
END_TEST

START_TEST(list_holds_admin_and_users_in_creation_order)
{
    static const char *const roles[] = {"USER", "ADMIN", "USER", "USER", "ADMIN"};
    enum { N = sizeof(roles) / sizeof(roles[0]) };
    char created[N][64], ids[MAX_USERS][64], listed_roles[MAX_USERS][16];
    struct tenant t;
    struct http_response r;

    new_tenant(&t);
    for (int i = 0; i < N; i++)
        create_user(&t, roles[i], created[i], NULL);

    ck_assert_int_eq(list_users(&t, ids, listed_roles), N + 1);
    ck_assert_str_eq(ids[0], t.admin_id);
    ck_assert_str_eq(listed_roles[0], "ADMIN");
    for (int i = 0; i < N; i++) {
        ck_assert_str_eq(ids[i + 1], created[i]);
        ck_assert_str_eq(listed_roles[i + 1], roles[i]);
    }

    /* One page with the default limit: no token. */
    admin_strict(&t, "GET", "/user", NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), N + 1);
    ck_assert_ptr_null(member(r.json, "nextPageToken"));
    http_response_free(&r);
}
END_TEST

START_TEST(unknown_user_is_not_found)
{
    struct tenant t;

    new_tenant(&t);
    expect_not_found(&t, "GET", "/user/" UNKNOWN_ID, NULL);
    expect_not_found(&t, "DELETE", "/user/" UNKNOWN_ID, NULL);
    ck_assert_int_eq(count_users(&t), 1);
}
END_TEST

START_TEST(delete_removes_the_user)
{
    char id[64], key[128], keep[64], path[128], ids[MAX_USERS][64], roles[MAX_USERS][16];
    struct tenant t;
    struct http_response r;

    new_tenant(&t);
    create_user(&t, "USER", id, key);
    create_user(&t, "USER", keep, NULL);
    snprintf(path, sizeof(path), "/user/%s", id);

    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);

    expect_not_found(&t, "GET", path, NULL);
    expect_not_found(&t, "DELETE", path, NULL);
    ck_assert_int_eq(list_users(&t, ids, roles), 2);
    ck_assert_str_eq(ids[0], t.admin_id);
    ck_assert_str_eq(ids[1], keep);
    ck_assert_int_eq(tenant_login(&emu, &t, id, key, NULL, 0), 401);
}
END_TEST

START_TEST(created_admin_can_administer)
{
    char id[64], key[128], device_path[128];
    struct tenant t, admin;
    struct http_response r;

    new_tenant(&t);
    create_user(&t, "ADMIN", id, key);
    login_as(&t, id, key, &admin);

    admin_strict(&admin, "GET", "/user", NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 2);
    http_response_free(&r);
    admin_strict(&admin, "POST", "/locking-device", "{\"name\":\"Gate\"}", 201, &r);
    snprintf(device_path, sizeof(device_path), "/locking-device/%s", json_str(&r, "id"));
    http_response_free(&r);
    admin_strict(&t, "GET", device_path, NULL, 200, &r); /* in the same system */
    ck_assert_str_eq(json_str(&r, "name"), "Gate");
    http_response_free(&r);
}
END_TEST

START_TEST(user_role_is_forbidden_on_every_admin_route)
{
    enum target { NONE, SELF, OTHER_USER, DEVICE };
    static const struct route routes[] = {
        {"GET", "/user", NONE, NULL},
        {"POST", "/user", NONE, "{\"role\":\"ADMIN\"}"},
        {"GET", "/user/", SELF, NULL},
        {"GET", "/user/", OTHER_USER, NULL},
        {"DELETE", "/user/", OTHER_USER, NULL},
        {"GET", "/locking-device", NONE, NULL},
        {"POST", "/locking-device", NONE, "{\"name\":\"Mine\"}"},
        {"GET", "/locking-device/", DEVICE, NULL},
        {"PATCH", "/locking-device/", DEVICE,
         "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"X\"}]"},
        {"DELETE", "/locking-device/", DEVICE, NULL},
    };
    char id[64], key[128], other[64], device[64], path[256];
    struct tenant t, user;
    struct http_response r;

    new_tenant(&t);
    create_user(&t, "USER", id, key);
    create_user(&t, "USER", other, NULL);
    admin_strict(&t, "POST", "/locking-device", "{\"name\":\"Gate\"}", 201, &r);
    snprintf(device, sizeof(device), "%s", json_str(&r, "id"));
    http_response_free(&r);
    login_as(&t, id, key, &user);

    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        const char *const ids[] = {
            [NONE] = "", [SELF] = id, [OTHER_USER] = other, [DEVICE] = device};
        snprintf(path, sizeof(path), "%s%s", routes[i].prefix, ids[routes[i].target]);
        admin_strict(&user, routes[i].method, path, routes[i].body, 403, &r);
        http_response_free(&r);
    }

    /* Nothing changed. */
    ck_assert_int_eq(count_users(&t), 3);
    snprintf(path, sizeof(path), "/user/%s", other);
    admin_strict(&t, "GET", path, NULL, 200, &r);
    http_response_free(&r);
    admin_strict(&t, "GET", "/locking-device", NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 1);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/locking-device/%s", device);
    admin_strict(&t, "GET", path, NULL, 200, &r);
    ck_assert_str_eq(json_str(&r, "name"), "Gate");
    http_response_free(&r);
}
END_TEST

START_TEST(deleting_a_user_revokes_its_token)
{
    static const struct {
        const char *role;
        long before; /* GET /user with the token while the user exists */
    } cases[] = {{"ADMIN", 200}, {"USER", 403}};
    struct tenant t;

    new_tenant(&t);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char id[64], key[128], path[128];
        struct tenant as;
        struct http_response r;

        create_user(&t, cases[i].role, id, key);
        login_as(&t, id, key, &as);
        admin_strict(&as, "GET", "/user", NULL, cases[i].before, &r);
        http_response_free(&r);

        snprintf(path, sizeof(path), "/user/%s", id);
        admin_strict(&t, "DELETE", path, NULL, 204, &r);
        http_response_free(&r);

        admin_strict(&as, "GET", "/user", NULL, 401, &r);
        http_response_free(&r);
        admin_strict(&as, "POST", "/locking-device", "{\"name\":\"Ghost\"}", 401, &r);
        http_response_free(&r);
    }
    ck_assert_int_eq(count_users(&t), 1);
}
END_TEST

static Suite *users_suite(void)
{
    Suite *s = suite_create("users");
    TCase *tc = tcase_create("users");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_returns_id_access_key_and_role);
    tcase_add_test(tc, create_rejects_invalid_bodies);
    tcase_add_test(tc, unknown_field_reason_quotes_the_field);
    tcase_add_test(tc, list_holds_admin_and_users_in_creation_order);
    tcase_add_test(tc, unknown_user_is_not_found);
    tcase_add_test(tc, delete_removes_the_user);
    tcase_add_test(tc, created_admin_can_administer);
    tcase_add_test(tc, user_role_is_forbidden_on_every_admin_route);
    tcase_add_test(tc, deleting_a_user_revokes_its_token);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(users_suite());
}
