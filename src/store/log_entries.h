/*
 * log_entries.h — the system and audit logs that locking devices and gateway devices upload,
 * as the platform stores them.
 *
 * Phones and gateways upload entries (the simulator calls the insert functions); the
 * Administration API lists them. Every list is scoped by system id and ordered by time:
 * locking device entries by (occurred_at, id), gateway entries by (occurred_at,
 * sequence_number), ascending or descending, read by keyset from a two-key position.
 * An entry uploaded twice (same device, kind and sequence number) is stored once.
 */
#ifndef KE_STORE_LOG_ENTRIES_H
#define KE_STORE_LOG_ENTRIES_H

#include "lib/rng.h"
#include "store/db.h"

#define LOG_KIND_SYSTEM "SYSTEM"
#define LOG_KIND_AUDIT "AUDIT"

#define LOG_CLIENT_OPERATING_DEVICE "OPERATING_DEVICE"
#define LOG_CLIENT_GATEWAY_DEVICE "GATEWAY_DEVICE"

/* Longest stored JSON text of a gateway system entry's extra fields, in bytes. */
#define GATEWAY_LOG_DETAILS_MAX 2048

struct lock_log_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char locking_device_id[UUID_STR_LEN];
    char kind[8]; /* LOG_KIND_SYSTEM or LOG_KIND_AUDIT */
    char event_name[128];
    int64_t occurred_at;
    int64_t sequence_number;
    /* AUDIT only: who ran the conversation ("" when unknown) and whether it was granted. */
    char client_type[20]; /* LOG_CLIENT_OPERATING_DEVICE, LOG_CLIENT_GATEWAY_DEVICE or "" */
    char operating_device_id[UUID_STR_LEN];
    char user_id[UUID_STR_LEN];
    char gateway_device_id[UUID_STR_LEN];
    char remote_command_id[UUID_STR_LEN];
    int granted; /* 1 or 0; -1 when not recorded (SYSTEM entries) */
};

struct gateway_log_row {
    int64_t seq;
    char system_id[UUID_STR_LEN];
    char gateway_device_id[UUID_STR_LEN];
    char kind[8]; /* LOG_KIND_SYSTEM or LOG_KIND_AUDIT */
    int64_t sequence_number;
    int64_t occurred_at;
    /* SYSTEM: the event and the entry's other fields as a JSON object text ("" for none). */
    char event_name[64];
    char details[GATEWAY_LOG_DETAILS_MAX];
    /* AUDIT: the ThingRPC conversation, its lock, and the command it ran ("" for none). */
    char conversation_name[64];
    char locking_device_id[UUID_STR_LEN];
    char remote_command_id[UUID_STR_LEN];
};

/* What a list reads. The position is the keys of the last row of the previous page, as
 * store_lock_log_keys() / store_gateway_log_keys() give them. */
struct log_filter {
    const char *device_id;         /* lock logs: NULL for every lock; gateway logs: required */
    int64_t sequence_greater_than; /* -1: no bound */
    int has_after_time;            /* lock logs only */
    int64_t after_time;            /* only entries that occurred strictly after it */
    int descending;
    int has_position;
    int64_t position[2];
};

/* Stores a locking device entry, at place row->seq when > 0 (store_lock_log_last_seq() + 1,
 * which its id encodes), else the next. *inserted (may be NULL) is 1, or 0 when the lock's
 * entry of that kind and sequence number was stored before. Call inside db_transact().
 * ST_CONFLICT when row->id is taken by another entry. */
enum status store_lock_log_insert(struct db *db, const struct lock_log_row *row, int *inserted);

/* The seq of the newest lock log entry of any system, 0 when there is none. */
enum status store_lock_log_last_seq(struct db *db, int64_t *seq);

/* Reads up to cap entries of kind (LOG_KIND_*) of the system into rows, in (occurred_at,
 * id) order, after filter->position. If the position's row has been deleted since (its lock
 * went), entries of that same second are skipped; later ones are not. */
enum status store_lock_log_list(struct db *db, const char *system_id, const char *kind,
                                const struct log_filter *filter, struct lock_log_row *rows,
                                size_t cap, size_t *n);

/* The position of a row: its occurrence time and its seq (which names its id). */
void store_lock_log_keys(const void *row, int64_t keys[2]);

/* Stores a gateway entry (row->seq is ignored); *inserted as for store_lock_log_insert().
 * row->details must be a JSON object text or "": callers that build it check that it fit
 * in GATEWAY_LOG_DETAILS_MAX bytes, since a truncated text would not parse back. */
enum status store_gateway_log_insert(struct db *db, const struct gateway_log_row *row,
                                     int *inserted);

/* Reads up to cap entries of kind of the gateway filter->device_id, which must belong to
 * system_id, in (occurred_at, sequence_number) order after filter->position. */
enum status store_gateway_log_list(struct db *db, const char *system_id, const char *kind,
                                   const struct log_filter *filter, struct gateway_log_row *rows,
                                   size_t cap, size_t *n);

/* The position of a row: its occurrence time and its sequence number. */
void store_gateway_log_keys(const void *row, int64_t keys[2]);

#endif
