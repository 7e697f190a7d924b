#include "store/operating_keys.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS                                                                                    \
    "seq, operating_device_id, locking_device_id, permission_id, operation_type,"                  \
    " permission_type, weekdays, intervals, permission_start, permission_end, valid_until,"        \
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

/* What every statement of a sync binds: ?1 the phone, ?2 its user, ?3 now, ?4 the system
 * (a statement that names fewer ignores the rest). */
struct sync_args {
    const char *phone, *user, *system;
    int64_t now;
};

static enum status prepare_sync(struct db *db, const char *sql, const struct sync_args *a,
                                sqlite3_stmt **s)
{
    enum status st = db_prepare(db, sql, s);

    if (st == ST_OK) {
        sqlite3_bind_text(*s, 1, a->phone, -1, SQLITE_STATIC);
        sqlite3_bind_text(*s, 2, a->user, -1, SQLITE_STATIC);
        sqlite3_bind_int64(*s, 3, a->now);
        sqlite3_bind_text(*s, 4, a->system, -1, SQLITE_STATIC);
    }
    return st;
}

static enum status run_sync(struct db *db, const char *sql, const struct sync_args *a, int *changes)
{
    sqlite3_stmt *s;
    enum status st = prepare_sync(db, sql, a, &s);

    return st == ST_OK ? db_exec_stmt(db, s, changes) : st;
}

/* Whether the phone's keys copy the system's permissions as they are now (migration 014)
 * and none of those permissions has ended: then a sync need only renew the keys. One pass
 * over the phone's few keys; a phone without keys (NULL) downloads. */
static enum status keys_current(struct db *db, const struct sync_args *a, int *current)
{
    static const char sql[] =
        "SELECT min(permissions_version = (SELECT version FROM permission_versions"
        " WHERE system_id = ?4) AND permission_end > ?3)"
        " FROM operating_keys WHERE operating_device_id = ?1";
    sqlite3_stmt *s;
    enum status st = prepare_sync(db, sql, a, &s);

    return st == ST_OK ? db_read_one(s, db_row_int, current) : st;
}

/* The copy happens inside SQLite, not through a row read and a row written per key. The
 * unary + keeps the planner off permissions_by_end, which would visit every permission of
 * the system and sort them: a user has a few. */
static enum status download_all(struct db *db, const struct sync_args *a, int *count)
{
    static const char clear[] = "DELETE FROM operating_keys WHERE operating_device_id = ?1";
    static const char copy[] =
        "INSERT INTO operating_keys (operating_device_id, locking_device_id, permission_id,"
        " operation_type, permission_type, weekdays, intervals, permission_start,"
        " permission_end, valid_until, downloaded_at, validity_seconds, permissions_version)"
        " SELECT ?1, locking_device_id, id, operation_type, permission_type,"
        " NULLIF(weekdays, ''), NULLIF(intervals, ''), start_at, end_at,"
        " min(?3 + operating_key_validity_seconds, end_at), ?3, operating_key_validity_seconds,"
        " coalesce((SELECT version FROM permission_versions WHERE system_id = ?4), 0)"
        " FROM permissions WHERE user_id = ?2 AND system_id = ?4 AND +end_at > ?3 ORDER BY seq";
    enum status st = run_sync(db, clear, a, NULL);

    return st == ST_OK ? run_sync(db, copy, a, count) : st;
}

/* What download_all() would write when no permission changed since the keys were copied
 * and none has ended: the same keys, each valid for its duration from now. */
static enum status renew(struct db *db, const struct sync_args *a, int *count)
{
    static const char sql[] =
        "UPDATE operating_keys SET valid_until = min(?3 + validity_seconds, permission_end),"
        " downloaded_at = ?3 WHERE operating_device_id = ?1";
    return run_sync(db, sql, a, count);
}

enum status store_operating_keys_download(struct db *db, const char *system_id,
                                          const char *operating_device_id, const char *user_id,
                                          int64_t now, int *count)
{
    const struct sync_args a = {operating_device_id, user_id, system_id, now};
    int current = 0;
    enum status st = keys_current(db, &a, &current);

    assert(db_in_transaction(db));
    *count = 0;
    if (st != ST_OK)
        return st;
    return current ? renew(db, &a, count) : download_all(db, &a, count);
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

enum status store_phone_network_set(struct db *db, const char *operating_device_id, int online)
{
    static const char sql[] = "INSERT OR REPLACE INTO phone_networks (operating_device_id, online)"
                              " VALUES (?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, operating_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, online != 0);
    return db_exec_stmt(db, s, NULL);
}

static void read_online(sqlite3_stmt *s, void *rows, size_t i)
{
    ((int *)rows)[i] = sqlite3_column_int(s, 0);
}

enum status store_phone_network_online(struct db *db, const char *operating_device_id, int *online)
{
    static const char sql[] = "SELECT online FROM phone_networks WHERE operating_device_id = ?";
    enum status st = db_get_by(db, sql, operating_device_id, read_online, online);

    if (st == ST_NOT_FOUND) { /* never switched: a phone has network */
        *online = 1;
        st = ST_OK;
    }
    return st;
}
