#include "store/lock_states.h"

#include <assert.h>
#include <string.h>

#include "lib/text.h"
#include "store/sql.h"

/* A lock's small state (lock_states) and, apart from it since migration 011, its PEM texts
 * (lock_keys): a visit reads the first on every session, the second only when re-keying.
 * Each profile re-keys on its own (migration 018 added the manufacturing columns). */
#define BRIEF_COLUMNS                                                                              \
    "serial_number, op_not_after, mfg_not_after, op_lifetime, mfg_lifetime,"                       \
    " eligibility_window, system_id, locking_device_id, rekey_stage, rekey_carrier,"               \
    " mfg_rekey_stage, mfg_rekey_carrier"
#define KEY_COLUMNS                                                                                \
    "op_key_pem, op_cert_pem, mfg_key_pem, mfg_cert_pem, rekey_key_pem, rekey_csr_pem,"            \
    " rekey_cert_pem, mfg_rekey_key_pem, mfg_rekey_csr_pem, mfg_rekey_cert_pem"
/* What the control API sets on a physical lock (schema/017): read with the brief columns,
 * written only by store_lock_condition_set(). */
#define CONDITION_COLUMNS "battery, in_gateway_range"
#define FULL_SELECT                                                                                \
    "SELECT s.serial_number, s.op_not_after, s.mfg_not_after, s.op_lifetime, s.mfg_lifetime,"      \
    " s.eligibility_window, s.system_id, s.locking_device_id, s.rekey_stage, s.rekey_carrier,"     \
    " s.mfg_rekey_stage, s.mfg_rekey_carrier,"                                                     \
    " k.op_key_pem, k.op_cert_pem, k.mfg_key_pem, k.mfg_cert_pem, k.rekey_key_pem,"                \
    " k.rekey_csr_pem, k.rekey_cert_pem, k.mfg_rekey_key_pem, k.mfg_rekey_csr_pem,"                \
    " k.mfg_rekey_cert_pem, s.battery, s.in_gateway_range"                                         \
    " FROM lock_states s JOIN lock_keys k ON k.serial_number = s.serial_number"
#define BRIEF_COUNT 12

#define HAND_OVER_BATCH 32

#define PENDING_COLUMNS                                                                            \
    "seq, serial_number, holder, kind, event_name, occurred_at, sequence_number, client_type,"     \
    " operating_device_id, user_id, gateway_device_id, remote_command_id, granted"

/* BRIEF_COLUMNS as columns 0..BRIEF_COUNT-1. */
static void read_small(sqlite3_stmt *s, struct lock_state *r)
{

    db_column_copy(s, 0, r->serial_number, sizeof(r->serial_number));
    r->cert[CERT_OPERATIONAL].not_after = sqlite3_column_int64(s, 1);
    r->cert[CERT_MANUFACTURING].not_after = sqlite3_column_int64(s, 2);
    r->lifetimes.operational = sqlite3_column_int64(s, 3);
    r->lifetimes.manufacturing = sqlite3_column_int64(s, 4);
    r->lifetimes.eligibility_window = sqlite3_column_int64(s, 5);
    db_column_copy(s, 6, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 7, r->locking_device_id, sizeof(r->locking_device_id));
    for (int p = 0; p < CERT_PROFILES; p++) {
        struct lock_rekeying *k = &r->rekey[p];
        db_column_copy(s, 8 + 2 * p, k->stage, sizeof(k->stage));
        db_column_copy(s, 9 + 2 * p, k->carrier, sizeof(k->carrier));
        k->key_pem[0] = k->csr_pem[0] = k->cert_pem[0] = '\0';
        r->cert[p].key_pem[0] = r->cert[p].cert_pem[0] = '\0';
    }
    r->has_pems = 0;
}

/* CONDITION_COLUMNS from column `first` on. */
static void read_condition(sqlite3_stmt *s, int first, struct lock_state *r)
{
    db_column_copy(s, first, r->battery, sizeof(r->battery));
    r->in_gateway_range = sqlite3_column_int(s, first + 1);
}

/* BRIEF_COLUMNS, then CONDITION_COLUMNS. */
static void read_brief(sqlite3_stmt *s, void *rows, size_t i)
{
    struct lock_state *r = (struct lock_state *)rows + i;

    read_small(s, r);
    read_condition(s, BRIEF_COUNT, r);
}

