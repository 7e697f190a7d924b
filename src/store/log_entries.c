#include "store/log_entries.h"
#include "store/sql.h"

#include <assert.h>

/* ---- locking device entries ------------------------------------------------------------ */

#define LOCK_COLUMNS                                                                               \
    "seq, id, system_id, locking_device_id, kind, event_name, occurred_at, sequence_number,"       \
    " client_type, operating_device_id, user_id, gateway_device_id, remote_command_id,"            \
    " granted"

/* One statement per direction and per shape of the filters: SQLite cannot bind an ORDER BY
 * direction, and the store plans each statement once (SQLITE_DBCONFIG_ENABLE_QPSG), so a
 * "?3 IS NULL OR locking_device_id = ?3" term could never pick the lock's index. The page's
 * bound is a row value, (occurred_at, id) > (?5, …): ?5 is a time, ?6 the seq of the row whose
 * id breaks its ties ('' when the bound is the time alone; NULL, which skips the rest of that
 * second, when that row has gone). A descending list takes after-datetime as the lower bound
 * ?7 of the same range. The whole system's log seeks that range in locking_device_log_by_time.
 * A lock's log is read from the UNIQUE (lock, kind, sequence number) index that uploads
 * already keep — from past the sequence bound ?4 when there is one — and sorted: its entries
 * are one lock's, and a second index keyed by lock cost the simulation a b-tree leaf per lock
 * to keep warm (a 5,000-lock month took 20 s instead of 16). */
#define LOCK_BOUND_ID                                                                              \
    "CASE WHEN ?6 IS NULL THEN '' ELSE"                                                            \
    " (SELECT id FROM locking_device_log_entries WHERE seq = ?6) END"
#define LOCK_LIST_SQL(where, range, dir)                                                           \
    "SELECT " LOCK_COLUMNS " FROM locking_device_log_entries"                                      \
    " WHERE " where " AND " range " ORDER BY occurred_at " dir ", id " dir " LIMIT ?8"
#define LOCK_ASC_RANGE "(occurred_at, id) > (?5, " LOCK_BOUND_ID ")"
#define LOCK_DESC_RANGE "occurred_at > ?7 AND (occurred_at, id) < (?5, " LOCK_BOUND_ID ")"
#define LOCK_SYSTEM "system_id = ?1 AND kind = ?2 AND (?4 IS NULL OR sequence_number > ?4)"
/* The lock's system is only checked (the unary +: the system's index would read it all). */
#define LOCK_DEVICE "locking_device_id = ?3 AND kind = ?2 AND +system_id = ?1"
#define LOCK_DEVICE_SEQ LOCK_DEVICE " AND sequence_number > ?4"

static void read_lock_entry(sqlite3_stmt *s, void *rows, size_t i)
{
    struct lock_log_row *r = (struct lock_log_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->locking_device_id, sizeof(r->locking_device_id));
    db_column_copy(s, 4, r->kind, sizeof(r->kind));
    db_column_copy(s, 5, r->event_name, sizeof(r->event_name));
    r->occurred_at = sqlite3_column_int64(s, 6);
    r->sequence_number = sqlite3_column_int64(s, 7);
    db_column_copy(s, 8, r->client_type, sizeof(r->client_type));
    db_column_copy(s, 9, r->operating_device_id, sizeof(r->operating_device_id));
    db_column_copy(s, 10, r->user_id, sizeof(r->user_id));
    db_column_copy(s, 11, r->gateway_device_id, sizeof(r->gateway_device_id));
    db_column_copy(s, 12, r->remote_command_id, sizeof(r->remote_command_id));
    r->granted = sqlite3_column_type(s, 13) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 13);
}

static enum status exec_insert(struct db *db, sqlite3_stmt *s, int *inserted)
{
    int changes = 0;
    enum status st = db_exec_stmt(db, s, &changes);

    if (st == ST_OK && inserted != NULL)
        *inserted = changes == 1;
    return st;
}

