/*
 * test_snapshots.c — whole-state snapshots, restore and reset (POST /_emulator/v1/snapshots,
 * GET /snapshots, POST /snapshots/{name}/restore, POST /reset).
 *
 * Names are checked; a restore brings back exactly the saved state, atomically for readers
 * running at the same time, keeps login tokens, page tokens and the signing key working,
 * and forgets rate-limit buckets; reset empties every table but keeps the snapshots. On a
 * database file the snapshots are files beside it that survive restarts. Restoring 10,000
 * rows is timed (the figure is printed) on both kinds of database.
 */
#include <check.h>
#include <json-c/json.h>
#include <pthread.h>
#include <regex.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define BIG_SYSTEMS 10
#define BIG_USERS 1000 /* per system: 10,000 users (and as many UserCreated events) */

/* ---- helpers --------------------------------------------------------------------------- */

static long post_snapshot(struct emu *e, const char *name, struct http_response *r)
{
    char body[256];

    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
    return control_call(e, "POST", "/snapshots", body, r);
}

static void snapshot(struct emu *e, const char *name)
{
    struct http_response r;

    ck_assert_msg(post_snapshot(e, name, &r) == 201, "%s: %ld %s", name, r.status, r.body);
    http_response_free(&r);
}

static long restore(struct emu *e, const char *name)
{
    char path[256];
    struct http_response r;
    long status;

    snprintf(path, sizeof(path), "/snapshots/%s/restore", name);
    status = control_call(e, "POST", path, NULL, &r);
    if (status == 200)
        ck_assert_str_eq(json_str(&r, "name"), name);
    http_response_free(&r);
    return status;
}

/* The number of systems GET /systems?limit=100 lists (-1 on failure). */
static int count_systems(struct emu *e)
{
    struct http_response r;
    json_object *items;
    int n = -1;

    if (control_call(e, "GET", "/systems?limit=100", NULL, &r) == 200 &&
        json_object_object_get_ex(r.json, "items", &items))
        n = (int)json_object_array_length(items);
    http_response_free(&r);
    return n;
}

static long get_status(struct emu *e, const char *path)
{
    return control_status(e, "GET", path, NULL);
}

/* POST /user {role: USER} as t; copies the new id into id (64 bytes). */
static void create_user(struct emu *e, const struct tenant *t, char *id)
{
    struct http_response r;

    ck_assert_int_eq(admin_call(e, t, "POST", "/user", "{\"role\":\"USER\"}", &r), 201);
    snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
}

static void jwks_kid(struct emu *e, char *out, size_t cap)
{
    struct http_response r;
    json_object *keys;

    ck_assert_int_eq(control_call(e, "GET", "/jwks.json", NULL, &r), 200);
    ck_assert(json_object_object_get_ex(r.json, "keys", &keys));
    snprintf(
        out, cap, "%s",
        json_object_get_string(json_object_object_get(json_object_array_get_idx(keys, 0), "kid")));
    http_response_free(&r);
}

/* Loads BIG_SYSTEMS systems of BIG_USERS users through POST /fixtures, two a document. */
static void load_big(struct emu *e)
{
    size_t cap = 600000;
    char *doc = malloc(cap);
    struct http_response r;

    ck_assert_ptr_nonnull(doc);
    for (int d = 0; d < BIG_SYSTEMS / 2; d++) {
        size_t len = (size_t)snprintf(doc, cap, "{\"systems\":[");
        for (int s = 0; s < 2; s++) {
            int sys = d * 2 + s;
            len += (size_t)snprintf(doc + len, cap - len,
                                    "%s{\"id\":\"5a000000-0000-4000-8000-%012d\",\"name\":\"Big "
                                    "%d\",\"apiKey\":\"big-api-key-%08d\",\"admin\":{\"userId\":"
                                    "\"5b000000-0000-4000-8000-%012d\",\"accessKey\":"
                                    "\"big-admin-key-%08d\"},\"users\":[",
                                    s ? "," : "", sys, sys, sys, sys, sys);
            for (int u = 0; u < BIG_USERS; u++)
                len += (size_t)snprintf(doc + len, cap - len,
                                        "%s{\"id\":\"5c000000-0000-4000-8000-%012d\",\"role\":"
                                        "\"USER\",\"accessKey\":\"big-user-key-%08d\"}",
                                        u ? "," : "", sys * BIG_USERS + u, sys * BIG_USERS + u);
            len += (size_t)snprintf(doc + len, cap - len, "]}");
        }
        snprintf(doc + len, cap - len, "]}");
        ck_assert_msg(control_call(e, "POST", "/fixtures", doc, &r) == 201, "%ld %s", r.status,
                      r.body);
        http_response_free(&r);
    }
    free(doc);
}