/* FULL_SELECT: the brief columns, the ten PEMs, then the condition. */
static void read_state(sqlite3_stmt *s, void *rows, size_t i)
{
    struct lock_state *r = (struct lock_state *)rows + i;

    read_small(s, r);
    for (int p = 0; p < CERT_PROFILES; p++) {
        struct lock_rekeying *k = &r->rekey[p];
        db_column_copy(s, BRIEF_COUNT + 2 * p, r->cert[p].key_pem, PEM_MAX);
        db_column_copy(s, BRIEF_COUNT + 2 * p + 1, r->cert[p].cert_pem, PEM_MAX);
        db_column_copy(s, BRIEF_COUNT + 4 + 3 * p, k->key_pem, PEM_MAX);
        db_column_copy(s, BRIEF_COUNT + 5 + 3 * p, k->csr_pem, PEM_MAX);
        db_column_copy(s, BRIEF_COUNT + 6 + 3 * p, k->cert_pem, PEM_MAX);
    }
    read_condition(s, BRIEF_COUNT + 10, r);
    r->has_pems = 1;
}

/* Binds BRIEF_COLUMNS as ?1..?12. */
static void bind_brief(sqlite3_stmt *s, const struct lock_state *r)
{
    sqlite3_bind_text(s, 1, r->serial_number, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, r->cert[CERT_OPERATIONAL].not_after);
    sqlite3_bind_int64(s, 3, r->cert[CERT_MANUFACTURING].not_after);
    sqlite3_bind_int64(s, 4, r->lifetimes.operational);
    sqlite3_bind_int64(s, 5, r->lifetimes.manufacturing);
    sqlite3_bind_int64(s, 6, r->lifetimes.eligibility_window);
    db_bind_text_or_null(s, 7, r->system_id);
    db_bind_text_or_null(s, 8, r->locking_device_id);
    for (int p = 0; p < CERT_PROFILES; p++) {
        const struct lock_rekeying *k = &r->rekey[p];
        sqlite3_bind_text(s, 9 + 2 * p, k->stage[0] ? k->stage : "NONE", -1, SQLITE_STATIC);
        db_bind_text_or_null(s, 10 + 2 * p, k->carrier);
    }
}

/* Binds the serial number as ?1 and KEY_COLUMNS as ?2..?11. */
static void bind_keys(sqlite3_stmt *s, const struct lock_state *r)
{
    sqlite3_bind_text(s, 1, r->serial_number, -1, SQLITE_STATIC);
    for (int p = 0; p < CERT_PROFILES; p++) {
        const struct lock_rekeying *k = &r->rekey[p];
        sqlite3_bind_text(s, 2 + 2 * p, r->cert[p].key_pem, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3 + 2 * p, r->cert[p].cert_pem, -1, SQLITE_STATIC);
        db_bind_text_or_null(s, 6 + 3 * p, k->key_pem);
        db_bind_text_or_null(s, 7 + 3 * p, k->csr_pem);
        db_bind_text_or_null(s, 8 + 3 * p, k->cert_pem);
    }
}

/* Runs sql with one of the binders above; ST_NOT_FOUND unless exactly one row changed. */
static enum status write_row(struct db *db, const char *sql,
                             void (*bind)(sqlite3_stmt *, const struct lock_state *),
                             const struct lock_state *r)
{
    sqlite3_stmt *s;
    enum status st = db_prepare(db, sql, &s);

    if (st != ST_OK)
        return st;
    bind(s, r);
    return db_exec_one(db, s);
}

/* The lock's log counter starts at 1, in its own narrow row (schema/009). */
static enum status insert_sequence(struct db *db, const char *serial)
{
    static const char sql[] = "INSERT INTO lock_sequences (serial_number) VALUES (?)";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
    return db_exec_stmt(db, s, NULL);
}

enum status store_lock_state_insert(struct db *db, const struct lock_state *r)
{
    static const char state_sql[] = "INSERT INTO lock_states (" BRIEF_COLUMNS ")"
                                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    static const char keys_sql[] = "INSERT INTO lock_keys (serial_number, " KEY_COLUMNS ")"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    enum status st;

    assert(db_in_transaction(db));
    st = write_row(db, state_sql, bind_brief, r);
    if (st == ST_OK)
        st = write_row(db, keys_sql, bind_keys, r);
    return st == ST_OK ? insert_sequence(db, r->serial_number) : st;
}

enum status store_lock_state_update(struct db *db, const struct lock_state *r)
{
    static const char state_sql[] =
        "UPDATE lock_states SET op_not_after = ?2, mfg_not_after = ?3, op_lifetime = ?4,"
        " mfg_lifetime = ?5, eligibility_window = ?6, system_id = ?7, locking_device_id = ?8,"
        " rekey_stage = ?9, rekey_carrier = ?10, mfg_rekey_stage = ?11, mfg_rekey_carrier = ?12"
        " WHERE serial_number = ?1";
    static const char keys_sql[] =
        "UPDATE lock_keys SET op_key_pem = ?2, op_cert_pem = ?3, mfg_key_pem = ?4,"
        " mfg_cert_pem = ?5, rekey_key_pem = ?6, rekey_csr_pem = ?7, rekey_cert_pem = ?8,"
        " mfg_rekey_key_pem = ?9, mfg_rekey_csr_pem = ?10, mfg_rekey_cert_pem = ?11"
        " WHERE serial_number = ?1";
    enum status st;

