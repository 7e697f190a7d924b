#include "store/outbox.h"

#include <assert.h>

enum status store_outbox_insert(struct db *db, const struct outbox_row *row)
{
    static const char sql[] = "INSERT INTO outbox (id, system_id, event_type, body, occurred_at)"
                              " VALUES (?, ?, ?, ?, ?)";
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
    return db_exec_stmt(db, s, NULL);
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