/* Snapshot of 10,000 users, one change, a timed restore; returns the restore's ms. */
static double timed_restore(struct emu *e, const char *what)
{
    struct tenant t;
    double t0, create_ms, restore_ms;
    int systems = count_systems(e);

    load_big(e);
    ck_assert_int_eq(count_systems(e), systems + BIG_SYSTEMS);
    t0 = now_ms();
    snapshot(e, "ten-thousand");
    create_ms = now_ms() - t0;
    ck_assert_int_eq(tenant_create(e, &t, NULL), 0);
    t0 = now_ms();
    ck_assert_int_eq(restore(e, "ten-thousand"), 200);
    restore_ms = now_ms() - t0;
    ck_assert_int_eq(count_systems(e), systems + BIG_SYSTEMS);
    ck_assert_int_eq(get_status(e, "/systems/5a000000-0000-4000-8000-000000000009"), 200);
    fprintf(stderr, "%s: snapshot of %d users in %.1f ms, restore over HTTP in %.1f ms\n", what,
            BIG_SYSTEMS * BIG_USERS, create_ms, restore_ms);
    return restore_ms;
}

/* ---- names, creation, listing ---------------------------------------------------------- */

START_TEST(create_answers_name_time_and_size)
{
    struct http_response r;
    regex_t when;
    json_object *size;

    ck_assert_int_eq(regcomp(&when, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    ck_assert_int_eq(post_snapshot(&emu, "first_1.0-a", &r), 201);
    ck_assert_str_eq(json_str(&r, "name"), "first_1.0-a");
    ck_assert_int_eq(regexec(&when, json_str(&r, "createdDatetime"), 0, NULL, 0), 0);
    ck_assert(json_object_object_get_ex(r.json, "sizeBytes", &size));
    ck_assert_int_gt(json_object_get_int64(size), 4096);
    http_response_free(&r);
    regfree(&when);
}
END_TEST

START_TEST(create_of_a_taken_name_conflicts)
{
    struct http_response r;

    snapshot(&emu, "taken");
    ck_assert_int_eq(post_snapshot(&emu, "taken", &r), 409);
    ck_assert_str_eq(json_str(&r, "detail"), "a snapshot named 'taken' exists already");
    http_response_free(&r);
}
END_TEST

static const struct {
    const char *body, *field;
} bad_creates[] = {
    {"{\"name\":\"\"}", "name"},
    {"{\"name\":\"a/b\"}", "name"},
    {"{\"name\":\"with space\"}", "name"},
    {"{\"name\":\"caf\\u00e9\"}", "name"},
    {"{\"name\":\"x12345678901234567890123456789012345678901234567890123456789012345\"}", "name"},
    {"{\"name\":7}", "name"},
    {"{}", "name"},
    {"{\"name\":\"ok\",\"colour\":\"red\"}", "colour"},
};

START_TEST(create_refuses_bad_names)
{
    struct http_response r;
    json_object *list;

    ck_assert_int_eq(control_call(&emu, "POST", "/snapshots", bad_creates[_i].body, &r), 400);
    ck_assert(json_object_object_get_ex(r.json, "invalidParams", &list));
    ck_assert_str_eq(
        json_object_get_string(json_object_object_get(json_object_array_get_idx(list, 0), "name")),
        bad_creates[_i].field);
    http_response_free(&r);
    ck_assert_int_eq(restore(&emu, "ok"), 404);
}
END_TEST

START_TEST(list_orders_by_name)
{
    struct http_response r;
    json_object *items;
    const char *prev = "";
    int seen_b = 0, seen_a = 0;

    snapshot(&emu, "order-b");
    snapshot(&emu, "order-a");
    ck_assert_int_eq(control_call(&emu, "GET", "/snapshots", NULL, &r), 200);
    ck_assert(json_object_object_get_ex(r.json, "items", &items));
    for (size_t i = 0; i < json_object_array_length(items); i++) {
        json_object *s = json_object_array_get_idx(items, i);
        const char *name = json_object_get_string(json_object_object_get(s, "name"));
        ck_assert_msg(strcmp(prev, name) < 0, "'%s' listed after '%s'", name, prev);
        ck_assert_ptr_nonnull(json_object_object_get(s, "createdDatetime"));
        ck_assert_ptr_nonnull(json_object_object_get(s, "sizeBytes"));
        seen_a += strcmp(name, "order-a") == 0;
        seen_b += strcmp(name, "order-b") == 0;
        prev = name;
    }
    ck_assert(seen_a == 1 && seen_b == 1);
    http_response_free(&r);
}
END_TEST

START_TEST(restore_of_an_unknown_name_is_not_found)
{
    struct http_response r;

    ck_assert_int_eq(control_call(&emu, "POST", "/snapshots/never-made/restore", NULL, &r), 404);
    ck_assert_str_eq(json_str(&r, "detail"), "no snapshot named 'never-made'");
    http_response_free(&r);
    ck_assert_int_eq(restore(&emu, "bad%20name"), 404);
}
END_TEST

/* ---- restore ---------------------------------------------------------------------------- */

START_TEST(restore_brings_back_exactly_the_saved_state)
{
    struct tenant one, two;
    char kept[64], dropped[64], path[128];
    int systems;

    ck_assert_int_eq(tenant_create(&emu, &one, NULL), 0);
    create_user(&emu, &one, kept);
    systems = count_systems(&emu);
    snapshot(&emu, "before-two");
    create_user(&emu, &one, dropped);
    ck_assert_int_eq(tenant_create(&emu, &two, NULL), 0);
    ck_assert_int_eq(count_systems(&emu), systems + 1);

    ck_assert_int_eq(restore(&emu, "before-two"), 200);
    ck_assert_int_eq(count_systems(&emu), systems);
    snprintf(path, sizeof(path), "/systems/%s", two.system_id);
    ck_assert_int_eq(get_status(&emu, path), 404);
    /* The token issued before the snapshot still works; the user made after it is gone. */
    snprintf(path, sizeof(path), "/user/%s", kept);
    ck_assert_int_eq(admin_status(&emu, &one, "GET", path, NULL), 200);
    snprintf(path, sizeof(path), "/user/%s", dropped);
    ck_assert_int_eq(admin_status(&emu, &one, "GET", path, NULL), 404);
    /* The other system's token names a system that no longer exists. */
    ck_assert_int_ne(admin_status(&emu, &two, "GET", "/user", NULL), 200);
    /* And a restore can be repeated. */
    create_user(&emu, &one, dropped);
    ck_assert_int_eq(restore(&emu, "before-two"), 200);
    ck_assert_int_eq(admin_status(&emu, &one, "GET", path, NULL), 404);
}
END_TEST

struct reader {
    struct emu *e;
    int allowed[2];
    atomic_int stop, reads;
    int bad, last_bad;
};

static void *read_systems(void *arg)
{
    struct reader *r = arg;

    while (!atomic_load(&r->stop)) {
        int n = count_systems(r->e);
        atomic_fetch_add(&r->reads, 1);
        if (n != r->allowed[0] && n != r->allowed[1]) {
            r->bad++;
            r->last_bad = n;
        }
    }
    return NULL;
}

START_TEST(readers_never_see_half_a_restore)
{
    struct tenant t;
    struct reader rd = {.e = &emu};
    pthread_t thread;

    rd.allowed[0] = count_systems(&emu);
    snapshot(&emu, "half-small");
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(tenant_create(&emu, &t, NULL), 0);
    rd.allowed[1] = count_systems(&emu);
    snapshot(&emu, "half-large");
    ck_assert_int_eq(pthread_create(&thread, NULL, read_systems, &rd), 0);
    while (atomic_load(&rd.reads) == 0) /* on a loaded machine the thread may start late */
        sleep_ms(1);
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(restore(&emu, i % 2 ? "half-large" : "half-small"), 200);
    atomic_store(&rd.stop, 1);
    pthread_join(thread, NULL);
    ck_assert_msg(rd.bad == 0, "%d of %d reads saw %d systems (allowed %d or %d)", rd.bad,
                  atomic_load(&rd.reads), rd.last_bad, rd.allowed[0], rd.allowed[1]);
    ck_assert_int_eq(count_systems(&emu), rd.allowed[1]);
}
END_TEST

START_TEST(page_tokens_survive_a_restore)
{
    struct tenant t;
    struct http_response r;
    char path[1024];

    ck_assert_int_eq(tenant_create(&emu, &t, NULL), 0);
    ck_assert_int_eq(tenant_create(&emu, &t, NULL), 0);
    ck_assert_int_eq(control_call(&emu, "GET", "/systems?limit=1", NULL, &r), 200);
    ck_assert_ptr_nonnull(json_str(&r, "nextPageToken"));
    snprintf(path, sizeof(path), "/systems?limit=1&next-page-token=%s",
             json_str(&r, "nextPageToken"));
    http_response_free(&r);
    snapshot(&emu, "paging");
    ck_assert_int_eq(restore(&emu, "paging"), 200);
    ck_assert_int_eq(get_status(&emu, path), 200);
}
END_TEST

START_TEST(restore_forgets_rate_limit_buckets)
{
    struct tenant t;
    struct http_response r;

    ck_assert_int_eq(tenant_create(&emu, &t, NULL), 0);
    ck_assert_int_eq(control_call(&emu, "POST", "/api-keys",
                                  "{\"name\":\"slow\",\"requestsPerSecond\":1,\"burst\":1}", &r),
                     201);
    snprintf(t.api_key, sizeof(t.api_key), "%s", json_str(&r, "key"));
    http_response_free(&r);
    snapshot(&emu, "limited");
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 200);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 429);
    ck_assert_int_eq(restore(&emu, "limited"), 200);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 200);
}
END_TEST

