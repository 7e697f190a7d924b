/*
 * test_persistence.c — state lives in the SQLite file named by --db (DESIGN.md §7, §9):
 * after a graceful stop (SIGTERM) and after a crash (SIGKILL) right behind acknowledged
 * writes, a restart on the same file finds every system, user, locking device and API
 * key, and tokens issued before still work because the signing key is in the database.
 *
 * These tests stop and restart their emulator mid-test, so the runner does not fork: a
 * failing assertion jumps to the checked teardown, which kills whatever still runs.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define WRITES 20

static struct tenant tenant;
static char dir[64], db[96];
static const char *args[] = {"--db", db, NULL};

static void scratch_setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/ke-persist-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/x.db", dir);
    memset(&emu, 0, sizeof(emu));
}

static void scratch_teardown(void)
{
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[512];

    emu_kill(&emu); /* only does something when a failed test left it running */
    for (size_t i = 0; i < N(suffixes); i++) {
        snprintf(path, sizeof(path), "%s%s", db, suffixes[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Starts the emulator on the scratch database with a fresh tenant. */
static void start_with_tenant(void)
{
    ck_assert_int_eq(emu_start(&emu, args), 0);
    ck_assert_int_eq(tenant_create(&emu, &tenant, "{\"name\":\"Persistent\"}"), 0);
}

/* POSTs body to an Administration API collection; asserts 201 and copies the new
 * resource's path ("<collection>/<id>") into location. */
static void create(const char *collection, const char *body, char *location, size_t cap)
{
    struct http_response r;

    ck_assert_msg(admin_call(&emu, &tenant, "POST", collection, body, &r) == 201, "POST %s: %ld %s",
                  collection, r.status, r.body);
    ck_assert_ptr_nonnull(json_str(&r, "id"));
    snprintf(location, cap, "%s/%s", collection, json_str(&r, "id"));
    http_response_free(&r);
}

/* GET of an Administration API resource answers want and, when 200, field == value. */
static void expect_resource(const char *path, long want, const char *field, const char *value)
{
    struct http_response r;

    ck_assert_msg(admin_call(&emu, &tenant, "GET", path, NULL, &r) == want, "GET %s: %ld %s", path,
                  r.status, r.body);
    if (want == 200 && field != NULL)
        ck_assert_str_eq(json_str(&r, field), value);
    http_response_free(&r);
}

static void jwks_kid(char *out, size_t cap)
{
    struct http_response r;
    json_object *keys, *kid;

    ck_assert_int_eq(control_call(&emu, "GET", "/jwks.json", NULL, &r), 200);
    ck_assert(json_object_object_get_ex(r.json, "keys", &keys));
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(keys, 0), "kid", &kid));
    snprintf(out, cap, "%s", json_object_get_string(kid));
    http_response_free(&r);
}

/* GET /api-keys lists key with these limits (the database is fresh: one page will do). */
static int api_key_has_limits(const char *key, int rate, int burst)
{
    struct http_response r;
    json_object *items, *v;
    int found = 0;

    ck_assert_int_eq(control_call(&emu, "GET", "/api-keys?limit=100", NULL, &r), 200);
    ck_assert(json_object_object_get_ex(r.json, "items", &items));
    for (size_t i = 0; i < json_object_array_length(items); i++) {
        json_object *item = json_object_array_get_idx(items, i);
        if (!json_object_object_get_ex(item, "key", &v) ||
            strcmp(json_object_get_string(v), key) != 0)
            continue;
        found = json_object_object_get_ex(item, "requestsPerSecond", &v) &&
                json_object_get_int(v) == rate && json_object_object_get_ex(item, "burst", &v) &&
                json_object_get_int(v) == burst;
    }
    http_response_free(&r);
    return found;
}

static const struct {
    const char *path, *body, *field, *value; /* field == value after the restart */
} content[] = {
    {"/user", "{\"role\":\"USER\"}", "role", "USER"},
    {"/user", "{\"role\":\"ADMIN\"}", "role", "ADMIN"},
    {"/locking-device", "{\"name\":\"Front Gate\"}", "name", "Front Gate"},
    {"/locking-device", "{\"name\":\"Backyard Gate\"}", "name", "Backyard Gate"},
};

START_TEST(graceful_restart_keeps_everything)
{
    char locations[N(content)][128], path[512], kid[128], kid_after[128], api_key[128];
    struct http_response r;
    struct tenant with_key;

    start_with_tenant();
    for (size_t i = 0; i < N(content); i++)
        create(content[i].path, content[i].body, locations[i], sizeof(locations[i]));
    ck_assert_int_eq(control_call(&emu, "POST", "/api-keys",
                                  "{\"name\":\"kept\",\"requestsPerSecond\":7,\"burst\":9}", &r),
                     201);
    snprintf(api_key, sizeof(api_key), "%s", json_str(&r, "key"));
    http_response_free(&r);
    jwks_kid(kid, sizeof(kid));

    ck_assert_int_eq(emu_stop(&emu), 0);
    ck_assert_int_eq(emu_restart(&emu, args), 0);

    snprintf(path, sizeof(path), "/systems/%s", tenant.system_id);
    ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 200);
    ck_assert_str_eq(json_str(&r, "name"), "Persistent");
    ck_assert_str_eq(json_str(&r, "clock.mode"), "real");
    http_response_free(&r);

    for (size_t i = 0; i < N(content); i++) /* with the token issued before the stop */
        expect_resource(locations[i], 200, content[i].field, content[i].value);
    jwks_kid(kid_after, sizeof(kid_after));
    ck_assert_str_eq(kid_after, kid);
    ck_assert_int_eq(tenant_login(&emu, &tenant, tenant.admin_id, tenant.access_key, NULL, 0), 200);

    ck_assert_msg(api_key_has_limits(api_key, 7, 9), "API key %s or its limits are gone", api_key);
    with_key = tenant;
    snprintf(with_key.api_key, sizeof(with_key.api_key), "%s", api_key);
    ck_assert_int_eq(admin_call(&emu, &with_key, "GET", "/user", NULL, &r), 200);
    http_response_free(&r);
    ck_assert_int_eq(emu_stop(&emu), 0);
}
END_TEST

