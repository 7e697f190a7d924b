/*
 * test_associations.c — POST/GET /gateway-device-association and GET/DELETE
 * /gateway-device-association/{gateway-device-association-id} of the Administration API v2:
 * both devices of the caller's system, one row per pair, at most 6 per gateway, the
 * gateway-device-id filter, paging, cascades and isolation.
 *
 * Every system runs on a frozen clock, so creation times are exact.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define FROZEN_TEXT "2024-01-01T08:00:00Z"
#define LIMIT 6
#define MAX_ITEMS 32

/* ---- helpers ------------------------------------------------------------------------ */

/* A system whose clock stands still at FROZEN_TEXT. */
static void frozen_tenant(struct tenant *t)
{
    new_tenant_from(t, FROZEN_AT("2024-01-01T08:00:00Z"));
}

static void pair_body(char *out, size_t cap, const char *gateway, const char *lock)
{
    snprintf(out, cap, "{\"gatewayDeviceId\":\"%.63s\",\"lockingDeviceId\":\"%.63s\"}", gateway,
             lock);
}

/* POSTs the pair and expects status; copies the new id on 201 (id may be NULL). */
static void associate(const struct tenant *t, const char *gateway, const char *lock, long status,
                      char *id)
{
    struct http_response r;
    char body[256];

    pair_body(body, sizeof(body), gateway, lock);
    admin_strict(t, "POST", "/gateway-device-association", body, status, &r);
    if (status == 201 && id != NULL)
        snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
}

static void assert_association(json_object *a, const char *id, const char *gateway,
                               const char *lock)
{
    ck_assert_int_eq(json_object_object_length(a), 4);
    if (id != NULL)
        ck_assert_str_eq(json_object_get_string(member(a, "id")), id);
    ck_assert_str_eq(json_object_get_string(member(a, "gatewayDeviceId")), gateway);
    ck_assert_str_eq(json_object_get_string(member(a, "lockingDeviceId")), lock);
    ck_assert_str_eq(json_object_get_string(member(a, "creationDatetime")), FROZEN_TEXT);
}

/* A problem of status for path; detail_has (may be NULL) must occur in its detail. */
static void expect_detail_has(const struct tenant *t, const char *method, const char *path,
                              const char *body, long status, const char *detail_has)
{
    struct http_response r;

    admin_strict(t, method, path, body, status, &r);
    if (detail_has != NULL)
        ck_assert_msg(strstr(json_str(&r, "detail"), detail_has) != NULL, "detail lacks '%s': %s",
                      detail_has, r.body);
    http_response_free(&r);
}

/* Reads every page of the list (query: extra parameters, "" for none) with limit; copies
 * the ids and returns the count. */
static size_t list_ids(const struct tenant *t, const char *query, int limit, char ids[][64],
                       size_t *pages)
{
    char path[1024];

    snprintf(path, sizeof(path), "/gateway-device-association?limit=%d%s", limit, query);
    return admin_list_ids(t, path, ids, MAX_ITEMS, pages);
}

static size_t count_all(const struct tenant *t)
{
    return admin_count(t, "/gateway-device-association?limit=100");
}

/* ---- tests -------------------------------------------------------------------------- */

START_TEST(create_get_and_list)
{
    struct tenant t;
    struct http_response r;
    char gateway[64], lock[64], body[256], id[64], path[128];

    frozen_tenant(&t);
    new_gateway(&t, gateway, NULL); /* pending activation, and the lock is unclaimed: both fine */
    new_lock(&t, "Door", lock);
    pair_body(body, sizeof(body), gateway, lock);
    admin_strict(&t, "POST", "/gateway-device-association", body, 201, &r);
    ck_assert_msg(json_str(&r, "id") && strlen(json_str(&r, "id")) == 36, "id: %s", r.body);
    snprintf(id, sizeof(id), "%s", json_str(&r, "id"));
    assert_association(r.json, id, gateway, lock);
    http_response_free(&r);

    snprintf(path, sizeof(path), "/gateway-device-association/%s", id);
    admin_strict(&t, "GET", path, NULL, 200, &r);
    assert_association(r.json, id, gateway, lock);
    http_response_free(&r);

    admin_strict(&t, "GET", "/gateway-device-association", NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 1);
    assert_association(json_object_array_get_idx(member(r.json, "items"), 0), id, gateway, lock);
    ck_assert_ptr_null(member(r.json, "nextPageToken"));
    http_response_free(&r);
}
END_TEST