/* ---- reset ------------------------------------------------------------------------------- */

START_TEST(reset_wipes_everything_but_the_snapshots)
{
    struct tenant t;
    struct http_response r;
    json_object *tables;
    char kid[128], kid_after[128], path[128];

    ck_assert_int_eq(tenant_create(&emu, &t, NULL), 0);
    jwks_kid(&emu, kid, sizeof(kid));
    snapshot(&emu, "before-reset");
    ck_assert_int_eq(control_call(&emu, "POST", "/reset", NULL, &r), 200);
    ck_assert(json_object_object_get_ex(r.json, "tablesEmptied", &tables));
    ck_assert_int_ge(json_object_get_int(tables), 20);
    http_response_free(&r);

    ck_assert_int_eq(count_systems(&emu), 0);
    ck_assert_int_ne(admin_status(&emu, &t, "GET", "/user", NULL), 200);
    ck_assert_int_eq(tenant_login(&emu, &t, t.admin_id, t.access_key, path, sizeof(path)), 403);
    ck_assert_int_eq(control_call(&emu, "GET", "/snapshots", NULL, &r), 200);
    ck_assert_ptr_nonnull(strstr(r.body, "\"before-reset\""));
    http_response_free(&r);
    /* The signing key is the emulator's, not state: it outlives the wipe. */
    jwks_kid(&emu, kid_after, sizeof(kid_after));
    ck_assert_str_eq(kid_after, kid);
    ck_assert_int_eq(tenant_create(&emu, &t, NULL), 0);
    ck_assert_int_eq(count_systems(&emu), 1);

    ck_assert_int_eq(restore(&emu, "before-reset"), 200);
    ck_assert_int_ge(count_systems(&emu), 2);
}
END_TEST

