#include "store/users.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS "seq, id, system_id, role, access_key_hash, created_at"

static void read_user(sqlite3_stmt *s, void *rows, size_t i)
{
    struct user_row *r = (struct user_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->role, sizeof(r->role));
    db_column_copy(s, 4, r->access_key_hash, sizeof(r->access_key_hash));
    r->created_at = sqlite3_column_int64(s, 5);
}

enum status store_user_insert(struct db *db, const struct user_row *row)
{
    static const char sql[] = "INSERT INTO users (id, system_id, role, access_key_hash,"
                              " created_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->access_key_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_user_get(struct db *db, const char *system_id, const char *id,
                           struct user_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM users WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_user, out);
}

enum status store_user_find(struct db *db, const char *id, struct user_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM users WHERE id = ?";

    return db_get_by(db, sql, id, read_user, out);
}

enum status store_user_list(struct db *db, const char *system_id, int64_t after_seq,
                            struct user_row *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " COLUMNS " FROM users WHERE system_id = ?1 AND seq > ?2"
                              " ORDER BY seq LIMIT ?3";

    return db_list_page(db, sql, system_id, after_seq, read_user, rows, cap, n);
}

enum status store_user_delete(struct db *db, const char *system_id, const char *id)
{
    static const char sql[] = "DELETE FROM users WHERE system_id = ?1 AND id = ?2";
    return db_exec_scoped(db, sql, system_id, id);
}

enum status store_user_first_admin(struct db *db, const char *system_id, struct user_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM users WHERE system_id = ? AND"
                              " role = 'ADMIN' ORDER BY seq LIMIT 1";

    return db_get_by(db, sql, system_id, read_user, out);
}
