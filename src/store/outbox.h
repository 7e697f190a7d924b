/*
 * outbox.h — the transactional outbox: events stored in the same transaction as the change
 * that caused them. Delivery reads them later (webhook dispatcher, event log).
 */
#ifndef KE_STORE_OUTBOX_H
#define KE_STORE_OUTBOX_H

#include "lib/rng.h"
#include "store/db.h"

struct outbox_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char event_type[64];
    const char *body; /* serialized JSON; borrowed on insert */
    int64_t occurred_at;
};

/* Must run inside the transaction of the change it records. */
enum status store_outbox_insert(struct db *db, const struct outbox_row *row);

/* Counts the events of a system (health and tests). */
enum status store_outbox_count(struct db *db, const char *system_id, int64_t *count);

#endif
