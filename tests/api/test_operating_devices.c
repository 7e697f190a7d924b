/*
 * test_operating_devices.c — GET /operating-device and DELETE /operating-device/{id} of the
 * Administration API v2. Devices are made the way phones make them: an admin invites, the
 * phone accepts through POST /_emulator/v1/invitations/accept.
 *
 * A legacy device cannot be made through any API, so that test runs on a file database:
 * the emulator is stopped, the row is written with SQLite, and the emulator is started
 * again. The runner does not fork, so the fixture's struct emu follows the restart and
 * teardown stops the running process.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define LEGACY_ID "6c1b6a3e-0c0a-4a51-9d55-0d6b4e1f2a10"
#define MAX_DEVICES 16

static char file_dir[64];
static char file_db[128];
static const char *file_args[] = {"--db", file_db, NULL};

static void file_setup(void)
{
    snprintf(file_dir, sizeof(file_dir), "/tmp/ke-operating-devices-XXXXXX");
    emu_ok = mkdtemp(file_dir) != NULL;
    snprintf(file_db, sizeof(file_db), "%s/x.db", file_dir);
    emu_ok = emu_ok && emu_start(&emu, file_args) == 0;
}

static void file_teardown(void)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char path[160];

    emu_stop(&emu);
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", file_db, suffixes[i]);
        unlink(path);
    }
    rmdir(file_dir);
}

/* ---- helpers ------------------------------------------------------------------------ */

/* Asserts r is a 400 naming exactly the one parameter name. */
static void assert_invalid_param(const struct http_response *r, const char *name)
{
    json_object *list = member(r->json, "invalidParams");

    ck_assert_msg(json_object_array_length(list) == 1, "expected one entry: %s", r->body);
    ck_assert_str_eq(jstr(json_object_array_get_idx(list, 0), "name"), name);
}

/* Invites user_id (NONE) and accepts; copies the new device id. */
static void add_device(const struct tenant *t, const char *user_id, char device[64])
{
    struct http_response r;
    char body[256];

    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\"}", user_id);
    admin_strict(t, "POST", "/operating-device-invitation", body, 201, &r);
    snprintf(body, sizeof(body), "{\"invitationId\":\"%s\"}", json_str(&r, "id"));
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "POST", "/invitations/accept", body, &r), 201);
    snprintf(device, 64, "%s", json_str(&r, "operatingDeviceId"));
    http_response_free(&r);
}

/* A user with a device; copies both ids. */
static void add_user_with_device(const struct tenant *t, char user[64], char device[64])
{
    new_user(t, user);
    add_device(t, user, device);
}

/* Reads every page of GET /operating-device with query (e.g. "limit=2"), asserting each
 * page holds at most limit items of exactly {id, userId}; copies ids and user ids in order
 * and returns the count. *pages receives the number of pages read. */
static size_t list_devices(const struct tenant *t, const char *query, size_t limit, char ids[][64],
                           char users[][64], int *pages)
{
    char path[1024];
    size_t n = 0;

    snprintf(path, sizeof(path), "/operating-device?%s", query);
    for (*pages = 1; *pages < 50; (*pages)++) {
        struct http_response r;
        json_object *items;
        const char *next;

        admin_strict(t, "GET", path, NULL, 200, &r);
        items = member(r.json, "items");
        ck_assert_msg(json_object_is_type(items, json_type_array), "no items: %s", r.body);
        ck_assert_uint_le(json_object_array_length(items), limit);
        for (size_t i = 0; i < json_object_array_length(items); i++, n++) {
            json_object *d = json_object_array_get_idx(items, i);
            ck_assert_uint_lt(n, MAX_DEVICES);
            ck_assert_int_eq(json_object_object_length(d), 2);
            snprintf(ids[n], 64, "%s", jstr(d, "id"));
            snprintf(users[n], 64, "%s", jstr(d, "userId"));
        }
        next = json_str(&r, "nextPageToken");
        if (next != NULL)
            snprintf(path, sizeof(path), "/operating-device?%s&next-page-token=%s", query, next);
        http_response_free(&r);
        if (next == NULL)
            return n;
    }
    ck_abort_msg("GET /operating-device never reached its last page");
    return n;
}

