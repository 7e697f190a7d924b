#include "store/log_entries.h"
#include "store/sql.h"

#include <assert.h>

/* ---- locking device entries ------------------------------------------------------------ */

#define LOCK_COLUMNS                                                                               \
    "seq, id, system_id, locking_device_id, kind, event_name, occurred_at, sequence_number,"       \
    " client_type, operating_device_id, user_id, gateway_device_id, remote_command_id,"            \
    " granted"

/* One statement per direction: SQLite cannot bind an ORDER BY direction. The position is
 * (occurred_at, seq of the last row); the row's seq names the id that breaks ties. NULL
 * parameters match every row, so one statement serves every filter combination. */
#define LOCK_LIST_SQL(cmp, dir)                                                                    \
    "SELECT " LOCK_COLUMNS " FROM locking_device_log_entries"                                      \
    " WHERE system_id = ?1 AND kind = ?2"                                                          \
    " AND (?3 IS NULL OR locking_device_id = ?3)"                                                  \
    " AND (?4 IS NULL OR sequence_number > ?4)"                                                    \
    " AND (?5 IS NULL OR occurred_at > ?5)"                                                        \
    " AND (?6 IS NULL OR occurred_at " cmp " ?6 OR (occurred_at = ?6 AND id " cmp                  \
    " (SELECT id FROM locking_device_log_entries WHERE seq = ?7)))"                                \
    " ORDER BY occurred_at " dir ", id " dir " LIMIT ?8"

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

/* Binds the position's two keys to ?pos and ?pos+1; unbound (NULL) means the first page. */
static void bind_position(sqlite3_stmt *s, int pos, const struct log_filter *f)
{
    if (f->has_position) {
        sqlite3_bind_int64(s, pos, f->position[0]);
        sqlite3_bind_int64(s, pos + 1, f->position[1]);
    }
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
    static const char asc_sql[] = LOCK_LIST_SQL(">", "ASC");
    static const char desc_sql[] = LOCK_LIST_SQL("<", "DESC");
    sqlite3_stmt *s;
    enum status st = db_prepare(db, filter->descending ? desc_sql : asc_sql, &s);

    if (st != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    if (filter->device_id != NULL)
        sqlite3_bind_text(s, 3, filter->device_id, -1, SQLITE_STATIC);
    bind_sequence(s, 4, filter);
    if (filter->has_after_time)
        sqlite3_bind_int64(s, 5, filter->after_time);
    bind_position(s, 6, filter);
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

#define GATEWAY_LIST_SQL(cmp, dir)                                                                 \
    "SELECT " GATEWAY_COLUMNS " FROM gateway_device_log_entries"                                   \
    " WHERE system_id = ?1 AND gateway_device_id = ?2 AND kind = ?3"                               \
    " AND (?4 IS NULL OR sequence_number > ?4)"                                                    \
    " AND (?5 IS NULL OR occurred_at " cmp " ?5"                                                   \
    " OR (occurred_at = ?5 AND sequence_number " cmp " ?6))"                                       \
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
    bind_position(s, 5, filter);
    sqlite3_bind_int64(s, 7, (sqlite3_int64)cap);
    return db_read_rows(s, read_gateway_entry, rows, cap, n);
}

void store_gateway_log_keys(const void *row, int64_t keys[2])
{
    const struct gateway_log_row *r = row;

    keys[0] = r->occurred_at;
    keys[1] = r->sequence_number;
}
