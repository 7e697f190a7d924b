#include "store/db.h"
#include "store/sql.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/checkpoint.h"
#include "store/migrations.h"
#include "store/storage.h"
#include "store/template.h"

#define STMT_CACHE_SIZE 512 /* a power of two, well above the number of statements */
#define BUSY_TIMEOUT_MS 10000
/* Page caches, in KiB (SQLite allocates them only as pages are used). On a file, the default
 * 2 MiB is far smaller than a site after months of simulated time, and every miss reads the
 * page again. Nobody but the writer writes, so nothing ever empties its cache: it would grow
 * to the size of the store, which is in the OS's cache anyway; 16 MiB hold the pages writes
 * keep coming back to (bench: peak RSS 38 MB under POST load). An in-memory store's pages
 * already sit in memdb's buffer, so a cache over it only holds second copies and a miss costs
 * one memcpy: a year of the bench's site kept 240 MB resident with 64 MiB and 165 MB with
 * 2 MiB, for 1% more instructions (callgrind). */
#define FILE_CACHE_SIZE "-65536"
#define WRITER_FILE_CACHE_SIZE "-16384"
#define MEMORY_CACHE_SIZE "-2048"

struct db {
    sqlite3 *handle;
    int auth_dirty; /* this transaction updated or deleted an auth_tables row */
    /* Open addressing keyed by the SQL text's address: every statement is a static
     * string, so its address names it. */
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[STMT_CACHE_SIZE];
    size_t cached;
    const char *last_sql; /* the statement db_prepare() returned last, for db_explain_last() */
    struct db *next;      /* registry of every connection, for db_close_all() */
};

static char db_path[512];
static int db_is_memory;
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *registry;
static struct db *first_conn; /* keeps an in-memory database alive */
/* Every write transaction runs on this one connection, under write_lock, whichever thread
 * leads the group. A connection that another one wrote through drops its whole page cache
 * at its next transaction; the writer, the only one that writes, keeps its pages. */
static struct db *writer;
static _Thread_local int running_group; /* this thread is inside run_group() */
static _Thread_local struct db *thread_conn;
static const struct db_template *template;
static atomic_uint_least64_t auth_epoch, subscriptions_epoch;

/* What authentication reads. An insert cannot change what was read before it, so only
 * updates and deletes (cascades included) move the epoch. */
static const char *const auth_tables[] = {"systems", "users", "api_keys"};

enum status db_status(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return ST_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ST_BUSY;
    case SQLITE_NOMEM:
        return ST_NOMEM;
    case SQLITE_CONSTRAINT:
        return ST_CONFLICT;
    case SQLITE_FULL:
        return ST_STORAGE_FULL;
    default:
        return ST_INTERNAL;
    }
}

static enum status exec_sql(sqlite3 *h, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &err);

    if (rc != SQLITE_OK) {
        fprintf(stderr, "keyless-emulator: sqlite: %s\n", err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
    }
    return db_status(rc);
}

static void on_row_change(void *ctx, int op, const char *schema, const char *table,
                          sqlite3_int64 rowid)
{
    struct db *db = ctx;

    (void)schema;
    (void)rowid;
    /* Moved at once, not after the commit: the transaction that subscribes may emit an
     * event itself (a fixture), and a rollback only leaves a cache looking once more. */
    if (strcmp(table, "webhook_subscriptions") == 0)
        db_subscriptions_epoch_bump();
    if (op == SQLITE_INSERT)
        return;
    for (size_t i = 0; i < sizeof(auth_tables) / sizeof(auth_tables[0]); i++)
        if (strcmp(table, auth_tables[i]) == 0)
            db->auth_dirty = 1;
}

/* SECURE_DELETE (Debian's SQLite has it) would zero (and journal) every deleted row and freed
 * page first; nothing here needs scrubbing, and a clock advance deletes rows at every
 * simulated step. */
#define COMMON_PRAGMAS "PRAGMA foreign_keys=ON; PRAGMA secure_delete=OFF;"

