/*
 * test_gateway_devices.c — POST/GET /gateway-device and GET/DELETE
 * /gateway-device/{gateway-device-id} of the Administration API v2: claiming by code, the
 * one-claim-at-a-time rule across systems, re-claiming after a delete, isolation, paging,
 * and how an activated gateway renders.
 *
 * Every system runs on a frozen clock, so creation times are exact.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define FROZEN_TEXT "2024-01-01T08:00:00Z"
#define MAX_ITEMS 32

/* ---- helpers ------------------------------------------------------------------------ */

/* A system on e whose clock stands still at FROZEN_TEXT. */
static void frozen_tenant(struct emu *e, struct tenant *t)
{
    ck_assert_int_eq(tenant_create(e, t, FROZEN_AT("2024-01-01T08:00:00Z")), 0);
}

/* A 400 whose invalidParams names exactly name. */
static void expect_invalid_one(const struct tenant *t, const char *path, const char *body,
                               const char *name)
{
    const char *names[] = {name, NULL};

    expect_invalid(t, "POST", path, body, names);
}

/* A physical gateway from the control API on e; copies its serial and code. */
static void make_hardware(struct emu *e, char serial[64], char code[16])
{
    struct http_response r;

    ck_assert_int_eq(control_call(e, "POST", "/hardware/gateway-devices", NULL, &r), 201);
    snprintf(serial, 64, "%s", json_str(&r, "serialNumber"));
    snprintf(code, 16, "%s", json_str(&r, "claimingCode"));
    http_response_free(&r);
}

static long claim(struct emu *e, const struct tenant *t, const char *code, char id[64])
{
    struct http_response r;
    char body[128];
    long status;

    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", code);
    status = admin_call(e, t, "POST", "/gateway-device", body, &r);
    if (status == 201 && id != NULL)
        snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
    return status;
}

/* Hardware and a claim of it by t; copies the gateway id (and serial, code when given). */
static void claimed_gateway(const struct tenant *t, char id[64], char *serial, char *code)
{
    char s[64], c[16];

    make_hardware(&emu, s, c);
    ck_assert_int_eq(claim(&emu, t, c, id), 201);
    if (serial != NULL)
        snprintf(serial, 64, "%s", s);
    if (code != NULL)
        snprintf(code, 16, "%s", c);
}

/* Asserts r is a pending gateway as the reference shows it. */
static void assert_pending(const struct http_response *r, const char *id, const char *serial)
{
    ck_assert_int_eq(json_object_object_length(r->json), 4);
    ck_assert_str_eq(json_str(r, "id"), id);
    ck_assert_str_eq(json_str(r, "serialNumber"), serial);
    ck_assert_str_eq(json_str(r, "activationStatus"), "PENDING_ACTIVATION");
    ck_assert_str_eq(json_str(r, "creationDatetime"), FROZEN_TEXT);
}

/* Reads every page of GET /gateway-device with limit; copies ids, returns the count. */
static size_t list_ids(const struct tenant *t, int limit, char ids[][64], size_t *pages)
{
    char path[64];

    snprintf(path, sizeof(path), "/gateway-device?limit=%d", limit);
    return admin_list_ids(t, path, ids, MAX_ITEMS, pages);
}

static size_t count_gateways(const struct tenant *t)
{
    return admin_count(t, "/gateway-device?limit=100");
}

static void path_of(char *out, size_t cap, const char *id)
{
    snprintf(out, cap, "/gateway-device/%s", id);
}

/* ---- tests -------------------------------------------------------------------------- */

START_TEST(claim_answers_pending_gateway)
{
    struct tenant t;
    struct http_response r;
    char serial[64], code[16], body[64], path[128], id[64];

    frozen_tenant(&emu, &t);
    make_hardware(&emu, serial, code);
    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", code);
    admin_strict(&t, "POST", "/gateway-device", body, 201, &r);
    ck_assert_msg(json_str(&r, "id") && strlen(json_str(&r, "id")) == 36, "id: %s", r.body);
    snprintf(id, sizeof(id), "%s", json_str(&r, "id"));
    assert_pending(&r, id, serial);
    http_response_free(&r);

    path_of(path, sizeof(path), id);
    admin_strict(&t, "GET", path, NULL, 200, &r);
    assert_pending(&r, id, serial);
    http_response_free(&r);

    admin_strict(&t, "GET", "/gateway-device", NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 1);
    ck_assert_ptr_null(member(r.json, "nextPageToken"));
    http_response_free(&r);
}
END_TEST

