/*
 * test_testing.c — POST /testing/locking-device/{locking-device-id}/re-key of the
 * Administration API v2: a claimed lock's operational certificate becomes eligible for
 * re-keying (with the platform's event), unclaimed locks conflict, unknown and foreign
 * locks are not found, and under --production the endpoint is forbidden before anything
 * else is looked at.
 *
 * Claimed locks come from the simulator, so the fixture creates locks through the API on a
 * database file, stops the emulator, claims them with SQLite and restarts it.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define T0 1704096000 /* 2024-01-01T08:00:00Z */
#define OP_EXPIRY_TEXT "2024-01-31T08:00:00Z"
#define NOT_IN_THIS_ENVIRONMENT "This action is not available in this environment."
#define ELIGIBLE_EVENT "LockingDeviceCertificateEligibleForReKeying"

static struct tenant a, b;
static char claimed[64], claimed2[64], unclaimed[64], foreign[64];
static char db_path[320];

/* ---- fixture (runs outside any test: reports instead of asserting) -------------------- */

static int create_lock(struct emu *e, const struct tenant *t, const char *name, char id[64])
{
    struct http_response r;
    char body[128];
    long status;

    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
    status = admin_call(e, t, "POST", "/locking-device", body, &r);
    if (status == 201 && json_str(&r, "id") != NULL)
        snprintf(id, 64, "%s", json_str(&r, "id"));
    else
        setup_fail("POST /locking-device: %ld %s", status, r.body);
    http_response_free(&r);
    return status == 201 ? 0 : -1;
}

