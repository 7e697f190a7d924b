#include "store/remote_commands.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS                                                                                    \
    "seq, id, system_id, gateway_device_id, locking_device_id, action, valid_from,"                \
    " valid_until, issuer_user_id, issued_at, acknowledged_at, canceler_user_id,"                  \
    " cancelled_at"

/* A command is open while neither its gateway acknowledged it nor anyone cancelled it. */
#define OPEN "acknowledged_at IS NULL AND cancelled_at IS NULL"

static void read_command(sqlite3_stmt *s, void *rows, size_t i)
{
    struct remote_command_row *r = (struct remote_command_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->gateway_device_id, sizeof(r->gateway_device_id));
    db_column_copy(s, 4, r->locking_device_id, sizeof(r->locking_device_id));
    db_column_copy(s, 5, r->action, sizeof(r->action));
    r->valid_from = sqlite3_column_int64(s, 6);
    r->valid_until = sqlite3_column_int64(s, 7);
    db_column_copy(s, 8, r->issuer_user_id, sizeof(r->issuer_user_id));
    r->issued_at = sqlite3_column_int64(s, 9);
    r->acknowledged = sqlite3_column_type(s, 10) != SQLITE_NULL;
    r->acknowledged_at = sqlite3_column_int64(s, 10);
    db_column_copy(s, 11, r->canceler_user_id, sizeof(r->canceler_user_id));
    r->cancelled = sqlite3_column_type(s, 12) != SQLITE_NULL;
    r->cancelled_at = sqlite3_column_int64(s, 12);
}

enum status store_remote_command_insert(struct db *db, const struct remote_command_row *row)
{
    static const char sql[] =
        "INSERT INTO remote_commands (id, system_id, gateway_device_id, locking_device_id,"
        " action, valid_from, valid_until, issuer_user_id, issued_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->gateway_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->locking_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, row->action, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, row->valid_from);
    sqlite3_bind_int64(s, 7, row->valid_until);
    sqlite3_bind_text(s, 8, row->issuer_user_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, row->issued_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_remote_command_get(struct db *db, const char *system_id, const char *id,
                                     struct remote_command_row *out)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM remote_commands WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_command, out);
}

enum status store_remote_command_list(struct db *db, const char *system_id, const char *gateway_id,
                                      int64_t after_seq, struct remote_command_row *rows,
                                      size_t cap, size_t *n)
{
    /* One statement per shape (the store plans each once, whatever gets bound). */
    static const char all_sql[] = "SELECT " COLUMNS " FROM remote_commands"
                                  " WHERE system_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?4";
    static const char gateway_sql[] = "SELECT " COLUMNS " FROM remote_commands"
                                      " WHERE gateway_device_id = ?3 AND system_id = ?1"
                                      " AND seq > ?2 ORDER BY seq LIMIT ?4";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, gateway_id != NULL ? gateway_sql : all_sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    if (gateway_id != NULL)
        sqlite3_bind_text(s, 3, gateway_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cap);
    return db_read_rows(s, read_command, rows, cap, n);
}

enum status store_remote_command_list_valid(struct db *db, const char *system_id,
                                            const char *gateway_id, const char *lock_id,
                                            int64_t now, struct remote_command_row *rows,
                                            size_t cap, size_t *n)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM remote_commands"
        " WHERE system_id = ?1 AND gateway_device_id = ?2"
        " AND (?3 IS NULL OR locking_device_id = ?3)"
        " AND valid_from <= ?4 AND ?4 < valid_until AND " OPEN " ORDER BY seq LIMIT ?5";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, gateway_id, -1, SQLITE_STATIC);
    if (lock_id != NULL)
        sqlite3_bind_text(s, 3, lock_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, now);
    sqlite3_bind_int64(s, 5, (sqlite3_int64)cap);
    return db_read_rows(s, read_command, rows, cap, n);
}

/* Runs a prepared close (UPDATE ... AND OPEN); when it changed nothing, tells an unknown
 * command (ST_NOT_FOUND) from one that was already closed (ST_CONFLICT). */
static enum status finish_close(struct db *db, sqlite3_stmt *s, const char *system_id,
                                const char *id)
{
    struct remote_command_row row;
    enum status st = db_exec_one(db, s);

    if (st != ST_NOT_FOUND)
        return st;
    st = store_remote_command_get(db, system_id, id, &row);
    return st == ST_OK ? ST_CONFLICT : st;
}

enum status store_remote_command_cancel(struct db *db, const char *system_id, const char *id,
                                        const char *user_id, int64_t now)
{
    static const char sql[] = "UPDATE remote_commands SET canceler_user_id = ?3,"
                              " cancelled_at = ?4 WHERE system_id = ?1 AND id = ?2 AND " OPEN;
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, user_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, now);
    return finish_close(db, s, system_id, id);
}

enum status store_remote_command_acknowledge(struct db *db, const char *system_id, const char *id,
                                             int64_t now)
{
    static const char sql[] = "UPDATE remote_commands SET acknowledged_at = ?3"
                              " WHERE system_id = ?1 AND id = ?2 AND " OPEN;
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now);
    return finish_close(db, s, system_id, id);
}

enum status store_rekey_request_insert(struct db *db, const char *system_id, const char *lock_id,
                                       const char *user_id, int64_t now)
{
    static const char insert_sql[] =
        "INSERT INTO rekey_requests (system_id, locking_device_id, certificate, requested_at,"
        " requested_by) VALUES (?, ?, 'OPERATIONAL', ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, insert_sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, lock_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_text(s, 4, user_id, -1, SQLITE_STATIC);
    return db_exec_stmt(db, s, NULL);
}
