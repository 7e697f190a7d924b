#include "store/api_keys.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS "seq, key, name, requests_per_second, burst, system_id, created_at"

static void read_key(sqlite3_stmt *s, void *rows, size_t i)
{
    struct api_key_row *r = (struct api_key_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->key, sizeof(r->key));
    db_column_copy(s, 2, r->name, sizeof(r->name));
    r->requests_per_second = sqlite3_column_double(s, 3);
    r->burst = sqlite3_column_int64(s, 4);
    db_column_copy(s, 5, r->system_id, sizeof(r->system_id));
    r->created_at = sqlite3_column_int64(s, 6);
}

enum status store_api_key_insert(struct db *db, const struct api_key_row *row)
{
    static const char sql[] = "INSERT INTO api_keys (key, name, requests_per_second, burst,"
                              " system_id, created_at) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->name, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 3, row->requests_per_second);
    sqlite3_bind_int64(s, 4, row->burst);
    db_bind_text_or_null(s, 5, row->system_id);
    sqlite3_bind_int64(s, 6, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_api_key_get(struct db *db, const char *key, struct api_key_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM api_keys WHERE key = ?";

    return db_get_by(db, sql, key, read_key, out);
}

enum status store_api_key_list(struct db *db, int64_t after_seq, struct api_key_row *rows,
                               size_t cap, size_t *n)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM api_keys WHERE seq > ?2 ORDER BY seq LIMIT ?3";

    return db_list_page(db, sql, NULL, after_seq, read_key, rows, cap, n);
}

enum status store_api_key_delete(struct db *db, const char *key)
{
    static const char sql[] = "DELETE FROM api_keys WHERE key = ?";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    return db_exec_one(db, s);
}

enum status store_api_key_of_system(struct db *db, const char *system_id, struct api_key_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM api_keys WHERE system_id = ?"
                              " ORDER BY seq LIMIT 1";

    return db_get_by(db, sql, system_id, read_key, out);
}
