#include "sim/scheduler.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/outbox.h"
#include "lib/counters.h"
#include "lib/text.h"
#include "sim/clock.h"
#include "sim/job_kinds.h"
#include "store/outbox.h"

#define BATCH_JOBS 4096
#define DUE_PAGE 32
#define IDLE_WAIT_MS 1000

struct batch {
    const char *system_id;
    int64_t target;
    int64_t budget;
    struct advance_result *result;
    int done; /* no due job left before the target */
};

static enum status run_job(struct db *db, const struct system_row *system,
                           const struct job_row *job)
{
    const struct job_kind *kind = job_kind_find(job->kind);
    struct system_row at = *system;
    enum status st;

    /* The job sees the clock standing at its own due instant. */
    text_copy(at.clock.mode, sizeof(at.clock.mode), "frozen");
    at.clock.time = job->due_at;
    st = store_job_delete(db, job->seq);
    if (st == ST_OK && kind != NULL)
        st = kind->run(db, &at, job);
    else if (st == ST_OK)
        fprintf(stderr, "keyless-emulator: dropping job of unknown kind '%s'\n", job->kind);
    return st;
}

/* Whether the page of due jobs read ahead still says what runs next: the last job run may
 * have scheduled one due before the next in the page (a job due at the same instant sorts
 * after it) or cancelled jobs. */
static int page_stands(const struct job_row *next)
{
    int64_t earliest;
    int cancelled;

    store_job_changes(&earliest, &cancelled);
    return !cancelled && earliest >= next->due_at;
}

/* Runs up to BATCH_JOBS due jobs in one transaction and moves the clock along. The due jobs
 * are read a page at a time: one query per job cost more than many of the jobs. */
static enum status run_batch(struct db *db, void *ctx)
{
    struct batch *b = ctx;
    struct system_row system;
    struct job_row *due = malloc(DUE_PAGE * sizeof(*due));
    size_t n = 0, next = 0;
    enum status st = due ? store_system_get(db, b->system_id, &system) : ST_NOMEM;

    for (int ran = 0; st == ST_OK && ran < BATCH_JOBS;) {
        if (b->result->jobs_run >= b->budget) {
            b->result->truncated = 1;
            b->done = 1;
            break;
        }
        if (next == n || !page_stands(&due[next])) {
            next = 0;
            st = store_job_due(db, b->system_id, b->target, due, DUE_PAGE, &n);
            if (st == ST_OK && n == 0) {
                b->done = 1;
                clock_set(&system, b->target);
                break;
            }
            continue;
        }
        st = run_job(db, &system, &due[next]);
        if (st == ST_OK) {
            clock_set(&system, due[next].due_at);
            b->result->jobs_run++;
        }
        next++;
        ran++;
    }
    if (st == ST_OK)
        st = store_system_set_clock(db, system.id, system.clock.mode, system.clock.offset,
                                    system.clock.time);
    b->result->now = clock_system_now(&system);
    free(due);
    return st;
}

enum status scheduler_advance(struct db *db, const char *system_id, int64_t target, int64_t budget,
                              struct advance_result *out)
{
    struct batch b = {system_id, target, budget, out, 0};
    struct system_row system;
    int64_t last_seq = 0, events = 0;
    enum status st = store_system_get(db, system_id, &system);

    memset(out, 0, sizeof(*out));
    if (st != ST_OK)
        return st;
    if (target < clock_system_now(&system))
        return ST_INVALID;
    /* Counting the system's events before and after read its whole history twice. */
    st = store_outbox_last_seq(db, &last_seq);
    while (st == ST_OK && !b.done)
        st = db_transact(db, run_batch, &b);
    metrics_count_jobs(out->jobs_run);
    if (st == ST_OK)
        st = store_outbox_count_after(db, system_id, last_seq, &events);
    out->events_emitted = events;
    return st;
}

enum status scheduler_next_due(struct db *db, const char *system_id, int64_t *due_at)
{
    struct job_row job;
    enum status st = store_job_next(db, system_id, INT64_MAX, &job);

    if (st == ST_OK)
        *due_at = job.due_at;
    return st;
}

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static int running, poked;

/* One pass: runs the jobs that real-time clocks have reached. Returns how long to wait. */
static int64_t serve_real_clocks(struct db *db)
{
    char system_id[UUID_STR_LEN];
    struct system_row system;
    struct advance_result result;
    int64_t due_at;

    for (int rounds = 0; rounds < 64; rounds++) {
        if (store_job_earliest_real(db, &due_at, system_id) != ST_OK ||
            store_system_get(db, system_id, &system) != ST_OK)
            return IDLE_WAIT_MS;
        int64_t now = clock_system_now(&system);
        if (due_at > now)
            return (due_at - now) * 1000 < IDLE_WAIT_MS ? (due_at - now) * 1000 : IDLE_WAIT_MS;
        enum status st = scheduler_advance(db, system_id, now, SCHEDULER_DEFAULT_BUDGET, &result);
        outbox_announce();
        if (st != ST_OK)
            return IDLE_WAIT_MS;
    }
    return 0;
}

static void *scheduler_main(void *arg)
{
    struct db *db = db_thread();
    struct timespec deadline;

    (void)arg;
    pthread_mutex_lock(&lock);
    while (running && db != NULL) {
        pthread_mutex_unlock(&lock);
        int64_t wait_ms = serve_real_clocks(db);
        pthread_mutex_lock(&lock);
        clock_deadline_after_ms(wait_ms, &deadline);
        while (running && !poked && pthread_cond_timedwait(&wake, &lock, &deadline) == 0)
            ;
        poked = 0;
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

enum status scheduler_start(void)
{
    pthread_condattr_t attr;

    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&wake, &attr);
    pthread_condattr_destroy(&attr);
    running = 1;
    if (pthread_create(&thread, NULL, scheduler_main, NULL) != 0) {
        running = 0;
        return ST_INTERNAL;
    }
    return ST_OK;
}

void scheduler_stop(void)
{
    pthread_mutex_lock(&lock);
    if (!running) {
        pthread_mutex_unlock(&lock);
        return;
    }
    running = 0;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
}

void scheduler_poke(void)
{
    pthread_mutex_lock(&lock);
    poked = 1;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}
