/*
 * test_db_transact.c — group commit (store/db.c): writers that queue while another writes
 * are committed together, each member's failure rolls back that member's writes only, and
 * every caller gets its own status.
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/sql.h"
#include "unit_main.h"

#define WRITERS 8
#define WAIT_LIMIT_MS 20000

static char dir[] = "/tmp/keyless-transact-XXXXXX";

static void open_store(void)
{
    char path[128];

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/store.db", dir);
    ck_assert_int_eq(db_open(path), ST_OK);
    ck_assert_int_eq(sqlite3_exec(db_handle(db_thread()), "CREATE TABLE t (k INTEGER PRIMARY KEY)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
}

static void close_store(void)
{
    char cmd[128];

    db_close_all();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/keyless-transact-XXXXXX");
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* A member's work: insert its key, then answer what it was told to, after the insert. */
struct member {
    int key;
    enum status answer;
    enum status got;
};

static enum status insert_key(struct db *db, void *ctx)
{
    struct member *m = ctx;
    char sql[64];

    snprintf(sql, sizeof(sql), "INSERT INTO t (k) VALUES (%d)", m->key);
    if (sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL) != SQLITE_OK)
        return ST_INTERNAL;
    return m->answer;
}

/* The first writer holds the write transaction until all the others queue behind it. */
static atomic_int leading;
static size_t expect_queued;

static enum status insert_key_when_all_queued(struct db *db, void *ctx)
{
    atomic_store(&leading, 1);
    for (long waited = 0; db_transact_waiting() < expect_queued && waited < WAIT_LIMIT_MS;
         waited += 5)
        sleep_ms(5);
    return insert_key(db, ctx);
}

static void *write_first(void *arg)
{
    struct member *m = arg;

    m->got = db_transact(db_thread(), insert_key_when_all_queued, m);
    return NULL;
}

static void *write_member(void *arg)
{
    struct member *m = arg;

    m->got = db_transact(db_thread(), insert_key, m);
    return NULL;
}

static void *write_alone(void *arg)
{
    struct member *m = arg;

    m->got = db_transact_alone(db_thread(), insert_key, m);
    return NULL;
}

/* Starts the first writer and returns once it holds the write transaction. */
static void start_first(pthread_t *lead, struct member *first, size_t queued)
{
    expect_queued = queued;
    atomic_store(&leading, 0);
    ck_assert_int_eq(pthread_create(lead, NULL, write_first, first), 0);
    for (long waited = 0; !atomic_load(&leading) && waited < WAIT_LIMIT_MS; waited += 5)
        sleep_ms(5);
    ck_assert(atomic_load(&leading));
}

static int count_rows(const char *where)
{
    char sql[128];
    sqlite3_stmt *s = NULL;
    int n = -1;

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM t WHERE %s", where);
    ck_assert_int_eq(sqlite3_prepare_v2(db_handle(db_thread()), sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

START_TEST(queued_writers_commit_together_and_fail_alone)
{
    struct member first = {1000, ST_OK, ST_INTERNAL}, members[WRITERS];
    pthread_t lead, threads[WRITERS];
    uint64_t groups_before, tx_before, groups_after, tx_after;

    db_transact_counts(&groups_before, &tx_before);
    start_first(&lead, &first, WRITERS);
    /* Even keys succeed; odd ones fail after their insert (a conflict found late). */
    for (int i = 0; i < WRITERS; i++) {
        members[i] = (struct member){i, i % 2 ? ST_CONFLICT : ST_OK, ST_INTERNAL};
        ck_assert_int_eq(pthread_create(&threads[i], NULL, write_member, &members[i]), 0);
    }
    pthread_join(lead, NULL);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(threads[i], NULL);

    ck_assert_int_eq(first.got, ST_OK);
    for (int i = 0; i < WRITERS; i++)
        ck_assert_msg(members[i].got == members[i].answer, "member %d got %d, answered %d", i,
                      members[i].got, members[i].answer);
    ck_assert_int_eq(count_rows("k = 1000"), 1);
    ck_assert_int_eq(count_rows("k < 1000 AND k % 2 = 0"), WRITERS / 2);
    ck_assert_int_eq(count_rows("k % 2 = 1"), 0);
    /* The first alone, then the eight that queued behind it in one commit. */
    db_transact_counts(&groups_after, &tx_after);
    ck_assert_int_eq(groups_after - groups_before, 2);
    ck_assert_int_eq(tx_after - tx_before, 1 + WRITERS / 2);
}
END_TEST

/* A restore ends and begins transactions itself: whatever queued with it, it commits alone. */
START_TEST(a_transaction_that_must_be_alone_is_never_grouped)
{
    struct member first = {1000, ST_OK, ST_INTERNAL}, members[4], alone = {500, ST_OK, ST_INTERNAL};
    pthread_t lead, threads[4], alone_thread;
    uint64_t groups_before, tx_before, groups_after, tx_after;

    db_transact_counts(&groups_before, &tx_before);
    start_first(&lead, &first, 5);
    for (int i = 0; i < 4; i++) {
        members[i] = (struct member){i, ST_OK, ST_INTERNAL};
        ck_assert_int_eq(pthread_create(&threads[i], NULL, write_member, &members[i]), 0);
        if (i == 1)
            ck_assert_int_eq(pthread_create(&alone_thread, NULL, write_alone, &alone), 0);
    }
    pthread_join(lead, NULL);
    pthread_join(alone_thread, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);

    ck_assert_int_eq(alone.got, ST_OK);
    ck_assert_int_eq(count_rows("1 = 1"), 6);
    /* The first; the lone one; the four others in one group or two around it. */
    db_transact_counts(&groups_after, &tx_after);
    ck_assert_uint_eq(tx_after - tx_before, 6);
    ck_assert_msg(groups_after - groups_before >= 3 && groups_after - groups_before <= 4,
                  "%llu commits", (unsigned long long)(groups_after - groups_before));
}
END_TEST

static enum status insert_then_fail(struct db *db, void *ctx)
{
    struct member *m = ctx;
    enum status st = insert_key(db, m);

    return st == ST_OK ? ST_INVALID : st;
}

START_TEST(a_lone_writer_that_fails_leaves_nothing)
{
    struct member m = {7, ST_OK, ST_OK};

    ck_assert_int_eq(db_transact(db_thread(), insert_then_fail, &m), ST_INVALID);
    ck_assert_int_eq(count_rows("k = 7"), 0);
    ck_assert_int_eq(db_transact(db_thread(), insert_key, &m), ST_OK);
    ck_assert_int_eq(count_rows("k = 7"), 1);
}
END_TEST

Suite *transact_suite(void)
{
    Suite *s = suite_create("transact");
    TCase *tc = tcase_create("group commit");

    tcase_add_checked_fixture(tc, open_store, close_store);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, queued_writers_commit_together_and_fail_alone);
    tcase_add_test(tc, a_lone_writer_that_fails_leaves_nothing);
    tcase_add_test(tc, a_transaction_that_must_be_alone_is_never_grouped);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(transact_suite());
}