START_TEST(restore_of_a_snapshot_older_than_the_signing_key)
{
    struct emu e;
    struct tenant t;
    char kid[128], kid_after[128];

    ck_assert_int_eq(emu_start(&e, NULL), 0);
    snapshot(&e, "pristine"); /* no login yet: the database holds no signing key */
    ck_assert_int_eq(tenant_create(&e, &t, NULL), 0);
    jwks_kid(&e, kid, sizeof(kid));
    ck_assert_int_eq(restore(&e, "pristine"), 200);
    ck_assert_int_eq(count_systems(&e), 0);
    ck_assert_int_eq(tenant_create(&e, &t, NULL), 0);
    ck_assert_int_eq(admin_status(&e, &t, "GET", "/user", NULL), 200);
    jwks_kid(&e, kid_after, sizeof(kid_after));
    ck_assert_str_eq(kid_after, kid);
    emu_stop(&e);
}
END_TEST

START_TEST(restore_of_ten_thousand_rows_in_memory)
{
    struct emu e;

    ck_assert_int_eq(emu_start(&e, NULL), 0);
    ck_assert(timed_restore(&e, ":memory:") < 2000.0);
    emu_stop(&e);
}
END_TEST

/* ---- a database file -------------------------------------------------------------------- */

/* Starts e on a database file in its scratch folder; db receives the path (320 bytes). */
static void start_on_file(struct emu *e, char *db)
{
    const char *args[] = {"--db", db, NULL};

    ck_assert_int_eq(emu_start(e, NULL), 0);
    emu_stop(e);
    snprintf(db, 320, "%s/state.db", e->dir);
    ck_assert_int_eq(emu_restart(e, args), 0);
}

