#include "store/locking_devices.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS                                                                                    \
    "seq, id, system_id, name, claiming_status, serial_number, hardware_model,"                    \
    " hardware_version, firmware_version, op_cert_expiration, op_cert_eligible,"                   \
    " op_cert_revoked, mfg_cert_expiration, mfg_cert_eligible, mfg_cert_revoked, created_at"

static void read_cert(sqlite3_stmt *s, int first, struct cert_state *c)
{
    c->expiration = sqlite3_column_int64(s, first);
    c->eligible = sqlite3_column_int(s, first + 1);
    c->revoked = sqlite3_column_int(s, first + 2);
}

static void read_device(sqlite3_stmt *s, void *rows, size_t i)
{
    struct locking_device_row *r = (struct locking_device_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->name, sizeof(r->name));
    db_column_copy(s, 4, r->claiming_status, sizeof(r->claiming_status));
    db_column_copy(s, 5, r->serial_number, sizeof(r->serial_number));
    db_column_copy(s, 6, r->hardware_model, sizeof(r->hardware_model));
    db_column_copy(s, 7, r->hardware_version, sizeof(r->hardware_version));
    db_column_copy(s, 8, r->firmware_version, sizeof(r->firmware_version));
    read_cert(s, 9, &r->operational);
    read_cert(s, 12, &r->manufacturing);
    r->created_at = sqlite3_column_int64(s, 15);
}

enum status store_locking_device_insert(struct db *db, const struct locking_device_row *row)
{
    static const char sql[] =
        "INSERT INTO locking_devices (id, system_id, name, claiming_status, serial_number,"
        " hardware_model, hardware_version, firmware_version, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->claiming_status, -1, SQLITE_STATIC);
    db_bind_text_or_null(s, 5, row->serial_number);
    db_bind_text_or_null(s, 6, row->hardware_model);
    db_bind_text_or_null(s, 7, row->hardware_version);
    db_bind_text_or_null(s, 8, row->firmware_version);
    sqlite3_bind_int64(s, 9, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_locking_device_get(struct db *db, const char *system_id, const char *id,
                                     struct locking_device_row *out)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM locking_devices WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_device, out);
}

/* A visit needs one column of the row: reading all sixteen cost more than the lookup. */
static void read_offered(sqlite3_stmt *s, void *out, size_t i)
{
    int *offered = out;

    (void)i;
    offered[0] = sqlite3_column_int(s, 0);
    offered[1] = sqlite3_column_int(s, 1);
}

enum status store_locking_device_rekeying_offered(struct db *db, const char *system_id,
                                                  const char *id, int offered[2])
{
    static const char sql[] = "SELECT op_cert_eligible, mfg_cert_eligible FROM locking_devices"
                              " WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_offered, offered);
}

enum status store_locking_device_find(struct db *db, const char *id, struct locking_device_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM locking_devices WHERE id = ?1";

    return db_get_by(db, sql, id, read_device, out);
}

enum status store_locking_device_list(struct db *db, const char *system_id,
                                      const struct locking_device_filter *filter, int64_t after_seq,
                                      struct locking_device_row *rows, size_t cap, size_t *n)
{
    /* One statement per filter combination: the store plans each statement once, whatever
     * gets bound (SQLITE_DBCONFIG_ENABLE_QPSG), so a "?3 IS NULL OR ..." term could never
     * pick an index. A serial number names at most a lock or two, whatever the status. */
    static const char all_sql[] = "SELECT " COLUMNS " FROM locking_devices"
                                  " WHERE system_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?5";
    static const char status_sql[] = "SELECT " COLUMNS " FROM locking_devices"
                                     " WHERE system_id = ?1 AND claiming_status = ?3"
                                     " AND seq > ?2 ORDER BY seq LIMIT ?5";
    static const char serial_sql[] = "SELECT " COLUMNS " FROM locking_devices"
                                     " WHERE system_id = ?1 AND serial_number = ?4"
                                     " AND (?3 IS NULL OR claiming_status = ?3)"
                                     " AND seq > ?2 ORDER BY seq LIMIT ?5";
    int by_status = filter->claiming_status != NULL && filter->claiming_status[0] != '\0';
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db,
                         filter->serial_number != NULL ? serial_sql
                         : by_status                   ? status_sql
                                                       : all_sql,
                         &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    db_bind_text_or_null(s, 3, filter->claiming_status);
    if (filter->serial_number != NULL) /* an empty serial matches nothing, not everything */
        sqlite3_bind_text(s, 4, filter->serial_number, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, (sqlite3_int64)cap);
    return db_read_rows(s, read_device, rows, cap, n);
}

enum status store_locking_device_rename(struct db *db, const char *system_id, const char *id,
                                        const char *name)
{
    static const char sql[] =
        "UPDATE locking_devices SET name = ?3 WHERE system_id = ?1 AND id = ?2";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
    return db_exec_one(db, s);
}

enum status store_locking_device_claim(struct db *db, const struct locking_device_row *d)
{
    static const char sql[] =
        "UPDATE locking_devices SET claiming_status = 'CLAIMED', serial_number = ?3,"
        " hardware_model = ?4, hardware_version = ?5, firmware_version = ?6,"
        " op_cert_expiration = ?7, op_cert_eligible = 0, op_cert_revoked = 0,"
        " mfg_cert_expiration = ?8, mfg_cert_eligible = 0, mfg_cert_revoked = 0"
        " WHERE system_id = ?1 AND id = ?2 AND claiming_status = 'UNCLAIMED'";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, d->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, d->serial_number, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, d->hardware_model, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, d->hardware_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, d->firmware_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, d->operational.expiration);
    sqlite3_bind_int64(s, 8, d->manufacturing.expiration);
    st = db_exec_one(db, s);
    return st == ST_NOT_FOUND ? ST_CONFLICT : st;
}

enum status store_locking_device_set_certificate(struct db *db, const char *system_id,
                                                 const char *id, const char *profile,
                                                 const struct cert_state *c)
{
    static const char op_sql[] =
        "UPDATE locking_devices SET op_cert_expiration = ?3, op_cert_eligible = ?4,"
        " op_cert_revoked = ?5 WHERE system_id = ?1 AND id = ?2";
    static const char mfg_sql[] =
        "UPDATE locking_devices SET mfg_cert_expiration = ?3, mfg_cert_eligible = ?4,"
        " mfg_cert_revoked = ?5 WHERE system_id = ?1 AND id = ?2";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    st = db_prepare(db, profile[0] == 'O' ? op_sql : mfg_sql, &s);
    if (st != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, c->expiration);
    sqlite3_bind_int(s, 4, c->eligible);
    sqlite3_bind_int(s, 5, c->revoked);
    return db_exec_one(db, s);
}

enum status store_locking_device_delete(struct db *db, const char *system_id, const char *id)
{
    static const char sql[] = "DELETE FROM locking_devices WHERE system_id = ?1 AND id = ?2";
    return db_exec_scoped(db, sql, system_id, id);
}
