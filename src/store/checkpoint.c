#include "store/checkpoint.h"

#include <pthread.h>
#include <stdio.h>

#include "lib/wallclock.h"
#include "store/db.h"
#include "store/sql.h"
#include "store/storage.h"

/* How often a degraded store is probed for room. */
#define PROBE_MS 2000

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t due_cond; /* on the monotonic clock: init_cond() */
static pthread_once_t cond_once = PTHREAD_ONCE_INIT;

/* Commits signal the condition before the thread starts (fixtures load first). */
static void init_cond(void)
{
    pthread_condattr_t attr;

    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&due_cond, &attr);
    pthread_condattr_destroy(&attr);
}
static int running, due;

static int passive(sqlite3 *handle)
{
    int rc = sqlite3_wal_checkpoint_v2(handle, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

    /* BUSY: another checkpoint is running; the next commit asks again. */
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        fprintf(stderr, "keyless-emulator: checkpoint: %s\n", sqlite3_errstr(rc));
    return rc;
}

static enum status final_pass(struct db *db, void *ctx)
{
    (void)ctx;
    passive(db_handle(db));
    return ST_OK;
}

/* Most of the WAL is copied while writers go on; the last frames are copied with writes
 * held back, so the checkpoint completes and the next writer starts the WAL over. Without
 * that final pass a steady write load would outrun every checkpoint and grow the WAL
 * without bound. */
static void checkpoint(struct db *db)
{
    passive(db_handle(db));
    db_exclusive(db, final_pass, NULL);
}

static int on_commit(void *ctx, sqlite3 *handle, const char *schema, int pages)
{
    int inline_checkpoint;

    (void)ctx;
    (void)schema;
    if (pages < CHECKPOINT_PAGES)
        return SQLITE_OK;
    pthread_once(&cond_once, init_cond);
    pthread_mutex_lock(&lock);
    inline_checkpoint = !running;
    due = 1;
    pthread_cond_signal(&due_cond);
    pthread_mutex_unlock(&lock);
    if (inline_checkpoint)
        passive(handle);
    return SQLITE_OK;
}

void checkpoint_attach(sqlite3 *handle)
{
    sqlite3_wal_hook(handle, on_commit, NULL);
}

static void *checkpoint_main(void *arg)
{
    struct db *db = db_thread();

    (void)arg;
    pthread_mutex_lock(&lock);
    while (running && db != NULL) {
        struct timespec until;
        clock_deadline_after_ms(PROBE_MS, &until);
        while (running && !due && pthread_cond_timedwait(&due_cond, &lock, &until) == 0)
            ;
        if (!running)
            break;
        /* A degraded store is probed here too: nothing else may write for hours. */
        pthread_mutex_unlock(&lock);
        storage_probe(PROBE_MS);
        pthread_mutex_lock(&lock);
        if (!due)
            continue;
        due = 0;
        pthread_mutex_unlock(&lock);
        checkpoint(db);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

enum status checkpoint_start(void)
{
    pthread_once(&cond_once, init_cond);
    pthread_mutex_lock(&lock);
    running = 1;
    if (pthread_create(&thread, NULL, checkpoint_main, NULL) != 0)
        running = 0;
    pthread_mutex_unlock(&lock);
    return running ? ST_OK : ST_INTERNAL;
}

void checkpoint_stop(void)
{
    pthread_mutex_lock(&lock);
    if (!running) {
        pthread_mutex_unlock(&lock);
        return;
    }
    running = 0;
    pthread_cond_signal(&due_cond);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
}
