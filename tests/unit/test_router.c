/*
 * test_router.c — route tables and path matching (src/http/router.c).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "http/router.h"
#include "unit_main.h"

/* Handlers are never called by the router; rows are told apart by their summary. */
static const struct route table[] = {
    {"GET", "/users", NULL, AUTH_ADMIN, 0, "list users", NULL},
    {"POST", "/users", NULL, AUTH_ADMIN, ROUTE_BODY_JSON, "create user", NULL},
    {"GET", "/users/me", NULL, AUTH_ADMIN, 0, "current user", NULL},
    {"GET", "/users/{userId}", NULL, AUTH_ADMIN, 0, "get user", NULL},
    {"PATCH", "/users/{userId}", NULL, AUTH_ADMIN, ROUTE_BODY_PATCH, "patch user", NULL},
    {"DELETE", "/users/{userId}", NULL, AUTH_ADMIN, 0, "delete user", NULL},
    {"GET", "/users/{userId}/keys/{keyId}", NULL, AUTH_ADMIN, 0, "get key", NULL},
    {"GET", "/systems/{systemId}/locking-devices", NULL, AUTH_ADMIN, 0, "list devices", NULL},
    {"POST", "/login", NULL, AUTH_ADMIN_LOGIN, ROUTE_BODY_JSON, "login", NULL},
    {"GET", "/a/{p1}/{p2}/{p3}/{p4}", NULL, AUTH_NONE, 0, "four params", NULL},
    {"GET", "/b/{p1}/{p2}/{p3}/{p4}/{p5}", NULL, AUTH_NONE, 0, "five params", NULL},
    {"GET", "/things/{thing-id}/{name}", NULL, AUTH_NONE, 0, "thing by id and name", NULL},
};

static struct route_match m;

static void setup(void)
{
    memset(&m, 0x5a, sizeof(m)); /* the router must set what it reports */
}

/* Matches and asserts ST_OK on the row with the given summary. */
static void assert_routes_to(const char *method, const char *path, const char *summary)
{
    enum status st = router_match(table, N(table), method, path, &m);

    ck_assert_msg(st == ST_OK, "%s %s: status %s", method, path, status_name(st));
    ck_assert_ptr_nonnull(m.route);
    ck_assert_str_eq(m.route->summary, summary);
    ck_assert_msg(m.route >= table && m.route < table + N(table), "route outside the table");
}

START_TEST(static_routes)
{
    assert_routes_to("GET", "/users", "list users");
    ck_assert_uint_eq(m.nparams, 0);
    ck_assert_ptr_eq(m.route, &table[0]);
    assert_routes_to("POST", "/users", "create user");
    ck_assert_ptr_eq(m.route, &table[1]);
    ck_assert_uint_eq(m.route->flags, ROUTE_BODY_JSON);
    assert_routes_to("POST", "/login", "login");
    ck_assert_int_eq(m.route->auth, AUTH_ADMIN_LOGIN);
    /* The first matching row wins: /users/me before /users/{userId}. */
    assert_routes_to("GET", "/users/me", "current user");
    ck_assert_uint_eq(m.nparams, 0);
}
END_TEST

START_TEST(params_captured)
{
    assert_routes_to("GET", "/users/3fa85f64-5717-4562-b3fc-2c963f66afa6", "get user");
    ck_assert_uint_eq(m.nparams, 1);
    ck_assert_str_eq(route_param(&m, "userId"), "3fa85f64-5717-4562-b3fc-2c963f66afa6");

    assert_routes_to("PATCH", "/users/u1", "patch user");
    ck_assert_str_eq(route_param(&m, "userId"), "u1");
    assert_routes_to("DELETE", "/users/me", "delete user"); /* /users/me has only GET */
    ck_assert_str_eq(route_param(&m, "userId"), "me");

    assert_routes_to("GET", "/users/u%201/keys/k.2", "get key");
    ck_assert_uint_eq(m.nparams, 2);
    ck_assert_str_eq(route_param(&m, "userId"), "u%201");
    ck_assert_str_eq(route_param(&m, "keyId"), "k.2");

    assert_routes_to("GET", "/systems/s-9/locking-devices", "list devices");
    ck_assert_str_eq(route_param(&m, "systemId"), "s-9");
}
END_TEST

/* An {…-id} segment holding a UUID is read in lower case, the case ids are stored in; other
 * segments, and ids that are not UUIDs, keep what the client sent. */
