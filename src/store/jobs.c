#include "store/jobs.h"
#include "store/sql.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>

#define COLUMNS "seq, system_id, due_at, kind, subject_id, payload"

/* What this thread changed in the table since it last read due jobs or asked. */
static _Thread_local struct {
    int64_t earliest; /* the earliest due_at scheduled; INT64_MAX: none */
    int cancelled;
} changes = {INT64_MAX, 0};

static void read_job(sqlite3_stmt *s, void *rows, size_t i)
{
    struct job_row *r = (struct job_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->system_id, sizeof(r->system_id));
    r->due_at = sqlite3_column_int64(s, 2);
    db_column_copy(s, 3, r->kind, sizeof(r->kind));
    db_column_copy(s, 4, r->subject_id, sizeof(r->subject_id));
    db_column_copy(s, 5, r->payload, sizeof(r->payload));
}

enum status store_job_schedule(struct db *db, const char *system_id, int64_t due_at,
                               const char *kind, const char *subject_id, const char *payload)
{
    static const char sql[] = "INSERT OR IGNORE INTO jobs (system_id, due_at, kind, subject_id,"
                              " payload) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, due_at);
    sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, subject_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, payload ? payload : "{}", -1, SQLITE_STATIC);
    if ((st = db_exec_stmt(db, s, NULL)) == ST_OK && due_at < changes.earliest)
        changes.earliest = due_at;
    return st;
}

enum status store_job_due(struct db *db, const char *system_id, int64_t until, struct job_row *rows,
                          size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " COLUMNS " FROM jobs WHERE system_id = ? AND due_at <= ?"
                              " ORDER BY due_at, seq LIMIT ?";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, until);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)cap);
    changes.earliest = INT64_MAX; /* what follows reads this thread's changes so far */
    changes.cancelled = 0;
    return db_read_rows(s, read_job, rows, cap, n);
}

enum status store_job_list(struct db *db, const char *system_id, int64_t after_due,
                           int64_t after_seq, struct job_row *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " COLUMNS " FROM jobs WHERE system_id = ?1 AND"
                              " (due_at, seq) > (?2, ?3) ORDER BY due_at, seq LIMIT ?4";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_due);
    sqlite3_bind_int64(s, 3, after_seq);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cap);
    return db_read_rows(s, read_job, rows, cap, n);
}

enum status store_job_next(struct db *db, const char *system_id, int64_t until, struct job_row *out)
{
    size_t n = 0;
    enum status st = store_job_due(db, system_id, until, out, 1, &n);

    return st == ST_OK && n == 0 ? ST_NOT_FOUND : st;
}

void store_job_changes(int64_t *earliest_scheduled, int *cancelled)
{
    *earliest_scheduled = changes.earliest;
    *cancelled = changes.cancelled;
    changes.earliest = INT64_MAX;
    changes.cancelled = 0;
}

enum status store_job_delete(struct db *db, int64_t seq)
{
    static const char sql[] = "DELETE FROM jobs WHERE seq = ?";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_int64(s, 1, seq);
    return db_exec_stmt(db, s, NULL);
}

enum status store_job_cancel_kind(struct db *db, const char *system_id, const char *kind)
{
    static const char sql[] = "DELETE FROM jobs WHERE system_id = ? AND kind = ?";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    changes.cancelled = 1;
    return db_exec_stmt(db, s, NULL);
}

static void read_earliest(sqlite3_stmt *s, void *rows, size_t i)
{
    struct job_row *r = (struct job_row *)rows + i;

    r->due_at = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->system_id, sizeof(r->system_id));
}

enum status store_job_earliest_real(struct db *db, int64_t *due_at, char *system_id)
{
    /* Each real-time system's first job by jobs_by_due, then the earliest of those: a join
     * sorted every job of every such system to find one. */
    static const char sql[] =
        "SELECT due_at, id FROM (SELECT (SELECT j.due_at FROM jobs j WHERE j.system_id = s.id"
        " ORDER BY j.due_at LIMIT 1) AS due_at, s.id AS id FROM systems s"
        " WHERE s.clock_mode = 'real') WHERE due_at IS NOT NULL ORDER BY due_at LIMIT 1";
    struct job_row row;
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    st = db_read_one(s, read_earliest, &row);
    if (st == ST_OK) {
        *due_at = row.due_at;
        snprintf(system_id, UUID_STR_LEN, "%s", row.system_id);
    }
    return st;
}
