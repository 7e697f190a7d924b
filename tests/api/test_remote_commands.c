/*
 * test_remote_commands.c — POST/GET /remote-command, GET /remote-command/{id} and
 * POST /remote-command/{id}/cancel of the Administration API v2: the three preconditions
 * (associated, gateway ACTIVATED, lock CLAIMED), the five-minute validity, cancellation
 * and its conflicts, paging and filtering, and isolation between systems.
 *
 * The API cannot yet activate gateways, claim locks or acknowledge commands (the simulator
 * does), so the fixture builds one "world" per test through the API on a database file,
 * stops the emulator, writes those states with SQLite, and restarts it. Tests then only use
 * the API, each in its own world. Every system runs on a frozen clock.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define FROZEN_TEXT "2024-01-01T08:00:00Z"
#define FROZEN_PLUS_5_MIN "2024-01-01T08:05:00Z"
#define FROZEN_SECONDS 1704096000
#define NWORLDS 8

/* One system with devices in every state a command cares about. */
struct world {
    struct tenant t;
    char g_active1[64], g_active2[64], g_pending[64];
    char l_claimed1[64], l_claimed2[64], l_unclaimed[64];
    char acked[64]; /* a command (g_active1 -> l_claimed1) its gateway acknowledged */
};

static struct world worlds[NWORLDS];
static char db_path[320];

/* ---- fixture (runs outside any test: reports instead of asserting) -------------------- */

static int associate(const struct tenant *t, const char *gateway, const char *lock)
{
    char body[256], id[64];

    snprintf(body, sizeof(body), "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\"}", gateway,
             lock);
    return try_post_id(&emu, t, "/gateway-device-association", body, id);
}

static int build_world(struct world *w, int index)
{
    const char *lock = "/locking-device";
    int rc = tenant_create(&emu, &w->t, FROZEN_AT("2024-01-01T08:00:00Z"));

    rc |= try_post_id(&emu, &w->t, lock, "{\"name\":\"Front\"}", w->l_claimed1);
    rc |= try_post_id(&emu, &w->t, lock, "{\"name\":\"Back\"}", w->l_claimed2);
    rc |= try_post_id(&emu, &w->t, lock, "{\"name\":\"Shed\"}", w->l_unclaimed);
    rc |=
        try_claim_gateway(&emu, &w->t, w->g_active1) | try_claim_gateway(&emu, &w->t, w->g_active2);
    rc |= try_claim_gateway(&emu, &w->t, w->g_pending);
    rc |= associate(&w->t, w->g_active1, w->l_claimed1);
    rc |= associate(&w->t, w->g_active1, w->l_claimed2);
    rc |= associate(&w->t, w->g_active1, w->l_unclaimed);
    rc |= associate(&w->t, w->g_active2, w->l_claimed1);
    rc |= associate(&w->t, w->g_pending, w->l_claimed1);
    /* g_active2 and l_claimed2 stay unassociated. */
    snprintf(w->acked, sizeof(w->acked), "aaaaaaaa-0000-4000-8000-%012d", index);
    return rc;
}

/* The states only the simulator will reach, written while the emulator is stopped. */
static int write_states(sqlite3 *db, const struct world *w)
{
    char *sql = sqlite3_mprintf(
        "UPDATE gateway_devices SET activation_status = 'ACTIVATED', activated_at = %d"
        " WHERE id IN ('%q', '%q');"
        "UPDATE locking_devices SET claiming_status = 'CLAIMED', serial_number = 'BPLAD' || seq"
        " WHERE id IN ('%q', '%q');"
        "INSERT INTO remote_commands (id, system_id, gateway_device_id, locking_device_id,"
        " action, valid_from, valid_until, issuer_user_id, issued_at, acknowledged_at)"
        " VALUES ('%q', '%q', '%q', '%q', 'OPEN', %d, %d, '%q', %d, %d);",
        FROZEN_SECONDS - 3600, w->g_active1, w->g_active2, w->l_claimed1, w->l_claimed2, w->acked,
        w->t.system_id, w->g_active1, w->l_claimed1, FROZEN_SECONDS - 120, FROZEN_SECONDS + 180,
        w->t.admin_id, FROZEN_SECONDS - 120, FROZEN_SECONDS - 60);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);

    if (rc != SQLITE_OK)
        setup_fail("sqlite: %s", err ? err : "?");
    sqlite3_free(err);
    sqlite3_free(sql);
    return rc == SQLITE_OK ? 0 : -1;
}

