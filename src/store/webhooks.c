#include "store/webhooks.h"
#include "store/sql.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define SUB_COLUMNS "seq, id, system_id, url, event_types, secret, created_at"

static void read_subscription(sqlite3_stmt *s, void *rows, size_t i)
{
    struct webhook_subscription_row *r = (struct webhook_subscription_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
    db_column_copy(s, 3, r->url, sizeof(r->url));
    db_column_copy(s, 4, r->event_types, sizeof(r->event_types));
    db_column_copy(s, 5, r->secret, sizeof(r->secret));
    r->created_at = sqlite3_column_int64(s, 6);
}

enum status store_webhook_subscription_insert(struct db *db,
                                              const struct webhook_subscription_row *row)
{
    static const char sql[] =
        "INSERT INTO webhook_subscriptions (id, system_id, url, event_types, secret,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->url, -1, SQLITE_STATIC);
    db_bind_text_or_null(s, 4, row->event_types);
    sqlite3_bind_text(s, 5, row->secret, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, row->created_at);
    return db_exec_stmt(db, s, NULL);
}

enum status store_webhook_subscription_list(struct db *db, const char *system_id, int64_t after_seq,
                                            struct webhook_subscription_row *rows, size_t cap,
                                            size_t *n)
{
    static const char sql[] = "SELECT " SUB_COLUMNS " FROM webhook_subscriptions"
                              " WHERE system_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";

    return db_list_page(db, sql, system_id, after_seq, read_subscription, rows, cap, n);
}

enum status store_webhook_subscription_delete(struct db *db, const char *system_id, const char *id)
{
    static const char sql[] = "DELETE FROM webhook_subscriptions WHERE system_id = ?1 AND id = ?2";

    return db_exec_scoped(db, sql, system_id, id);
}

enum status store_webhook_any_pending(struct db *db, int *pending)
{
    static const char sql[] =
        "SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE status = 'pending')";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    return db_read_one(s, db_row_int, pending);
}

enum status store_webhook_system_subscribed(struct db *db, const char *system_id, int *subscribed)
{
    static const char sql[] =
        "SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE system_id = ?)";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    return db_read_one(s, db_row_int, subscribed);
}

static void read_subscriber(sqlite3_stmt *s, void *rows, size_t i)
{
    struct webhook_fanout_row *r = (struct webhook_fanout_row *)rows + i;

    r->subscription_seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->subscription_id, sizeof(r->subscription_id));
    db_column_copy(s, 2, r->system_id, sizeof(r->system_id));
}

enum status store_webhook_subscribers(struct db *db, const char *system_id, const char *event_type,
                                      int64_t after_seq, struct webhook_fanout_row *rows,
                                      size_t cap, size_t *n)
{
    static const char sql[] =
        "SELECT seq, id, system_id FROM webhook_subscriptions"
        " WHERE system_id = ?1 AND seq > ?2"
        " AND (event_types IS NULL OR instr(event_types, ',' || ?3 || ',') > 0)"
        " ORDER BY seq LIMIT ?4";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    sqlite3_bind_text(s, 3, event_type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cap);
    return db_read_rows(s, read_subscriber, rows, cap, n);
}

enum status store_webhook_delivery_insert(struct db *db, const char *id,
                                          const struct webhook_fanout_row *pair, int64_t due_at)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO webhook_deliveries (id, system_id, subscription_seq, event_seq,"
        " due_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, pair->system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, pair->subscription_seq);
    sqlite3_bind_int64(s, 4, pair->event_seq);
    sqlite3_bind_int64(s, 5, due_at);
    return db_exec_stmt(db, s, NULL);
}

/* The head of subscription s: one index probe per subscription, however long its queue. */
#define HEAD_OF_S                                                                                  \
    "SELECT p.seq FROM webhook_deliveries p WHERE p.subscription_seq = s.seq"                      \
    " AND p.status = 'pending' ORDER BY p.event_seq LIMIT 1"

