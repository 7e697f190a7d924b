/*
 * checkpoint.h — copying the WAL back into the database file, off the commit path.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold: with the
 * process-wide write lock held, it copies a thousand pages and fsyncs twice while every
 * other writer waits (the p99 of a write load). Instead each connection's commit hook only
 * signals a checkpoint thread, which copies most pages with a PASSIVE checkpoint on its
 * own connection while readers and writers go on, and only the last few under the write
 * lock. Without the thread (tools, unit tests) the hook
 * checkpoints in place, as SQLite would.
 */
#ifndef KE_STORE_CHECKPOINT_H
#define KE_STORE_CHECKPOINT_H

struct sqlite3; /* <sqlite3.h> stays inside the store */

#include "lib/problem.h"

/* WAL pages after which a checkpoint is due (SQLite's own default). */
#define CHECKPOINT_PAGES 4000

/* Installs the commit hook on a connection to a file database. */
void checkpoint_attach(struct sqlite3 *handle);

/* The thread; start after db_open(), stop before db_close_all(). */
enum status checkpoint_start(void);
void checkpoint_stop(void);

#endif
