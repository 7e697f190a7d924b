#include "store/db.h"
#include "store/sql.h"

#include "store/storage.h"

#include <string.h>

/* Statements and rows: the helpers every store file reads and writes with (store/db.h).
 * Connections and transactions are db.c's. */

enum status db_read_rows(sqlite3_stmt *stmt, db_row_reader read, void *rows, size_t cap, size_t *n)
{
    int rc = SQLITE_DONE;

    *n = 0;
    while (*n < cap && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
        read(stmt, rows, (*n)++);
    if (*n < cap && rc != SQLITE_DONE) {
        storage_note_failure(sqlite3_db_handle(stmt), rc);
        sqlite3_reset(stmt);
        return db_status(rc);
    }
    sqlite3_reset(stmt);
    return ST_OK;
}

enum status db_exec_stmt(struct db *db, sqlite3_stmt *stmt, int *changes)
{
    int rc = sqlite3_step(stmt);

    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        storage_note_failure(sqlite3_db_handle(stmt), rc); /* before reset clears the message */
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_status(rc);
    if (changes != NULL)
        *changes = sqlite3_changes(db_handle(db));
    return ST_OK;
}

enum status db_read_one(sqlite3_stmt *stmt, db_row_reader read, void *row)
{
    size_t n;
    enum status st = db_read_rows(stmt, read, row, 1, &n);

    return st != ST_OK ? st : n == 1 ? ST_OK : ST_NOT_FOUND;
}

enum status db_exec_one(struct db *db, sqlite3_stmt *stmt)
{
    int changes = 0;
    enum status st = db_exec_stmt(db, stmt, &changes);

    return st != ST_OK ? st : changes == 1 ? ST_OK : ST_NOT_FOUND;
}

enum status db_get_by(struct db *db, const char *sql, const char *key, db_row_reader read,
                      void *row)
{
    sqlite3_stmt *s;
    enum status st = db_prepare(db, sql, &s);

    if (st != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    return db_read_one(s, read, row);
}

enum status db_list_page(struct db *db, const char *sql, const char *key, int64_t after_seq,
                         db_row_reader read, void *rows, size_t cap, size_t *n)
{
    sqlite3_stmt *s;
    enum status st = db_prepare(db, sql, &s);

    if (st != ST_OK)
        return st;
    if (key != NULL)
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)cap);
    return db_read_rows(s, read, rows, cap, n);
}

static enum status prepare_scoped(struct db *db, const char *sql, const char *system_id,
                                  const char *id, sqlite3_stmt **s)
{
    enum status st = db_prepare(db, sql, s);

    if (st != ST_OK)
        return st;
    sqlite3_bind_text(*s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(*s, 2, id, -1, SQLITE_STATIC);
    return ST_OK;
}

enum status db_get_scoped(struct db *db, const char *sql, const char *system_id, const char *id,
                          db_row_reader read, void *row)
{
    sqlite3_stmt *s;
    enum status st = prepare_scoped(db, sql, system_id, id, &s);

    return st != ST_OK ? st : db_read_one(s, read, row);
}

enum status db_exec_scoped(struct db *db, const char *sql, const char *system_id, const char *id)
{
    sqlite3_stmt *s;
    enum status st;

    if (!db_in_transaction(db))
        return ST_INTERNAL; /* writes happen only inside db_transact() */
    st = prepare_scoped(db, sql, system_id, id, &s);
    return st != ST_OK ? st : db_exec_one(db, s);
}

int db_bind_text_or_null(sqlite3_stmt *stmt, int index, const char *s)
{
    if (s == NULL || *s == '\0')
        return sqlite3_bind_null(stmt, index);
    /* Not SQLITE_TRANSIENT: a copy (malloc, memcpy, free) per column of every row written. */
    return sqlite3_bind_text(stmt, index, s, -1, SQLITE_STATIC);
}

void db_row_int(sqlite3_stmt *stmt, void *rows, size_t i)
{
    ((int *)rows)[i] = sqlite3_column_int(stmt, 0);
}

void db_row_int64(sqlite3_stmt *stmt, void *rows, size_t i)
{
    ((int64_t *)rows)[i] = sqlite3_column_int64(stmt, 0);
}

void db_column_copy(sqlite3_stmt *stmt, int i, char *out, size_t cap)
{
    /* Every column of every row read passes here: copy, don't format. */
    const unsigned char *text = sqlite3_column_text(stmt, i);
    size_t n = text != NULL ? (size_t)sqlite3_column_bytes(stmt, i) : 0;

    if (n >= cap)
        n = cap - 1;
    if (n > 0)
        memcpy(out, text, n);
    out[n] = '\0';
}
