/*
 * test_isolation.c — one system never sees, changes or learns of another's resources.
 *
 * Two systems A and B on one emulator: B's token on A's ids answers 404 (never 403) and
 * changes nothing; B's lists, filters and paging tokens never show A's items; and the
 * system is decided by the token, not by the API key (API keys are application keys).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_ITEMS 64
#define RENAME "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Taken\"}]"

/* ---- helpers ------------------------------------------------------------------------ */

/* System A with a user and two devices, and an empty system B. */
struct world {
    struct tenant a, b;
    char a_user[64];
    char a_devices[2][64];
};

/* Asserts invalidParams names exactly the one field name. */
static void assert_invalid_param(const struct http_response *r, const char *name)
{
    json_object *list = member(r->json, "invalidParams");

    ck_assert_msg(json_object_is_type(list, json_type_array) && json_object_array_length(list) == 1,
                  "expected one invalid parameter: %s", r->body);
    ck_assert_str_eq(json_object_get_string(member(json_object_array_get_idx(list, 0), "name")),
                     name);
}

static void world_init(struct world *w)
{
    new_tenant(&w->a);
    new_tenant(&w->b);
    post_id(&w->a, "/user", "{\"role\":\"USER\"}", w->a_user);
    post_id(&w->a, "/locking-device", "{\"name\":\"A0\"}", w->a_devices[0]);
    post_id(&w->a, "/locking-device", "{\"name\":\"A1\"}", w->a_devices[1]);
}

/* Reads every page of path (a list route); copies the item ids in order and returns the
 * count. */
static size_t list_ids(const struct tenant *t, const char *path, char ids[][64])
{
    return admin_list_ids(t, path, ids, MAX_ITEMS, NULL);
}

/* Asserts that the list at path shows exactly want (n ids, in order) to t. */
static void assert_list(const struct tenant *t, const char *path, const char *const *want, size_t n)
{
    char ids[MAX_ITEMS][64];
    size_t got = list_ids(t, path, ids);

    ck_assert_msg(got == n, "%s: %zu items, expected %zu", path, got, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(ids[i], want[i]);
}

/* Asserts A's resources are exactly as world_init made them. */
static void assert_a_unchanged(const struct world *w)
{
    const char *const users[] = {w->a.admin_id, w->a_user};
    const char *const devices[] = {w->a_devices[0], w->a_devices[1]};
    struct http_response r;
    char path[128];

    assert_list(&w->a, "/user?limit=100", users, 2);
    assert_list(&w->a, "/locking-device?limit=100", devices, 2);
    snprintf(path, sizeof(path), "/user/%s", w->a_user);
    admin_strict(&w->a, "GET", path, NULL, 200, &r);
    ck_assert_str_eq(json_str(&r, "role"), "USER");
    http_response_free(&r);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "/locking-device/%s", w->a_devices[i]);
        admin_strict(&w->a, "GET", path, NULL, 200, &r);
        ck_assert_str_eq(json_str(&r, "name"), i == 0 ? "A0" : "A1");
        http_response_free(&r);
    }
}

/* A page of path as t with limit=1, returning its nextPageToken (asserted present). */
static void first_page_token(const struct tenant *t, const char *path, char *token, size_t cap)
{
    struct http_response r;

    admin_strict(t, "GET", path, NULL, 200, &r);
    ck_assert_msg(json_str(&r, "nextPageToken") != NULL, "%s: no nextPageToken", path);
    snprintf(token, cap, "%s", json_str(&r, "nextPageToken"));
    http_response_free(&r);
}

/* ---- tests -------------------------------------------------------------------------- */

START_TEST(other_systems_ids_are_not_found)
{
    enum target { A_USER, A_ADMIN, A_DEVICE };
    static const struct route routes[] = {
        {"GET", "/user/", A_USER, NULL},
        {"GET", "/user/", A_ADMIN, NULL},
        {"DELETE", "/user/", A_USER, NULL},
        {"DELETE", "/user/", A_ADMIN, NULL},
        {"GET", "/locking-device/", A_DEVICE, NULL},
        {"PATCH", "/locking-device/", A_DEVICE, RENAME},
        {"PATCH", "/locking-device/", A_DEVICE,
         "[{\"op\":\"test\",\"path\":\"/name\",\"value\":\"A0\"}]"},
        {"PATCH", "/locking-device/", A_DEVICE, /* a failing test must not tell either */
         "[{\"op\":\"test\",\"path\":\"/name\",\"value\":\"wrong\"}]"},
        {"DELETE", "/locking-device/", A_DEVICE, NULL},
    };
    struct world w;

    world_init(&w);
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        const char *const ids[] = {
            [A_USER] = w.a_user, [A_ADMIN] = w.a.admin_id, [A_DEVICE] = w.a_devices[0]};
        struct http_response r, unknown;
        char path[128];

        snprintf(path, sizeof(path), "%s%s", routes[i].prefix, ids[routes[i].target]);
        admin_strict(&w.b, routes[i].method, path, routes[i].body, 404, &r);
        ck_assert_str_eq(json_str(&r, "detail"), "Resource not found");

        /* Word for word what an id that exists nowhere gets. */
        snprintf(path, sizeof(path), "%s%s", routes[i].prefix, UNKNOWN_ID);
        admin_strict(&w.b, routes[i].method, path, routes[i].body, 404, &unknown);
        json_object_object_del(r.json, "instance");
        json_object_object_del(unknown.json, "instance");
        ck_assert_msg(json_object_equal(r.json, unknown.json), "%s %s: %s differs from %s",
                      routes[i].method, path, r.body, unknown.body);
        http_response_free(&r);
        http_response_free(&unknown);
    }
    assert_a_unchanged(&w);
    ck_assert_int_eq(tenant_login(&emu, &w.a, w.a.admin_id, w.a.access_key, NULL, 0), 200);
}
END_TEST