    assert(db_in_transaction(db));
    assert(r->has_pems);
    if (!r->has_pems)
        return ST_INTERNAL;
    st = write_row(db, state_sql, bind_brief, r);
    return st == ST_OK ? write_row(db, keys_sql, bind_keys, r) : st;
}

enum status store_lock_state_get(struct db *db, const char *serial, struct lock_state *out)
{
    static const char sql[] = FULL_SELECT " WHERE s.serial_number = ?";

    return db_get_by(db, sql, serial, read_state, out);
}

enum status store_lock_state_brief(struct db *db, const char *serial, struct lock_state *out)
{
    static const char sql[] =
        "SELECT " BRIEF_COLUMNS ", " CONDITION_COLUMNS " FROM lock_states WHERE serial_number = ?";

    return db_get_by(db, sql, serial, read_brief, out);
}

enum status store_lock_state_brief_of_device(struct db *db, const char *locking_device_id,
                                             struct lock_state *out)
{
    static const char sql[] = "SELECT " BRIEF_COLUMNS ", " CONDITION_COLUMNS
                              " FROM lock_states WHERE locking_device_id = ?";

    return db_get_by(db, sql, locking_device_id, read_brief, out);
}

enum status store_lock_states_carried_by(struct db *db, const char *operating_device_id,
                                         struct lock_state *rows, size_t cap, size_t *n)
{
    /* Every online sync asks, and a phone almost never carries a CSR. The OR of two indexes
     * on a WITHOUT ROWID table costs SQLite two temporary b-trees (the rows' keys, then the
     * ORDER BY), 11% of a clock advance's instructions when every answer was empty; two
     * seeks of the partial indexes say first whether there is anything to read. */
    static const char any_sql[] =
        "SELECT EXISTS (SELECT 1 FROM lock_states WHERE rekey_carrier = ?1)"
        " OR EXISTS (SELECT 1 FROM lock_states WHERE mfg_rekey_carrier = ?1)";
    static const char sql[] = FULL_SELECT " WHERE s.rekey_carrier = ?1 OR s.mfg_rekey_carrier = ?1"
                                          " ORDER BY s.serial_number LIMIT ?2";
    sqlite3_stmt *s;
    int any = 0;
    enum status st = db_get_by(db, any_sql, operating_device_id, db_row_int, &any);

    *n = 0;
    if (st != ST_OK || !any)
        return st;
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, operating_device_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)cap);
    return db_read_rows(s, read_state, rows, cap, n);
}

/* Read, then write: with UPDATE ... RETURNING SQLite builds a temporary b-tree for the
 * returned row on every entry. The caller holds the write transaction, so nothing can come
 * in between. */
static enum status next_sequence(struct db *db, const char *serial, int64_t *out)
{
    static const char read_sql[] =
        "SELECT next_sequence FROM lock_sequences WHERE serial_number = ?";
    static const char write_sql[] =
        "UPDATE lock_sequences SET next_sequence = ?2 WHERE serial_number = ?1";
    sqlite3_stmt *s;
    enum status st = db_get_by(db, read_sql, serial, db_row_int64, out);