START_TEST(create_rejects_invalid_bodies)
{
    static const char *const both[] = {"gatewayDeviceId", "lockingDeviceId", NULL};
    static const char *const gateway_only[] = {"gatewayDeviceId", NULL};
    static const char *const lock_only[] = {"lockingDeviceId", NULL};
    static const char *const extra[] = {"name", NULL};
    struct tenant t;
    char gateway[64], lock[64], body[256];

    frozen_tenant(&t);
    new_gateway(&t, gateway, NULL);
    new_lock(&t, "Door", lock);
    expect_invalid(&t, "POST", "/gateway-device-association", "{}", both);
    expect_invalid(&t, "POST", "/gateway-device-association",
                   "{\"gatewayDeviceId\":\"gw\",\"lockingDeviceId\":7}", both);
    snprintf(body, sizeof(body), "{\"lockingDeviceId\":\"%s\"}", lock);
    expect_invalid(&t, "POST", "/gateway-device-association", body, gateway_only);
    snprintf(body, sizeof(body), "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":null}", gateway);
    expect_invalid(&t, "POST", "/gateway-device-association", body, lock_only);
    snprintf(body, sizeof(body),
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\","
             "\"name\":\"x\"}",
             gateway, lock);
    expect_invalid(&t, "POST", "/gateway-device-association", body, extra);
    expect_detail_has(&t, "POST", "/gateway-device-association", NULL, 400, NULL);
    expect_detail_has(&t, "POST", "/gateway-device-association", "[]", 400, NULL);
    ck_assert_int_eq(count_all(&t), 0);
}
END_TEST

START_TEST(devices_must_exist_in_the_system)
{
    struct tenant a, b;
    char gateway[64], lock[64], other_gateway[64], other_lock[64], body[256];

    frozen_tenant(&a);
    frozen_tenant(&b);
    new_gateway(&a, gateway, NULL);
    new_lock(&a, "Door", lock);
    new_gateway(&b, other_gateway, NULL);
    new_lock(&b, "Door", other_lock);

    pair_body(body, sizeof(body), UNKNOWN_ID, lock);
    expect_detail_has(&a, "POST", "/gateway-device-association", body, 404,
                      "gateway device '" UNKNOWN_ID "' not found");
    pair_body(body, sizeof(body), gateway, UNKNOWN_ID);
    expect_detail_has(&a, "POST", "/gateway-device-association", body, 404,
                      "locking device '" UNKNOWN_ID "' not found");
    associate(&a, lock, gateway, 404, NULL); /* ids of the wrong kind */
    associate(&a, other_gateway, lock, 404, NULL);
    associate(&a, gateway, other_lock, 404, NULL);
    associate(&b, gateway, lock, 404, NULL);
    ck_assert_int_eq(count_all(&a), 0);
    ck_assert_int_eq(count_all(&b), 0);
}
END_TEST

START_TEST(duplicate_pair_conflicts)
{
    struct tenant t;
    char gateway[64], other[64], lock[64], body[256];

    frozen_tenant(&t);
    new_gateway(&t, gateway, NULL);
    new_gateway(&t, other, NULL);
    new_lock(&t, "Door", lock);
    associate(&t, gateway, lock, 201, NULL);
    pair_body(body, sizeof(body), gateway, lock);
    expect_detail_has(&t, "POST", "/gateway-device-association", body, 409, "already associated");
    associate(&t, other, lock, 201, NULL); /* one lock may serve under two gateways */
    ck_assert_int_eq(count_all(&t), 2);
}
END_TEST