START_TEST(claim_accepts_lower_case_code)
{
    struct tenant t;
    char serial[64], code[16], id[64];

    frozen_tenant(&emu, &t);
    make_hardware(&emu, serial, code);
    for (char *c = code; *c; c++)
        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    ck_assert_int_eq(claim(&emu, &t, code, id), 201);
}
END_TEST

START_TEST(claim_rejects_invalid_bodies)
{
    struct tenant t;
    struct http_response r;
    char long_code[128];

    frozen_tenant(&emu, &t);
    snprintf(long_code, sizeof(long_code), "{\"claimingCode\":\"%065d\"}", 0);
    expect_invalid_one(&t, "/gateway-device", "{}", "claimingCode");
    expect_invalid_one(&t, "/gateway-device", "{\"claimingCode\":\"\"}", "claimingCode");
    expect_invalid_one(&t, "/gateway-device", "{\"claimingCode\":42}", "claimingCode");
    expect_invalid_one(&t, "/gateway-device", "{\"claimingCode\":null}", "claimingCode");
    expect_invalid_one(&t, "/gateway-device", long_code, "claimingCode");
    expect_invalid_one(&t, "/gateway-device",
                       "{\"claimingCode\":\"2K7H-ASR3\",\"serialNumber\":\"x\"}", "serialNumber");
    expect_problem(&t, "POST", "/gateway-device", NULL, 400, NULL);
    expect_problem(&t, "POST", "/gateway-device", "[\"2K7H-ASR3\"]", 400, NULL);
    expect_problem(&t, "POST", "/gateway-device", "{\"claimingCode\":", 400, NULL);
    admin_strict(&t, "GET", "/gateway-device", NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 0);
    http_response_free(&r);
}
END_TEST

START_TEST(unknown_code_is_not_found)
{
    struct tenant t;
    char serial[64], code[16];

    frozen_tenant(&emu, &t);
    make_hardware(&emu, serial, code);
    /* "1" is never drawn, and a serial is not a code. */
    expect_problem(&t, "POST", "/gateway-device", "{\"claimingCode\":\"1111-1111\"}", 404,
                   "unknown claiming code '1111-1111'");
    ck_assert_int_eq(claim(&emu, &t, serial, NULL), 404);
    ck_assert_int_eq(count_gateways(&t), 0);
}
END_TEST

START_TEST(claimed_code_conflicts_in_every_system)
{
    struct tenant a, b;
    char id[64], code[16], body[64], detail[128];

    frozen_tenant(&emu, &a);
    frozen_tenant(&emu, &b);
    claimed_gateway(&a, id, NULL, code);
    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", code);
    snprintf(detail, sizeof(detail),
             "the gateway device with claiming code '%s' is already claimed", code);
    expect_problem(&a, "POST", "/gateway-device", body, 409, detail);
    expect_problem(&b, "POST", "/gateway-device", body, 409, detail);
    ck_assert_int_eq(count_gateways(&a), 1);
    ck_assert_int_eq(count_gateways(&b), 0);
}
END_TEST

START_TEST(delete_frees_the_gateway_for_another_system)
{
    struct tenant a, b;
    struct http_response r;
    char id[64], id_b[64], serial[64], code[16], path[128];

    frozen_tenant(&emu, &a);
    frozen_tenant(&emu, &b);
    claimed_gateway(&a, id, serial, code);
    path_of(path, sizeof(path), id);
    admin_strict(&a, "DELETE", path, NULL, 204, &r);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);
    expect_problem(&a, "GET", path, NULL, 404, "Resource not found");
    expect_problem(&a, "DELETE", path, NULL, 404, "Resource not found");
    ck_assert_int_eq(count_gateways(&a), 0);

    ck_assert_int_eq(claim(&emu, &b, code, id_b), 201);
    ck_assert_str_ne(id_b, id); /* a new claim is a new gateway device */
    path_of(path, sizeof(path), id_b);
    admin_strict(&b, "GET", path, NULL, 200, &r);
    assert_pending(&r, id_b, serial);
    http_response_free(&r);
    ck_assert_int_eq(claim(&emu, &a, code, NULL), 409);
}
END_TEST

