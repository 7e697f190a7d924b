/*
 * jobs.h — the durable job table: what each system's clock will make happen later.
 */
#ifndef KE_STORE_JOBS_H
#define KE_STORE_JOBS_H

#include "lib/rng.h"
#include "store/db.h"

struct job_row {
    int64_t seq;
    char system_id[UUID_STR_LEN];
    int64_t due_at;
    char kind[48];
    char subject_id[64];
    char payload[512];
};

/* Schedules a job inside the caller's transaction. Scheduling the same (kind, subject,
 * due_at) twice is harmless: the second is ignored. */
enum status store_job_schedule(struct db *db, const char *system_id, int64_t due_at,
                               const char *kind, const char *subject_id, const char *payload);

/* The system's jobs after the position (after_due, after_seq), in (due_at, seq) order, at
 * most cap: what its clock will run, for reading (the jobs list); it leaves the change
 * tracking of store_job_changes() alone. */
enum status store_job_list(struct db *db, const char *system_id, int64_t after_due,
                           int64_t after_seq, struct job_row *rows, size_t cap, size_t *n);

/* The system's first job due at or before `until`, in (due_at, seq) order; ST_NOT_FOUND
 * when none. until = INT64_MAX finds the next job at all. */
enum status store_job_next(struct db *db, const char *system_id, int64_t until,
                           struct job_row *out);

/* The system's jobs due at or before `until`, in (due_at, seq) order, at most cap. */
enum status store_job_due(struct db *db, const char *system_id, int64_t until, struct job_row *rows,
                          size_t cap, size_t *n);

/* What this thread did to the table since it last called store_job_due() or this: the
 * earliest due_at it scheduled (INT64_MAX: nothing) and whether it cancelled jobs. Whoever
 * reads due jobs ahead asks after each job it runs: that job may have put another before
 * the ones read, or removed one. */
void store_job_changes(int64_t *earliest_scheduled, int *cancelled);

enum status store_job_delete(struct db *db, int64_t seq);

/* Drops every pending job of kind in the system (an autopilot switched off). */
enum status store_job_cancel_kind(struct db *db, const char *system_id, const char *kind);

/* The earliest due_at over all jobs of systems whose clock is real; ST_NOT_FOUND if none. */
enum status store_job_earliest_real(struct db *db, int64_t *due_at, char *system_id);

#endif
