/*
 * test_list_plans.c — every list and log query of the Administration API seeks an index, for
 * every filter combination the reference allows and both sort directions.
 *
 * Each test opens a store of the real schema in a scratch folder, calls the store's own list
 * function with one combination of filters, and asks db_explain_last() for the plan of the
 * very statement that call ran. The plan is checked by the index it names and by the absence
 * of a full scan of the table ("SCAN <table>" without an index), never by its exact text,
 * which differs between the bundled SQLite and -Dsqlite=system. Lists must not sort either,
 * but where the rows sorted are one lock's or one gateway's: a lock's log is read from its
 * UNIQUE (lock, kind, sequence number) index (store/log_entries.c says why), the whole
 * system's log in time order from the page's position.
 * The store plans each statement once whatever gets bound (SQLITE_DBCONFIG_ENABLE_QPSG), so
 * the plan of an empty store is the plan of a big one.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/associations.h"
#include "store/db.h"
#include "store/gateway_devices.h"
#include "store/locking_devices.h"
#include "store/log_entries.h"
#include "store/offline_keys.h"
#include "store/operating_devices.h"
#include "store/permissions.h"
#include "store/remote_commands.h"
#include "store/sql.h"
#include "store/users.h"
#include "unit_main.h"

#define SYSTEM "5d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10"
#define DEVICE "0c6f1e2a-3b4d-4e5f-8a9b-1c2d3e4f5a6b"
#define PLAN_MAX 4096
#define ROWS 4

static char dir[] = "/tmp/keyless-plans-XXXXXX";
static struct db *db;

static void open_store(void)
{
    char path[512];

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/store.db", dir);
    ck_assert_int_eq(db_open(path), ST_OK);
    ck_assert_ptr_nonnull(db = db_thread());
}

static void close_store(void)
{
    char cmd[128];

    db_close_all();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/keyless-plans-XXXXXX");
}

/* The name of the UNIQUE constraint's index on table whose first column is column (SQLite
 * names those sqlite_autoindex_<table>_<n> by their place in the table's definition). */
