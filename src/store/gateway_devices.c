#include "store/gateway_devices.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS                                                                                    \
    "seq, id, system_id, serial_number, activation_status, hardware_model,"                        \
    " hardware_version, firmware_version, created_at, activated_at"

static void read_gateway(sqlite3_stmt *s, void *rows, size_t i)
{
    struct gateway_device_row *r = (struct gateway_device_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->serial_number, sizeof(r->serial_number));
    db_column_copy(s, 4, r->activation_status, sizeof(r->activation_status));
    db_column_copy(s, 5, r->hardware_model, sizeof(r->hardware_model));
    db_column_copy(s, 6, r->hardware_version, sizeof(r->hardware_version));
    db_column_copy(s, 7, r->firmware_version, sizeof(r->firmware_version));
    r->created_at = sqlite3_column_int64(s, 8);
    r->activated_at = sqlite3_column_int64(s, 9);
}

enum status store_gateway_device_insert(struct db *db, const struct gateway_device_row *row)
{
    static const char sql[] = "INSERT INTO gateway_devices (id, system_id, serial_number,"
                              " activation_status, created_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->serial_number, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, GATEWAY_PENDING, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_gateway_device_get(struct db *db, const char *system_id, const char *id,
                                     struct gateway_device_row *out)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM gateway_devices WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_gateway, out);
}

enum status store_gateway_device_find(struct db *db, const char *id, struct gateway_device_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM gateway_devices WHERE id = ?1";

    return db_get_by(db, sql, id, read_gateway, out);
}

enum status store_gateway_device_list(struct db *db, const char *system_id, int64_t after_seq,
                                      struct gateway_device_row *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " COLUMNS " FROM gateway_devices"
                              " WHERE system_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";

    return db_list_page(db, sql, system_id, after_seq, read_gateway, rows, cap, n);
}

enum status store_gateway_device_delete(struct db *db, const char *system_id, const char *id)
{
    static const char sql[] = "DELETE FROM gateway_devices WHERE system_id = ?1 AND id = ?2";
    return db_exec_scoped(db, sql, system_id, id);
}

enum status store_gateway_device_activate(struct db *db, const char *system_id, const char *id,
                                          int64_t activated_at)
{
    /* The model and versions are what the physical gateway reports when it comes up. */
    static const char sql[] =
        "UPDATE gateway_devices SET activation_status = '" GATEWAY_ACTIVATED "',"
        " activated_at = ?3, hardware_model = h.hardware_model,"
        " hardware_version = h.hardware_version, firmware_version = h.firmware_version"
        " FROM hardware_gateway_devices h"
        " WHERE h.serial_number = gateway_devices.serial_number"
        " AND gateway_devices.system_id = ?1 AND gateway_devices.id = ?2"
        " AND gateway_devices.activation_status = '" GATEWAY_PENDING "'";
    struct gateway_device_row current;
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = store_gateway_device_get(db, system_id, id, &current)) != ST_OK)
        return st;
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, activated_at);
    st = db_exec_one(db, s);
    return st == ST_NOT_FOUND ? ST_CONFLICT : st; /* it exists, so it was not pending */
}