static size_t count_events(const struct tenant *t, const char *type)
{
    struct http_response r;
    char path[256];
    size_t n;

    snprintf(path, sizeof(path), "/systems/%s/events?type=%s", t->system_id, type);
    ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 200);
    n = json_object_array_length(member(r.json, "items"));
    http_response_free(&r);
    return n;
}

/* ---- listing ------------------------------------------------------------------------ */

START_TEST(list_is_empty_for_a_new_system)
{
    struct tenant t;
    struct http_response r;

    new_tenant(&t);
    admin_strict(&t, "GET", "/operating-device", NULL, 200, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 1);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 0);
    http_response_free(&r);
}
END_TEST

START_TEST(list_shows_devices_in_acceptance_order)
{
    struct tenant t;
    char users[3][64], devices[3][64], ids[MAX_DEVICES][64], owners[MAX_DEVICES][64];
    int pages;

    new_tenant(&t);
    for (int i = 0; i < 3; i++)
        add_user_with_device(&t, users[i], devices[i]);
    ck_assert_uint_eq(list_devices(&t, "limit=50", 50, ids, owners, &pages), 3);
    ck_assert_int_eq(pages, 1);
    for (int i = 0; i < 3; i++) {
        ck_assert_str_eq(ids[i], devices[i]);
        ck_assert_str_eq(owners[i], users[i]);
    }
}
END_TEST

START_TEST(list_filters_by_user)
{
    struct tenant t;
    char users[3][64], devices[3][64], ids[MAX_DEVICES][64], owners[MAX_DEVICES][64];
    char query[128];
    int pages;

    new_tenant(&t);
    for (int i = 0; i < 3; i++)
        add_user_with_device(&t, users[i], devices[i]);
    snprintf(query, sizeof(query), "user-id=%s", users[1]);
    ck_assert_uint_eq(list_devices(&t, query, 50, ids, owners, &pages), 1);
    ck_assert_str_eq(ids[0], devices[1]);
    ck_assert_str_eq(owners[0], users[1]);
    ck_assert_uint_eq(list_devices(&t, "user-id=" UNKNOWN_ID, 50, ids, owners, &pages), 0);
}
END_TEST

START_TEST(list_rejects_malformed_parameters)
{
    static const struct {
        const char *query;
        const char *name;
    } cases[] = {
        {"user-id=abc", "user-id"}, {"user-id=", "user-id"},
        {"limit=0", "limit"},       {"limit=101", "limit"},
        {"limit=x", "limit"},       {"next-page-token=bm90LWEtdG9rZW4", "next-page-token"},
    };
    struct tenant t;

    new_tenant(&t);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_response r;
        char path[256];
        snprintf(path, sizeof(path), "/operating-device?%s", cases[i].query);
        admin_strict(&t, "GET", path, NULL, 400, &r);
        assert_invalid_param(&r, cases[i].name);
        http_response_free(&r);
    }
}
END_TEST

START_TEST(list_pages_without_skips_or_repeats)
{
    struct tenant t;
    struct http_response r;
    char users[5][64], devices[5][64], ids[MAX_DEVICES][64], owners[MAX_DEVICES][64];
    char path[1024], query[128];
    int pages;

    new_tenant(&t);
    for (int i = 0; i < 5; i++)
        add_user_with_device(&t, users[i], devices[i]);
    ck_assert_uint_eq(list_devices(&t, "limit=2", 2, ids, owners, &pages), 5);
    ck_assert_int_eq(pages, 3);
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(ids[i], devices[i]);

    /* A device deleted between pages is not shown, and nothing else moves. */
    admin_strict(&t, "GET", "/operating-device?limit=2", NULL, 200, &r);
    snprintf(path, sizeof(path), "/operating-device/%s", devices[2]);
    struct http_response d;
    admin_strict(&t, "DELETE", path, NULL, 204, &d);
    http_response_free(&d);
    snprintf(path, sizeof(path), "/operating-device?limit=2&next-page-token=%s",
             json_str(&r, "nextPageToken"));
    http_response_free(&r);
    admin_strict(&t, "GET", path, NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 2);
    ck_assert_str_eq(jstr(json_object_array_get_idx(member(r.json, "items"), 0), "id"), devices[3]);
    ck_assert_str_eq(jstr(json_object_array_get_idx(member(r.json, "items"), 1), "id"), devices[4]);
    ck_assert_ptr_null(json_str(&r, "nextPageToken"));
    http_response_free(&r);

    /* A token belongs to its list: with another user filter it is refused. */
    admin_strict(&t, "GET", "/operating-device?limit=1", NULL, 200, &r);
    snprintf(query, sizeof(query), "user-id=%s", users[0]);
    snprintf(path, sizeof(path), "/operating-device?%s&next-page-token=%s", query,
             json_str(&r, "nextPageToken"));
    http_response_free(&r);
    admin_strict(&t, "GET", path, NULL, 400, &r);
    assert_invalid_param(&r, "next-page-token");
    http_response_free(&r);
}
END_TEST