static int build_all(void)
{
    const char *args[] = {"--db", db_path, NULL};
    sqlite3 *db = NULL;
    int rc = 0;

    if (emu_start_file(&emu, "commands.db", db_path, sizeof(db_path)) != 0)
        return setup_fail("the emulator did not start on %s", db_path);
    for (int i = 0; i < NWORLDS && rc == 0; i++)
        rc = build_world(&worlds[i], i);
    if (emu_stop(&emu) != 0 || rc != 0)
        return -1;
    if (sqlite3_open(db_path, &db) != SQLITE_OK)
        rc = setup_fail("cannot open %s", db_path);
    for (int i = 0; i < NWORLDS && rc == 0; i++)
        rc = write_states(db, &worlds[i]);
    sqlite3_close(db);
    return rc == 0 ? emu_restart(&emu, args) : -1;
}

static void world_setup(void)
{
    emu_ok = build_all() == 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static const struct world *world(int i)
{
    ck_assert_msg(emu_ok, "the fixture failed; see stderr");
    return &worlds[i];
}

static void command_body(char *out, size_t cap, const char *gateway, const char *lock)
{
    snprintf(out, cap,
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\",\"action\":\"OPEN\"}", gateway,
             lock);
}

/* Issues OPEN for the pair as t; copies the new id. */
static void issue(const struct tenant *t, const char *gateway, const char *lock, char id[64])
{
    struct http_response r;
    char body[256];

    command_body(body, sizeof(body), gateway, lock);
    admin_strict(t, "POST", "/remote-command", body, 201, &r);
    snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
}

/* Asserts o is a fresh command of the pair issued by issuer at the frozen now. */
static void assert_open_command(json_object *o, const char *id, const char *gateway,
                                const char *lock, const char *issuer)
{
    ck_assert_int_eq(json_object_object_length(o), 8);
    if (id != NULL)
        ck_assert_str_eq(json_object_get_string(member(o, "id")), id);
    ck_assert_str_eq(json_object_get_string(member(o, "gatewayDeviceId")), gateway);
    ck_assert_str_eq(json_object_get_string(member(o, "lockingDeviceId")), lock);
    ck_assert_str_eq(json_object_get_string(member(o, "action")), "OPEN");
    ck_assert_str_eq(json_object_get_string(member(o, "validityStartDatetime")), FROZEN_TEXT);
    ck_assert_str_eq(json_object_get_string(member(o, "validityEndDatetime")), FROZEN_PLUS_5_MIN);
    ck_assert_str_eq(json_object_get_string(member(o, "issuerUserId")), issuer);
    ck_assert_str_eq(json_object_get_string(member(o, "issuanceDatetime")), FROZEN_TEXT);
}

/* Reads every page of path (which has a query) with limit; copies ids, counts pages. */
static size_t list_ids(const struct tenant *t, const char *path, int limit, char ids[][64],
                       size_t cap, size_t *pages)
{
    const char *sep = path[strlen(path) - 1] == '?' ? "" : "&";
    char url[1024];

    snprintf(url, sizeof(url), "%s%slimit=%d", path, sep, limit);
    return admin_list_ids(t, url, ids, cap, pages);
}

/* ---- issuing -------------------------------------------------------------------------- */

START_TEST(issue_answers_the_full_command)
{
    const struct world *w = world(0);
    struct http_response r;
    char body[256], path[128], id[64], admin[64], key[128];
    struct tenant other = w->t;

    command_body(body, sizeof(body), w->g_active1, w->l_claimed1);
    admin_strict(&w->t, "POST", "/remote-command", body, 201, &r);
    assert_open_command(r.json, NULL, w->g_active1, w->l_claimed1, w->t.admin_id);
    snprintf(id, sizeof(id), "%s", json_str(&r, "id"));
    ck_assert_int_eq(strlen(id), 36);
    http_response_free(&r);

    snprintf(path, sizeof(path), "/remote-command/%s", id);
    admin_strict(&w->t, "GET", path, NULL, 200, &r);
    assert_open_command(r.json, id, w->g_active1, w->l_claimed1, w->t.admin_id);
    http_response_free(&r);

    /* The issuer is whoever calls: a second administrator of the same system. */
    admin_strict(&w->t, "POST", "/user", "{\"role\":\"ADMIN\"}", 201, &r);
    snprintf(admin, sizeof(admin), "%s", json_str(&r, "id"));
    snprintf(key, sizeof(key), "%s", json_str(&r, "accessKey"));
    http_response_free(&r);
    ck_assert_int_eq(tenant_login(&emu, &w->t, admin, key, other.token, sizeof(other.token)), 200);
    command_body(body, sizeof(body), w->g_active1, w->l_claimed2);
    admin_strict(&other, "POST", "/remote-command", body, 201, &r);
    assert_open_command(r.json, NULL, w->g_active1, w->l_claimed2, admin);
    ck_assert_str_ne(json_str(&r, "id"), id);
    http_response_free(&r);
}
END_TEST

START_TEST(issue_refuses_each_unmet_precondition)
{
    const struct world *w = world(1);
    char body[256], detail[256], ids[4][64];
    size_t pages;

    command_body(body, sizeof(body), w->g_active2, w->l_claimed2);
    snprintf(detail, sizeof(detail),
             "locking device '%s' is not associated with gateway device '%s'", w->l_claimed2,
             w->g_active2);
    expect_problem(&w->t, "POST", "/remote-command", body, 409, detail);

    command_body(body, sizeof(body), w->g_pending, w->l_claimed1);
    snprintf(detail, sizeof(detail), "gateway device '%s' is not activated", w->g_pending);
    expect_problem(&w->t, "POST", "/remote-command", body, 409, detail);

    command_body(body, sizeof(body), w->g_active1, w->l_unclaimed);
    snprintf(detail, sizeof(detail), "locking device '%s' is not claimed", w->l_unclaimed);
    expect_problem(&w->t, "POST", "/remote-command", body, 409, detail);

    /* Nothing was written: the acknowledged command is still the only one. */
    ck_assert_uint_eq(list_ids(&w->t, "/remote-command?", 10, ids, 4, &pages), 1);
    ck_assert_str_eq(ids[0], w->acked);
}
END_TEST

START_TEST(issue_rejects_invalid_bodies)
{
    const struct world *w = world(2);
    const char *all[] = {"gatewayDeviceId", "lockingDeviceId", "action", NULL};
    const char *gateway[] = {"gatewayDeviceId", NULL};
    const char *lock[] = {"lockingDeviceId", NULL};
    const char *action[] = {"action", NULL};
    const char *unknown[] = {"comment", NULL};
    char body[512];

    expect_invalid(&w->t, "POST", "/remote-command", "{}", all);
    expect_invalid(&w->t, "POST", "/remote-command",
                   "{\"gatewayDeviceId\":\"gw\",\"lockingDeviceId\":7,\"action\":\"CLOSE\"}", all);
    snprintf(body, sizeof(body), "{\"lockingDeviceId\":\"%s\",\"action\":\"OPEN\"}", w->l_claimed1);
    expect_invalid(&w->t, "POST", "/remote-command", body, gateway);
    snprintf(body, sizeof(body),
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":null,"
             "\"action\":\"OPEN\"}",
             w->g_active1);
    expect_invalid(&w->t, "POST", "/remote-command", body, lock);
    snprintf(body, sizeof(body),
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\","
             "\"action\":\"open\"}",
             w->g_active1, w->l_claimed1);
    expect_invalid(&w->t, "POST", "/remote-command", body, action);
    snprintf(body, sizeof(body),
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\","
             "\"action\":\"OPEN\",\"comment\":\"now\"}",
             w->g_active1, w->l_claimed1);
    expect_invalid(&w->t, "POST", "/remote-command", body, unknown);
    expect_problem(&w->t, "POST", "/remote-command", "[]", 400, NULL);
}
END_TEST

START_TEST(issue_for_unknown_or_foreign_devices_is_not_found)
{
    const struct world *w = world(2), *other = world(3);
    char body[256], detail[128];

    command_body(body, sizeof(body), UNKNOWN_ID, w->l_claimed1);
    snprintf(detail, sizeof(detail), "gateway device '%s' not found", UNKNOWN_ID);
    expect_problem(&w->t, "POST", "/remote-command", body, 404, detail);
    command_body(body, sizeof(body), w->g_active1, UNKNOWN_ID);
    snprintf(detail, sizeof(detail), "locking device '%s' not found", UNKNOWN_ID);
    expect_problem(&w->t, "POST", "/remote-command", body, 404, detail);

    /* Devices of another system are as unknown, even in a pair that is ready there. */
    command_body(body, sizeof(body), other->g_active1, other->l_claimed1);
    expect_problem(&w->t, "POST", "/remote-command", body, 404, NULL);
    command_body(body, sizeof(body), w->g_active1, other->l_claimed1);
    expect_problem(&w->t, "POST", "/remote-command", body, 404, NULL);
    command_body(body, sizeof(body), other->g_active1, w->l_claimed1);
    expect_problem(&w->t, "POST", "/remote-command", body, 404, NULL);
}
END_TEST

/* ---- reading and cancelling ---------------------------------------------------------- */

START_TEST(acknowledged_command_shows_its_acknowledgement)
{
    const struct world *w = world(3);
    struct http_response r;
    char path[128];

    snprintf(path, sizeof(path), "/remote-command/%s", w->acked);
    admin_strict(&w->t, "GET", path, NULL, 200, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 9);
    assert_strings(r.json,
                   (const char *const[]){"validityStartDatetime", "2024-01-01T07:58:00Z",
                                         "validityEndDatetime", "2024-01-01T08:03:00Z",
                                         "issuanceDatetime", "2024-01-01T07:58:00Z",
                                         "acknowledgementDatetime", "2024-01-01T07:59:00Z", NULL});
    ck_assert_ptr_null(member(r.json, "cancelerUserId"));
    ck_assert_ptr_null(member(r.json, "cancellationDatetime"));
    http_response_free(&r);

    snprintf(path, sizeof(path), "/remote-command/%s", UNKNOWN_ID);
    expect_problem(&w->t, "GET", path, NULL, 404, "Resource not found");
    expect_problem(&w->t, "GET", "/remote-command/not-a-uuid", NULL, 404, NULL);
}
END_TEST

START_TEST(cancel_records_canceler_and_refuses_twice)
{
    const struct world *w = world(4);
    struct http_response r;
    char id[64], path[160], get[128], detail[160];

    issue(&w->t, w->g_active1, w->l_claimed1, id);
    snprintf(path, sizeof(path), "/remote-command/%s/cancel", id);
    admin_strict(&w->t, "POST", path, NULL, 204, &r);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);

    snprintf(get, sizeof(get), "/remote-command/%s", id);
    admin_strict(&w->t, "GET", get, NULL, 200, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 10);
    ck_assert_str_eq(json_str(&r, "cancelerUserId"), w->t.admin_id);
    ck_assert_str_eq(json_str(&r, "cancellationDatetime"), FROZEN_TEXT);
    ck_assert_ptr_null(member(r.json, "acknowledgementDatetime"));
    http_response_free(&r);

    snprintf(detail, sizeof(detail), "remote command '%s' is already cancelled", id);
    expect_problem(&w->t, "POST", path, NULL, 409, detail);

    snprintf(path, sizeof(path), "/remote-command/%s/cancel", w->acked);
    snprintf(detail, sizeof(detail), "remote command '%s' is already acknowledged", w->acked);
    expect_problem(&w->t, "POST", path, NULL, 409, detail);
    snprintf(get, sizeof(get), "/remote-command/%s", w->acked);
    admin_strict(&w->t, "GET", get, NULL, 200, &r);
    ck_assert_ptr_null(member(r.json, "cancelerUserId"));
    http_response_free(&r);

    snprintf(path, sizeof(path), "/remote-command/%s/cancel", UNKNOWN_ID);
    expect_problem(&w->t, "POST", path, NULL, 404, "Resource not found");
}
END_TEST