/* Claims the lock in the database at path, as a phone would, with certificates. */
static int claim_lock(const char *path, const char *id)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    char *sql = sqlite3_mprintf(
        "UPDATE locking_devices SET claiming_status = 'CLAIMED', serial_number = 'BPLAD' || seq,"
        " hardware_model = 'PADLOCK', hardware_version = '1', firmware_version = '1.0.0',"
        " op_cert_expiration = %d, mfg_cert_expiration = %d WHERE id = %Q;",
        T0 + 30 * 86400, T0 + 3650 * 86400, id);
    int rc = sqlite3_open(path, &db);

    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        setup_fail("sqlite: %s", err ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    sqlite3_free(sql);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

static int build_world(void)
{
    const char *args[] = {"--db", db_path, NULL};
    int rc;

    if (emu_start_file(&emu, "testing.db", db_path, sizeof(db_path)) != 0)
        return setup_fail("the emulator did not start on %s", db_path);
    rc = tenant_create(&emu, &a, FROZEN_AT("2024-01-01T08:00:00Z")) |
         tenant_create(&emu, &b, FROZEN_AT("2024-01-01T08:00:00Z"));
    rc |= create_lock(&emu, &a, "Claimed", claimed);
    rc |= create_lock(&emu, &a, "Also claimed", claimed2);
    rc |= create_lock(&emu, &a, "Unclaimed", unclaimed);
    rc |= create_lock(&emu, &b, "Foreign", foreign);
    if (emu_stop(&emu) != 0 || rc != 0)
        return -1;
    if (claim_lock(db_path, claimed) | claim_lock(db_path, claimed2) | claim_lock(db_path, foreign))
        return -1;
    return emu_restart(&emu, args);
}

static void world_setup(void)
{
    emu_ok = build_world() == 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static void call_on(struct emu *e, const struct tenant *t, const char *method, const char *path,
                    long want, struct http_response *r)
{
    long got = admin_call(e, t, method, path, NULL, r);

    ck_assert_msg(got == want, "%s %s: expected %ld, got %ld: %s", method, path, want, got,
                  r->body);
}

/* A problem of status with the exact detail (NULL: any) and the request path as instance. */
static void expect_problem_on(struct emu *e, const struct tenant *t, const char *path, long status,
                              const char *title, const char *detail)
{
    struct http_response r;
    char instance[256], ct[128];

    call_on(e, t, "POST", path, status, &r);
    ck_assert_ptr_nonnull(http_header(&r, "Content-Type", ct, sizeof(ct)));
    ck_assert_str_eq(ct, "application/problem+json");
    ck_assert_str_eq(json_str(&r, "type"), "about:blank");
    ck_assert_str_eq(json_str(&r, "title"), title);
    ck_assert_int_eq(json_object_get_int(member(r.json, "status")), status);
    snprintf(instance, sizeof(instance), "/administration%s", path);
    ck_assert_str_eq(json_str(&r, "instance"), instance);
    if (detail != NULL)
        ck_assert_str_eq(json_str(&r, "detail"), detail);
    http_response_free(&r);
}

static void rekey_path(char out[160], const char *id)
{
    snprintf(out, 160, "/testing/locking-device/%s/re-key", id);
}

/* The eligibleForReKeying flags of a lock's two certificates, as GET shows them. */
static void eligibility(struct emu *e, const struct tenant *t, const char *id, int *operational,
                        int *manufacturing)
{
    struct http_response r;
    char path[128];

    snprintf(path, sizeof(path), "/locking-device/%s", id);
    call_on(e, t, "GET", path, 200, &r);
    *operational = json_object_get_boolean(
        member(member(r.json, "operationalCertificate"), "eligibleForReKeying"));
    *manufacturing = json_object_get_boolean(
        member(member(r.json, "manufacturingCertificate"), "eligibleForReKeying"));
    ck_assert_str_eq(json_str(&r, "operationalCertificate.expirationDatetime"), OP_EXPIRY_TEXT);
    http_response_free(&r);
}

/* The system's eligibility events, as the control API lists them (the caller puts). */
static json_object *eligible_events(const struct tenant *t)
{
    struct http_response r;
    json_object *items;
    char path[256];

    snprintf(path, sizeof(path), "/systems/%s/events?type=" ELIGIBLE_EVENT, t->system_id);
    ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 200);
    items = json_object_get(member(r.json, "items"));
    ck_assert_msg(json_object_is_type(items, json_type_array), "no items: %s", r.body);
    http_response_free(&r);
    return items;
}

/* How many re-key requests the database holds for the lock, and by whom the last was. */
static int rekey_rows(const char *path, const char *lock, char by[64], long long *at)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int n = 0;

    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT requested_by, requested_at, certificate"
                                        " FROM rekey_requests WHERE locking_device_id = ?"
                                        " ORDER BY seq",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, lock, -1, SQLITE_STATIC);
    for (; sqlite3_step(s) == SQLITE_ROW; n++) {
        snprintf(by, 64, "%s", (const char *)sqlite3_column_text(s, 0));
        *at = sqlite3_column_int64(s, 1);
        ck_assert_str_eq((const char *)sqlite3_column_text(s, 2), "OPERATIONAL");
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

/* ---- tests ----------------------------------------------------------------------------- */

START_TEST(rekey_makes_a_claimed_lock_eligible)
{
    struct http_response r;
    json_object *events, *event;
    char path[160], by[64] = "";
    long long at = 0;
    int op, mfg;

    ck_assert_msg(emu_ok, "the fixture failed; see stderr");
    eligibility(&emu, &a, claimed, &op, &mfg);
    ck_assert_int_eq(op, 0);
    rekey_path(path, claimed);
    call_on(&emu, &a, "POST", path, 204, &r);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);
    eligibility(&emu, &a, claimed, &op, &mfg);
    ck_assert_int_eq(op, 1);
    ck_assert_int_eq(mfg, 0);
    ck_assert_int_eq(rekey_rows(db_path, claimed, by, &at), 1);
    ck_assert_str_eq(by, a.admin_id);
    ck_assert_int_eq(at, T0);

    events = eligible_events(&a);
    ck_assert_int_eq(json_object_array_length(events), 1);
    event = json_object_array_get_idx(events, 0);
    ck_assert_str_eq(json_object_get_string(member(event, "eventType")), ELIGIBLE_EVENT);
    ck_assert_str_eq(json_object_get_string(member(event, "eventSystemId")), a.system_id);
    ck_assert_str_eq(json_object_get_string(member(event, "lockingDeviceId")), claimed);
    ck_assert_str_eq(json_object_get_string(member(event, "certificateProfile")), "OPERATIONAL");
    ck_assert_str_eq(json_object_get_string(member(event, "certificateExpirationDatetime")),
                     OP_EXPIRY_TEXT);
    json_object_put(events);

    /* Asking again records the request; the certificate was eligible already: no event. */
    call_on(&emu, &a, "POST", path, 204, &r);
    http_response_free(&r);
    ck_assert_int_eq(rekey_rows(db_path, claimed, by, &at), 2);
    events = eligible_events(&a);
    ck_assert_int_eq(json_object_array_length(events), 1);
    json_object_put(events);

    /* Another lock is untouched. */
    eligibility(&emu, &a, claimed2, &op, &mfg);
    ck_assert_int_eq(op, 0);
}
END_TEST

START_TEST(rekey_of_an_unclaimed_lock_conflicts)
{
    struct http_response r;
    char path[160], detail[160], by[64];
    long long at;
    json_object *events;

    ck_assert_msg(emu_ok, "the fixture failed; see stderr");
    rekey_path(path, unclaimed);
    snprintf(detail, sizeof(detail), "locking device '%s' is not claimed", unclaimed);
    expect_problem_on(&emu, &a, path, 409, "Conflict", detail);
    ck_assert_int_eq(rekey_rows(db_path, unclaimed, by, &at), 0);
    snprintf(path, sizeof(path), "/locking-device/%s", unclaimed);
    call_on(&emu, &a, "GET", path, 200, &r);
    ck_assert_str_eq(json_str(&r, "claimingStatus"), "UNCLAIMED");
    ck_assert_ptr_null(member(r.json, "operationalCertificate"));
    http_response_free(&r);
    events = eligible_events(&a);
    for (size_t i = 0; i < json_object_array_length(events); i++)
        ck_assert_str_ne(
            json_object_get_string(member(json_object_array_get_idx(events, i), "lockingDeviceId")),
            unclaimed);
    json_object_put(events);
}
END_TEST

