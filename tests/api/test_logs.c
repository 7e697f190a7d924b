/*
 * test_logs.c — GET /locking-device-system-log, /locking-device-audit-log,
 * /gateway-device-system-log and /gateway-device-audit-log of the Administration API v2:
 * the shapes of entries, their order (time, then id or sequence number) in both
 * directions, every filter, keyset paging with no item skipped or repeated, the scope of
 * page tokens, validation, and isolation between systems.
 *
 * Only the simulator uploads entries, so the fixture makes the devices through the API on a
 * database file, stops the emulator, writes the entries below with SQLite and restarts it.
 * The tests only read, so they share that one world.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define T0 1704096000 /* 2024-01-01T08:00:00Z: entries are written as offsets from it */
#define MAX_ITEMS 16

#define OPERATING_DEVICE "0d0d0d0d-0000-4000-8000-000000000001"
#define PHONE_USER "0e0e0e0e-0000-4000-8000-000000000001"
#define COMMAND "0c0c0c0c-0000-4000-8000-000000000001"

enum device { L1, L2, LB, G1, G2, GB, NDEVICES };

/* A locking device entry. Ids are chosen so that (time, id) order differs from both the
 * insertion order and the sequence numbers. client: 'P' phone, 'G' gateway with command,
 * 'g' gateway without command; granted -1 for none. */
struct lock_entry {
    const char *id;
    enum device lock;
    const char *kind;
    int seq;
    int at;
    const char *event;
    char client;
    int granted;
};

#define SYS(n) "10000000-0000-4000-8000-00000000000" #n
#define AUD(n) "20000000-0000-4000-8000-00000000000" #n

static const struct lock_entry lock_entries[] = {
    {SYS(5), L1, "SYSTEM", 0, 0, "BOOT", 0, -1},
    {SYS(3), L1, "SYSTEM", 1, 60, "BATTERY_LOW", 0, -1},
    {SYS(1), L1, "SYSTEM", 2, 60, "DOOR_OPEN", 0, -1},
    {SYS(2), L2, "SYSTEM", 0, 60, "BOOT", 0, -1},
    {SYS(9), L2, "SYSTEM", 1, 30, "BOOT-BEAT_PL-3-0.17.2", 0, -1},
    {SYS(4), L1, "SYSTEM", 3, 120, "TIME_SET", 0, -1},
    {SYS(8), L2, "SYSTEM", 2, 120, "BATTERY_LOW", 0, -1},
    {SYS(7), L1, "SYSTEM", 4, 3600, "REKEY_DONE", 0, -1},
    {SYS(6), LB, "SYSTEM", 0, 60, "BOOT", 0, -1},
    {AUD(3), L1, "AUDIT", 1, 20, "open", 'G', 1},
    {AUD(1), L1, "AUDIT", 0, 10, "open", 'P', 1},
    {AUD(2), L2, "AUDIT", 0, 20, "lock", 'P', 0},
    {AUD(4), L1, "AUDIT", 2, 30, "open", 'g', 0},
    {AUD(5), LB, "AUDIT", 0, 10, "open", 'P', 1},
};

/* (time, id) order of system A's system entries and of its audit entries. */
static const char *const a_system_order[] = {SYS(5), SYS(9), SYS(1), SYS(2), SYS(3),
                                             SYS(4), SYS(8), SYS(7), NULL};
static const char *const a_audit_order[] = {AUD(1), AUD(2), AUD(3), AUD(4), NULL};

/* A gateway entry: SYSTEM with details (JSON text or NULL), or AUDIT. */
struct gateway_entry {
    enum device gateway;
    const char *kind;
    int seq;
    int at;
    const char *name; /* event or conversation */
    const char *details;
    enum device lock;
    const char *command;
};

#define BOOT_DETAILS(reason)                                                                       \
    "{\"bootReason\":\"" reason "\",\"hardwareModel\":\"BEAT_GW_A1\","                             \
    "\"hardwareVersion\":\"1.0.0\",\"firmwareVersion\":\"0.7.0\",\"door1State\":\"CLOSED\","       \
    "\"door2State\":\"CLOSED\"}"

