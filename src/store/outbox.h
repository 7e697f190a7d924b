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

/* Must run inside the transaction of the change it records. row->seq, when > 0, is the
 * place the row takes (store_outbox_last_seq() + 1, which its id encodes); otherwise the
 * next one, set in row->seq. */
enum status store_outbox_insert(struct db *db, struct outbox_row *row);

/* An event read back; body is malloc'ed (store_outbox_rows_release frees). */
struct event_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char event_type[64];
    int64_t occurred_at;
    char *body;
};

/* The system's events with seq > after_seq, in order, of the types listed as ",A,B," (NULL:
 * any). */
enum status store_outbox_list(struct db *db, const char *system_id, const char *types,
                              int64_t after_seq, struct event_row *rows, size_t cap, size_t *n);

/* Where a reader of the last `count` events of the types (as above) starts: the seq just
 * before them, 0 when there are no more than count. count 0 is "from now on". */
enum status store_outbox_seq_before_last(struct db *db, const char *system_id, const char *types,
                                         int64_t count, int64_t *seq);
void store_outbox_rows_release(struct event_row *rows, size_t n);

/* The seq of one of the system's events; ST_NOT_FOUND if it has no such event. */
enum status store_outbox_seq_of(struct db *db, const char *system_id, const char *event_id,
                                int64_t *seq);

/* Counts the events of a system (health and tests). */
enum status store_outbox_count(struct db *db, const char *system_id, int64_t *count);

/* The highest event seq so far, 0 when there is none. */
enum status store_outbox_last_seq(struct db *db, int64_t *seq);

/* Counts the system's events with seq > after_seq: what a clock advance emitted, in time
 * that grows with those events rather than with the system's whole history. */
enum status store_outbox_count_after(struct db *db, const char *system_id, int64_t after_seq,
                                     int64_t *count);

#endif