enum status store_lock_log_insert(struct db *db, const struct lock_log_row *row, int *inserted)
{
    /* A repeated (lock, kind, sequence number) is the same entry uploaded again: ignored. */
    static const char sql[] =
        "INSERT INTO locking_device_log_entries (id, system_id, locking_device_id, kind,"
        " event_name, occurred_at, sequence_number, client_type, operating_device_id, user_id,"
        " gateway_device_id, remote_command_id, granted, seq)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (locking_device_id, kind, sequence_number) DO NOTHING";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->locking_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, row->event_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, row->occurred_at);
    sqlite3_bind_int64(s, 7, row->sequence_number);
    db_bind_text_or_null(s, 8, row->client_type);
    db_bind_text_or_null(s, 9, row->operating_device_id);
    db_bind_text_or_null(s, 10, row->user_id);
    db_bind_text_or_null(s, 11, row->gateway_device_id);
    db_bind_text_or_null(s, 12, row->remote_command_id);
    if (row->granted >= 0)
        sqlite3_bind_int(s, 13, row->granted != 0);
    if (row->seq > 0)
        sqlite3_bind_int64(s, 14, row->seq);
    return exec_insert(db, s, inserted);
}

enum status store_lock_log_last_seq(struct db *db, int64_t *seq)
{
    static const char sql[] = "SELECT coalesce(max(seq), 0) FROM locking_device_log_entries";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    return db_read_one(s, db_row_int64, seq);
}

/* Binds the sequence bound to ?index; unbound (NULL) means no bound. */
static void bind_sequence(sqlite3_stmt *s, int index, const struct log_filter *f)
{
    if (f->sequence_greater_than >= 0)
        sqlite3_bind_int64(s, index, f->sequence_greater_than);
}

enum status store_lock_log_list(struct db *db, const char *system_id, const char *kind,
                                const struct log_filter *filter, struct lock_log_row *rows,
                                size_t cap, size_t *n)
{
    static const char asc_sql[] = LOCK_LIST_SQL(LOCK_SYSTEM, LOCK_ASC_RANGE, "ASC");
    static const char desc_sql[] = LOCK_LIST_SQL(LOCK_SYSTEM, LOCK_DESC_RANGE, "DESC");
    static const char device_asc_sql[] = LOCK_LIST_SQL(LOCK_DEVICE, LOCK_ASC_RANGE, "ASC");
    static const char device_desc_sql[] = LOCK_LIST_SQL(LOCK_DEVICE, LOCK_DESC_RANGE, "DESC");
    static const char device_seq_asc_sql[] = LOCK_LIST_SQL(LOCK_DEVICE_SEQ, LOCK_ASC_RANGE, "ASC");
    static const char device_seq_desc_sql[] =
        LOCK_LIST_SQL(LOCK_DEVICE_SEQ, LOCK_DESC_RANGE, "DESC");
    const int by_seq = filter->sequence_greater_than >= 0;
    const char *sql = filter->device_id == NULL ? (filter->descending ? desc_sql : asc_sql)
                      : by_seq ? (filter->descending ? device_seq_desc_sql : device_seq_asc_sql)
                               : (filter->descending ? device_desc_sql : device_asc_sql);
    /* The range's bound: (time, seq of the tie-breaking row), or (time, none). */
    int64_t bound_time = filter->descending ? INT64_MAX : INT64_MIN;
    int bound_row = 0;
    sqlite3_stmt *s;
    enum status st;

    *n = 0;
    if (!filter->descending && filter->has_after_time && filter->after_time == INT64_MAX)
        return ST_OK; /* nothing happens after the end of time */
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    /* Ascending, entries after T are those at or past (T + 1, ''); a page's position lies
     * past that unless it is older, so the later of the two bounds is the range's start. */
    if (!filter->descending && filter->has_after_time)
        bound_time = filter->after_time + 1;
    if (filter->has_position && (filter->descending || filter->position[0] >= bound_time)) {
        bound_time = filter->position[0];
        bound_row = 1;
    }
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    if (filter->device_id != NULL)
        sqlite3_bind_text(s, 3, filter->device_id, -1, SQLITE_STATIC);
    bind_sequence(s, 4, filter);
    sqlite3_bind_int64(s, 5, bound_time);
    if (bound_row)
        sqlite3_bind_int64(s, 6, filter->position[1]);
    if (filter->descending)
        sqlite3_bind_int64(s, 7, filter->has_after_time ? filter->after_time : INT64_MIN);
    sqlite3_bind_int64(s, 8, (sqlite3_int64)cap);
    return db_read_rows(s, read_lock_entry, rows, cap, n);
}

