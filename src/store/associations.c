#include "store/associations.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS "seq, id, system_id, gateway_device_id, locking_device_id, created_at"

static void read_association(sqlite3_stmt *s, void *rows, size_t i)
{
    struct association_row *r = (struct association_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->gateway_device_id, sizeof(r->gateway_device_id));
    db_column_copy(s, 4, r->locking_device_id, sizeof(r->locking_device_id));
    r->created_at = sqlite3_column_int64(s, 5);
}

enum status store_association_insert(struct db *db, const struct association_row *row)
{
    static const char sql[] =
        "INSERT INTO gateway_device_associations (id, system_id, gateway_device_id,"
        " locking_device_id, created_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->gateway_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->locking_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_association_get(struct db *db, const char *system_id, const char *id,
                                  struct association_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM gateway_device_associations"
                              " WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_association, out);
}

enum status store_association_find(struct db *db, const char *system_id,
                                   const char *gateway_device_id, const char *locking_device_id,
                                   struct association_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM gateway_device_associations"
                              " WHERE system_id = ?1 AND gateway_device_id = ?2"
                              " AND locking_device_id = ?3";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, gateway_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, locking_device_id, -1, SQLITE_STATIC);
    return db_read_one(s, read_association, out);
}

enum status store_association_count(struct db *db, const char *system_id,
                                    const char *gateway_device_id, int64_t *count)
{
    static const char sql[] = "SELECT count(*) FROM gateway_device_associations"
                              " WHERE system_id = ?1 AND gateway_device_id = ?2";
    return db_get_scoped(db, sql, system_id, gateway_device_id, db_row_int64, count);
}

enum status store_association_list(struct db *db, const char *system_id,
                                   const struct association_filter *filter, int64_t after_seq,
                                   struct association_row *rows, size_t cap, size_t *n)
{
    /* One statement per shape (the store plans each once, whatever gets bound); a gateway
     * has at most six associations, found by its UNIQUE (gateway, lock) index and sorted
     * (the unary + keeps the planner off the system's index, which would read them all). */
    static const char all_sql[] = "SELECT " COLUMNS " FROM gateway_device_associations"
                                  " WHERE system_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?4";
    static const char gateway_sql[] = "SELECT " COLUMNS " FROM gateway_device_associations"
                                      " WHERE gateway_device_id = ?3 AND +system_id = ?1"
                                      " AND +seq > ?2 ORDER BY seq LIMIT ?4";
    int by_gateway = filter->gateway_device_id != NULL && filter->gateway_device_id[0] != '\0';
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, by_gateway ? gateway_sql : all_sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    db_bind_text_or_null(s, 3, filter->gateway_device_id);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cap);
    return db_read_rows(s, read_association, rows, cap, n);
}

enum status store_association_delete(struct db *db, const char *system_id, const char *id)
{
    static const char sql[] =
        "DELETE FROM gateway_device_associations WHERE system_id = ?1 AND id = ?2";
    return db_exec_scoped(db, sql, system_id, id);
}