START_TEST(delete_removes_the_associations)
{
    struct tenant t;
    struct http_response r;
    char id[64], body[160], path[128], association[128];

    frozen_tenant(&emu, &t);
    claimed_gateway(&t, id, NULL, NULL);
    admin_strict(&t, "POST", "/locking-device", "{\"name\":\"Gate\"}", 201, &r);
    snprintf(body, sizeof(body), "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\"}", id,
             json_str(&r, "id"));
    http_response_free(&r);
    admin_strict(&t, "POST", "/gateway-device-association", body, 201, &r);
    snprintf(association, sizeof(association), "/gateway-device-association/%s",
             json_str(&r, "id"));
    http_response_free(&r);

    path_of(path, sizeof(path), id);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    http_response_free(&r);
    expect_problem(&t, "GET", association, NULL, 404, "Resource not found");
    admin_strict(&t, "GET", "/gateway-device-association", NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 0);
    http_response_free(&r);
}
END_TEST

START_TEST(unknown_ids_are_not_found)
{
    struct tenant t;

    frozen_tenant(&emu, &t);
    expect_problem(&t, "GET", "/gateway-device/" UNKNOWN_ID, NULL, 404, "Resource not found");
    expect_problem(&t, "DELETE", "/gateway-device/" UNKNOWN_ID, NULL, 404, "Resource not found");
    expect_problem(&t, "GET", "/gateway-device/not-a-uuid", NULL, 404, "Resource not found");
}
END_TEST

START_TEST(systems_never_see_each_others_gateways)
{
    struct tenant a, b;
    struct http_response r;
    char id[64], mine[64], path[128], ids[MAX_ITEMS][64];
    size_t pages;

    frozen_tenant(&emu, &a);
    frozen_tenant(&emu, &b);
    claimed_gateway(&a, id, NULL, NULL);
    claimed_gateway(&b, mine, NULL, NULL);
    path_of(path, sizeof(path), id);
    expect_problem(&b, "GET", path, NULL, 404, "Resource not found");
    expect_problem(&b, "DELETE", path, NULL, 404, "Resource not found");
    ck_assert_int_eq(list_ids(&b, 50, ids, &pages), 1);
    ck_assert_str_eq(ids[0], mine);

    admin_strict(&a, "GET", path, NULL, 200, &r); /* B's attempt changed nothing */
    http_response_free(&r);
    ck_assert_int_eq(list_ids(&a, 50, ids, &pages), 1);
    ck_assert_str_eq(ids[0], id);
}
END_TEST

START_TEST(list_pages_in_claim_order)
{
    enum { N = 5 };
    struct tenant a, b;
    struct http_response r;
    char created[N][64], ids[MAX_ITEMS][64], path[1024];
    size_t pages;

    frozen_tenant(&emu, &a);
    frozen_tenant(&emu, &b);
    for (int i = 0; i < N; i++)
        claimed_gateway(&a, created[i], NULL, NULL);
    ck_assert_int_eq(list_ids(&a, 2, ids, &pages), N);
    ck_assert_int_eq(pages, 3);
    for (int i = 0; i < N; i++)
        ck_assert_str_eq(ids[i], created[i]);
    ck_assert_int_eq(list_ids(&a, 5, ids, &pages), N);
    ck_assert_int_eq(pages, 1);

    expect_problem(&a, "GET", "/gateway-device?limit=0", NULL, 400, NULL);
    expect_problem(&a, "GET", "/gateway-device?limit=101", NULL, 400, NULL);
    expect_problem(&a, "GET", "/gateway-device?limit=many", NULL, 400, NULL);
    expect_problem(&a, "GET", "/gateway-device?next-page-token=garbage", NULL, 400, NULL);

    /* A token belongs to its system's list. */
    admin_strict(&a, "GET", "/gateway-device?limit=2", NULL, 200, &r);
    snprintf(path, sizeof(path), "/gateway-device?limit=2&next-page-token=%s",
             json_str(&r, "nextPageToken"));
    http_response_free(&r);
    expect_problem(&b, "GET", path, NULL, 400, NULL);
}
END_TEST

