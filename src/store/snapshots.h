/*
 * snapshots.h — whole-state snapshots (SQLite's online backup), their restore, and the wipe.
 *
 * A file database keeps each snapshot in a file beside it, "<db>.snapshot.<name>", so that
 * snapshots survive restarts; an in-memory database keeps them in private in-memory SQLite
 * databases owned by this module for the life of the process. Taking a snapshot reads one
 * consistent state while requests go on. Restoring and wiping hold the store's write lock
 * for their whole length, and a restore is a single SQLite write transaction on the live
 * database, so no connection ever sees half of one: readers see the state before or after.
 * Depends on db.h only; the caller passes the wall time and a hook for its caches.
 */
#ifndef KE_STORE_SNAPSHOTS_H
#define KE_STORE_SNAPSHOTS_H

#include <stdint.h>

#include "store/db.h"

#define SNAPSHOT_NAME_MAX 64

struct snapshot_info {
    char name[SNAPSHOT_NAME_MAX + 1];
    int64_t created_at; /* wall-clock seconds */
    int64_t size_bytes;
};

/* Runs inside the restore's or the wipe's transaction, after the new state is in place and
 * before any other write can start: the place to drop caches that mirror the database. */
typedef enum status (*snapshot_hook_fn)(struct db *db, void *ctx);

/* True for 1..SNAPSHOT_NAME_MAX characters of [A-Za-z0-9._-]. */
int store_snapshot_name_ok(const char *name);

/* Saves the current state under name; created_at is the caller's wall time (a file takes
 * its modification time instead). ST_CONFLICT when the name is taken, ST_INVALID for a bad
 * name. db must not be inside a transaction. */
enum status store_snapshot_create(struct db *db, const char *name, int64_t created_at,
                                  struct snapshot_info *out);

/* Every snapshot, ordered by name, in a malloc'ed array (*rows, caller frees; NULL when
 * there are none). */
enum status store_snapshot_list(struct db *db, struct snapshot_info **rows, size_t *n);

/* Replaces the whole state with the snapshot's, then runs hook (may be NULL) under the same
 * lock. ST_NOT_FOUND for an unknown name; ST_CONFLICT when the snapshot was made with other
 * migrations than this binary's. db must not be inside a transaction. */
enum status store_snapshot_restore(struct db *db, const char *name, snapshot_hook_fn hook,
                                   void *ctx, struct snapshot_info *out);

/* Empties every table in one transaction, except the applied migrations and the process
 * settings (signing keys, the CA), then runs hook. *tables (may be NULL) receives the
 * number of tables emptied. */
enum status store_reset(struct db *db, snapshot_hook_fn hook, void *ctx, int *tables);

/* Frees the in-memory snapshots. Call once at exit, after db_close_all(). */
void store_snapshots_release(void);

#endif