START_TEST(commands_of_another_system_are_not_found)
{
    const struct world *a = world(5), *b = world(6);
    struct http_response r;
    char id[64], path[160], ids[4][64];
    size_t pages;

    issue(&a->t, a->g_active1, a->l_claimed1, id);
    snprintf(path, sizeof(path), "/remote-command/%s", id);
    expect_problem(&b->t, "GET", path, NULL, 404, "Resource not found");
    snprintf(path, sizeof(path), "/remote-command/%s/cancel", id);
    expect_problem(&b->t, "POST", path, NULL, 404, "Resource not found");
    snprintf(path, sizeof(path), "/remote-command?gateway-device-id=%s", a->g_active1);
    expect_problem(&b->t, "GET", path, NULL, 404, NULL);

    /* B's list holds B's acknowledged command only; A's command is still open. */
    ck_assert_uint_eq(list_ids(&b->t, "/remote-command?", 10, ids, 4, &pages), 1);
    ck_assert_str_eq(ids[0], b->acked);
    snprintf(path, sizeof(path), "/remote-command/%s", id);
    admin_strict(&a->t, "GET", path, NULL, 200, &r);
    assert_open_command(r.json, id, a->g_active1, a->l_claimed1, a->t.admin_id);
    http_response_free(&r);
}
END_TEST