START_TEST(created_users_log_in_after_a_restart)
{
    char id[64], key[128];
    struct http_response r;

    start_with_tenant();
    ck_assert_int_eq(admin_call(&emu, &tenant, "POST", "/user", "{\"role\":\"ADMIN\"}", &r), 201);
    snprintf(id, sizeof(id), "%s", json_str(&r, "id"));
    snprintf(key, sizeof(key), "%s", json_str(&r, "accessKey"));
    http_response_free(&r);

    ck_assert_int_eq(emu_stop(&emu), 0);
    ck_assert_int_eq(emu_restart(&emu, args), 0);
    ck_assert_int_eq(tenant_login(&emu, &tenant, id, key, NULL, 0), 200);
    ck_assert_int_eq(tenant_login(&emu, &tenant, id, tenant.access_key, NULL, 0), 401);
    ck_assert_int_eq(emu_stop(&emu), 0);
}
END_TEST

/* Every write the emulator acknowledged is on disk, even when it dies at once. */
START_TEST(sigkill_loses_no_acknowledged_write)
{
    char users[WRITES][128], devices[WRITES][128], name[32], body[64];
    struct http_response r;

    start_with_tenant();
    for (int i = 0; i < WRITES; i++) {
        create("/user", "{\"role\":\"USER\"}", users[i], sizeof(users[i]));
        snprintf(body, sizeof(body), "{\"name\":\"Door %d\"}", i);
        create("/locking-device", body, devices[i], sizeof(devices[i]));
    }
    /* a delete is a write too */
    ck_assert_int_eq(admin_call(&emu, &tenant, "DELETE", users[0], NULL, &r), 204);
    http_response_free(&r);

    emu_kill(&emu);
    ck_assert_int_eq(emu_restart(&emu, args), 0);

    expect_resource(users[0], 404, NULL, NULL);
    for (int i = 1; i < WRITES; i++)
        expect_resource(users[i], 200, "role", "USER");
    for (int i = 0; i < WRITES; i++) {
        snprintf(name, sizeof(name), "Door %d", i);
        expect_resource(devices[i], 200, "name", name);
    }
    ck_assert_int_eq(emu_stop(&emu), 0);
}
END_TEST

START_TEST(deleted_system_stays_deleted_after_a_crash)
{
    char path[512];
    struct http_response r;

    start_with_tenant();
    snprintf(path, sizeof(path), "/systems/%s", tenant.system_id);
    ck_assert_int_eq(control_call(&emu, "DELETE", path, NULL, &r), 204);
    http_response_free(&r);

    emu_kill(&emu);
    ck_assert_int_eq(emu_restart(&emu, args), 0);
    ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 404);
    http_response_free(&r);
    ck_assert_int_eq(tenant_login(&emu, &tenant, tenant.admin_id, tenant.access_key, NULL, 0), 403);
    ck_assert_int_eq(emu_stop(&emu), 0);
}
END_TEST

static Suite *persistence_suite(void)
{
    Suite *s = suite_create("persistence");
    TCase *tc = tcase_create("persistence");

    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, graceful_restart_keeps_everything);
    tcase_add_test(tc, created_users_log_in_after_a_restart);
    tcase_add_test(tc, sigkill_loses_no_acknowledged_write);
    tcase_add_test(tc, deleted_system_stays_deleted_after_a_crash);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* No fork: a failed assertion must still reach scratch_teardown to stop the emulator. */
    return run_suite_nofork(persistence_suite());
}
