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
