#include "store/storage.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "lib/wallclock.h"
#include "store/sql.h"

/* The free space the probe asks for before it tries its write. */
#define PROBE_ROOM (1024 * 1024)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char directory[512]; /* of the database file; "" for an in-memory store */
static atomic_int degraded;
static char degraded_reason[256];
static int64_t degraded_since, last_probe_ns;
static atomic_uint_least64_t full_failures;

void storage_note_failure(sqlite3 *handle, int rc)
{
    int code = rc & 0xff;

    if (code == SQLITE_CONSTRAINT)
        return;
    fprintf(stderr, "keyless-emulator: sqlite: %s (%s)\n", handle ? sqlite3_errmsg(handle) : "",
            sqlite3_errstr(rc));
    if (code != SQLITE_FULL)
        return;
    atomic_fetch_add(&full_failures, 1);
    pthread_mutex_lock(&lock);
    if (!atomic_load(&degraded)) {
        snprintf(degraded_reason, sizeof(degraded_reason), "%s",
                 handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
        degraded_since = clock_wall_now();
        atomic_store(&degraded, 1);
    }
    pthread_mutex_unlock(&lock);
}

void storage_set_path(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        snprintf(directory, sizeof(directory), ".");
    else
        snprintf(directory, sizeof(directory), "%.*s", (int)(slash - path + (slash == path)), path);
}

/* Whether the database's file system has PROBE_ROOM bytes free (always, for a store that is
 * no file): a small write can still fit on a nearly full disk, so the probe's commit alone
 * would call it healthy while real writes keep failing. */
static int has_room(void)
{
    struct statvfs fs;

    return directory[0] == '\0' ||
           (statvfs(directory, &fs) == 0 && (uint64_t)fs.f_bavail * fs.f_frsize >= PROBE_ROOM);
}

int storage_degraded(char *reason, size_t cap, int64_t *since)
{
    int d;

    pthread_mutex_lock(&lock);
    d = atomic_load(&degraded);
    if (reason != NULL && cap > 0)
        snprintf(reason, cap, "%s", d ? degraded_reason : "");
    if (since != NULL)
        *since = d ? degraded_since : 0;
    pthread_mutex_unlock(&lock);
    return d;
}

uint64_t storage_full_failures(void)
{
    return atomic_load(&full_failures);
}

/* Rewrites one settings row: enough to need new pages in the WAL, as any write does. */
static enum status probe_tx(struct db *db, void *ctx)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES ('storage.probe', ?1)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    sqlite3_stmt *s;
    enum status st = db_prepare(db, sql, &s);

    if (st != ST_OK)
        return st;
    sqlite3_bind_int64(s, 1, *(const int64_t *)ctx);
    return db_exec_stmt(db, s, NULL);
}

int storage_probe(int64_t min_interval_ms)
{
    int64_t now = clock_monotonic_ns();
    int due;

    if (!atomic_load(&degraded))
        return 0;
    pthread_mutex_lock(&lock);
    due = now - last_probe_ns >= min_interval_ms * 1000000LL;
    if (due)
        last_probe_ns = now;
    pthread_mutex_unlock(&lock);
    if (due && has_room() && db_thread() != NULL &&
        db_transact(db_thread(), probe_tx, &now) == ST_OK) {
        atomic_store(&degraded, 0);
        fprintf(stderr, "keyless-emulator: the store has room again\n");
    }
    return atomic_load(&degraded);
}