static const struct gateway_entry gateway_entries[] = {
    {G1, "SYSTEM", 101, 0, "BOOT", BOOT_DETAILS("POWER_ON"), 0, NULL},
    {G1, "SYSTEM", 102, 86400, "BOOT", BOOT_DETAILS("HEARTBEAT"), 0, NULL},
    {G1, "SYSTEM", 103, 60, "NETWORK_CHANGED", "{\"networkType\":\"LTE\"}", 0, NULL},
    {G1, "SYSTEM", 104, 60, "DOOR_STATE_CHANGED", "{\"door1State\":\"OPEN\"}", 0, NULL},
    {G1, "SYSTEM", 100, 60, "SHUTDOWN", NULL, 0, NULL},
    {G2, "SYSTEM", 1, 5, "BOOT", BOOT_DETAILS("POWER_ON"), 0, NULL},
    {GB, "SYSTEM", 1, 5, "BOOT", BOOT_DETAILS("POWER_ON"), 0, NULL},
    {G1, "AUDIT", 5, 20, "open", NULL, L1, COMMAND},
    {G1, "AUDIT", 6, 20, "open", NULL, L2, NULL},
    {G1, "AUDIT", 7, 10, "update-time", NULL, L1, NULL},
    {GB, "AUDIT", 1, 10, "open", NULL, LB, NULL},
};

/* (time, sequence number) order of G1's entries. */
static const int g1_system_order[] = {101, 100, 103, 104, 102, -1};
static const int g1_audit_order[] = {7, 5, 6, -1};

static struct tenant a, b;
static char ids[NDEVICES][64];
static char db_path[320];

/* ---- fixture (runs outside any test: reports instead of asserting) -------------------- */

static const char *system_of(enum device d)
{
    return d == LB || d == GB ? b.system_id : a.system_id;
}

static char *lock_entry_sql(const struct lock_entry *e)
{
    int phone = e->client == 'P', gateway = e->client == 'G' || e->client == 'g';

    return sqlite3_mprintf(
        "INSERT INTO locking_device_log_entries (id, system_id, locking_device_id, kind,"
        " event_name, occurred_at, sequence_number, client_type, operating_device_id, user_id,"
        " gateway_device_id, remote_command_id, granted)"
        " VALUES (%Q, %Q, %Q, %Q, %Q, %d, %d, %Q, %Q, %Q, %Q, %Q, %s);",
        e->id, system_of(e->lock), ids[e->lock], e->kind, e->event, T0 + e->at, e->seq,
        phone     ? "OPERATING_DEVICE"
        : gateway ? "GATEWAY_DEVICE"
                  : NULL,
        phone ? OPERATING_DEVICE : NULL, phone ? PHONE_USER : NULL,
        gateway ? ids[e->lock == LB ? GB : G1] : NULL, e->client == 'G' ? COMMAND : NULL,
        e->granted < 0 ? "NULL"
        : e->granted   ? "1"
                       : "0");
}

static char *gateway_entry_sql(const struct gateway_entry *e)
{
    int audit = strcmp(e->kind, "AUDIT") == 0;

    return sqlite3_mprintf(
        "INSERT INTO gateway_device_log_entries (system_id, gateway_device_id, kind,"
        " sequence_number, occurred_at, event_name, details, conversation_name,"
        " locking_device_id, remote_command_id) VALUES (%Q, %Q, %Q, %d, %d, %Q, %Q, %Q, %Q, %Q);",
        system_of(e->gateway), ids[e->gateway], e->kind, e->seq, T0 + e->at, audit ? NULL : e->name,
        e->details, audit ? e->name : NULL, audit ? ids[e->lock] : NULL, e->command);
}

static int exec_free(sqlite3 *db, char *sql)
{
    char *err = NULL;
    int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, &err) : SQLITE_NOMEM;

    if (rc != SQLITE_OK)
        setup_fail("%s: %s", sql ? sql : "?", err ? err : "?");
    sqlite3_free(err);
    sqlite3_free(sql);
    return rc == SQLITE_OK ? 0 : -1;
}

