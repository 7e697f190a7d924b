/*
 * db.h — SQLite connections, transactions and the one translation of SQLite errors.
 *
 * The store is the only layer that speaks SQL; it never sees HTTP or JSON objects. Each
 * thread gets its own connection (opened on first use), with prepared statements cached per
 * connection. SQLite allows one writer at a time, so every write transaction first takes a
 * process-wide lock instead of letting threads sleep on SQLITE_BUSY. A file database runs
 * in WAL mode with synchronous=NORMAL: a committed transaction survives a process crash.
 * ":memory:" becomes a process-private in-memory database shared by all threads.
 * Statements and rows, the part that speaks SQLite's own types, are in store/sql.h, for the
 * store's files only: nothing above the store sees <sqlite3.h>.
 */
#ifndef KE_STORE_DB_H
#define KE_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "lib/problem.h"

struct db;

/* A new store (a file that does not exist yet, or ":memory:") is written from t rather
 * than migrated from nothing (store/template.h). Call before db_open(); NULL: no template. */
struct db_template;
void db_use_template(const struct db_template *t);

/* A row of the settings table a new store file starts with, as if its first transaction had
 * written it: the file is written from the template with it (store/template.h), so a start
 * on a new file writes nothing more (a first commit creates the WAL and syncs its header and
 * the directory). Call before db_open(); key and value are copied. An existing file or an
 * in-memory store ignores it. ST_NOMEM when out of memory or over DB_SEEDS_MAX. */
#define DB_SEEDS_MAX 8
enum status db_seed_setting(const char *key, const void *value, size_t len);

/* Opens the database at path (or ":memory:"), applies pending migrations in one
 * transaction, and keeps a first connection for the process. Call once at start. */
enum status db_open(const char *path);

/* The calling thread's connection; NULL only when out of memory or the file vanished. */
struct db *db_thread(void);

/* Closes every connection. Call after all threads that used them have stopped. */
void db_close_all(void);

/* Runs fn inside one write transaction and returns fn's status or the commit's: fn's writes
 * commit when it returns ST_OK and are rolled back otherwise. Every write transaction runs on
 * the store's one writer connection (the db fn receives, not the caller's), and concurrent
 * callers are grouped (group commit): one thread runs several fns, each in a savepoint, in
 * one transaction under the process-wide write lock, and commits once. So fn must reach the
 * database only through the db it is given (db_prepare asserts it), and keep what it leaves
 * for its caller in ctx, not in thread-local state. Returns after the commit. A call from
 * inside fn joins the transaction. */
typedef enum status (*db_tx_fn)(struct db *db, void *ctx);
enum status db_transact(struct db *db, db_tx_fn fn, void *ctx);

/* db_transact() for an fn that ends and begins transactions itself (a restore copies the
 * database between them) or changes how the transaction behaves (a reset defers foreign-key
 * checks): it is never grouped with others. */
enum status db_transact_alone(struct db *db, db_tx_fn fn, void *ctx);

/* Called by the thread that committed a group, after the commit (outbox_announce: what the
 * group's members emitted was flagged on that thread). */
void db_on_commit(void (*fn)(void));

/* Writers waiting for a group to take them, and the groups and transactions committed so
 * far (for /metrics and the tests). */
size_t db_transact_waiting(void);
void db_transact_counts(uint64_t *groups, uint64_t *transactions);

/* Runs fn under the process-wide write lock but outside any transaction: no write can
 * start meanwhile (the checkpointer's final pass). */
enum status db_exclusive(struct db *db, db_tx_fn fn, void *ctx);

/* A number that moves whenever a committed transaction updated or deleted a row of
 * systems, users or api_keys: what authentication read stays true while it stands still.
 * Read it before reading the rows. Replacing the database wholesale must bump it. */
uint64_t db_auth_epoch(void);
void db_auth_epoch_bump(void);

/* A number that moves whenever a row of webhook_subscriptions is inserted, updated or
 * deleted (at the change, not at the commit): "this system has no subscription" stays true
 * while it stands still. Replacing the database wholesale must bump it. */
uint64_t db_subscriptions_epoch(void);
void db_subscriptions_epoch_bump(void);

/* The query plan (EXPLAIN QUERY PLAN's detail lines, one a line) of the statement this
 * connection prepared last through the store, into out (cap bytes): the unit tests see which
 * index each list and log query uses without a copy of its SQL. ST_NOT_FOUND when none was
 * prepared yet, ST_INTERNAL when the plan does not fit. */
enum status db_explain_last(struct db *db, char *out, size_t cap);

/* True inside db_transact() on this connection (store functions assert it for writes). */
int db_in_transaction(const struct db *db);

#endif
