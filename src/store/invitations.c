#include "store/invitations.h"
#include "store/sql.h"

#include <assert.h>

#define COLUMNS                                                                                    \
    "seq, id, system_id, user_id, validity_duration, expires_at, delivery_mechanism,"              \
    " phone_number, email, format, invitation_code, state, operating_device_id, created_at,"       \
    " accepted_at"

static void read_invitation(sqlite3_stmt *s, void *rows, size_t i)
{
    struct invitation_row *r = (struct invitation_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->user_id, sizeof(r->user_id));
    db_column_copy(s, 4, r->validity_duration, sizeof(r->validity_duration));
    r->expires_at = sqlite3_column_int64(s, 5);
    db_column_copy(s, 6, r->delivery_mechanism, sizeof(r->delivery_mechanism));
    db_column_copy(s, 7, r->phone_number, sizeof(r->phone_number));
    db_column_copy(s, 8, r->email, sizeof(r->email));
    db_column_copy(s, 9, r->format, sizeof(r->format));
    db_column_copy(s, 10, r->invitation_code, sizeof(r->invitation_code));
    db_column_copy(s, 11, r->state, sizeof(r->state));
    db_column_copy(s, 12, r->operating_device_id, sizeof(r->operating_device_id));
    r->created_at = sqlite3_column_int64(s, 13);
    r->accepted_at = sqlite3_column_int64(s, 14);
}

enum status store_invitation_insert(struct db *db, const struct invitation_row *row)
{
    static const char sql[] =
        "INSERT INTO operating_device_invitations (id, system_id, user_id, validity_duration,"
        " expires_at, delivery_mechanism, phone_number, email, format, invitation_code,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->user_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, row->validity_duration, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, row->expires_at);
    sqlite3_bind_text(s, 6, row->delivery_mechanism, -1, SQLITE_STATIC);
    db_bind_text_or_null(s, 7, row->phone_number);
    db_bind_text_or_null(s, 8, row->email);
    sqlite3_bind_text(s, 9, row->format, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 10, row->invitation_code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 11, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_invitation_get(struct db *db, const char *system_id, const char *id,
                                 struct invitation_row *out)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM operating_device_invitations WHERE system_id = ?1 AND id = ?2";
    return db_get_scoped(db, sql, system_id, id, read_invitation, out);
}

/* One unscoped lookup by a unique column; sql binds ?1 = the value. */
static enum status find_one(struct db *db, const char *sql, const char *value,
                            struct invitation_row *out)
{
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
    return db_read_one(s, read_invitation, out);
}

enum status store_invitation_find_by_id(struct db *db, const char *id, struct invitation_row *out)
{
    static const char sql[] = "SELECT " COLUMNS " FROM operating_device_invitations WHERE id = ?1";
    return find_one(db, sql, id, out);
}

enum status store_invitation_find_by_code(struct db *db, const char *code,
                                          struct invitation_row *out)
{
    static const char sql[] =
        "SELECT " COLUMNS " FROM operating_device_invitations WHERE invitation_code = ?1";
    return find_one(db, sql, code, out);
}

enum status store_invitation_revoke(struct db *db, const char *system_id, const char *id)
{
    static const char sql[] = "UPDATE operating_device_invitations SET state = 'REVOKED'"
                              " WHERE system_id = ?1 AND id = ?2";
    assert(db_in_transaction(db));
    return db_exec_scoped(db, sql, system_id, id);
}

enum status store_invitation_accept(struct db *db, const char *system_id, const char *id,
                                    const char *operating_device_id, int64_t now)
{
    static const char sql[] = "UPDATE operating_device_invitations SET state = 'ACCEPTED',"
                              " operating_device_id = ?3, accepted_at = ?4"
                              " WHERE system_id = ?1 AND id = ?2";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, operating_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, now);
    return db_exec_one(db, s);
}