static int write_entries(void)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(db_path, &db) == SQLITE_OK ? 0 : setup_fail("cannot open db");

    for (size_t i = 0; rc == 0 && i < sizeof(lock_entries) / sizeof(lock_entries[0]); i++)
        rc = exec_free(db, lock_entry_sql(&lock_entries[i]));
    for (size_t i = 0; rc == 0 && i < sizeof(gateway_entries) / sizeof(gateway_entries[0]); i++)
        rc = exec_free(db, gateway_entry_sql(&gateway_entries[i]));
    sqlite3_close(db);
    return rc;
}

static int build_world(void)
{
    const char *args[] = {"--db", db_path, NULL};
    int rc;

    if (emu_start_file(&emu, "logs.db", db_path, sizeof(db_path)) != 0)
        return setup_fail("the emulator did not start on %s", db_path);
    rc = tenant_create(&emu, &a, FROZEN) | tenant_create(&emu, &b, FROZEN);
    rc |= try_post_id(&emu, &a, "/locking-device", "{\"name\":\"One\"}", ids[L1]);
    rc |= try_post_id(&emu, &a, "/locking-device", "{\"name\":\"Two\"}", ids[L2]);
    rc |= try_post_id(&emu, &b, "/locking-device", "{\"name\":\"Bee\"}", ids[LB]);
    rc |= try_claim_gateway(&emu, &a, ids[G1]) | try_claim_gateway(&emu, &a, ids[G2]) |
          try_claim_gateway(&emu, &b, ids[GB]);
    if (emu_stop(&emu) != 0 || rc != 0 || write_entries() != 0)
        return -1;
    return emu_restart(&emu, args);
}

