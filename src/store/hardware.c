#include "store/hardware.h"
#include "store/sql.h"

#include <assert.h>

#define LOCKING_COLUMNS                                                                            \
    "seq, serial_number, hardware_model, hardware_version, firmware_version, created_at"

/* The claim comes from gateway_devices by serial, so it can never disagree with it. */
#define GATEWAY_SELECT                                                                             \
    "SELECT h.seq, h.serial_number, h.claiming_code, h.hardware_model, h.hardware_version,"        \
    " h.firmware_version, h.created_at, g.system_id, g.id"                                         \
    " FROM hardware_gateway_devices h"                                                             \
    " LEFT JOIN gateway_devices g ON g.serial_number = h.serial_number"

static void read_locking(sqlite3_stmt *s, void *rows, size_t i)
{
    struct hardware_locking_device_row *r = (struct hardware_locking_device_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->serial_number, sizeof(r->serial_number));
    db_column_copy(s, 2, r->hardware_model, sizeof(r->hardware_model));
    db_column_copy(s, 3, r->hardware_version, sizeof(r->hardware_version));
    db_column_copy(s, 4, r->firmware_version, sizeof(r->firmware_version));
    r->created_at = sqlite3_column_int64(s, 5);
}

static void read_gateway(sqlite3_stmt *s, void *rows, size_t i)
{
    struct hardware_gateway_device_row *r = (struct hardware_gateway_device_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->serial_number, sizeof(r->serial_number));
    db_column_copy(s, 2, r->claiming_code, sizeof(r->claiming_code));
    db_column_copy(s, 3, r->hardware_model, sizeof(r->hardware_model));
    db_column_copy(s, 4, r->hardware_version, sizeof(r->hardware_version));
    db_column_copy(s, 5, r->firmware_version, sizeof(r->firmware_version));
    r->created_at = sqlite3_column_int64(s, 6);
    db_column_copy(s, 7, r->claimed_system_id, sizeof(r->claimed_system_id));
    db_column_copy(s, 8, r->claimed_gateway_id, sizeof(r->claimed_gateway_id));
}

enum status store_hardware_locking_insert(struct db *db,
                                          const struct hardware_locking_device_row *row)
{
    static const char sql[] =
        "INSERT INTO hardware_locking_devices (serial_number, hardware_model,"
        " hardware_version, firmware_version, created_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->serial_number, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->hardware_model, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->hardware_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->firmware_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_hardware_locking_get(struct db *db, const char *serial,
                                       struct hardware_locking_device_row *out)
{
    static const char sql[] =
        "SELECT " LOCKING_COLUMNS " FROM hardware_locking_devices WHERE serial_number = ?1";
    return db_get_by(db, sql, serial, read_locking, out);
}

enum status store_hardware_gateway_insert(struct db *db,
                                          const struct hardware_gateway_device_row *row)
{
    static const char sql[] =
        "INSERT INTO hardware_gateway_devices (serial_number, claiming_code, hardware_model,"
        " hardware_version, firmware_version, created_at) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->serial_number, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->claiming_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->hardware_model, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->hardware_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, row->firmware_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_hardware_gateway_get(struct db *db, const char *serial,
                                       struct hardware_gateway_device_row *out)
{
    static const char sql[] = GATEWAY_SELECT " WHERE h.serial_number = ?1";
    return db_get_by(db, sql, serial, read_gateway, out);
}

enum status store_hardware_gateway_find_code(struct db *db, const char *code,
                                             struct hardware_gateway_device_row *out)
{
    static const char sql[] = GATEWAY_SELECT " WHERE h.claiming_code = ?1";
    return db_get_by(db, sql, code, read_gateway, out);
}