void store_lock_log_keys(const void *row, int64_t keys[2])
{
    const struct lock_log_row *r = row;

    keys[0] = r->occurred_at;
    keys[1] = r->seq;
}

/* ---- gateway device entries ------------------------------------------------------------ */

#define GATEWAY_COLUMNS                                                                            \
    "seq, system_id, gateway_device_id, kind, sequence_number, occurred_at, event_name,"           \
    " details, conversation_name, locking_device_id, remote_command_id"

/* The page's position (?5, ?6) is a row value over gateway_device_log_by_time's own columns,
 * so the index seeks to it; the first page's is the end of time the list starts from. */
#define GATEWAY_LIST_SQL(cmp, dir)                                                                 \
    "SELECT " GATEWAY_COLUMNS " FROM gateway_device_log_entries"                                   \
    " WHERE system_id = ?1 AND gateway_device_id = ?2 AND kind = ?3"                               \
    " AND (?4 IS NULL OR sequence_number > ?4)"                                                    \
    " AND (occurred_at, sequence_number) " cmp " (?5, ?6)"                                         \
    " ORDER BY occurred_at " dir ", sequence_number " dir " LIMIT ?7"

static void read_gateway_entry(sqlite3_stmt *s, void *rows, size_t i)
{
    struct gateway_log_row *r = (struct gateway_log_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 2, r->gateway_device_id, sizeof(r->gateway_device_id));
    db_column_copy(s, 3, r->kind, sizeof(r->kind));
    r->sequence_number = sqlite3_column_int64(s, 4);
    r->occurred_at = sqlite3_column_int64(s, 5);
    db_column_copy(s, 6, r->event_name, sizeof(r->event_name));
    db_column_copy(s, 7, r->details, sizeof(r->details));
    db_column_copy(s, 8, r->conversation_name, sizeof(r->conversation_name));
    db_column_copy(s, 9, r->locking_device_id, sizeof(r->locking_device_id));
    db_column_copy(s, 10, r->remote_command_id, sizeof(r->remote_command_id));
}

enum status store_gateway_log_insert(struct db *db, const struct gateway_log_row *row,
                                     int *inserted)
{
    static const char sql[] =
        "INSERT INTO gateway_device_log_entries (system_id, gateway_device_id, kind,"
        " sequence_number, occurred_at, event_name, details, conversation_name,"
        " locking_device_id, remote_command_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (gateway_device_id, kind, sequence_number) DO NOTHING";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->gateway_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, row->sequence_number);
    sqlite3_bind_int64(s, 5, row->occurred_at);
    db_bind_text_or_null(s, 6, row->event_name);
    db_bind_text_or_null(s, 7, row->details);
    db_bind_text_or_null(s, 8, row->conversation_name);
    db_bind_text_or_null(s, 9, row->locking_device_id);
    db_bind_text_or_null(s, 10, row->remote_command_id);
    return exec_insert(db, s, inserted);
}

enum status store_gateway_log_list(struct db *db, const char *system_id, const char *kind,
                                   const struct log_filter *filter, struct gateway_log_row *rows,
                                   size_t cap, size_t *n)
{
    static const char asc_sql[] = GATEWAY_LIST_SQL(">", "ASC");
    static const char desc_sql[] = GATEWAY_LIST_SQL("<", "DESC");
    sqlite3_stmt *s;
    enum status st = db_prepare(db, filter->descending ? desc_sql : asc_sql, &s);

    if (st != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, filter->device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
    bind_sequence(s, 4, filter);
    if (filter->has_position) {
        sqlite3_bind_int64(s, 5, filter->position[0]);
        sqlite3_bind_int64(s, 6, filter->position[1]);
    } else {
        sqlite3_bind_int64(s, 5, filter->descending ? INT64_MAX : INT64_MIN);
        sqlite3_bind_int64(s, 6, filter->descending ? INT64_MAX : INT64_MIN);
    }
    sqlite3_bind_int64(s, 7, (sqlite3_int64)cap);
    return db_read_rows(s, read_gateway_entry, rows, cap, n);
}

void store_gateway_log_keys(const void *row, int64_t keys[2])
{
    const struct gateway_log_row *r = row;

    keys[0] = r->occurred_at;
    keys[1] = r->sequence_number;
}