static void world_setup(void)
{
    emu_ok = build_world() == 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static const char *text_of(json_object *o, const char *key)
{
    return json_object_get_string(member(o, key));
}

/* A GET as t on the fixture's world that must answer want (admin_strict). */
static void call(const struct tenant *t, const char *path, long want, struct http_response *r)
{
    ck_assert_msg(emu_ok, "the fixture failed; see stderr");
    admin_strict(t, "GET", path, NULL, want, r);
}

static void expect_get_not_found(const struct tenant *t, const char *path)
{
    ck_assert_msg(emu_ok, "the fixture failed; see stderr");
    expect_not_found(t, "GET", path, NULL);
}

static void expect_get_invalid(const struct tenant *t, const char *path, const char *const *names)
{
    ck_assert_msg(emu_ok, "the fixture failed; see stderr");
    expect_invalid(t, "GET", path, NULL, names);
}

static void datetime_of(int at, char out[32])
{
    time_t when = T0 + at;
    struct tm tm;

    gmtime_r(&when, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The items of every page of path (which has a query) read with limit, as copies; *pages
 * gets the count of pages. The caller puts each item. */
static size_t read_all(const struct tenant *t, const char *path, int limit,
                       json_object *items[MAX_ITEMS], size_t *pages)
{
    const char *sep = path[strlen(path) - 1] == '?' ? "" : "&";
    char url[1024];
    json_object *all;
    size_t n;

    ck_assert_msg(emu_ok, "the fixture failed; see stderr");
    snprintf(url, sizeof(url), "%s%slimit=%d", path, sep, limit);
    all = admin_list_pages(t, url, pages);
    n = json_object_array_length(all);
    ck_assert_uint_le(n, MAX_ITEMS);
    for (size_t i = 0; i < n; i++)
        items[i] = json_object_get(json_object_array_get_idx(all, i));
    json_object_put(all);
    return n;
}

static void put_all(json_object **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_object_put(items[i]);
}

/* Asserts that path lists exactly the entries of want (ids, in order; reversed when
 * reverse), whatever the page size. */
static void expect_lock_ids(const char *path, const char *const *want, int reverse)
{
    size_t count = 0;

    while (want[count] != NULL)
        count++;
    for (int limit = 1; limit <= 9; limit++) {
        json_object *items[MAX_ITEMS];
        size_t pages;
        size_t n = read_all(&a, path, limit, items, &pages);

        ck_assert_msg(n == count, "%s limit %d: %zu items, want %zu", path, limit, n, count);
        ck_assert_int_eq(pages, count == 0 ? 1 : (int)((count + limit - 1) / limit));
        for (size_t i = 0; i < n; i++)
            ck_assert_str_eq(text_of(items[i], "id"), want[reverse ? count - 1 - i : i]);
        put_all(items, n);
    }
}

static void expect_gateway_seqs(const char *path, const int *want, int reverse)
{
    size_t count = 0;

    while (want[count] >= 0)
        count++;
    for (int limit = 1; limit <= 6; limit++) {
        json_object *items[MAX_ITEMS];
        size_t pages;
        size_t n = read_all(&a, path, limit, items, &pages);

        ck_assert_msg(n == count, "%s limit %d: %zu items, want %zu", path, limit, n, count);
        for (size_t i = 0; i < n; i++)
            ck_assert_int_eq(json_object_get_int(member(items[i], "sequenceNumber")),
                             want[reverse ? count - 1 - i : i]);
        put_all(items, n);
    }
}

static const struct lock_entry *lock_entry(const char *id)
{
    for (size_t i = 0; i < sizeof(lock_entries) / sizeof(lock_entries[0]); i++)
        if (strcmp(lock_entries[i].id, id) == 0)
            return &lock_entries[i];
    ck_abort_msg("no entry %s", id);
    return NULL;
}

/* ---- locking device logs --------------------------------------------------------------- */

START_TEST(lock_system_log_renders_entries_in_time_then_id_order)
{
    json_object *items[MAX_ITEMS];
    char when[32];
    size_t pages;
    size_t n = read_all(&a, "/locking-device-system-log?sort-direction=ASC", 50, items, &pages);

    ck_assert_uint_eq(n, 8);
    for (size_t i = 0; i < n; i++) {
        const struct lock_entry *e = lock_entry(a_system_order[i]);
        ck_assert_int_eq(json_object_object_length(items[i]), 5);
        assert_strings(items[i], (const char *const[]){"id", e->id, "lockingDeviceId", ids[e->lock],
                                                       "eventName", e->event, NULL});
        datetime_of(e->at, when);
        ck_assert_str_eq(text_of(items[i], "occurrenceDatetime"), when);
        ck_assert_int_eq(json_object_get_int(member(items[i], "sequenceNumber")), e->seq);
    }
    put_all(items, n);
    expect_lock_ids("/locking-device-system-log?", a_system_order, 0);
    expect_lock_ids("/locking-device-system-log?sort-direction=ASC", a_system_order, 0);
    expect_lock_ids("/locking-device-system-log?sort-direction=DESC", a_system_order, 1);
}
END_TEST

START_TEST(lock_audit_log_renders_clients_and_grants)
{
    json_object *items[MAX_ITEMS], *client;
    size_t pages;
    size_t n = read_all(&a, "/locking-device-audit-log?", 50, items, &pages);

    ck_assert_uint_eq(n, 4);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(json_object_object_length(items[i]), 7);
    ck_assert_str_eq(text_of(items[0], "occurrenceDatetime"), "2024-01-01T08:00:10Z");
    ck_assert_str_eq(text_of(items[0], "eventName"), "open");
    ck_assert_int_eq(json_object_get_boolean(member(items[0], "granted")), 1);
    client = member(items[0], "client");
    ck_assert_int_eq(json_object_object_length(client), 3);
    assert_strings(client, (const char *const[]){"type", "OPERATING_DEVICE", "operatingDeviceId",
                                                 OPERATING_DEVICE, "userId", PHONE_USER, NULL});

    ck_assert_str_eq(text_of(items[1], "lockingDeviceId"), ids[L2]);
    ck_assert(json_object_is_type(member(items[1], "granted"), json_type_boolean));
    ck_assert_int_eq(json_object_get_boolean(member(items[1], "granted")), 0);

    client = member(items[2], "client");
    ck_assert_int_eq(json_object_object_length(client), 3);
    assert_strings(client, (const char *const[]){"type", "GATEWAY_DEVICE", "gatewayDeviceId",
                                                 ids[G1], "remoteCommandId", COMMAND, NULL});

    client = member(items[3], "client");
    ck_assert_int_eq(json_object_object_length(client), 2);
    ck_assert_str_eq(text_of(client, "type"), "GATEWAY_DEVICE");
    ck_assert_int_eq(json_object_get_boolean(member(items[3], "granted")), 0);
    put_all(items, n);

    expect_lock_ids("/locking-device-audit-log?", a_audit_order, 0);
    expect_lock_ids("/locking-device-audit-log?sort-direction=DESC", a_audit_order, 1);
}
END_TEST

START_TEST(lock_logs_filter_by_device_sequence_and_time)
{
    static const char *const l2[] = {SYS(9), SYS(2), SYS(8), NULL};
    static const char *const above1[] = {SYS(1), SYS(4), SYS(8), SYS(7), NULL};
    static const char *const after60[] = {SYS(4), SYS(8), SYS(7), NULL};
    static const char *const after30[] = {SYS(1), SYS(2), SYS(3), SYS(4), SYS(8), SYS(7), NULL};
    static const char *const l1_all[] = {SYS(1), SYS(4), SYS(7), NULL};
    static const char *const none[] = {NULL};
    static const char *const audit_l1[] = {AUD(1), AUD(3), AUD(4), NULL};
    char path[512];

    snprintf(path, sizeof(path), "/locking-device-system-log?locking-device-id=%s", ids[L2]);
    expect_lock_ids(path, l2, 0);
    expect_lock_ids("/locking-device-system-log?sequence-number-greater-than=1", above1, 0);
    expect_lock_ids("/locking-device-system-log?sequence-number-greater-than=4", none, 0);
    expect_lock_ids("/locking-device-system-log?sequence-number-greater-than=1&"
                    "after-datetime=2024-01-01T08:00:30Z",
                    above1, 0);
    /* Strictly after; any offset and fraction. */
    expect_lock_ids("/locking-device-system-log?after-datetime=2024-01-01T08:01:00Z", after60, 0);
    expect_lock_ids("/locking-device-system-log?after-datetime=2024-01-01T08:01:00.5Z", after60, 0);
    expect_lock_ids("/locking-device-system-log?after-datetime=2024-01-01T10:00:30%2B02:00",
                    after30, 0);
    expect_lock_ids("/locking-device-system-log?after-datetime=2024-01-01T08:00:59.999Z&"
                    "sort-direction=DESC",
                    after30, 1);
    expect_lock_ids("/locking-device-system-log?after-datetime=2024-01-01T09:00:00Z", none, 1);
    snprintf(path, sizeof(path),
             "/locking-device-system-log?locking-device-id=%s&sequence-number-greater-than=1&"
             "after-datetime=2024-01-01T08:00:30Z&sort-direction=DESC",
             ids[L1]);
    expect_lock_ids(path, l1_all, 1);
    snprintf(path, sizeof(path), "/locking-device-audit-log?locking-device-id=%s", ids[L1]);
    expect_lock_ids(path, audit_l1, 0);
    snprintf(path, sizeof(path),
             "/locking-device-audit-log?locking-device-id=%s&after-datetime=2024-01-01T08:00:10Z",
             ids[L1]);
    expect_lock_ids(path, audit_l1 + 1, 0);
}
END_TEST

START_TEST(lock_logs_reject_bad_parameters)
{
    static const char *const paths[] = {"/locking-device-system-log", "/locking-device-audit-log"};
    const char *direction[] = {"sort-direction", NULL};
    const char *seq[] = {"sequence-number-greater-than", NULL};
    const char *after[] = {"after-datetime", NULL};
    const char *lock[] = {"locking-device-id", NULL};
    const char *every[] = {"locking-device-id",
                           "sequence-number-greater-than",
                           "after-datetime",
                           "sort-direction",
                           "limit",
                           NULL};
    char path[512];

    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s?sort-direction=UP", paths[i]);
        expect_get_invalid(&a, path, direction);
        snprintf(path, sizeof(path), "%s?sort-direction=asc", paths[i]);
        expect_get_invalid(&a, path, direction);
        snprintf(path, sizeof(path), "%s?sequence-number-greater-than=-1", paths[i]);
        expect_get_invalid(&a, path, seq);
        snprintf(path, sizeof(path), "%s?sequence-number-greater-than=1.5", paths[i]);
        expect_get_invalid(&a, path, seq);
        snprintf(path, sizeof(path), "%s?after-datetime=yesterday", paths[i]);
        expect_get_invalid(&a, path, after);
        snprintf(path, sizeof(path), "%s?after-datetime=2024-01-01", paths[i]);
        expect_get_invalid(&a, path, after);
        snprintf(path, sizeof(path), "%s?locking-device-id=front", paths[i]);
        expect_get_invalid(&a, path, lock);
        snprintf(path, sizeof(path),
                 "%s?locking-device-id=x&sequence-number-greater-than=-5&after-datetime=now&"
                 "sort-direction=&limit=0",
                 paths[i]);
        expect_get_invalid(&a, path, every);
        /* An unknown lock, or one of another system, is not found rather than empty. */
        snprintf(path, sizeof(path), "%s?locking-device-id=%s", paths[i], UNKNOWN_ID);
        expect_get_not_found(&a, path);
        snprintf(path, sizeof(path), "%s?locking-device-id=%s", paths[i], ids[LB]);
        expect_get_not_found(&a, path);
    }
}
END_TEST

/* Reads page one of first and returns its token (the caller frees). */
static char *first_token(const struct tenant *t, const char *first)
{
    struct http_response r;
    char *token;

    call(t, first, 200, &r);
    ck_assert_ptr_nonnull(json_str(&r, "nextPageToken"));
    token = strdup(json_str(&r, "nextPageToken"));
    http_response_free(&r);
    return token;
}

/* The token of first's page one is refused by second (a path with a query). */
static void expect_token_refused(const struct tenant *owner, const struct tenant *reader,
                                 const char *first, const char *second)
{
    const char *token_name[] = {"next-page-token", NULL};
    char *token = first_token(owner, first);
    char path[1024];

    snprintf(path, sizeof(path), "%s&next-page-token=%s", second, token);
    expect_get_invalid(reader, path, token_name);
    free(token);
}

START_TEST(page_tokens_are_bound_to_their_list)
{
    char l1[256], l2[256], gw1[256], gw2[256];

    expect_token_refused(&a, &a, "/locking-device-system-log?limit=2",
                         "/locking-device-system-log?sort-direction=DESC");
    expect_token_refused(&a, &a, "/locking-device-system-log?limit=2&sort-direction=DESC",
                         "/locking-device-system-log?sort-direction=ASC");
    expect_token_refused(&a, &a, "/locking-device-system-log?limit=2",
                         "/locking-device-audit-log?limit=2");
    expect_token_refused(&a, &a, "/locking-device-system-log?limit=2",
                         "/locking-device-system-log?sequence-number-greater-than=0");
    expect_token_refused(&a, &a, "/locking-device-system-log?limit=2",
                         "/locking-device-system-log?after-datetime=2024-01-01T00:00:00Z");
    expect_token_refused(&a, &b, "/locking-device-system-log?limit=2",
                         "/locking-device-system-log?limit=2");
    snprintf(l1, sizeof(l1), "/locking-device-system-log?limit=1&locking-device-id=%s", ids[L1]);
    snprintf(l2, sizeof(l2), "/locking-device-system-log?locking-device-id=%s", ids[L2]);
    expect_token_refused(&a, &a, l1, l2);

    snprintf(gw1, sizeof(gw1), "/gateway-device-system-log?limit=1&gateway-device-id=%s", ids[G1]);
    snprintf(gw2, sizeof(gw2), "/gateway-device-system-log?gateway-device-id=%s", ids[G2]);
    expect_token_refused(&a, &a, gw1, gw2);
    snprintf(gw2, sizeof(gw2),
             "/gateway-device-system-log?gateway-device-id=%s&sort-direction=DESC", ids[G1]);
    expect_token_refused(&a, &a, gw1, gw2);
    snprintf(gw2, sizeof(gw2), "/gateway-device-audit-log?gateway-device-id=%s", ids[G1]);
    expect_token_refused(&a, &a, gw1, gw2);
    expect_token_refused(&a, &a, gw1, "/locking-device-system-log?limit=1");
}
END_TEST

START_TEST(lock_logs_show_only_the_callers_system)
{
    json_object *items[MAX_ITEMS];
    size_t pages;
    size_t n = read_all(&b, "/locking-device-system-log?", 50, items, &pages);

    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(text_of(items[0], "id"), SYS(6));
    ck_assert_str_eq(text_of(items[0], "lockingDeviceId"), ids[LB]);
    put_all(items, n);
    n = read_all(&b, "/locking-device-audit-log?", 50, items, &pages);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(text_of(items[0], "id"), AUD(5));
    put_all(items, n);
}
END_TEST

/* ---- gateway device logs --------------------------------------------------------------- */

START_TEST(gateway_system_log_merges_details)
{
    json_object *items[MAX_ITEMS];
    char path[256];
    size_t pages;
    size_t n;

    snprintf(path, sizeof(path), "/gateway-device-system-log?gateway-device-id=%s", ids[G1]);
    n = read_all(&a, path, 50, items, &pages);
    ck_assert_uint_eq(n, 5);
    /* The reference's example entry, field for field. */
    ck_assert_int_eq(json_object_object_length(items[0]), 9);
    ck_assert_int_eq(json_object_get_int(member(items[0], "sequenceNumber")), 101);
    assert_strings(items[0],
                   (const char *const[]){"datetime", "2024-01-01T08:00:00Z", "eventName", "BOOT",
                                         "bootReason", "POWER_ON", "hardwareModel", "BEAT_GW_A1",
                                         "hardwareVersion", "1.0.0", "firmwareVersion", "0.7.0",
                                         "door1State", "CLOSED", "door2State", "CLOSED", NULL});
    /* An entry without details has the three common fields only. */
    ck_assert_int_eq(json_object_object_length(items[1]), 3);
    ck_assert_str_eq(text_of(items[1], "eventName"), "SHUTDOWN");
    ck_assert_int_eq(json_object_object_length(items[2]), 4);
    ck_assert_str_eq(text_of(items[2], "networkType"), "LTE");
    ck_assert_str_eq(text_of(items[3], "door1State"), "OPEN");
    ck_assert_str_eq(text_of(items[4], "bootReason"), "HEARTBEAT");
    ck_assert_str_eq(text_of(items[4], "datetime"), "2024-01-02T08:00:00Z");
    put_all(items, n);

    expect_gateway_seqs(path, g1_system_order, 0);
    snprintf(path, sizeof(path),
             "/gateway-device-system-log?gateway-device-id=%s&sort-direction=DESC", ids[G1]);
    expect_gateway_seqs(path, g1_system_order, 1);
}
END_TEST

START_TEST(gateway_audit_log_renders_conversations)
{
    json_object *items[MAX_ITEMS];
    char path[256];
    size_t pages;
    size_t n;

    snprintf(path, sizeof(path), "/gateway-device-audit-log?gateway-device-id=%s", ids[G1]);
    n = read_all(&a, path, 50, items, &pages);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(json_object_object_length(items[0]), 4);
    ck_assert_int_eq(json_object_get_int(member(items[0], "sequenceNumber")), 7);
    assert_strings(items[0],
                   (const char *const[]){"datetime", "2024-01-01T08:00:10Z", "conversationName",
                                         "update-time", "lockingDeviceId", ids[L1], NULL});
    ck_assert_int_eq(json_object_object_length(items[1]), 5);
    ck_assert_str_eq(text_of(items[1], "conversationName"), "open");
    ck_assert_str_eq(text_of(items[1], "remoteCommandId"), COMMAND);
    ck_assert_str_eq(text_of(items[2], "lockingDeviceId"), ids[L2]);
    put_all(items, n);

    expect_gateway_seqs(path, g1_audit_order, 0);
    snprintf(path, sizeof(path),
             "/gateway-device-audit-log?gateway-device-id=%s&sort-direction=DESC", ids[G1]);
    expect_gateway_seqs(path, g1_audit_order, 1);
}
END_TEST

START_TEST(gateway_logs_filter_by_sequence_number)
{
    static const int above101[] = {103, 104, 102, -1};
    static const int above6[] = {7, -1};
    static const int none[] = {-1};
    static const int g2[] = {1, -1};
    char path[256];

    snprintf(path, sizeof(path),
             "/gateway-device-system-log?gateway-device-id=%s&sequence-number-greater-than=101",
             ids[G1]);
    expect_gateway_seqs(path, above101, 0);
    snprintf(path, sizeof(path),
             "/gateway-device-system-log?gateway-device-id=%s&sequence-number-greater-than=101&"
             "sort-direction=DESC",
             ids[G1]);
    expect_gateway_seqs(path, above101, 1);
    snprintf(path, sizeof(path),
             "/gateway-device-system-log?gateway-device-id=%s&sequence-number-greater-than=104",
             ids[G1]);
    expect_gateway_seqs(path, none, 0);
    snprintf(path, sizeof(path),
             "/gateway-device-audit-log?gateway-device-id=%s&sequence-number-greater-than=6",
             ids[G1]);
    expect_gateway_seqs(path, above6, 0);
    /* Another gateway of the same system has its own log; a gateway without one is empty. */
    snprintf(path, sizeof(path), "/gateway-device-system-log?gateway-device-id=%s", ids[G2]);
    expect_gateway_seqs(path, g2, 0);
    snprintf(path, sizeof(path), "/gateway-device-audit-log?gateway-device-id=%s", ids[G2]);
    expect_gateway_seqs(path, none, 0);
}
END_TEST

START_TEST(gateway_logs_reject_bad_parameters)
{
    static const char *const paths[] = {"/gateway-device-system-log", "/gateway-device-audit-log"};
    const char *gateway[] = {"gateway-device-id", NULL};
    const char *direction[] = {"sort-direction", NULL};
    const char *seq[] = {"sequence-number-greater-than", NULL};
    const char *every[] = {"gateway-device-id", "sequence-number-greater-than", "sort-direction",
                           "limit", NULL};
    char path[512];

    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s", paths[i]);
        expect_get_invalid(&a, path, gateway);
        snprintf(path, sizeof(path), "%s?gateway-device-id=gw", paths[i]);
        expect_get_invalid(&a, path, gateway);
        snprintf(path, sizeof(path), "%s?gateway-device-id=%s&sort-direction=SIDEWAYS", paths[i],
                 ids[G1]);
        expect_get_invalid(&a, path, direction);
        snprintf(path, sizeof(path), "%s?gateway-device-id=%s&sequence-number-greater-than=-1",
                 paths[i], ids[G1]);
        expect_get_invalid(&a, path, seq);
        snprintf(path, sizeof(path),
                 "%s?sequence-number-greater-than=x&sort-direction=desc&limit=101", paths[i]);
        expect_get_invalid(&a, path, every);
        snprintf(path, sizeof(path), "%s?gateway-device-id=%s", paths[i], UNKNOWN_ID);
        expect_get_not_found(&a, path);
        snprintf(path, sizeof(path), "%s?gateway-device-id=%s", paths[i], ids[GB]);
        expect_get_not_found(&a, path);
        snprintf(path, sizeof(path), "%s?gateway-device-id=%s", paths[i], ids[G1]);
        expect_get_not_found(&b, path);
    }
}
END_TEST

static Suite *logs_suite(void)
{
    Suite *s = suite_create("logs");
    TCase *tc = tcase_create("logs");

    tcase_add_unchecked_fixture(tc, world_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, lock_system_log_renders_entries_in_time_then_id_order);
    tcase_add_test(tc, lock_audit_log_renders_clients_and_grants);
    tcase_add_test(tc, lock_logs_filter_by_device_sequence_and_time);
    tcase_add_test(tc, lock_logs_reject_bad_parameters);
    tcase_add_test(tc, page_tokens_are_bound_to_their_list);
    tcase_add_test(tc, lock_logs_show_only_the_callers_system);
    tcase_add_test(tc, gateway_system_log_merges_details);
    tcase_add_test(tc, gateway_audit_log_renders_conversations);
    tcase_add_test(tc, gateway_logs_filter_by_sequence_number);
    tcase_add_test(tc, gateway_logs_reject_bad_parameters);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(logs_suite());
}