START_TEST(list_is_isolated_between_systems)
{
    struct tenant a, b;
    char user[64], device[64], ids[MAX_DEVICES][64], owners[MAX_DEVICES][64], query[128];
    int pages;

    new_tenant(&a);
    new_tenant(&b);
    add_user_with_device(&a, user, device);
    ck_assert_uint_eq(list_devices(&b, "limit=50", 50, ids, owners, &pages), 0);
    snprintf(query, sizeof(query), "user-id=%s", user);
    ck_assert_uint_eq(list_devices(&b, query, 50, ids, owners, &pages), 0);
    ck_assert_uint_eq(list_devices(&a, query, 50, ids, owners, &pages), 1);
}
END_TEST

/* ---- deleting ----------------------------------------------------------------------- */

START_TEST(delete_removes_the_device_and_emits_an_event)
{
    struct tenant t;
    struct http_response r;
    char user[64], device[64], again[64], path[256], ids[MAX_DEVICES][64];
    char owners[MAX_DEVICES][64];
    json_object *items, *event;
    int pages;

    new_tenant(&t);
    add_user_with_device(&t, user, device);
    snprintf(path, sizeof(path), "/operating-device/%s", device);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);
    ck_assert_uint_eq(list_devices(&t, "limit=50", 50, ids, owners, &pages), 0);

    snprintf(path, sizeof(path), "/systems/%s/events?type=OperatingDeviceDeleted", t.system_id);
    ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 200);
    items = member(r.json, "items");
    ck_assert_int_eq(json_object_array_length(items), 1);
    event = json_object_array_get_idx(items, 0);
    ck_assert_str_eq(jstr(event, "operatingDeviceId"), device);
    ck_assert_str_eq(jstr(event, "eventSystemId"), t.system_id);
    ck_assert_ptr_null(member(event, "userId"));
    http_response_free(&r);

    snprintf(path, sizeof(path), "/operating-device/%s", device);
    expect_not_found(&t, "DELETE", path, NULL);
    ck_assert_uint_eq(count_events(&t, "OperatingDeviceDeleted"), 1);

    add_device(&t, user, again); /* the user may have a device again */
    ck_assert_str_ne(again, device);
}
END_TEST

START_TEST(delete_unknown_or_foreign_is_not_found)
{
    struct tenant a, b;
    struct http_response r;
    char user[64], device[64], path[256], ids[MAX_DEVICES][64], owners[MAX_DEVICES][64];
    int pages;

    new_tenant(&a);
    new_tenant(&b);
    add_user_with_device(&a, user, device);
    snprintf(path, sizeof(path), "/operating-device/%s", device);
    expect_not_found(&b, "DELETE", path, NULL);
    admin_strict(&b, "DELETE", "/operating-device/" UNKNOWN_ID, NULL, 404, &r);
    http_response_free(&r);
    ck_assert_uint_eq(list_devices(&a, "limit=50", 50, ids, owners, &pages), 1);
    ck_assert_uint_eq(count_events(&a, "OperatingDeviceDeleted"), 0);
    ck_assert_uint_eq(count_events(&b, "OperatingDeviceDeleted"), 0);
}
END_TEST