/* ---- lists ----------------------------------------------------------------------------- */

START_TEST(list_pages_in_issue_order_and_filters_by_gateway)
{
    const struct world *w = world(7);
    char made[7][64], ids[8][64], path[256];
    struct http_response r;
    size_t pages;

    snprintf(made[0], 64, "%s", w->acked);
    for (int i = 1; i <= 4; i++)
        issue(&w->t, w->g_active1, i % 2 ? w->l_claimed1 : w->l_claimed2, made[i]);
    issue(&w->t, w->g_active2, w->l_claimed1, made[5]);
    issue(&w->t, w->g_active2, w->l_claimed1, made[6]);

    for (int limit = 1; limit <= 8; limit++) {
        ck_assert_uint_eq(list_ids(&w->t, "/remote-command?", limit, ids, 8, &pages), 7);
        ck_assert_int_eq(pages, (7 + limit - 1) / limit);
        for (int i = 0; i < 7; i++)
            ck_assert_str_eq(ids[i], made[i]);
    }
    admin_strict(&w->t, "GET", "/remote-command", NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 7);
    ck_assert_ptr_null(member(r.json, "nextPageToken"));
    http_response_free(&r);

    snprintf(path, sizeof(path), "/remote-command?gateway-device-id=%s", w->g_active1);
    ck_assert_uint_eq(list_ids(&w->t, path, 2, ids, 8, &pages), 5);
    ck_assert_int_eq(pages, 3);
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(ids[i], made[i]);
    snprintf(path, sizeof(path), "/remote-command?gateway-device-id=%s", w->g_active2);
    ck_assert_uint_eq(list_ids(&w->t, path, 1, ids, 8, &pages), 2);
    ck_assert_str_eq(ids[0], made[5]);
    ck_assert_str_eq(ids[1], made[6]);
    snprintf(path, sizeof(path), "/remote-command?gateway-device-id=%s", w->g_pending);
    ck_assert_uint_eq(list_ids(&w->t, path, 5, ids, 8, &pages), 0);
}
END_TEST

