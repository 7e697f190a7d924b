/*
 * webhooks.h — webhook subscriptions, deliveries and attempts (schema/007_webhooks.sql).
 *
 * An event is fanned out when it is emitted: its delivery rows, one per subscription whose
 * filter it passes, commit with it. A delivery is one event for one subscription; the head of a
 * subscription's queue is its pending delivery with the lowest event seq, and only the head is
 * attempted. Times are the system's virtual seconds. Writes must run inside db_transact().
 */
#ifndef KE_STORE_WEBHOOKS_H
#define KE_STORE_WEBHOOKS_H

#include "lib/rng.h"
#include "store/db.h"
#include "store/systems.h"

#define WEBHOOK_URL_MAX 2048
#define WEBHOOK_SECRET_MAX 255
#define WEBHOOK_TYPES_MAX 1024 /* ",A,B," of every event type fits */

struct webhook_subscription_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char url[WEBHOOK_URL_MAX + 1];
    char event_types[WEBHOOK_TYPES_MAX]; /* ",A,B,"; "" for every type */
    char secret[WEBHOOK_SECRET_MAX + 1];
    int64_t created_at;
};

/* Inserts a subscription; it receives the events that happen from now on. */
enum status store_webhook_subscription_insert(struct db *db,
                                              const struct webhook_subscription_row *row);
enum status store_webhook_subscription_list(struct db *db, const char *system_id, int64_t after_seq,
                                            struct webhook_subscription_row *rows, size_t cap,
                                            size_t *n);
/* Deletes it with its deliveries and their attempts; ST_NOT_FOUND if absent. */
enum status store_webhook_subscription_delete(struct db *db, const char *system_id, const char *id);

/* One event for one subscription: what a delivery row is made of. */
struct webhook_fanout_row {
    int64_t subscription_seq;
    char subscription_id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    int64_t event_seq;
    char event_id[UUID_STR_LEN];
    int64_t occurred_at;
};

/* The subscriptions of system_id with seq > after_seq whose filter passes event_type, in
 * seq order, at most cap; only the subscription fields of each row are set. */
enum status store_webhook_subscribers(struct db *db, const char *system_id, const char *event_type,
                                      int64_t after_seq, struct webhook_fanout_row *rows,
                                      size_t cap, size_t *n);
/* Writes a pending delivery due at due_at (a second insert of the same pair is ignored). */
enum status store_webhook_delivery_insert(struct db *db, const char *id,
                                          const struct webhook_fanout_row *pair, int64_t due_at);

/* Whether the system has any subscription at all. */
enum status store_webhook_system_subscribed(struct db *db, const char *system_id, int *subscribed);

/* Whether any delivery of any system is pending. */
enum status store_webhook_any_pending(struct db *db, int *pending);

/* The head of a subscription's queue, with what sending it needs. body is malloc'ed. */
struct webhook_head_row {
    int64_t delivery_seq;
    int64_t subscription_seq;
    int64_t due_at;
    char url[WEBHOOK_URL_MAX + 1];
    char secret[WEBHOOK_SECRET_MAX + 1];
    char event_id[UUID_STR_LEN];
    int64_t occurred_at;
    char *body;
    struct system_row system; /* id and clock columns only */
};

/* Every subscription's head, at most cap; store_webhook_heads_release frees the bodies. */
enum status store_webhook_heads(struct db *db, struct webhook_head_row *rows, size_t cap,
                                size_t *n);
void store_webhook_heads_release(struct webhook_head_row *rows, size_t n);

struct webhook_attempt_row {
    int64_t seq;
    int64_t attempted_at;
    int status_code; /* 0 when no HTTP answer came */
    char error[160]; /* "" on success */
    int64_t latency_ms;
};

/* The state an attempt's outcome is applied to; ST_NOT_FOUND once the delivery is gone. */
enum status store_webhook_delivery_state(struct db *db, int64_t delivery_seq, int64_t *failures);
enum status store_webhook_attempt_insert(struct db *db, int64_t delivery_seq,
                                         const struct webhook_attempt_row *attempt);
/* Sets status ("pending", "delivered", "dead"), failures and due_at. */
enum status store_webhook_delivery_update(struct db *db, int64_t delivery_seq, const char *status,
                                          int64_t failures, int64_t due_at);

struct webhook_delivery_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char subscription_id[UUID_STR_LEN];
    char event_id[UUID_STR_LEN];
    char event_type[64];
    char status[12];
    int64_t failures;
    int64_t due_at;
    int64_t occurred_at;
    struct webhook_attempt_row *attempts; /* filled by the caller, see attempt_list */
    size_t nattempts;
};

struct webhook_delivery_filter {
    const char *subscription_id; /* NULL: any */
    const char *status;
    const char *event_id;
};

enum status store_webhook_delivery_list(struct db *db, const char *system_id,
                                        const struct webhook_delivery_filter *filter,
                                        int64_t after_seq, struct webhook_delivery_row *rows,
                                        size_t cap, size_t *n);
enum status store_webhook_delivery_get(struct db *db, const char *system_id, const char *id,
                                       struct webhook_delivery_row *out);
/* The delivery's attempts in order, at most cap. */
enum status store_webhook_attempt_list(struct db *db, int64_t delivery_seq,
                                       struct webhook_attempt_row *rows, size_t cap, size_t *n);

/* Where a system's deliveries stand at virtual instant now. */
struct webhook_summary {
    int64_t delivered, pending, dead;
    int64_t due_now;  /* heads due at or before now */
    int64_t next_due; /* earliest due_at of a head; 0 when nothing is pending */
};
enum status store_webhook_summary(struct db *db, const char *system_id, int64_t now,
                                  struct webhook_summary *out);

#endif
