#include "store/settings.h"
#include "store/sql.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

enum status store_setting_get(struct db *db, const char *key, unsigned char **out, size_t *len)
{
    static const char sql[] = "SELECT value FROM settings WHERE key = ?";
    sqlite3_stmt *s;
    enum status st;
    int rc;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int n = sqlite3_column_bytes(s, 0);
        unsigned char *copy = malloc((size_t)n + 1);
        if (copy == NULL) {
            st = ST_NOMEM;
        } else {
            memcpy(copy, sqlite3_column_blob(s, 0), (size_t)n);
            copy[n] = '\0';
            *out = copy;
            *len = (size_t)n;
        }
    } else {
        st = rc == SQLITE_DONE ? ST_NOT_FOUND : db_status(rc);
    }
    sqlite3_reset(s);
    return st;
}

enum status store_setting_put_once(struct db *db, const char *key, const void *value, size_t len)
{
    static const char sql[] = "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, value, (int)len, SQLITE_STATIC);
    return db_exec_stmt(db, s, NULL);
}