START_TEST(list_rejects_bad_parameters)
{
    const struct world *w = world(7);
    const char *gateway[] = {"gateway-device-id", NULL};
    const char *limit[] = {"limit", NULL};
    const char *token[] = {"next-page-token", NULL};
    const char *both[] = {"gateway-device-id", "limit", NULL};
    struct http_response r;
    char path[512];

    expect_invalid(&w->t, "GET", "/remote-command?gateway-device-id=gw", NULL, gateway);
    expect_invalid(&w->t, "GET", "/remote-command?limit=0", NULL, limit);
    expect_invalid(&w->t, "GET", "/remote-command?limit=101", NULL, limit);
    expect_invalid(&w->t, "GET", "/remote-command?gateway-device-id=&limit=x", NULL, both);
    expect_invalid(&w->t, "GET", "/remote-command?next-page-token=garbage", NULL, token);
    snprintf(path, sizeof(path), "/remote-command?gateway-device-id=%s", UNKNOWN_ID);
    expect_problem(&w->t, "GET", path, NULL, 404, "Resource not found");

    /* A token is bound to its filter. */
    admin_strict(&w->t, "GET", "/remote-command?limit=1", NULL, 200, &r);
    ck_assert_ptr_nonnull(json_str(&r, "nextPageToken"));
    snprintf(path, sizeof(path), "/remote-command?gateway-device-id=%s&next-page-token=%s",
             w->g_active1, json_str(&r, "nextPageToken"));
    http_response_free(&r);
    expect_invalid(&w->t, "GET", path, NULL, token);
}
END_TEST

static Suite *remote_commands_suite(void)
{
    Suite *s = suite_create("remote_commands");
    TCase *tc = tcase_create("remote_commands");

    tcase_add_unchecked_fixture(tc, world_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, issue_answers_the_full_command);
    tcase_add_test(tc, issue_refuses_each_unmet_precondition);
    tcase_add_test(tc, issue_rejects_invalid_bodies);
    tcase_add_test(tc, issue_for_unknown_or_foreign_devices_is_not_found);
    tcase_add_test(tc, acknowledged_command_shows_its_acknowledgement);
    tcase_add_test(tc, cancel_records_canceler_and_refuses_twice);
    tcase_add_test(tc, commands_of_another_system_are_not_found);
    tcase_add_test(tc, list_pages_in_issue_order_and_filters_by_gateway);
    tcase_add_test(tc, list_rejects_bad_parameters);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(remote_commands_suite());
}
