#include "store/permissions.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS                                                                                    \
    "seq, id, system_id, user_id, locking_device_id, operation_type, permission_type,"             \
    " operating_key_validity_duration, operating_key_validity_seconds, weekdays, intervals,"       \
    " start_at, end_at, created_at"

static void read_permission(sqlite3_stmt *s, void *rows, size_t i)
{
    struct permission_row *r = (struct permission_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->user_id, sizeof(r->user_id));
    db_column_copy(s, 4, r->locking_device_id, sizeof(r->locking_device_id));
    db_column_copy(s, 5, r->operation_type, sizeof(r->operation_type));
    db_column_copy(s, 6, r->permission_type, sizeof(r->permission_type));
    db_column_copy(s, 7, r->validity_text, sizeof(r->validity_text));
    r->validity_seconds = sqlite3_column_int64(s, 8);
    db_column_copy(s, 9, r->weekdays, sizeof(r->weekdays));
    db_column_copy(s, 10, r->intervals, sizeof(r->intervals));
    r->start_at = sqlite3_column_int64(s, 11);
    r->end_at = sqlite3_column_int64(s, 12);
    r->created_at = sqlite3_column_int64(s, 13);
}

/* Binds the fields that insert and replace share, as ?3 to ?12. */
static void bind_fields(sqlite3_stmt *s, const struct permission_row *row)
{
    sqlite3_bind_text(s, 3, row->user_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->locking_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, row->operation_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, row->permission_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, row->validity_text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, row->validity_seconds);
    db_bind_text_or_null(s, 9, row->weekdays);
    db_bind_text_or_null(s, 10, row->intervals);
    sqlite3_bind_int64(s, 11, row->start_at);
    sqlite3_bind_int64(s, 12, row->end_at);
}

enum status store_permission_insert(struct db *db, const struct permission_row *row)
{
    static const char sql[] =
        "INSERT INTO permissions (system_id, id, user_id, locking_device_id, operation_type,"
        " permission_type, operating_key_validity_duration, operating_key_validity_seconds,"
        " weekdays, intervals, start_at, end_at, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->id, -1, SQLITE_STATIC);
    bind_fields(s, row);
    sqlite3_bind_int64(s, 13, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_permission_get(struct db *db, const char *system_id, const char *id,
                                 struct permission_row *out)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM permissions WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_permission, out);
}

/* Runs a list statement: ?1 system, ?2 position, ?3 user (when the statement has one),
 * ?4 limit. */
static enum status list_rows(struct db *db, const char *sql, const char *system_id,
                             const char *user_id, int64_t after_seq, struct permission_row *rows,
                             size_t cap, size_t *n)
{
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    if (user_id != NULL)
        sqlite3_bind_text(s, 3, user_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cap);
    return db_read_rows(s, read_permission, rows, cap, n);
}

enum status store_permission_list(struct db *db, const char *system_id, int64_t after_seq,
                                  struct permission_row *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " COLUMNS " FROM permissions"
                              " WHERE system_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?4";
    return list_rows(db, sql, system_id, NULL, after_seq, rows, cap, n);
}

enum status store_permission_list_for_user(struct db *db, const char *system_id,
                                           const char *user_id, int64_t after_seq,
                                           struct permission_row *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " COLUMNS " FROM permissions"
                              " WHERE user_id = ?3 AND system_id = ?1 AND seq > ?2"
                              " ORDER BY seq LIMIT ?4";
    return list_rows(db, sql, system_id, user_id, after_seq, rows, cap, n);
}

enum status store_permission_replace(struct db *db, const struct permission_row *row)
{
    static const char sql[] =
        "UPDATE permissions SET user_id = ?3, locking_device_id = ?4, operation_type = ?5,"
        " permission_type = ?6, operating_key_validity_duration = ?7,"
        " operating_key_validity_seconds = ?8, weekdays = ?9, intervals = ?10,"
        " start_at = ?11, end_at = ?12 WHERE system_id = ?1 AND id = ?2";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->id, -1, SQLITE_STATIC);
    bind_fields(s, row);
    return db_exec_one(db, s);
}

enum status store_permission_delete(struct db *db, const char *system_id, const char *id)
{
    static const char sql[] = "DELETE FROM permissions WHERE system_id = ?1 AND id = ?2";
    return db_exec_scoped(db, sql, system_id, id);
}

enum status store_permission_delete_ended_before(struct db *db, const char *system_id,
                                                 int64_t before, int *deleted)
{
    static const char sql[] = "DELETE FROM permissions WHERE system_id = ?1 AND end_at < ?2";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, before);
    return db_exec_stmt(db, s, deleted);
}