START_TEST(lists_show_only_own_items)
{
    static const struct {
        const char *path;
        size_t b_devices; /* how many of B's one device the list shows */
    } device_lists[] = {
        {"/locking-device?limit=100", 1},
        {"/locking-device?limit=1", 1},
        {"/locking-device?claiming-status=UNCLAIMED", 1},
        {"/locking-device?claiming-status=CLAIMED", 0},
        {"/locking-device?serial-number=A0", 0},
    };
    struct world w;
    char b_device[64];

    world_init(&w);
    post_id(&w.b, "/locking-device", "{\"name\":\"B0\"}", b_device);

    const char *const b_users[] = {w.b.admin_id};
    const char *const b_devices[] = {b_device};
    assert_list(&w.b, "/user?limit=100", b_users, 1);
    assert_list(&w.b, "/user?limit=1", b_users, 1);
    for (size_t i = 0; i < sizeof(device_lists) / sizeof(device_lists[0]); i++)
        assert_list(&w.b, device_lists[i].path, b_devices, device_lists[i].b_devices);
    assert_a_unchanged(&w);
}
END_TEST

START_TEST(paging_tokens_stay_with_their_system)
{
    static const char *const lists[] = {"/user?limit=1", "/locking-device?limit=1",
                                        "/locking-device?limit=1&claiming-status=UNCLAIMED"};
    struct world w;
    char scratch[64];

    world_init(&w);
    /* B has enough items for a second page of its own. */
    post_id(&w.b, "/user", "{\"role\":\"USER\"}", scratch);
    post_id(&w.b, "/locking-device", "{\"name\":\"B0\"}", scratch);
    post_id(&w.b, "/locking-device", "{\"name\":\"B1\"}", scratch);

    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        const char *a_second = strncmp(lists[i], "/user", 5) == 0 ? w.a_user : w.a_devices[1];
        struct http_response r;
        char token[512], path[1024];

        first_page_token(&w.a, lists[i], token, sizeof(token));
        snprintf(path, sizeof(path), "%s&next-page-token=%s", lists[i], token);
        admin_strict(&w.b, "GET", path, NULL, 400, &r);
        assert_invalid_param(&r, "next-page-token");
        http_response_free(&r);

        /* The token still works for A: A's second item, nothing of B's. */
        admin_strict(&w.a, "GET", path, NULL, 200, &r);
        ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 1);
        ck_assert_str_eq(json_object_get_string(
                             member(json_object_array_get_idx(member(r.json, "items"), 0), "id")),
                         a_second);
        http_response_free(&r);
    }
}
END_TEST

START_TEST(the_token_decides_the_system_not_the_api_key)
{
    struct world w;
    struct tenant a_with_b_key;
    struct http_response r;
    char made[64], path[128], token[512], page[1024];

    world_init(&w);
    a_with_b_key = w.b;
    memcpy(a_with_b_key.token, w.a.token, sizeof(a_with_b_key.token));

    /* Reads see A. */
    const char *const a_users[] = {w.a.admin_id, w.a_user};
    assert_list(&a_with_b_key, "/user?limit=100", a_users, 2);
    snprintf(path, sizeof(path), "/user/%s", w.a_user);
    admin_strict(&a_with_b_key, "GET", path, NULL, 200, &r);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/user/%s", w.b.admin_id);
    admin_strict(&a_with_b_key, "GET", path, NULL, 404, &r);
    http_response_free(&r);

    /* A write lands in A. */
    post_id(&a_with_b_key, "/locking-device", "{\"name\":\"A2\"}", made);
    const char *const a_devices[] = {w.a_devices[0], w.a_devices[1], made};
    assert_list(&w.a, "/locking-device?limit=100", a_devices, 3);
    assert_list(&w.b, "/locking-device?limit=100", NULL, 0);

    /* A's paging token is A's whichever key carries it. */
    first_page_token(&w.a, "/locking-device?limit=2", token, sizeof(token));
    snprintf(page, sizeof(page), "/locking-device?limit=2&next-page-token=%s", token);
    admin_strict(&a_with_b_key, "GET", page, NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 1);
    ck_assert_str_eq(
        json_object_get_string(member(json_object_array_get_idx(member(r.json, "items"), 0), "id")),
        made);
    http_response_free(&r);
}
END_TEST

static Suite *isolation_suite(void)
{
    Suite *s = suite_create("isolation");
    TCase *tc = tcase_create("isolation");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, other_systems_ids_are_not_found);
    tcase_add_test(tc, lists_show_only_own_items);
    tcase_add_test(tc, paging_tokens_stay_with_their_system);
    tcase_add_test(tc, the_token_decides_the_system_not_the_api_key);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(isolation_suite());
}