static void unique_index(const char *table, const char *column, char *out, size_t cap)
{
    sqlite3 *h = db_handle(db);
    sqlite3_stmt *s = NULL;
    char sql[256];

    snprintf(sql, sizeof(sql),
             "SELECT l.name FROM pragma_index_list('%s') l, pragma_index_info(l.name) i"
             " WHERE l.origin = 'u' AND i.seqno = 0 AND i.name = '%s'",
             table, column);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    snprintf(out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

/* Does line name index as the one it uses ("USING INDEX i", "USING COVERING INDEX i")? */
static int uses_index(const char *line, const char *index)
{
    const char *p = line;
    size_t len = strlen(index);

    while ((p = strstr(p, "INDEX ")) != NULL) {
        p += strlen("INDEX ");
        if (strncmp(p, index, len) == 0 && (p[len] == ' ' || p[len] == '\0'))
            return 1;
    }
    return 0;
}

/* A full scan: "SCAN <table>" (or "SCAN TABLE <table>" before 3.36) with no index. */
static int scans(const char *line, const char *table)
{
    char a[128], b[128];

    snprintf(a, sizeof(a), "SCAN %s", table);
    snprintf(b, sizeof(b), "SCAN TABLE %s", table);
    return (strstr(line, a) != NULL || strstr(line, b) != NULL) && strstr(line, "INDEX") == NULL;
}

/* The plan of the statement the last store call ran seeks index on table, scans nothing,
 * and sorts nothing unless may_sort. */
static void check_plan(const char *what, const char *table, const char *index, int may_sort)
{
    char plan[PLAN_MAX], *line, *save = NULL;
    int found = 0;

    ck_assert_int_eq(db_explain_last(db, plan, sizeof(plan)), ST_OK);
    char copy[PLAN_MAX];
    strcpy(copy, plan);
    for (line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        ck_assert_msg(!scans(line, table), "%s scans %s:\n%s", what, table, plan);
        ck_assert_msg(may_sort || strstr(line, "TEMP B-TREE") == NULL, "%s sorts:\n%s", what, plan);
        if (strstr(line, table) != NULL && uses_index(line, index))
            found = 1;
    }
    ck_assert_msg(found, "%s does not use %s:\n%s", what, index, plan);
}

START_TEST(lock_logs_seek_the_system_or_the_lock_index)
{
    struct lock_log_row *rows = calloc(ROWS, sizeof(*rows));
    const char *kinds[] = {LOG_KIND_SYSTEM, LOG_KIND_AUDIT};
    char by_lock[128];
    size_t n;

    ck_assert_ptr_nonnull(rows);
    unique_index("locking_device_log_entries", "locking_device_id", by_lock, sizeof(by_lock));
    /* Every combination: lock or not, sequence bound or not, after-datetime or not, both
     * directions, first page or a later one. */
    for (unsigned combo = 0; combo < 64; combo++) {
        struct log_filter f = {
            .device_id = (combo & 1) ? DEVICE : NULL,
            .sequence_greater_than = (combo & 2) ? 10 : -1,
            .has_after_time = (combo & 4) != 0,
            .after_time = 1900000000,
            .descending = (combo & 8) != 0,
            .has_position = (combo & 16) != 0,
            .position = {1900000100, 7},
        };
        char what[128];

        snprintf(what, sizeof(what), "lock log %s%s%s%s%s%s", kinds[combo >> 5],
                 f.device_id ? " by lock" : "", (combo & 2) ? " seq>" : "",
                 f.has_after_time ? " after" : "", f.descending ? " DESC" : " ASC",
                 f.has_position ? " page 2" : "");
        ck_assert_int_eq(store_lock_log_list(db, SYSTEM, kinds[combo >> 5], &f, rows, ROWS, &n),
                         ST_OK);
        check_plan(what, "locking_device_log_entries",
                   f.device_id ? by_lock : "locking_device_log_by_time", f.device_id != NULL);
    }
    free(rows);
}
END_TEST

START_TEST(gateway_logs_seek_the_gateway_index)
{
    struct gateway_log_row *rows = calloc(ROWS, sizeof(*rows));
    const char *kinds[] = {LOG_KIND_SYSTEM, LOG_KIND_AUDIT};
    size_t n;

    ck_assert_ptr_nonnull(rows);
    for (unsigned combo = 0; combo < 16; combo++) {
        struct log_filter f = {
            .device_id = DEVICE,
            .sequence_greater_than = (combo & 1) ? 10 : -1,
            .descending = (combo & 2) != 0,
            .has_position = (combo & 4) != 0,
            .position = {1900000100, 7},
        };

        ck_assert_int_eq(store_gateway_log_list(db, SYSTEM, kinds[combo >> 3], &f, rows, ROWS, &n),
                         ST_OK);
        check_plan("gateway log", "gateway_device_log_entries", "gateway_device_log_by_time", 0);
    }
    free(rows);
}
END_TEST

START_TEST(locking_devices_seek_by_system_status_or_serial)
{
    struct locking_device_row rows[ROWS];
    const char *statuses[] = {NULL, "", "UNCLAIMED", "CLAIMED"};
    const char *serials[] = {NULL, "", "BPLAD123456"};
    size_t n;

    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 3; j++) {
            struct locking_device_filter f = {statuses[i], serials[j]};
            int by_status = statuses[i] != NULL && statuses[i][0] != '\0';

            ck_assert_int_eq(store_locking_device_list(db, SYSTEM, &f, 0, rows, ROWS, &n), ST_OK);
            check_plan("locking devices", "locking_devices",
                       serials[j] != NULL ? "locking_devices_by_serial"
                       : by_status        ? "locking_devices_by_status"
                                          : "locking_devices_by_system",
                       0);
        }
}
END_TEST

START_TEST(lists_of_one_system_seek_its_index)
{
    struct user_row users[ROWS];
    struct permission_row permissions[ROWS];
    struct offline_key_row keys[ROWS];
    struct gateway_device_row gateways[ROWS];
    size_t n;

    ck_assert_int_eq(store_user_list(db, SYSTEM, 0, users, ROWS, &n), ST_OK);
    check_plan("users", "users", "users_by_system", 0);
    ck_assert_int_eq(store_permission_list(db, SYSTEM, 0, permissions, ROWS, &n), ST_OK);
    check_plan("permissions", "permissions", "permissions_by_system", 0);
    ck_assert_int_eq(store_offline_key_list(db, SYSTEM, 0, keys, ROWS, &n), ST_OK);
    check_plan("offline keys", "offline_keys", "offline_keys_by_system", 0);
    ck_assert_int_eq(store_gateway_device_list(db, SYSTEM, 0, gateways, ROWS, &n), ST_OK);
    check_plan("gateway devices", "gateway_devices", "gateway_devices_by_system", 0);
}
END_TEST

START_TEST(filtered_lists_seek_the_filters_index)
{
    struct operating_device_row devices[ROWS];
    struct association_row associations[ROWS];
    struct remote_command_row commands[ROWS];
    struct association_filter all = {NULL}, none = {""}, gateway = {DEVICE};
    char index[128];
    size_t n;

    ck_assert_int_eq(store_operating_device_list(db, SYSTEM, NULL, 0, devices, ROWS, &n), ST_OK);
    check_plan("operating devices", "operating_devices", "operating_devices_by_system", 0);
    ck_assert_int_eq(store_operating_device_list(db, SYSTEM, DEVICE, 0, devices, ROWS, &n), ST_OK);
    unique_index("operating_devices", "user_id", index, sizeof(index));
    check_plan("operating devices of a user", "operating_devices", index, 0);

    ck_assert_int_eq(store_association_list(db, SYSTEM, &all, 0, associations, ROWS, &n), ST_OK);
    check_plan("associations", "gateway_device_associations", "associations_by_system", 0);
    ck_assert_int_eq(store_association_list(db, SYSTEM, &none, 0, associations, ROWS, &n), ST_OK);
    check_plan("associations", "gateway_device_associations", "associations_by_system", 0);
    ck_assert_int_eq(store_association_list(db, SYSTEM, &gateway, 0, associations, ROWS, &n),
                     ST_OK);
    /* At most six per gateway: sorting them by seq is cheaper than a seventh index. */
    unique_index("gateway_device_associations", "gateway_device_id", index, sizeof(index));
    check_plan("associations of a gateway", "gateway_device_associations", index, 1);

    ck_assert_int_eq(store_remote_command_list(db, SYSTEM, NULL, 0, commands, ROWS, &n), ST_OK);
    check_plan("remote commands", "remote_commands", "remote_commands_by_system", 0);
    ck_assert_int_eq(store_remote_command_list(db, SYSTEM, DEVICE, 0, commands, ROWS, &n), ST_OK);
    check_plan("remote commands of a gateway", "remote_commands", "remote_commands_by_gateway", 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("list_plans");
    TCase *tc = tcase_create("plans");

    tcase_add_checked_fixture(tc, open_store, close_store);
    tcase_add_test(tc, lock_logs_seek_the_system_or_the_lock_index);
    tcase_add_test(tc, gateway_logs_seek_the_gateway_index);
    tcase_add_test(tc, locking_devices_seek_by_system_status_or_serial);
    tcase_add_test(tc, lists_of_one_system_seek_its_index);
    tcase_add_test(tc, filtered_lists_seek_the_filters_index);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(suite());
}
