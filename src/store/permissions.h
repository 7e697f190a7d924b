/*
 * permissions.h — permissions: a user may perform an operation on a locking device within
 * a time window (and, for MULTIPLE_INTERVALS and RECURRING, on given weekdays and times of
 * day). Every query is scoped by system id. The store keeps weekdays and intervals as the
 * JSON array text the caller gives it and never looks inside.
 */
#ifndef KE_STORE_PERMISSIONS_H
#define KE_STORE_PERMISSIONS_H

#include "lib/rng.h"
#include "store/db.h"

#define PERMISSION_WEEKDAYS_LEN 128  /* seven distinct names as a JSON array, and NUL */
#define PERMISSION_INTERVALS_LEN 512 /* PERMISSION_MAX_INTERVALS "HH:MM-HH:MM" strings */
#define PERMISSION_MAX_INTERVALS 32

struct permission_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char user_id[UUID_STR_LEN];
    char locking_device_id[UUID_STR_LEN];
    char operation_type[16];  /* OPEN, UPDATE_FIRMWARE, UPDATE_TIME */
    char permission_type[20]; /* SINGLE_INTERVAL, MULTIPLE_INTERVALS, RECURRING */
    char validity_text[64];   /* operatingKeyValidityDuration as the client wrote it */
    int64_t validity_seconds;
    char weekdays[PERMISSION_WEEKDAYS_LEN];   /* JSON array text, "" when none */
    char intervals[PERMISSION_INTERVALS_LEN]; /* JSON array text, "" when none */
    int64_t start_at, end_at;
    int64_t created_at;
};

/* Inserts row (id given) inside the caller's transaction. */
enum status store_permission_insert(struct db *db, const struct permission_row *row);

/* The permission id of system_id; ST_NOT_FOUND when absent or in another system. */
enum status store_permission_get(struct db *db, const char *system_id, const char *id,
                                 struct permission_row *out);

/* Rows of system_id with seq > after_seq, in seq order, at most cap. */
enum status store_permission_list(struct db *db, const char *system_id, int64_t after_seq,
                                  struct permission_row *rows, size_t cap, size_t *n);

/* The same, restricted to the permissions of user_id (what a phone downloads keys for). */
enum status store_permission_list_for_user(struct db *db, const char *system_id,
                                           const char *user_id, int64_t after_seq,
                                           struct permission_row *rows, size_t cap, size_t *n);

/* Replaces every field but id, seq and created_at of the permission row->id in
 * row->system_id. ST_NOT_FOUND when there is none. */
enum status store_permission_replace(struct db *db, const struct permission_row *row);

/* ST_NOT_FOUND when absent or in another system. */
enum status store_permission_delete(struct db *db, const char *system_id, const char *id);

/* Deletes the permissions of system_id whose end is before `before` (the clean-up of
 * permissions 14 days after they ended passes now - 14 days); *deleted (may be NULL)
 * receives the count. Inside the caller's transaction. */
enum status store_permission_delete_ended_before(struct db *db, const char *system_id,
                                                 int64_t before, int *deleted);

#endif