START_TEST(file_snapshots_are_files_that_survive_a_restart)
{
    char db[320], file[400], path[128];
    const char *args[] = {"--db", db, NULL};
    struct emu e;
    struct tenant t;
    struct stat sb;
    int systems;

    start_on_file(&e, db);
    ck_assert_int_eq(tenant_create(&e, &t, NULL), 0);
    systems = count_systems(&e);
    snapshot(&e, "keep-me");
    snprintf(file, sizeof(file), "%s.snapshot.keep-me", db);
    ck_assert_int_eq(stat(file, &sb), 0);
    ck_assert_int_gt(sb.st_size, 0);

    emu_stop(&e);
    ck_assert_int_eq(emu_restart(&e, args), 0);
    ck_assert_int_eq(get_status(&e, "/snapshots"), 200);
    ck_assert_int_eq(tenant_create(&e, &t, NULL), 0);
    ck_assert_int_eq(count_systems(&e), systems + 1);
    ck_assert_int_eq(restore(&e, "keep-me"), 200);
    ck_assert_int_eq(count_systems(&e), systems);
    snprintf(path, sizeof(path), "/systems/%s", t.system_id);
    ck_assert_int_eq(get_status(&e, path), 404);
    /* The restored state is the file's state: it survives a restart too. */
    emu_stop(&e);
    ck_assert_int_eq(emu_restart(&e, args), 0);
    ck_assert_int_eq(count_systems(&e), systems);
    emu_stop(&e);
}
END_TEST

START_TEST(snapshot_of_other_migrations_is_refused)
{
    char db[320], file[400];
    struct emu e;
    struct tenant t;
    struct http_response r;
    sqlite3 *h;

    start_on_file(&e, db);
    ck_assert_int_eq(tenant_create(&e, &t, NULL), 0);
    snapshot(&e, "from-the-future");
    snprintf(file, sizeof(file), "%s.snapshot.from-the-future", db);
    ck_assert_int_eq(sqlite3_open(file, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h,
                                  "INSERT INTO schema_migrations (version, name) "
                                  "VALUES (9999, 'future')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    ck_assert_int_eq(control_call(&e, "POST", "/reset", NULL, &r), 200);
    http_response_free(&r);
    ck_assert_int_eq(control_call(&e, "POST", "/snapshots/from-the-future/restore", NULL, &r), 409);
    http_response_free(&r);
    ck_assert_int_eq(count_systems(&e), 0);
    emu_stop(&e);
}
END_TEST

START_TEST(restore_of_ten_thousand_rows_in_a_file)
{
    char db[320];
    struct emu e;

    start_on_file(&e, db);
    ck_assert(timed_restore(&e, "database file") < 2000.0);
    emu_stop(&e);
}
END_TEST

static Suite *snapshots_suite(void)
{
    Suite *s = suite_create("snapshots");
    TCase *tc = tcase_create("memory");

    tcase_add_unchecked_fixture(tc, emu_must_start, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_answers_name_time_and_size);
    tcase_add_test(tc, create_of_a_taken_name_conflicts);
    tcase_add_loop_test(tc, create_refuses_bad_names, 0, N(bad_creates));
    tcase_add_test(tc, list_orders_by_name);
    tcase_add_test(tc, restore_of_an_unknown_name_is_not_found);
    tcase_add_test(tc, restore_brings_back_exactly_the_saved_state);
    tcase_add_test(tc, readers_never_see_half_a_restore);
    tcase_add_test(tc, page_tokens_survive_a_restore);
    tcase_add_test(tc, restore_forgets_rate_limit_buckets);
    tcase_add_test(tc, reset_wipes_everything_but_the_snapshots);
    tcase_add_test(tc, restore_of_a_snapshot_older_than_the_signing_key);
    tcase_add_test(tc, restore_of_ten_thousand_rows_in_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("file");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, file_snapshots_are_files_that_survive_a_restart);
    tcase_add_test(tc, snapshot_of_other_migrations_is_refused);
    tcase_add_test(tc, restore_of_ten_thousand_rows_in_a_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(snapshots_suite());
}
