#include "store/autopilots.h"
#include "store/sql.h"

#include <assert.h>

static void read_autopilot(sqlite3_stmt *s, void *rows, size_t i)
{
    struct autopilot_row *r = (struct autopilot_row *)rows + i;

    r->enabled = sqlite3_column_int(s, 0);
    r->opens_per_user_per_day = sqlite3_column_double(s, 1);
    r->battery_events_per_month = sqlite3_column_double(s, 2);
}

enum status store_autopilot_put(struct db *db, const char *system_id,
                                const struct autopilot_row *row)
{
    static const char sql[] = "INSERT OR REPLACE INTO autopilots (system_id, enabled,"
                              " opens_per_user_per_day, battery_events_per_month)"
                              " VALUES (?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, row->enabled);
    sqlite3_bind_double(s, 3, row->opens_per_user_per_day);
    sqlite3_bind_double(s, 4, row->battery_events_per_month);
    return db_exec_stmt(db, s, NULL);
}

enum status store_autopilot_get(struct db *db, const char *system_id, struct autopilot_row *out)
{
    static const char sql[] = "SELECT enabled, opens_per_user_per_day, battery_events_per_month"
                              " FROM autopilots WHERE system_id = ?1";

    return db_get_by(db, sql, system_id, read_autopilot, out);
}
