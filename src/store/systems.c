#include "store/systems.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS "seq, id, name, clock_mode, clock_offset, clock_time, created_at"

static void read_system(sqlite3_stmt *s, void *rows, size_t i)
{
    struct system_row *r = (struct system_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->name, sizeof(r->name));
    db_column_copy(s, 3, r->clock.mode, sizeof(r->clock.mode));
    r->clock.offset = sqlite3_column_int64(s, 4);
    r->clock.time = sqlite3_column_int64(s, 5);
    r->created_at = sqlite3_column_int64(s, 6);
}

enum status store_system_insert(struct db *db, const struct system_row *row)
{
    static const char sql[] = "INSERT INTO systems (id, name, clock_mode, clock_offset,"
                              " clock_time, created_at) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->clock.mode, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, row->clock.offset);
    sqlite3_bind_int64(s, 5, row->clock.time);
    sqlite3_bind_int64(s, 6, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_system_get(struct db *db, const char *id, struct system_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM systems WHERE id = ?";

    return db_get_by(db, sql, id, read_system, out);
}

enum status store_system_list(struct db *db, int64_t after_seq, struct system_row *rows, size_t cap,
                              size_t *n)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM systems WHERE seq > ?2 ORDER BY seq LIMIT ?3";

    return db_list_page(db, sql, NULL, after_seq, read_system, rows, cap, n);
}

enum status store_system_delete(struct db *db, const char *id)
{
    static const char sql[] = "DELETE FROM systems WHERE id = ?";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    return db_exec_one(db, s);
}

enum status store_system_set_clock(struct db *db, const char *id, const char *mode, int64_t offset,
                                   int64_t time)
{
    static const char sql[] =
        "UPDATE systems SET clock_mode = ?, clock_offset = ?, clock_time = ? WHERE id = ?";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, mode, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, offset);
    sqlite3_bind_int64(s, 3, time);
    sqlite3_bind_text(s, 4, id, -1, SQLITE_STATIC);
    return db_exec_one(db, s);
}
