/*
 * test_template.c — a store written from the build's template is the store the
 * migrations build (store/template.h), on a file and in memory; creating from the
 * template never replaces a file and survives what a crash leaves behind.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rows_text.h"
#include "store/db.h"
#include "store/sql.h"
#include "store/template.h"
#include "unit_main.h"

#define DUMP_MAX (1 << 20)

static char dir[] = "/tmp/keyless-template-XXXXXX";

static void make_dir(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/keyless-template-XXXXXX");
}

/* Opens path the way the emulator does (with or without the template) and describes what
 * it holds: every schema object, the applied migrations and the journal mode. */
static char *open_and_describe(const char *path, int with_template)
{
    char *out = calloc(1, DUMP_MAX);
    sqlite3 *h;

    ck_assert_ptr_nonnull(out);
    db_use_template(with_template ? &schema_template : NULL);
    ck_assert_int_eq(db_open(path), ST_OK);
    h = db_handle(db_thread());
    rows_text_append(h, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
                     out, DUMP_MAX);
    rows_text_append(h, "SELECT version, name FROM schema_migrations", out, DUMP_MAX);
    rows_text_append(h, "PRAGMA journal_mode", out, DUMP_MAX);
    rows_text_append(h, "PRAGMA integrity_check", out, DUMP_MAX);
    db_close_all();
    db_use_template(NULL);
    return out;
}

static char *path_in_dir(const char *name)
{
    char *p = malloc(512);

    ck_assert_ptr_nonnull(p);
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

START_TEST(a_file_from_the_template_is_the_migrated_file)
{
    char *migrated_path = path_in_dir("migrated.db"), *templated_path = path_in_dir("t.db");
    char *migrated = open_and_describe(migrated_path, 0);
    char *templated = open_and_describe(templated_path, 1);

    ck_assert_ptr_nonnull(strstr(migrated, "schema_migrations"));
    ck_assert_ptr_nonnull(strstr(migrated, "wal|"));
    ck_assert_ptr_nonnull(strstr(migrated, "ok|"));
    ck_assert_str_eq(templated, migrated);
    free(migrated);
    free(templated);
    free(migrated_path);
    free(templated_path);
}
END_TEST

START_TEST(memory_from_the_template_is_the_migrated_memory)
{
    char *migrated = open_and_describe(":memory:", 0);
    char *templated = open_and_describe(":memory:", 1);

    ck_assert_ptr_nonnull(strstr(migrated, "memory|"));
    ck_assert_str_eq(templated, migrated);
    free(migrated);
    free(templated);
}
END_TEST

START_TEST(an_existing_file_is_never_replaced)
{
    char *path = path_in_dir("taken.db"), content[16] = {0};
    FILE *f = fopen(path, "w");

    fputs("not sqlite", f);
    fclose(f);
    ck_assert_int_eq(template_create_file(&schema_template, path, NULL, 0), ST_CONFLICT);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(content, sizeof(content), f));
    fclose(f);
    ck_assert_str_eq(content, "not sqlite");
    free(path);
}
END_TEST

/* A crash between writing the side file and linking it leaves path.new behind. */
START_TEST(a_side_file_left_by_a_crash_is_overwritten)
{
    char *path = path_in_dir("crashed.db"), *side = path_in_dir("crashed.db.new"), *described;
    FILE *f = fopen(side, "w");

    fputs("half a database", f);
    fclose(f);
    ck_assert_int_eq(template_create_file(&schema_template, path, NULL, 0), ST_OK);
    ck_assert_int_eq(access(side, F_OK), -1);
    described = open_and_describe(path, 1);
    ck_assert_ptr_nonnull(strstr(described, "ok|"));
    free(described);
    free(path);
    free(side);
}
END_TEST

/* A setting seeded before the store is made is in the new file, which is otherwise the
 * template's (nothing needs writing at the first start), and in WAL mode. */
START_TEST(a_seeded_setting_is_in_the_new_file)
{
    char *path = path_in_dir("seeded.db"), *described;
    char text[256] = {0};
    const struct template_setting seed = {"page_token_key", "0123456789abcdef", 16};
    sqlite3 *h;

    ck_assert_int_eq(template_create_file(&schema_template, path, &seed, 1), ST_OK);
    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    rows_text_append(h, "SELECT key, CAST(value AS TEXT) FROM settings", text, sizeof(text));
    sqlite3_close(h);
    ck_assert_str_eq(text, "page_token_key|0123456789abcdef|\n");
    described = open_and_describe(path, 1);
    ck_assert_ptr_nonnull(strstr(described, "wal|\nok|"));
    free(described);
    free(path);
}
END_TEST

Suite *template_suite(void)
{
    Suite *s = suite_create("template");
    TCase *tc = tcase_create("template");

    tcase_add_checked_fixture(tc, make_dir, remove_dir);
    tcase_add_test(tc, a_file_from_the_template_is_the_migrated_file);
    tcase_add_test(tc, memory_from_the_template_is_the_migrated_memory);
    tcase_add_test(tc, an_existing_file_is_never_replaced);
    tcase_add_test(tc, a_side_file_left_by_a_crash_is_overwritten);
    tcase_add_test(tc, a_seeded_setting_is_in_the_new_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(template_suite());
}