    if (st != ST_OK || (st = db_prepare(db, write_sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, *out + 1);
    return db_exec_one(db, s);
}

enum status store_pending_number(struct db *db, struct pending_entry *e)
{
    assert(db_in_transaction(db));
    text_copy(e->holder, sizeof(e->holder), LOCK_HOLDER);
    e->seq = 0;
    return next_sequence(db, e->serial_number, &e->entry.sequence_number);
}

enum status store_pending_last_seq(struct db *db, int64_t *seq)
{
    static const char sql[] = "SELECT coalesce(max(seq), 0) FROM lock_pending_entries";
    sqlite3_stmt *s;
    size_t n = 0;
    enum status st;

    *seq = 0;
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    return db_read_rows(s, db_row_int64, seq, 1, &n);
}

enum status store_pending_append(struct db *db, struct pending_entry *e)
{
    static const char sql[] = "INSERT INTO lock_pending_entries (serial_number, holder, kind,"
                              " event_name, occurred_at, sequence_number, client_type,"
                              " operating_device_id, user_id, gateway_device_id,"
                              " remote_command_id, granted)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    struct lock_log_row *r = &e->entry;
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    text_copy(e->holder, sizeof(e->holder), LOCK_HOLDER);
    if ((st = next_sequence(db, e->serial_number, &r->sequence_number)) != ST_OK ||
        (st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, e->serial_number, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, e->holder, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->event_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, r->occurred_at);
    sqlite3_bind_int64(s, 6, r->sequence_number);
    db_bind_text_or_null(s, 7, r->client_type);
    db_bind_text_or_null(s, 8, r->operating_device_id);
    db_bind_text_or_null(s, 9, r->user_id);
    db_bind_text_or_null(s, 10, r->gateway_device_id);
    db_bind_text_or_null(s, 11, r->remote_command_id);
    if (r->granted < 0)
        sqlite3_bind_null(s, 12);
    else
        sqlite3_bind_int(s, 12, r->granted);
    st = db_exec_stmt(db, s, NULL);
    e->seq = sqlite3_last_insert_rowid(db_handle(db));
    return st;
}

static enum status move_entry(struct db *db, int64_t seq, const char *holder)
{
    static const char sql[] = "UPDATE lock_pending_entries SET holder = ?2 WHERE seq = ?1";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_int64(s, 1, seq);
    sqlite3_bind_text(s, 2, holder, -1, SQLITE_STATIC);
    return db_exec_stmt(db, s, NULL);
}

/* One UPDATE ... WHERE serial_number = ? AND holder = 'LOCK' would change the key of the
 * index it searches, so SQLite first collects the rows in a temporary b-tree, on every visit.
 * The lock holds few entries: list them, then move each by its seq. */
enum status store_pending_hand_over(struct db *db, const char *serial, const char *holder)
{
    static const char sql[] = "SELECT seq FROM lock_pending_entries"
                              " WHERE serial_number = ? AND holder = '" LOCK_HOLDER "'"
                              " ORDER BY seq LIMIT ?";
    int64_t seqs[HAND_OVER_BATCH];
    size_t n = 0;
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    do {
        if ((st = db_prepare(db, sql, &s)) != ST_OK)
            return st;
        sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, HAND_OVER_BATCH);
        st = db_read_rows(s, db_row_int64, seqs, HAND_OVER_BATCH, &n);
        for (size_t i = 0; st == ST_OK && i < n; i++)
            st = move_entry(db, seqs[i], holder);
    } while (st == ST_OK && n == HAND_OVER_BATCH); /* moved rows no longer match: go on */
    return st;
}

static void read_pending(sqlite3_stmt *s, void *rows, size_t i)
{
    struct pending_entry *p = (struct pending_entry *)rows + i;
    struct lock_log_row *r = &p->entry;

    p->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, p->serial_number, sizeof(p->serial_number));
    db_column_copy(s, 2, p->holder, sizeof(p->holder));
    db_column_copy(s, 3, r->kind, sizeof(r->kind));
    db_column_copy(s, 4, r->event_name, sizeof(r->event_name));
    r->occurred_at = sqlite3_column_int64(s, 5);
    r->sequence_number = sqlite3_column_int64(s, 6);
    db_column_copy(s, 7, r->client_type, sizeof(r->client_type));
    db_column_copy(s, 8, r->operating_device_id, sizeof(r->operating_device_id));
    db_column_copy(s, 9, r->user_id, sizeof(r->user_id));
    db_column_copy(s, 10, r->gateway_device_id, sizeof(r->gateway_device_id));
    db_column_copy(s, 11, r->remote_command_id, sizeof(r->remote_command_id));
    r->granted = sqlite3_column_type(s, 12) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 12);
}

enum status store_pending_list(struct db *db, const char *holder, int64_t after_seq,
                               struct pending_entry *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " PENDING_COLUMNS " FROM lock_pending_entries"
                              " WHERE holder = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";

    return db_list_page(db, sql, holder, after_seq, read_pending, rows, cap, n);
}

enum status store_pending_in_lock(struct db *db, const char *serial, int64_t after_seq,
                                  struct pending_entry *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " PENDING_COLUMNS " FROM lock_pending_entries"
                              " WHERE serial_number = ?1 AND holder = '" LOCK_HOLDER "'"
                              " AND seq > ?2 ORDER BY seq LIMIT ?3";

    return db_list_page(db, sql, serial, after_seq, read_pending, rows, cap, n);
}

enum status store_pending_of_lock(struct db *db, const char *serial, struct pending_entry *rows,
                                  size_t cap, size_t *n)
{
    static const char sql[] = "SELECT " PENDING_COLUMNS " FROM lock_pending_entries"
                              " WHERE serial_number = ? ORDER BY seq LIMIT ?";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)cap);
    return db_read_rows(s, read_pending, rows, cap, n);
}

enum status store_pending_delete(struct db *db, int64_t seq)
{
    static const char sql[] = "DELETE FROM lock_pending_entries WHERE seq = ?";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_int64(s, 1, seq);
    return db_exec_stmt(db, s, NULL);
}

enum status store_lock_condition_set(struct db *db, const char *serial, const char *battery,
                                     int in_gateway_range)
{
    static const char sql[] =
        "UPDATE lock_states SET battery = ?2, in_gateway_range = ?3 WHERE serial_number = ?1";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, battery, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, in_gateway_range != 0);
    return db_exec_one(db, s);
}