/* ---- activated gateways (written into the database: power-on comes later) ------------- */

static void sql_exec(const char *db_path, const char *sql)
{
    sqlite3 *db = NULL;
    char *err = NULL;

    ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql,
                  err ? err : "");
    sqlite3_close(db);
}

START_TEST(activated_gateway_shows_activation_and_hardware)
{
    struct emu e;
    struct tenant t;
    struct http_response r;
    char db_path[320], serial[2][64], code[2][16], id[2][64], sql[512], path[128];
    const char *args[] = {"--db", db_path, NULL};

    ck_assert_int_eq(emu_start_file(&e, "gw.db", db_path, sizeof(db_path)), 0);
    frozen_tenant(&e, &t);
    for (int i = 0; i < 2; i++) {
        make_hardware(&e, serial[i], code[i]);
        ck_assert_int_eq(claim(&e, &t, code[i], id[i]), 201);
    }
    ck_assert_int_eq(emu_stop(&e), 0);
    snprintf(sql, sizeof(sql),
             "UPDATE gateway_devices SET activation_status = 'ACTIVATED',"
             " activated_at = 1704099600, hardware_model = 'BEAT_GW_A1',"
             " hardware_version = '1.0.0', firmware_version = '0.7.0' WHERE id = '%s';"
             "UPDATE gateway_devices SET activation_status = 'ACTIVATED',"
             " activated_at = 1704099660 WHERE id = '%s';",
             id[0], id[1]);
    sql_exec(db_path, sql);
    ck_assert_int_eq(emu_restart(&e, args), 0);

    path_of(path, sizeof(path), id[0]);
    admin_expect_on(&e, &t, "GET", path, NULL, 200, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 8);
    assert_strings(r.json, (const char *const[]){"serialNumber", serial[0], "activationStatus",
                                                 "ACTIVATED", "creationDatetime", FROZEN_TEXT,
                                                 "activationDatetime", "2024-01-01T09:00:00Z",
                                                 "hardwareModel", "BEAT_GW_A1", "hardwareVersion",
                                                 "1.0.0", "firmwareVersion", "0.7.0", NULL});
    http_response_free(&r);

    /* The reference's second example: activated, with nothing reported yet. */
    admin_expect_on(&e, &t, "GET", "/gateway-device", NULL, 200, &r);
    json_object *second = json_object_array_get_idx(member(r.json, "items"), 1);
    ck_assert_int_eq(json_object_object_length(second), 5);
    ck_assert_str_eq(json_object_get_string(member(second, "activationDatetime")),
                     "2024-01-01T09:01:00Z");
    http_response_free(&r);
    emu_stop(&e);
}
END_TEST

static Suite *gateway_devices_suite(void)
{
    Suite *s = suite_create("gateway_devices");
    TCase *tc = tcase_create("gateway devices"), *db = tcase_create("stored state");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_set_timeout(db, 120);
    tcase_add_test(tc, claim_answers_pending_gateway);
    tcase_add_test(tc, claim_accepts_lower_case_code);
    tcase_add_test(tc, claim_rejects_invalid_bodies);
    tcase_add_test(tc, unknown_code_is_not_found);
    tcase_add_test(tc, claimed_code_conflicts_in_every_system);
    tcase_add_test(tc, delete_frees_the_gateway_for_another_system);
    tcase_add_test(tc, delete_removes_the_associations);
    tcase_add_test(tc, unknown_ids_are_not_found);
    tcase_add_test(tc, systems_never_see_each_others_gateways);
    tcase_add_test(tc, list_pages_in_claim_order);
    tcase_add_test(db, activated_gateway_shows_activation_and_hardware);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, db);
    return s;
}

int main(void)
{
    return run_suite(gateway_devices_suite());
}
