#include "store/outbox.h"
#include "store/sql.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

enum status store_outbox_insert(struct db *db, struct outbox_row *row)
{
    static const char sql[] = "INSERT INTO outbox (id, system_id, event_type, body, occurred_at,"
                              " seq) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->event_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->body, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, row->occurred_at);
    if (row->seq > 0)
        sqlite3_bind_int64(s, 6, row->seq);
    if ((st = db_exec_stmt(db, s, NULL)) == ST_OK)
        row->seq = sqlite3_last_insert_rowid(db_handle(db));
    return st;
}

enum status store_outbox_count(struct db *db, const char *system_id, int64_t *count)
{
    static const char sql[] = "SELECT count(*) FROM outbox WHERE ?1 IS NULL OR system_id = ?1";
    sqlite3_stmt *s;
    enum status st;
    int rc;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    db_bind_text_or_null(s, 1, system_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *count = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : db_status(rc);
}

enum status store_outbox_last_seq(struct db *db, int64_t *seq)
{
    static const char sql[] = "SELECT coalesce(max(seq), 0) FROM outbox";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    return db_read_one(s, db_row_int64, seq);
}

enum status store_outbox_count_after(struct db *db, const char *system_id, int64_t after_seq,
                                     int64_t *count)
{
    static const char sql[] = "SELECT count(*) FROM outbox WHERE system_id = ?1 AND seq > ?2";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    return db_read_one(s, db_row_int64, count);
}

static void read_event(sqlite3_stmt *s, void *rows, size_t i)
{
    struct event_row *r = (struct event_row *)rows + i;
    const unsigned char *body = sqlite3_column_text(s, 4);

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->event_type, sizeof(r->event_type));
    r->occurred_at = sqlite3_column_int64(s, 3);
    r->body = body ? strdup((const char *)body) : NULL;
}

/* The types filter: NULL, or ",A,B," matched with one instr() (as webhook filters are). */
#define TYPES_MATCH(param) "(" param " IS NULL OR instr(" param ", ',' || event_type || ',') > 0)"

enum status store_outbox_list(struct db *db, const char *system_id, const char *types,
                              int64_t after_seq, struct event_row *rows, size_t cap, size_t *n)
{
    static const char sql[] =
        "SELECT seq, id, event_type, occurred_at, body FROM outbox"
        " WHERE system_id = ?1 AND seq > ?2 AND " TYPES_MATCH("?3") " ORDER BY seq LIMIT ?4";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    db_bind_text_or_null(s, 3, types);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cap);
    st = db_read_rows(s, read_event, rows, cap, n);
    for (size_t i = 0; st == ST_OK && i < *n; i++)
        if (rows[i].body == NULL)
            st = ST_NOMEM;
    return st;
}

enum status store_outbox_seq_before_last(struct db *db, const char *system_id, const char *types,
                                         int64_t count, int64_t *seq)
{
    static const char sql[] = "SELECT seq FROM outbox WHERE system_id = ?1 AND " TYPES_MATCH(
        "?2") " ORDER BY seq DESC LIMIT 1 OFFSET ?3";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    db_bind_text_or_null(s, 2, types);
    sqlite3_bind_int64(s, 3, count);
    *seq = 0;
    st = db_read_one(s, db_row_int64, seq);
    return st == ST_NOT_FOUND ? ST_OK : st;
}

void store_outbox_rows_release(struct event_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].body);
        rows[i].body = NULL;
    }
}

enum status store_outbox_seq_of(struct db *db, const char *system_id, const char *event_id,
                                int64_t *seq)
{
    static const char sql[] = "SELECT seq FROM outbox WHERE system_id = ?1 AND id = ?2";

    return db_get_scoped(db, sql, system_id, event_id, db_row_int64, seq);
}