static void read_head(sqlite3_stmt *s, void *rows, size_t i)
{
    struct webhook_head_row *r = (struct webhook_head_row *)rows + i;
    const unsigned char *body = sqlite3_column_text(s, 7);

    memset(r, 0, sizeof(*r));
    r->delivery_seq = sqlite3_column_int64(s, 0);
    r->subscription_seq = sqlite3_column_int64(s, 1);
    r->due_at = sqlite3_column_int64(s, 2);
    db_column_copy(s, 3, r->url, sizeof(r->url));
    db_column_copy(s, 4, r->secret, sizeof(r->secret));
    db_column_copy(s, 5, r->event_id, sizeof(r->event_id));
    r->occurred_at = sqlite3_column_int64(s, 6);
    r->body = body ? strdup((const char *)body) : NULL;
    db_column_copy(s, 8, r->system.id, sizeof(r->system.id));
    db_column_copy(s, 9, r->system.clock.mode, sizeof(r->system.clock.mode));
    r->system.clock.offset = sqlite3_column_int64(s, 10);
    r->system.clock.time = sqlite3_column_int64(s, 11);
}

enum status store_webhook_heads(struct db *db, struct webhook_head_row *rows, size_t cap, size_t *n)
{
    static const char sql[] =
        "SELECT d.seq, d.subscription_seq, d.due_at, s.url, s.secret, o.id, o.occurred_at,"
        " o.body, y.id, y.clock_mode, y.clock_offset, y.clock_time"
        " FROM webhook_subscriptions s JOIN webhook_deliveries d ON d.seq = (" HEAD_OF_S ")"
        " JOIN outbox o ON o.seq = d.event_seq"
        " JOIN systems y ON y.id = s.system_id"
        " ORDER BY d.due_at, d.seq LIMIT ?";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)cap);
    st = db_read_rows(s, read_head, rows, cap, n);
    for (size_t i = 0; st == ST_OK && i < *n; i++)
        if (rows[i].body == NULL)
            st = ST_NOMEM;
    if (st != ST_OK)
        store_webhook_heads_release(rows, *n);
    return st;
}

void store_webhook_heads_release(struct webhook_head_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].body);
        rows[i].body = NULL;
    }
}

enum status store_webhook_delivery_state(struct db *db, int64_t delivery_seq, int64_t *failures)
{
    static const char sql[] = "SELECT failures FROM webhook_deliveries WHERE seq = ?";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_int64(s, 1, delivery_seq);
    return db_read_one(s, db_row_int64, failures);
}

enum status store_webhook_attempt_insert(struct db *db, int64_t delivery_seq,
                                         const struct webhook_attempt_row *a)
{
    static const char sql[] = "INSERT INTO webhook_attempts (delivery_seq, attempted_at,"
                              " status_code, error, latency_ms) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_int64(s, 1, delivery_seq);
    sqlite3_bind_int64(s, 2, a->attempted_at);
    if (a->status_code > 0)
        sqlite3_bind_int(s, 3, a->status_code);
    db_bind_text_or_null(s, 4, a->error);
    sqlite3_bind_int64(s, 5, a->latency_ms);
    return db_exec_stmt(db, s, NULL);
}

enum status store_webhook_delivery_update(struct db *db, int64_t delivery_seq, const char *status,
                                          int64_t failures, int64_t due_at)
{
    static const char sql[] =
        "UPDATE webhook_deliveries SET status = ?, failures = ?, due_at = ? WHERE seq = ?";
    sqlite3_stmt *s;
    enum status st;

    assert(db_in_transaction(db));
    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, failures);
    sqlite3_bind_int64(s, 3, due_at);
    sqlite3_bind_int64(s, 4, delivery_seq);
    return db_exec_one(db, s);
}

#define DELIVERY_SELECT                                                                            \
    "SELECT d.seq, d.id, s.id, o.id, o.event_type, d.status, d.failures, d.due_at,"                \
    " o.occurred_at FROM webhook_deliveries d"                                                     \
    " JOIN webhook_subscriptions s ON s.seq = d.subscription_seq"                                  \
    " JOIN outbox o ON o.seq = d.event_seq"

static void read_delivery(sqlite3_stmt *s, void *rows, size_t i)
{
    struct webhook_delivery_row *r = (struct webhook_delivery_row *)rows + i;

    memset(r, 0, sizeof(*r));
    r->seq = sqlite3_column_int64(s, 0);
    db_column_copy(s, 1, r->id, sizeof(r->id));
    db_column_copy(s, 2, r->subscription_id, sizeof(r->subscription_id));
    db_column_copy(s, 3, r->event_id, sizeof(r->event_id));
    db_column_copy(s, 4, r->event_type, sizeof(r->event_type));
    db_column_copy(s, 5, r->status, sizeof(r->status));
    r->failures = sqlite3_column_int64(s, 6);
    r->due_at = sqlite3_column_int64(s, 7);
    r->occurred_at = sqlite3_column_int64(s, 8);
}

