#include "store/offline_keys.h"
#include "store/sql.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define COLUMNS                                                                                    \
    "seq, id, system_id, issuer_user_id, operating_device_id, locking_device_id, start_at,"        \
    " end_at, issued_at, delivery_mechanism, alternative_key_id"

static void read_offline_key(sqlite3_stmt *s, void *rows, size_t i)
{
    struct offline_key_row *r = (struct offline_key_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->issuer_user_id, sizeof(r->issuer_user_id));
    db_column_copy(s, 4, r->operating_device_id, sizeof(r->operating_device_id));
    db_column_copy(s, 5, r->locking_device_id, sizeof(r->locking_device_id));
    r->start_at = sqlite3_column_int64(s, 6);
    r->end_at = sqlite3_column_int64(s, 7);
    r->issued_at = sqlite3_column_int64(s, 8);
    db_column_copy(s, 9, r->delivery_mechanism, sizeof(r->delivery_mechanism));
    db_column_copy(s, 10, r->alternative_key_id, sizeof(r->alternative_key_id));
}

enum status store_offline_key_insert(struct db *db, const struct offline_key_row *row)
{
    static const char sql[] =
        "INSERT INTO offline_keys (id, system_id, issuer_user_id, operating_device_id,"
        " locking_device_id, start_at, end_at, issued_at, delivery_mechanism,"
        " alternative_key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->issuer_user_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->operating_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, row->locking_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, row->start_at);
    sqlite3_bind_int64(s, 7, row->end_at);
    sqlite3_bind_int64(s, 8, row->issued_at);
    sqlite3_bind_text(s, 9, row->delivery_mechanism, -1, SQLITE_STATIC);
    db_bind_text_or_null(s, 10, row->alternative_key_id);
    return db_exec_stmt(db, s, NULL);
}

enum status store_offline_key_get(struct db *db, const char *system_id, const char *key_id,
                                  struct offline_key_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM offline_keys WHERE system_id = ?1"
                              " AND (id = ?2 OR alternative_key_id = ?2)";
    return db_get_scoped(db, sql, system_id, key_id, read_offline_key, out);
}

enum status store_offline_key_list(struct db *db, const char *system_id, int64_t after_seq,
                                   struct offline_key_row *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " COLUMNS " FROM offline_keys WHERE system_id = ?1"
                              " AND seq > ?2 ORDER BY seq LIMIT ?3";

    return db_list_page(db, sql, system_id, after_seq, read_offline_key, rows, cap, n);
}

static void read_nothing(sqlite3_stmt *s, void *rows, size_t i)
{
    (void)s;
    (void)rows;
    (void)i;
}

enum status store_offline_key_operating_device_exists(struct db *db, const char *system_id,
                                                      const char *id)
{
    static const char sql[] = "SELECT 1 FROM operating_devices WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_nothing, NULL);
}

static void read_pem(sqlite3_stmt *s, void *rows, size_t i)
{
    const unsigned char *text = sqlite3_column_text(s, 0);
    char **out = rows;

    (void)i;
    *out = text != NULL ? strdup((const char *)text) : NULL;
}

enum status store_system_key_get(struct db *db, const char *system_id, char **out_pem)
{
    static const char sql[] = "SELECT private_pem FROM system_keys WHERE system_id = ?";
    sqlite3_stmt *s;
    enum status st;

    *out_pem = NULL;
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    st = db_read_one(s, read_pem, out_pem);
    return st == ST_OK && *out_pem == NULL ? ST_NOMEM : st;
}

enum status store_system_key_insert(struct db *db, const char *system_id, const char *pem)
{
    static const char sql[] = "INSERT INTO system_keys (system_id, private_pem) VALUES (?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, pem, -1, SQLITE_STATIC);
    return db_exec_stmt(db, s, NULL);
}