START_TEST(uuid_ids_lowered)
{
    assert_routes_to("GET", "/things/0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D/AbC-0A1B2C3D-4E5F",
                     "thing by id and name");
    ck_assert_str_eq(route_param(&m, "thing-id"), "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    ck_assert_str_eq(route_param(&m, "name"), "AbC-0A1B2C3D-4E5F");
    assert_routes_to(
        "GET", "/things/0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D/0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
        "thing by id and name");
    ck_assert_str_eq(route_param(&m, "name"), "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D");
    assert_routes_to("GET", "/things/NOT-A-UUID/x", "thing by id and name");
    ck_assert_str_eq(route_param(&m, "thing-id"), "NOT-A-UUID");
}
END_TEST

START_TEST(route_param_lookup)
{
    assert_routes_to("GET", "/users/u1/keys/k2", "get key");
    ck_assert_ptr_null(route_param(&m, "nope"));
    ck_assert_ptr_null(route_param(&m, "user"));    /* a prefix of a name */
    ck_assert_ptr_null(route_param(&m, "userIdx")); /* longer than a name */
    ck_assert_ptr_null(route_param(&m, "userid"));  /* names are case-sensitive */
    ck_assert_ptr_null(route_param(&m, "{userId}"));
    ck_assert_ptr_null(route_param(&m, ""));

    assert_routes_to("GET", "/users", "list users");
    ck_assert_ptr_null(route_param(&m, "userId"));
}
END_TEST

START_TEST(max_params)
{
    assert_routes_to("GET", "/a/1/2/3/4", "four params");
    ck_assert_uint_eq(m.nparams, ROUTE_MAX_PARAMS);
    ck_assert_str_eq(route_param(&m, "p1"), "1");
    ck_assert_str_eq(route_param(&m, "p4"), "4");
    /* A template with more parameters than fit never matches. */
    ck_assert_int_eq(router_match(table, N(table), "GET", "/b/1/2/3/4/5", &m), ST_NOT_FOUND);
}
END_TEST

struct method_case {
    const char *method;
    const char *path;
    const char *allow;
};

static const struct method_case wrong_methods[] = {
    {"PUT", "/users", "GET, HEAD, POST"},
    {"DELETE", "/users", "GET, HEAD, POST"},
    {"GET", "/login", "POST"},
    {"HEAD", "/login", "POST"},
    {"get", "/users", "GET, HEAD, POST"}, /* methods are case-sensitive */
    {"POST", "/users/u1", "GET, HEAD, PATCH, DELETE"},
    /* /users/me matches two templates, both with GET: GET is listed once. */
    {"PUT", "/users/me", "GET, HEAD, PATCH, DELETE"},
    {"POST", "/users/u1/keys/k1", "GET, HEAD"},
};

START_TEST(method_not_allowed)
{
    const struct method_case *c = &wrong_methods[_i];

    ck_assert_int_eq(router_match(table, N(table), c->method, c->path, &m), ST_METHOD);
    ck_assert_ptr_null(m.route);
    ck_assert_str_eq(m.allow, c->allow);
}
END_TEST

START_TEST(head_matches_get)
{
    assert_routes_to("HEAD", "/users", "list users");
    ck_assert_str_eq(m.route->method, "GET");
    assert_routes_to("HEAD", "/users/u7", "get user");
    ck_assert_str_eq(route_param(&m, "userId"), "u7");
}
END_TEST

static const char *const unknown_paths[] = {
    "",
    "/",
    "users",
    "/users/",
    "//users",
    "/users//keys/k1",
    "/users/u1/",
    "/users/u1/keys/",
    "/users/u1/keys/k1/",
    "/users/u1/keys/k1/extra",
    "/users/u1/keys",
    "/userss",
    "/user",
    "/Users",
    "/systems//locking-devices",
    "/systems/s1/locking-devices/",
    "/login/",
    "/users?limit=1",
    "/a/1/2/3",
    "/a/1/2/3/4/5",
};

START_TEST(not_found)
{
    const char *path = unknown_paths[_i];

    ck_assert_msg(router_match(table, N(table), "GET", path, &m) == ST_NOT_FOUND, "'%s' was found",
                  path);
    ck_assert_ptr_null(m.route);
    ck_assert_str_eq(m.allow, "");
}
END_TEST

START_TEST(param_length_limit)
{
    char path[ROUTE_PARAM_LEN + 16];
    char value[ROUTE_PARAM_LEN + 1];

    /* ROUTE_PARAM_LEN - 1 characters fit with their terminator. */
    memset(value, 'x', ROUTE_PARAM_LEN - 1);
    value[ROUTE_PARAM_LEN - 1] = '\0';
    snprintf(path, sizeof(path), "/users/%s", value);
    assert_routes_to("GET", path, "get user");
    ck_assert_str_eq(route_param(&m, "userId"), value);

    /* One more is not a path the API knows. */
    memset(value, 'x', ROUTE_PARAM_LEN);
    value[ROUTE_PARAM_LEN] = '\0';
    snprintf(path, sizeof(path), "/users/%s", value);
    ck_assert_int_eq(router_match(table, N(table), "GET", path, &m), ST_NOT_FOUND);
    ck_assert_ptr_null(m.route);
}
END_TEST

START_TEST(empty_table)
{
    ck_assert_int_eq(router_match(table, 0, "GET", "/users", &m), ST_NOT_FOUND);
    ck_assert_ptr_null(m.route);
}
END_TEST

static Suite *router_suite(void)
{
    Suite *s = suite_create("router");
    TCase *tc = tcase_create("match");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, static_routes);
    tcase_add_test(tc, params_captured);
    tcase_add_test(tc, route_param_lookup);
    tcase_add_test(tc, uuid_ids_lowered);
    tcase_add_test(tc, max_params);
    tcase_add_loop_test(tc, method_not_allowed, 0, N(wrong_methods));
    tcase_add_test(tc, head_matches_get);
    tcase_add_loop_test(tc, not_found, 0, N(unknown_paths));
    tcase_add_test(tc, param_length_limit);
    tcase_add_test(tc, empty_table);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(router_suite());
}