enum status store_webhook_delivery_list(struct db *db, const char *system_id,
                                        const struct webhook_delivery_filter *f, int64_t after_seq,
                                        struct webhook_delivery_row *rows, size_t cap, size_t *n)
{
    static const char sql[] =
        DELIVERY_SELECT " WHERE d.system_id = ?1 AND d.seq > ?2 AND (?3 IS NULL OR s.id = ?3)"
                        " AND (?4 IS NULL OR d.status = ?4) AND (?5 IS NULL OR o.id = ?5)"
                        " ORDER BY d.seq LIMIT ?6";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_seq);
    db_bind_text_or_null(s, 3, f->subscription_id);
    db_bind_text_or_null(s, 4, f->status);
    db_bind_text_or_null(s, 5, f->event_id);
    sqlite3_bind_int64(s, 6, (sqlite3_int64)cap);
    return db_read_rows(s, read_delivery, rows, cap, n);
}

enum status store_webhook_delivery_get(struct db *db, const char *system_id, const char *id,
                                       struct webhook_delivery_row *out)
{
    static const char sql[] = DELIVERY_SELECT " WHERE d.system_id = ?1 AND d.id = ?2";

    return db_get_scoped(db, sql, system_id, id, read_delivery, out);
}

static void read_attempt(sqlite3_stmt *s, void *rows, size_t i)
{
    struct webhook_attempt_row *r = (struct webhook_attempt_row *)rows + i;

    r->seq = sqlite3_column_int64(s, 0);
    r->attempted_at = sqlite3_column_int64(s, 1);
    r->status_code = sqlite3_column_int(s, 2); /* NULL reads as 0 */
    db_column_copy(s, 3, r->error, sizeof(r->error));
    r->latency_ms = sqlite3_column_int64(s, 4);
}

enum status store_webhook_attempt_list(struct db *db, int64_t delivery_seq,
                                       struct webhook_attempt_row *rows, size_t cap, size_t *n)
{
    static const char sql[] = "SELECT seq, attempted_at, status_code, error, latency_ms"
                              " FROM webhook_attempts WHERE delivery_seq = ? ORDER BY seq"
                              " LIMIT ?";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_int64(s, 1, delivery_seq);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)cap);
    return db_read_rows(s, read_attempt, rows, cap, n);
}

static void read_summary(sqlite3_stmt *s, void *out, size_t i)
{
    struct webhook_summary *r = (struct webhook_summary *)out + i;

    r->delivered = sqlite3_column_int64(s, 0);
    r->pending = sqlite3_column_int64(s, 1);
    r->dead = sqlite3_column_int64(s, 2);
    r->due_now = sqlite3_column_int64(s, 3);
    r->next_due = sqlite3_column_int64(s, 4);
}

enum status store_webhook_summary(struct db *db, const char *system_id, int64_t now,
                                  struct webhook_summary *out)
{
    /* One statement, so the counts and the due check read one snapshot. */
    static const char sql[] =
        "WITH heads AS (SELECT d.due_at FROM webhook_subscriptions s"
        "   JOIN webhook_deliveries d ON d.seq = (" HEAD_OF_S ") WHERE s.system_id = ?1)"
        " , counts AS (SELECT coalesce(sum(status = 'delivered'), 0) AS delivered,"
        "   coalesce(sum(status = 'pending'), 0) AS pending,"
        "   coalesce(sum(status = 'dead'), 0) AS dead"
        "   FROM webhook_deliveries WHERE system_id = ?1)"
        " SELECT c.delivered, c.pending, c.dead,"
        "  (SELECT count(*) FROM heads WHERE due_at <= ?2),"
        "  (SELECT coalesce(min(due_at), 0) FROM heads) FROM counts c";
    sqlite3_stmt *s;
    enum status st;

    if ((st = db_prepare(db, sql, &s)) != ST_OK)
        return st;
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    return db_read_one(s, read_summary, out);
}
