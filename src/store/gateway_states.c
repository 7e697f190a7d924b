#include "store/gateway_states.h"
#include "store/sql.h"

#include <assert.h>

enum status store_gateway_next_sequence(struct db *db, const char *serial, int64_t *out)
{
    static const char sql[] =
        "INSERT INTO gateway_states (serial_number, next_sequence) VALUES (?, 2)"
        " ON CONFLICT (serial_number) DO UPDATE SET next_sequence = next_sequence + 1"
        " RETURNING next_sequence - 1";
    sqlite3_stmt *s;
    enum status st;
    int rc;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : db_status(rc);
}

enum status store_gateway_power_set(struct db *db, const char *serial, int powered)
{
    static const char sql[] =
        "INSERT INTO gateway_states (serial_number, powered) VALUES (?, ?)"
        " ON CONFLICT (serial_number) DO UPDATE SET powered = excluded.powered";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, powered != 0);
    return db_exec_stmt(db, s, NULL);
}

static void read_powered(sqlite3_stmt *s, void *rows, size_t i)
{
    ((int *)rows)[i] = sqlite3_column_int(s, 0);
}

enum status store_gateway_powered(struct db *db, const char *serial, int *powered)
{
    static const char sql[] = "SELECT powered FROM gateway_states WHERE serial_number = ?";
    enum status st = db_get_by(db, sql, serial, read_powered, powered);

    if (st == ST_NOT_FOUND) { /* a gateway that never logged has never been unplugged */
        *powered = 1;
        st = ST_OK;
    }
    return st;
}
