/*
 * test_migrations.c — a store an older emulator wrote keeps its rows when this one opens it.
 *
 * Each test builds a file as the emulator of an earlier schema version left it (the embedded
 * migrations up to that version, applied as db.c applies them), fills the tables the next
 * migration rebuilds, then opens it with db_open(), which migrates it to the current schema.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rows_text.h"
#include "store/db.h"
#include "store/sql.h"
#include "store/migrations.h"
#include "unit_main.h"

#define DUMP_MAX (1 << 16)
#define SYSTEM "5d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10"
#define LOCK "0c6f1e2a-3b4d-4e5f-8a9b-1c2d3e4f5a6b"

static char dir[] = "/tmp/keyless-migrations-XXXXXX";
static char path[512];

static void make_dir(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/old.db", dir);
}

static void remove_dir(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/keyless-migrations-XXXXXX");
}

static void exec(sqlite3 *h, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &err);

    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "");
    sqlite3_free(err);
}

/* The file an emulator whose newest migration was `version` leaves, holding `rows`. */
static void write_old_store(int version, const char *rows)
{
    sqlite3 *h = NULL;
    char record[256];

    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    exec(h, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; BEGIN IMMEDIATE;"
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    for (unsigned i = 0; i < migrations_count && migrations[i].version <= version; i++) {
        exec(h, migrations[i].sql);
        snprintf(record, sizeof(record), "INSERT INTO schema_migrations VALUES (%d, '%s');",
                 migrations[i].version, migrations[i].name);
        exec(h, record);
    }
    exec(h, rows);
    exec(h, "COMMIT;");
    sqlite3_close(h);
}

static char *dump(sqlite3 *h, const char *sql)
{
    char *out = calloc(1, DUMP_MAX);

    ck_assert_ptr_nonnull(out);
    rows_text_append(h, sql, out, DUMP_MAX);
    return out;
}

#define LOG_ROWS "SELECT * FROM locking_device_log_entries ORDER BY seq"

/* Migration 015 rebuilt the lock log without the UNIQUE index on id. */
START_TEST(lock_log_entries_survive_the_rebuild_of_their_table)
{
    static const char rows[] =
        "INSERT INTO systems (seq, id, name, clock_mode, created_at)"
        " VALUES (7, '" SYSTEM "', 'Site', 'frozen', 1);"
        "INSERT INTO locking_devices (id, system_id, name, created_at)"
        " VALUES ('" LOCK "', '" SYSTEM "', 'Door', 1);"
        "INSERT INTO locking_device_log_entries (seq, id, system_id, locking_device_id, kind,"
        " event_name, occurred_at, sequence_number, client_type, operating_device_id, user_id,"
        " granted) VALUES"
        " (3, '01a2b86c-f898-7232-8320-710ffdde549e', '" SYSTEM "', '" LOCK "', 'AUDIT',"
        "  'unlock', 100, 1, 'OPERATING_DEVICE', 'phone-1', 'user-1', 1),"
        " (9, '01a2b86f-7d20-707f-9172-5a1732cc425e', '" SYSTEM "', '" LOCK "', 'SYSTEM',"
        "  'BATTERY_LOW', 200, 1, NULL, NULL, NULL, NULL);";
    char *before, *after, *indexes;
    sqlite3 *h;

    write_old_store(14, rows);
    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    before = dump(h, LOG_ROWS);
    sqlite3_close(h);

    ck_assert_int_eq(db_open(path), ST_OK);
    h = db_handle(db_thread());
    after = dump(h, LOG_ROWS);
    indexes = dump(h, "SELECT name FROM pragma_index_list('locking_device_log_entries')"
                      " ORDER BY name");
    ck_assert_str_eq(after, before); /* seq values too: page tokens name them */
    ck_assert_ptr_nonnull(strstr(before, "BATTERY_LOW"));
    ck_assert_str_eq(indexes, "locking_device_log_by_time|\n"
                              "sqlite_autoindex_locking_device_log_entries_1|\n");
    /* The one uniqueness left is the one uploads rely on: an entry uploaded twice. */
    ck_assert_int_ne(sqlite3_exec(h,
                                  "INSERT INTO locking_device_log_entries (id, system_id,"
                                  " locking_device_id, kind, event_name, occurred_at,"
                                  " sequence_number) VALUES ('other', '" SYSTEM "', '" LOCK
                                  "', 'AUDIT', 'unlock', 100, 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* The cascade from the lock still reaches its entries. */
    ck_assert_int_eq(sqlite3_exec(h, "DELETE FROM locking_devices", NULL, NULL, NULL), SQLITE_OK);
    free(after);
    after = dump(h, LOG_ROWS);
    ck_assert_str_eq(after, "");
    db_close_all();
    free(before);
    free(after);
    free(indexes);
}
END_TEST

Suite *migrations_suite(void)
{
    Suite *s = suite_create("migrations");
    TCase *tc = tcase_create("migrations");

    tcase_add_checked_fixture(tc, make_dir, remove_dir);
    tcase_add_test(tc, lock_log_entries_survive_the_rebuild_of_their_table);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(migrations_suite());
}