START_TEST(rekey_of_an_unknown_or_foreign_lock_is_not_found)
{
    char path[160], by[64];
    long long at;
    json_object *events;
    int op, mfg;

    ck_assert_msg(emu_ok, "the fixture failed; see stderr");
    rekey_path(path, UNKNOWN_ID);
    expect_problem_on(&emu, &a, path, 404, "Not Found", "Resource not found");
    rekey_path(path, "not-a-uuid");
    expect_problem_on(&emu, &a, path, 404, "Not Found", "Resource not found");
    rekey_path(path, foreign);
    expect_problem_on(&emu, &a, path, 404, "Not Found", "Resource not found");
    ck_assert_int_eq(rekey_rows(db_path, foreign, by, &at), 0);
    eligibility(&emu, &b, foreign, &op, &mfg);
    ck_assert_int_eq(op, 0);
    events = eligible_events(&b);
    ck_assert_int_eq(json_object_array_length(events), 0);
    json_object_put(events);
}
END_TEST

/* A second emulator under --production, with a claimed lock, built once outside any test. */
static struct emu prod;
static struct tenant prod_tenant;
static char prod_db[320], prod_lock[64];
static int prod_ok;

static int build_prod(void)
{
    const char *args[] = {"--db", prod_db, "--production", NULL};
    int rc;

    if (emu_start(&prod, NULL) != 0) /* only for its scratch folder */
        return setup_fail("the emulator did not start");
    emu_stop(&prod);
    snprintf(prod_db, sizeof(prod_db), "%s/production.db", prod.dir);
    if (emu_restart(&prod, args) != 0)
        return setup_fail("the --production emulator did not start");
    rc = tenant_create(&prod, &prod_tenant, FROZEN_AT("2024-01-01T08:00:00Z"));
    rc |= create_lock(&prod, &prod_tenant, "Gate", prod_lock);
    if (emu_stop(&prod) != 0 || rc != 0 || claim_lock(prod_db, prod_lock) != 0)
        return -1;
    return emu_restart(&prod, args);
}

static void prod_setup(void)
{
    prod_ok = build_prod() == 0;
}

static void prod_teardown(void)
{
    emu_stop(&prod);
}

START_TEST(rekey_is_forbidden_in_production)
{
    const struct tenant *t = &prod_tenant;
    struct http_response r;
    char lock[64], path[160], by[64];
    long long at;
    int op, mfg;

    ck_assert_msg(prod_ok, "the --production world failed; see stderr");
    /* Refused before the id is looked at: unknown, malformed, unclaimed and claimed alike. */
    rekey_path(path, UNKNOWN_ID);
    expect_problem_on(&prod, t, path, 403, "Forbidden", NOT_IN_THIS_ENVIRONMENT);
    rekey_path(path, "not-a-uuid");
    expect_problem_on(&prod, t, path, 403, "Forbidden", NOT_IN_THIS_ENVIRONMENT);
    ck_assert_int_eq(admin_call(&prod, t, "POST", "/locking-device", "{\"name\":\"Door\"}", &r),
                     201);
    snprintf(lock, sizeof(lock), "%s", json_str(&r, "id"));
    http_response_free(&r);
    rekey_path(path, lock);
    expect_problem_on(&prod, t, path, 403, "Forbidden", NOT_IN_THIS_ENVIRONMENT);
    rekey_path(path, prod_lock);
    expect_problem_on(&prod, t, path, 403, "Forbidden", NOT_IN_THIS_ENVIRONMENT);

    /* Nothing was written. */
    ck_assert_int_eq(rekey_rows(prod_db, prod_lock, by, &at), 0);
    eligibility(&prod, t, prod_lock, &op, &mfg);
    ck_assert_int_eq(op, 0);
}
END_TEST

static Suite *testing_suite(void)
{
    Suite *s = suite_create("testing");
    TCase *tc = tcase_create("testing");

    tcase_add_unchecked_fixture(tc, world_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, rekey_makes_a_claimed_lock_eligible);
    tcase_add_test(tc, rekey_of_an_unclaimed_lock_conflicts);
    tcase_add_test(tc, rekey_of_an_unknown_or_foreign_lock_is_not_found);
    suite_add_tcase(s, tc);
    tc = tcase_create("production");
    tcase_add_unchecked_fixture(tc, prod_setup, prod_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rekey_is_forbidden_in_production);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(testing_suite());
}
