/*
 * scheduler.h — making time pass for a system.
 *
 * scheduler_advance() moves a system's clock forward to a target instant, running every job
 * due on the way in (due_at, seq) order; each job runs with the clock standing at its own
 * due instant, and may schedule further jobs, which run in the same call when they fall due
 * before the target. Jobs run in batches, one transaction per batch, so that a year of
 * activity costs a few commits, not one per job. A budget bounds one call; when it is spent
 * the clock stops at the last job run and the result says truncated.
 * A scheduler thread does the same for systems whose clock is real, as wall time passes.
 */
#ifndef KE_SIM_SCHEDULER_H
#define KE_SIM_SCHEDULER_H

#include "store/db.h"
#include "store/jobs.h"
#include "store/systems.h"

#define SCHEDULER_DEFAULT_BUDGET 1000000

struct advance_result {
    int64_t now;
    int64_t jobs_run;
    int64_t events_emitted;
    int truncated;
};

/* A job handler runs inside the batch's transaction; `system` shows the clock frozen at
 * the job's due instant. */
typedef enum status (*job_fn)(struct db *db, const struct system_row *system,
                              const struct job_row *job);

struct job_kind {
    const char *kind;
    job_fn run;
    const char *subject;      /* what the job's subject_id names: "lockingDevice", ... */
    const char *summary;      /* what running it does, in a phrase, for the jobs list */
    const char *payload_name; /* the member that shows its payload, or NULL: not shown */
};

/* Advances system_id to target (which must not be before its now: ST_INVALID), running at
 * most budget jobs. */
enum status scheduler_advance(struct db *db, const char *system_id, int64_t target, int64_t budget,
                              struct advance_result *out);

/* The due instant of the system's next job; ST_NOT_FOUND when nothing is scheduled. */
enum status scheduler_next_due(struct db *db, const char *system_id, int64_t *due_at);

/* Starts and stops the thread that serves real-time clocks. */
enum status scheduler_start(void);
void scheduler_stop(void);

/* Wakes the thread early (a job was scheduled for a real-time system). */
void scheduler_poke(void);

#endif