START_TEST(seventh_association_conflicts)
{
    struct tenant t;
    struct http_response r;
    char gateway[64], other[64], locks[LIMIT + 1][64], ids[LIMIT][64], body[256], path[128];

    frozen_tenant(&t);
    new_gateway(&t, gateway, NULL);
    new_gateway(&t, other, NULL);
    for (int i = 0; i <= LIMIT; i++)
        new_lock(&t, "Door", locks[i]);
    for (int i = 0; i < LIMIT; i++)
        associate(&t, gateway, locks[i], 201, ids[i]);
    pair_body(body, sizeof(body), gateway, locks[LIMIT]);
    expect_detail_has(&t, "POST", "/gateway-device-association", body, 409, "6 associations");
    ck_assert_int_eq(count_all(&t), LIMIT);
    associate(&t, other, locks[LIMIT], 201, NULL); /* the limit is per gateway */

    snprintf(path, sizeof(path), "/gateway-device-association/%s", ids[0]);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    http_response_free(&r);
    associate(&t, gateway, locks[LIMIT], 201, NULL);
}
END_TEST

START_TEST(delete_removes_the_association)
{
    struct tenant t;
    struct http_response r;
    char gateway[64], lock[64], id[64], keep[64], path[128], ids[MAX_ITEMS][64];
    size_t pages;

    frozen_tenant(&t);
    new_gateway(&t, gateway, NULL);
    new_lock(&t, "Door", lock);
    associate(&t, gateway, lock, 201, id);
    new_lock(&t, "Door", lock);
    associate(&t, gateway, lock, 201, keep);
    snprintf(path, sizeof(path), "/gateway-device-association/%s", id);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);
    expect_detail_has(&t, "GET", path, NULL, 404, "Resource not found");
    expect_detail_has(&t, "DELETE", path, NULL, 404, "Resource not found");
    ck_assert_int_eq(list_ids(&t, "", 50, ids, &pages), 1);
    ck_assert_str_eq(ids[0], keep);
}
END_TEST

START_TEST(deleting_a_lock_removes_its_associations)
{
    struct tenant t;
    struct http_response r;
    char gateway[64], lock[64], other[64], id[64], keep[64], path[128];

    frozen_tenant(&t);
    new_gateway(&t, gateway, NULL);
    new_lock(&t, "Door", lock);
    new_lock(&t, "Door", other);
    associate(&t, gateway, lock, 201, id);
    associate(&t, gateway, other, 201, keep);
    snprintf(path, sizeof(path), "/locking-device/%s", lock);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/gateway-device-association/%s", id);
    expect_detail_has(&t, "GET", path, NULL, 404, "Resource not found");
    snprintf(path, sizeof(path), "/gateway-device-association/%s", keep);
    admin_strict(&t, "GET", path, NULL, 200, &r);
    http_response_free(&r);
}
END_TEST

START_TEST(unknown_ids_are_not_found)
{
    struct tenant t;

    frozen_tenant(&t);
    expect_detail_has(&t, "GET", "/gateway-device-association/" UNKNOWN_ID, NULL, 404,
                      "Resource not found");
    expect_detail_has(&t, "DELETE", "/gateway-device-association/" UNKNOWN_ID, NULL, 404,
                      "Resource not found");
}
END_TEST

START_TEST(filter_by_gateway)
{
    struct tenant a, b;
    struct http_response r;
    char g1[64], g2[64], foreign[64], lock[64], ids1[3][64], ids[MAX_ITEMS][64], query[128];
    size_t pages;

    frozen_tenant(&a);
    frozen_tenant(&b);
    new_gateway(&a, g1, NULL);
    new_gateway(&a, g2, NULL);
    new_gateway(&b, foreign, NULL);
    for (int i = 0; i < 3; i++) {
        new_lock(&a, "Door", lock);
        associate(&a, g1, lock, 201, ids1[i]);
        associate(&a, g2, lock, 201, NULL);
    }
    snprintf(query, sizeof(query), "&gateway-device-id=%s", g1);
    ck_assert_int_eq(list_ids(&a, query, 50, ids, &pages), 3);
    for (int i = 0; i < 3; i++)
        ck_assert_str_eq(ids[i], ids1[i]);
    admin_strict(&a, "GET", "/gateway-device-association?gateway-device-id=" UNKNOWN_ID, NULL, 200,
                 &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 0);
    http_response_free(&r);
    snprintf(query, sizeof(query), "&gateway-device-id=%s", foreign);
    ck_assert_int_eq(list_ids(&a, query, 50, ids, &pages), 0);
    snprintf(query, sizeof(query), "&gateway-device-id=%s", g1);
    ck_assert_int_eq(list_ids(&b, query, 50, ids, &pages), 0);
    expect_detail_has(&a, "GET", "/gateway-device-association?gateway-device-id=nope", NULL, 400,
                      NULL);
}
END_TEST

