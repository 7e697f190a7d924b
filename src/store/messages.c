#include "store/messages.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS "seq, id, system_id, channel, recipient, subject, text, created_at"

static void read_message(sqlite3_stmt *s, void *rows, size_t i)
{
    struct message_row *r = (struct message_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->channel, sizeof(r->channel));
    db_column_copy(s, 4, r->recipient, sizeof(r->recipient));
    db_column_copy(s, 5, r->subject, sizeof(r->subject));
    db_column_copy(s, 6, r->text, sizeof(r->text));
    r->created_at = sqlite3_column_int64(s, 7);
}

enum status store_message_insert(struct db *db, struct message_row *row)
{
    static const char sql[] = "INSERT INTO outbox_messages (id, system_id, channel, recipient,"
                              " subject, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    rng_uuid(row->id);
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->recipient, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, row->subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, row->text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_message_list(struct db *db, const char *system_id, int64_t after_seq,
                               struct message_row *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " COLUMNS " FROM outbox_messages"
                              " WHERE system_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";

    return db_list_page(db, sql, system_id, after_seq, read_message, rows, cap, n);
}
