#include "store/operating_keys.h"

#include <assert.h>

#define COLUMNS                                                                               \
    "seq, operating_device_id, locking_device_id, permission_id, operation_type,"             \
    " permission_type, weekdays, intervals, permission_start, permission_end, valid_until,"   \
    " downloaded_at"

static void read_key(sqlite3_stmt *s, void *rows, size_t i)
{
    struct operating_key_row *r = (struct operating_key_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->operating_device_id, sizeof(r->operating_device_id));
    db_column_copy(s, 2, r->locking_device_id, sizeof(r->locking_device_id));
    db_column_copy(s, 3, r->permission_id, sizeof(r->permission_id));
    db_column_copy(s, 4, r->operation_type, sizeof(r->operation_type));
    db_column_copy(s, 5, r->permission_type, sizeof(r->permission_type));
    db_column_copy(s, 6, r->weekdays, sizeof(r->weekdays));
    db_column_copy(s, 7, r->intervals, sizeof(r->intervals));
    r->permission_start = sqlite3_column_int64(s, 8);
    r->permission_end = sqlite3_column_int64(s, 9);
    r->valid_until = sqlite3_column_int64(s, 10);
    r->downloaded_at = sqlite3_column_int64(s, 11);
}

enum status store_operating_keys_clear(struct db *db, const char *operating_device_id)
{
    static const char sql[] = "DELETE FROM operating_keys WHERE operating_device_id = ?";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, operating_device_id, -1, SQLITE_STATIC);
    return db_exec_stmt(db, s, NULL);
}

enum status store_operating_key_insert(struct db *db, const struct operating_key_row *r)
{
    static const char sql[] =
        "INSERT INTO operating_keys (operating_device_id, locking_device_id, permission_id,"
        " operation_type, permission_type, weekdays, intervals, permission_start,"
        " permission_end, valid_until, downloaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, r->operating_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->locking_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->permission_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->operation_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, r->permission_type, -1, SQLITE_STATIC);
    db_bind_text_or_null(s, 6, r->weekdays);
    db_bind_text_or_null(s, 7, r->intervals);
    sqlite3_bind_int64(s, 8, r->permission_start);
    sqlite3_bind_int64(s, 9, r->permission_end);
    sqlite3_bind_int64(s, 10, r->valid_until);
    sqlite3_bind_int64(s, 11, r->downloaded_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_operating_keys_for(struct db *db, const char *operating_device_id,
                                     const char *locking_device_id, const char *operation_type,
                                     struct operating_key_row *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " COLUMNS " FROM operating_keys"
                              " WHERE operating_device_id = ? AND locking_device_id = ?"
                              " AND operation_type = ? ORDER BY seq DESC LIMIT ?";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, operating_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, locking_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, operation_type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cap);
    return db_read_rows(s, read_key, rows, cap, n);
}

enum status store_phone_certificate_put(struct db *db, const char *operating_device_id,
                                        const char *key_pem, const char *cert_pem,
                                        int64_t not_after)
{
    static const char sql[] = "INSERT OR REPLACE INTO phone_certificates (operating_device_id,"
                              " key_pem, cert_pem, not_after) VALUES (?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, operating_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, key_pem, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, cert_pem, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, not_after);
    return db_exec_stmt(db, s, NULL);
}