START_TEST(deleting_the_user_removes_its_device_and_invitations)
{
    struct tenant t;
    struct http_response r;
    char user[64], device[64], path[256], body[256], ids[MAX_DEVICES][64];
    char owners[MAX_DEVICES][64];
    int pages;

    new_tenant(&t);
    add_user_with_device(&t, user, device);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\"}", user);
    admin_strict(&t, "POST", "/operating-device-invitation", body, 201, &r);
    snprintf(body, sizeof(body), "{\"invitationCode\":\"%s\"}", json_str(&r, "invitationCode"));
    http_response_free(&r);
    snprintf(path, sizeof(path), "/user/%s", user);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    http_response_free(&r);
    ck_assert_uint_eq(list_devices(&t, "limit=50", 50, ids, owners, &pages), 0);
    snprintf(path, sizeof(path), "/operating-device/%s", device);
    admin_strict(&t, "DELETE", path, NULL, 404, &r);
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "POST", "/invitations/accept", body, &r), 404);
    http_response_free(&r);
}
END_TEST

/* ---- legacy devices (file database) ------------------------------------------------- */

static void insert_legacy_device(const char *system_id, const char *user_id)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;

    ck_assert_int_eq(sqlite3_open(file_db, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "INSERT INTO operating_devices (id, system_id, user_id,"
                                        " invitation_id, legacy, activated_at, created_at)"
                                        " VALUES (?, ?, ?, NULL, 1, 0, 0)",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, LEGACY_ID, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, user_id, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

START_TEST(legacy_device_is_deleted_only_with_its_user)
{
    struct tenant t;
    struct http_response r;
    char user[64], invitation[64], path[256], body[256], ids[MAX_DEVICES][64];
    char owners[MAX_DEVICES][64];
    int pages;

    new_tenant(&t);
    new_user(&t, user);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\"}", user);
    admin_strict(&t, "POST", "/operating-device-invitation", body, 201, &r);
    snprintf(invitation, sizeof(invitation), "%s", json_str(&r, "id"));
    http_response_free(&r);
    ck_assert_int_eq(emu_stop(&emu), 0);
    insert_legacy_device(t.system_id, user);
    ck_assert_int_eq(emu_restart(&emu, file_args), 0);

    ck_assert_uint_eq(list_devices(&t, "limit=50", 50, ids, owners, &pages), 1);
    ck_assert_str_eq(ids[0], LEGACY_ID);
    ck_assert_str_eq(owners[0], user);
    admin_strict(&t, "DELETE", "/operating-device/" LEGACY_ID, NULL, 409, &r);
    ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), "legacy"));
    ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), "delete its user"));
    http_response_free(&r);
    ck_assert_uint_eq(list_devices(&t, "limit=50", 50, ids, owners, &pages), 1);
    ck_assert_uint_eq(count_events(&t, "OperatingDeviceDeleted"), 0);

    /* The legacy device counts as the user's one device. */
    snprintf(body, sizeof(body), "{\"invitationId\":\"%s\"}", invitation);
    ck_assert_int_eq(control_call(&emu, "POST", "/invitations/accept", body, &r), 409);
    http_response_free(&r);

    snprintf(path, sizeof(path), "/user/%s", user);
    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    http_response_free(&r);
    ck_assert_uint_eq(list_devices(&t, "limit=50", 50, ids, owners, &pages), 0);
}
END_TEST

static Suite *operating_devices_suite(void)
{
    Suite *s = suite_create("operating_devices");
    TCase *tc = tcase_create("operating_devices");
    TCase *files = tcase_create("legacy");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, list_is_empty_for_a_new_system);
    tcase_add_test(tc, list_shows_devices_in_acceptance_order);
    tcase_add_test(tc, list_filters_by_user);
    tcase_add_test(tc, list_rejects_malformed_parameters);
    tcase_add_test(tc, list_pages_without_skips_or_repeats);
    tcase_add_test(tc, list_is_isolated_between_systems);
    tcase_add_test(tc, delete_removes_the_device_and_emits_an_event);
    tcase_add_test(tc, delete_unknown_or_foreign_is_not_found);
    tcase_add_test(tc, deleting_the_user_removes_its_device_and_invitations);
    suite_add_tcase(s, tc);

    tcase_add_unchecked_fixture(files, file_setup, file_teardown);
    tcase_set_timeout(files, 120);
    tcase_add_test(files, legacy_device_is_deleted_only_with_its_user);
    suite_add_tcase(s, files);
    return s;
}

int main(void)
{
    /* No fork: restarts must update the fixture's emulator. */
    return run_suite_nofork(operating_devices_suite());
}