START_TEST(lists_page_in_creation_order)
{
    struct tenant t;
    struct http_response r;
    char g1[64], g2[64], lock[64], created[9][64], of_g1[6][64], ids[MAX_ITEMS][64];
    char query[128], path[1024];
    size_t pages;
    int n1 = 0;

    frozen_tenant(&t);
    new_gateway(&t, g1, NULL);
    new_gateway(&t, g2, NULL);
    for (int i = 0; i < 9; i++) {
        new_lock(&t, "Door", lock);
        associate(&t, i % 3 == 2 ? g2 : g1, lock, 201, created[i]);
        if (i % 3 != 2)
            snprintf(of_g1[n1++], 64, "%s", created[i]);
    }
    ck_assert_int_eq(list_ids(&t, "", 2, ids, &pages), 9);
    ck_assert_int_eq(pages, 5);
    for (int i = 0; i < 9; i++)
        ck_assert_str_eq(ids[i], created[i]);

    snprintf(query, sizeof(query), "&gateway-device-id=%s", g1);
    ck_assert_int_eq(list_ids(&t, query, 4, ids, &pages), 6);
    ck_assert_int_eq(pages, 2);
    for (int i = 0; i < 6; i++)
        ck_assert_str_eq(ids[i], of_g1[i]);

    expect_detail_has(&t, "GET", "/gateway-device-association?limit=0", NULL, 400, NULL);
    expect_detail_has(&t, "GET", "/gateway-device-association?limit=101", NULL, 400, NULL);
    expect_detail_has(&t, "GET", "/gateway-device-association?next-page-token=x", NULL, 400, NULL);

    /* A token is bound to its filter. */
    admin_strict(&t, "GET", "/gateway-device-association?limit=2", NULL, 200, &r);
    snprintf(path, sizeof(path),
             "/gateway-device-association?gateway-device-id=%s"
             "&next-page-token=%s",
             g1, json_str(&r, "nextPageToken"));
    http_response_free(&r);
    expect_detail_has(&t, "GET", path, NULL, 400, NULL);
}
END_TEST

START_TEST(systems_never_see_each_others_associations)
{
    struct tenant a, b;
    struct http_response r;
    char gateway[64], lock[64], id[64], mine[64], path[128], ids[MAX_ITEMS][64];
    size_t pages;

    frozen_tenant(&a);
    frozen_tenant(&b);
    new_gateway(&a, gateway, NULL);
    new_lock(&a, "Door", lock);
    associate(&a, gateway, lock, 201, id);
    new_gateway(&b, gateway, NULL);
    new_lock(&b, "Door", lock);
    associate(&b, gateway, lock, 201, mine);

    snprintf(path, sizeof(path), "/gateway-device-association/%s", id);
    expect_detail_has(&b, "GET", path, NULL, 404, "Resource not found");
    expect_detail_has(&b, "DELETE", path, NULL, 404, "Resource not found");
    ck_assert_int_eq(list_ids(&b, "", 50, ids, &pages), 1);
    ck_assert_str_eq(ids[0], mine);
    admin_strict(&a, "GET", path, NULL, 200, &r);
    http_response_free(&r);
    ck_assert_int_eq(list_ids(&a, "", 50, ids, &pages), 1);
    ck_assert_str_eq(ids[0], id);
}
END_TEST

static Suite *associations_suite(void)
{
    Suite *s = suite_create("associations");
    TCase *tc = tcase_create("associations");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_get_and_list);
    tcase_add_test(tc, create_rejects_invalid_bodies);
    tcase_add_test(tc, devices_must_exist_in_the_system);
    tcase_add_test(tc, duplicate_pair_conflicts);
    tcase_add_test(tc, seventh_association_conflicts);
    tcase_add_test(tc, delete_removes_the_association);
    tcase_add_test(tc, deleting_a_lock_removes_its_associations);
    tcase_add_test(tc, unknown_ids_are_not_found);
    tcase_add_test(tc, filter_by_gateway);
    tcase_add_test(tc, lists_page_in_creation_order);
    tcase_add_test(tc, systems_never_see_each_others_associations);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(associations_suite());
}