/* The pragmas a connection starts with: its cache size, and on a file WAL's usual sync. */
static const char *connection_pragmas(int is_writer)
{
    if (db_is_memory)
        return COMMON_PRAGMAS " PRAGMA cache_size=" MEMORY_CACHE_SIZE ";";
    return is_writer ? COMMON_PRAGMAS " PRAGMA cache_size=" WRITER_FILE_CACHE_SIZE ";"
                                      " PRAGMA synchronous=NORMAL;"
                     : COMMON_PRAGMAS " PRAGMA cache_size=" FILE_CACHE_SIZE ";"
                                      " PRAGMA synchronous=NORMAL;";
}

static enum status connect(struct db **out, int is_writer)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    struct db *db = calloc(1, sizeof(*db));
    enum status st = ST_INTERNAL;

    if (db == NULL)
        return ST_NOMEM;
    if (sqlite3_open_v2(db_path, &db->handle, flags, NULL) != SQLITE_OK) {
        fprintf(stderr, "keyless-emulator: cannot open database '%s': %s\n", db_path,
                db->handle ? sqlite3_errmsg(db->handle) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(db->handle, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->handle, 1);
    /* One plan per statement, whatever gets bound: without it SQLite 3.54 re-plans a cached
     * statement whenever a LIMIT or a compared value changes (the whole parse again, more
     * than half of a clock advance's instructions), and plans could shift with the data. */
    sqlite3_db_config(db->handle, SQLITE_DBCONFIG_ENABLE_QPSG, 1, NULL);
    sqlite3_update_hook(db->handle, on_row_change, db);
    if (!db_is_memory)
        checkpoint_attach(db->handle);
    st = exec_sql(db->handle, connection_pragmas(is_writer));
    if (st != ST_OK)
        goto out;
    pthread_mutex_lock(&registry_lock);
    db->next = registry;
    registry = db;
    pthread_mutex_unlock(&registry_lock);
    *out = db;
    db = NULL;
out:
    if (db != NULL) {
        sqlite3_close(db->handle);
        free(db);
    }
    return st;
}

static enum status applied_version(sqlite3 *h, int *version)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(h, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                                &stmt, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
        *version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return db_status(rc);
}

/* Applies every embedded migration newer than the database, all in one transaction. */
static enum status migrate(struct db *db)
{
    enum status st;
    int version = 0;

    st = exec_sql(db->handle, "BEGIN IMMEDIATE;"
                              "CREATE TABLE IF NOT EXISTS schema_migrations ("
                              " version INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    if (st != ST_OK)
        return st;
    st = applied_version(db->handle, &version);
    for (unsigned i = 0; st == ST_OK && i < migrations_count; i++) {
        char record[256];
        if (migrations[i].version <= version)
            continue;
        st = exec_sql(db->handle, migrations[i].sql);
        snprintf(record, sizeof(record),
                 "INSERT INTO schema_migrations (version, name) VALUES (%d, '%s');",
                 migrations[i].version, migrations[i].name);
        if (st == ST_OK)
            st = exec_sql(db->handle, record);
    }
    if (st != ST_OK) {
        exec_sql(db->handle, "ROLLBACK;");
        return st;
    }
    return exec_sql(db->handle, "COMMIT;");
}

void db_use_template(const struct db_template *t)
{
    template = t;
}

static struct template_setting seeds[DB_SEEDS_MAX];
static size_t nseeds;

enum status db_seed_setting(const char *key, const void *value, size_t len)
{
    char *k = strdup(key);
    void *v = malloc(len > 0 ? len : 1);

    if (k == NULL || v == NULL || nseeds == DB_SEEDS_MAX) {
        free(k);
        free(v);
        return ST_NOMEM;
    }
    memcpy(v, value, len);
    seeds[nseeds++] = (struct template_setting){k, v, len};
    return ST_OK;
}

enum status db_open(const char *path)
{
    static unsigned memory_counter;
    enum status st;

    /* SQLite's memory statistics take a process-wide mutex around every allocation and free
     * (hundreds per simulated job; the worker threads fight over it too); nothing here reads
     * them. Only possible before SQLite initialises: a second db_open() gets SQLITE_MISUSE,
     * harmlessly. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    db_is_memory = strcmp(path, ":memory:") == 0;
    if (db_is_memory)
        snprintf(db_path, sizeof(db_path), "file:/keyless-emulator-%ld-%u?vfs=memdb",
                 (long)getpid(), memory_counter++);
    else if (snprintf(db_path, sizeof(db_path), "%s", path) >= (int)sizeof(db_path))
        return ST_INVALID;
    if (!db_is_memory)
        storage_set_path(db_path);
    /* A new store starts as the template (should that fail, it starts empty and the
     * migrations build it). A file is written before SQLite opens, and so creates, it; an
     * in-memory store exists only once connected. */
    if (template != NULL && !db_is_memory && strncmp(db_path, "file:", 5) != 0 &&
        access(db_path, F_OK) != 0)
        template_create_file(template, db_path, seeds, nseeds);
    st = connect(&first_conn, 0);
    if (st != ST_OK)
        return st;
    if (db_is_memory && template != NULL)
        template_fill(template, first_conn->handle);
    if (!db_is_memory && (st = exec_sql(first_conn->handle, "PRAGMA journal_mode=WAL;")) != ST_OK)
        return st;
    thread_conn = first_conn;
    st = migrate(first_conn);
    return st == ST_OK ? connect(&writer, 1) : st;
}

struct db *db_thread(void)
{
    if (thread_conn == NULL && connect(&thread_conn, 0) != ST_OK)
        return NULL;
    return thread_conn;
}

void db_close_all(void)
{
    pthread_mutex_lock(&registry_lock);
    while (registry != NULL) {
        struct db *db = registry;
        registry = db->next;
        for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
            sqlite3_finalize(db->cache[i].stmt);
        sqlite3_close(db->handle);
        free(db);
    }
    first_conn = NULL;
    writer = NULL;
    thread_conn = NULL;
    pthread_mutex_unlock(&registry_lock);
}

/* BEGIN and COMMIT run as cached statements: sqlite3_exec() would parse them each time. */
static enum status exec_cached(struct db *db, const char *sql)
{
    sqlite3_stmt *s;
    enum status st = db_prepare(db, sql, &s);

    return st != ST_OK ? st : db_exec_stmt(db, s, NULL);
}

/* Group commit. Writers queue; the first one finds no leader and becomes it: it runs the
 * queued transactions, its own among them, one after another inside one SQLite transaction,
 * each in a savepoint of its own, and commits once for all. A commit writes every page it
 * changed to the WAL, and writers of the same tables change the same last pages (an
 * event's, a row's index entries): 32 clients creating users wrote 7.4 WAL frames per
 * request one transaction at a time. Nobody is answered before the commit that holds their
 * writes, and a transaction that fails is rolled back to its savepoint alone. */
#define GROUP_MAX 64

struct tx_request {
    db_tx_fn fn;
    void *ctx;
    int alone; /* db_transact_alone(): a group of its own */
    enum status st;
    int done;
    struct tx_request *next;
};

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_moved = PTHREAD_COND_INITIALIZER;
static struct tx_request *queue_head, **queue_tail = &queue_head;
static size_t queue_length;
static int leader_active;
static atomic_uint_least64_t groups_committed, transactions_committed;
static void (*after_commit)(void);

void db_on_commit(void (*fn)(void))
{
    after_commit = fn;
}

size_t db_transact_waiting(void)
{
    pthread_mutex_lock(&queue_lock);
    size_t n = queue_length;
    pthread_mutex_unlock(&queue_lock);
    return n;
}

void db_transact_counts(uint64_t *groups, uint64_t *transactions)
{
    *groups = atomic_load(&groups_committed);
    *transactions = atomic_load(&transactions_committed);
}

/* Runs one queued transaction inside the group's; a savepoint only when it has company.
 * Returns ST_OK while the group can still commit: SQLite may have rolled the whole
 * transaction back (an I/O error), or a failed member's writes could not be undone. */
static enum status run_member(struct db *db, struct tx_request *r, int alone)
{
    static const char savepoint[] = "SAVEPOINT member", release[] = "RELEASE member",
                      undo[] = "ROLLBACK TO member";
    enum status st;

    r->st = alone ? ST_OK : exec_cached(db, savepoint);
    if (r->st == ST_OK)
        r->st = r->fn(db, r->ctx);
    if (alone)
        return r->st;
    if (sqlite3_get_autocommit(db->handle))
        return r->st != ST_OK ? r->st : ST_INTERNAL;
    st = r->st == ST_OK ? ST_OK : exec_cached(db, undo);
    if (st == ST_OK)
        st = exec_cached(db, release);
    return st;
}

/* BEGIN, every member, COMMIT, under the process-wide write lock. Each member's status
 * is its own, or the group's when the group as a whole failed. */
static void run_group(struct tx_request *group, size_t n)
{
    static const char begin[] = "BEGIN IMMEDIATE", commit[] = "COMMIT";
    struct db *db = writer;
    enum status st;
    size_t ok = 0;

    pthread_mutex_lock(&write_lock);
    running_group = 1;
    st = exec_cached(db, begin);
    db->auth_dirty = 0;
    for (struct tx_request *r = group; st == ST_OK && r != NULL; r = r->next) {
        st = run_member(db, r, n == 1);
        ok += r->st == ST_OK;
    }
    if (st == ST_OK)
        st = exec_cached(db, commit);
    if (st != ST_OK && !sqlite3_get_autocommit(db->handle))
        exec_sql(db->handle, "ROLLBACK;");
    /* Moved after the commit: a reader that cached a row it read before then has the old
     * epoch, and one that read the new row may only have cached it under the new epoch. */
    else if (st == ST_OK && db->auth_dirty)
        db_auth_epoch_bump();
    running_group = 0;
    pthread_mutex_unlock(&write_lock);
    /* When the group failed, so did every member that had not failed on its own. */
    for (struct tx_request *r = group; st != ST_OK && r != NULL; r = r->next)
        r->st = r->st == ST_OK ? st : r->st;
    if (st == ST_OK) {
        atomic_fetch_add(&groups_committed, 1);
        atomic_fetch_add(&transactions_committed, ok);
    }
    if (after_commit != NULL)
        after_commit(); /* the members ran on this thread: what they emitted is announced here */
}

/* Takes up to GROUP_MAX requests off the queue; one that must be alone is a group of its
 * own. Called with queue_lock held. */
static struct tx_request *take_group(size_t *n)
{
    struct tx_request *group = queue_head, **end = &queue_head;

    for (*n = 0; *end != NULL && *n < GROUP_MAX; (*n)++) {
        if (*n > 0 && ((*end)->alone || group->alone))
            break;
        end = &(*end)->next;
    }
    queue_head = *end;
    *end = NULL;
    if (queue_head == NULL)
        queue_tail = &queue_head;
    queue_length -= *n;
    return group;
}

static enum status transact(db_tx_fn fn, void *ctx, int alone)
{
    struct tx_request me = {fn, ctx, alone, ST_OK, 0, NULL};

    if (running_group) /* nested: join the outer transaction */
        return fn(writer, ctx);
    pthread_mutex_lock(&queue_lock);
    *queue_tail = &me;
    queue_tail = &me.next;
    queue_length++;
    while (!me.done && leader_active)
        pthread_cond_wait(&queue_moved, &queue_lock);
    /* Not done and nobody leading: lead until this request is done, then hand over. */
    if (!me.done)
        leader_active = 1;
    while (!me.done) {
        size_t n;
        struct tx_request *group = take_group(&n);

        pthread_mutex_unlock(&queue_lock);
        run_group(group, n);
        pthread_mutex_lock(&queue_lock);
        for (struct tx_request *r = group; r != NULL; r = r->next)
            r->done = 1; /* seen by its thread only once queue_lock is released */
        leader_active = !me.done;
        pthread_cond_broadcast(&queue_moved);
    }
    pthread_mutex_unlock(&queue_lock);
    return me.st;
}

enum status db_transact(struct db *db, db_tx_fn fn, void *ctx)
{
    (void)db; /* every write runs on the writer connection */
    return transact(fn, ctx, 0);
}

enum status db_transact_alone(struct db *db, db_tx_fn fn, void *ctx)
{
    (void)db;
    return transact(fn, ctx, 1);
}

enum status db_exclusive(struct db *db, db_tx_fn fn, void *ctx)
{
    enum status st;

    pthread_mutex_lock(&write_lock);
    st = fn(db, ctx);
    pthread_mutex_unlock(&write_lock);
    return st;
}

uint64_t db_auth_epoch(void)
{
    return atomic_load(&auth_epoch);
}

void db_auth_epoch_bump(void)
{
    atomic_fetch_add(&auth_epoch, 1);
}

uint64_t db_subscriptions_epoch(void)
{
    return atomic_load(&subscriptions_epoch);
}

void db_subscriptions_epoch_bump(void)
{
    atomic_fetch_add(&subscriptions_epoch, 1);
}

int db_in_transaction(const struct db *db)
{
    return running_group && db == writer;
}

static size_t cache_slot(const char *sql)
{
    uintptr_t h = (uintptr_t)sql;

    h ^= h >> 17;
    h *= 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 32) & (STMT_CACHE_SIZE - 1);
}

enum status db_prepare(struct db *db, const char *sql, sqlite3_stmt **out)
{
    size_t slot = cache_slot(sql);
    sqlite3_stmt *stmt = NULL;
    int rc;

    /* A transaction that reads through another connection sees the store as it was before
     * the group, and on an in-memory store waits for the writer, on its own thread. */
    assert(!running_group || db == writer);

    *out = NULL;
    while (db->cache[slot].sql != NULL && db->cache[slot].sql != sql)
        slot = (slot + 1) & (STMT_CACHE_SIZE - 1);
    db->last_sql = sql;
    if (db->cache[slot].sql == sql) {
        sqlite3_reset(db->cache[slot].stmt);
        sqlite3_clear_bindings(db->cache[slot].stmt);
        *out = db->cache[slot].stmt;
        return ST_OK;
    }
    /* Keep the table at most half full so that probes stay short and always end. */
    if (db->cached >= STMT_CACHE_SIZE / 2) {
        fprintf(stderr, "keyless-emulator: statement cache full; raise STMT_CACHE_SIZE\n");
        return ST_INTERNAL;
    }
    rc = sqlite3_prepare_v3(db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "keyless-emulator: sqlite prepare: %s\n", sqlite3_errmsg(db->handle));
        return db_status(rc);
    }
    db->cache[slot].sql = sql;
    db->cache[slot].stmt = stmt;
    db->cached++;
    *out = stmt;
    return ST_OK;
}

enum status db_explain_last(struct db *db, char *out, size_t cap)
{
    sqlite3_stmt *stmt = NULL;
    char *sql;
    size_t len = 0;
    int rc;

    if (cap == 0 || db->last_sql == NULL)
        return ST_NOT_FOUND;
    out[0] = '\0';
    if ((sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", db->last_sql)) == NULL)
        return ST_NOMEM;
    rc = sqlite3_prepare_v2(db->handle, sql, -1, &stmt, NULL);
    sqlite3_free(sql);
    while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(stmt, 3);
        int w = snprintf(out + len, cap - len, "%s\n", detail ? detail : "");

        if (w < 0 || (size_t)w >= cap - len) {
            sqlite3_finalize(stmt);
            return ST_INTERNAL;
        }
        len += (size_t)w;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? ST_OK : db_status(rc);
}

sqlite3 *db_handle(struct db *db)
{
    return db->handle;
}
