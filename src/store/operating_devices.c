#include "store/operating_devices.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS "seq, id, system_id, user_id, invitation_id, legacy, activated_at, created_at"

static void read_device(sqlite3_stmt *s, void *rows, size_t i)
{
    struct operating_device_row *r = (struct operating_device_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->user_id, sizeof(r->user_id));
    db_column_copy(s, 4, r->invitation_id, sizeof(r->invitation_id));
    r->legacy = sqlite3_column_int(s, 5);
    r->activated_at = sqlite3_column_int64(s, 6);
    r->created_at = sqlite3_column_int64(s, 7);
}

enum status store_operating_device_insert(struct db *db, const struct operating_device_row *row)
{
    static const char sql[] = "INSERT INTO operating_devices (id, system_id, user_id,"
                              " invitation_id, legacy, activated_at, created_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->user_id, -1, SQLITE_STATIC);
    db_bind_text_or_null(s, 4, row->invitation_id);
    sqlite3_bind_int(s, 5, row->legacy);
    if (row->activated_at != 0)
        sqlite3_bind_int64(s, 6, row->activated_at);
    sqlite3_bind_int64(s, 7, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_operating_device_get(struct db *db, const char *system_id, const char *id,
                                       struct operating_device_row *out)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM operating_devices WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_device, out);
}

enum status store_operating_device_find(struct db *db, const char *id,
                                        struct operating_device_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM operating_devices WHERE id = ?1";

    return db_get_by(db, sql, id, read_device, out);
}

enum status store_operating_device_list(struct db *db, const char *system_id, const char *user_id,
                                        int64_t after_seq, struct operating_device_row *rows,
                                        size_t cap, size_t *n)
{
    /* One statement per shape (the store plans each once, whatever gets bound): a user has
     * at most one device, found by the UNIQUE index on user_id. */
    static const char all_sql[] = "SELECT " COLUMNS " FROM operating_devices"
                                  " WHERE system_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?4";
    static const char user_sql[] = "SELECT " COLUMNS " FROM operating_devices"
                                   " WHERE user_id = ?3 AND system_id = ?1 AND seq > ?2"
                                   " ORDER BY seq LIMIT ?4";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, user_id != NULL ? user_sql : all_sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    if (user_id != NULL)
        sqlite3_bind_text(s, 3, user_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cap);
    return db_read_rows(s, read_device, rows, cap, n);
}

enum status store_operating_device_list_of_user(struct db *db, const char *system_id,
                                                const char *user_id,
                                                struct operating_device_row *rows, size_t cap,
                                                size_t *n)
{
    assert(user_id != NULL);
    return store_operating_device_list(db, system_id, user_id, 0, rows, cap, n);
}

enum status store_operating_device_activate(struct db *db, const char *system_id, const char *id,
                                            int64_t now)
{
    static const char sql[] =
        "UPDATE operating_devices SET activated_at = ?3 WHERE system_id = ?1 AND id = ?2";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now);
    return db_exec_one(db, s);
}

enum status store_operating_device_delete(struct db *db, const char *system_id, const char *id)
{
    static const char sql[] = "DELETE FROM operating_devices WHERE system_id = ?1 AND id = ?2";
    return db_exec_scoped(db, sql, system_id, id);
}

static void read_phone(sqlite3_stmt *s, void *rows, size_t i)
{
    struct phone_row *r = (struct phone_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->user_id, sizeof(r->user_id));
    db_column_copy(s, 2, r->role, sizeof(r->role));
    db_column_copy(s, 3, r->device_id, sizeof(r->device_id));
    r->activated_at = sqlite3_column_int64(s, 4);
    db_column_copy(s, 5, r->invitation_id, sizeof(r->invitation_id));
    r->invitation_expires_at = sqlite3_column_int64(s, 6);
    r->legacy = sqlite3_column_int(s, 7);
    r->online = sqlite3_column_int(s, 8);
}

enum status store_phone_list(struct db *db, const char *system_id, int64_t now, int64_t after_seq,
                             struct phone_row *rows, size_t cap, size_t *n)
{
    static const char sql[] =
        "SELECT u.seq, u.id, u.role, d.id, d.activated_at, i.id, i.expires_at,"
        " coalesce(d.legacy, 0), coalesce(n.online, 1) FROM users u"
        " LEFT JOIN operating_devices d ON d.user_id = u.id"
        " LEFT JOIN phone_networks n ON n.operating_device_id = d.id"
        " LEFT JOIN operating_device_invitations i ON i.seq = (SELECT max(seq) FROM"
        "   operating_device_invitations WHERE user_id = u.id AND state = 'PENDING'"
        "   AND expires_at > ?4)"
        " WHERE u.system_id = ?1 AND u.seq > ?2 ORDER BY u.seq LIMIT ?3";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)cap);
    sqlite3_bind_int64(s, 4, now);
    return db_read_rows(s, read_phone, rows, cap, n);
}
