/*
 * remote_commands.h — requests the platform hands to devices to carry out: remote commands
 * that a gateway runs on an associated lock, and re-key requests for a lock's operational
 * certificate.
 *
 * A command is open until a gateway acknowledges it or an administrator cancels it, and a
 * gateway may read it only while open and within [valid_from, valid_until). Every query is
 * scoped by system id. Writes must run inside db_transact().
 */
#ifndef KE_STORE_REMOTE_COMMANDS_H
#define KE_STORE_REMOTE_COMMANDS_H

#include "lib/rng.h"
#include "store/db.h"

struct remote_command_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char gateway_device_id[UUID_STR_LEN];
    char locking_device_id[UUID_STR_LEN];
    char action[8]; /* "OPEN" */
    int64_t valid_from, valid_until;
    char issuer_user_id[UUID_STR_LEN];
    int64_t issued_at;
    int acknowledged; /* acknowledged_at is meaningful only when set */
    int64_t acknowledged_at;
    int cancelled; /* canceler_user_id and cancelled_at are meaningful only when set */
    char canceler_user_id[UUID_STR_LEN];
    int64_t cancelled_at;
};

/* Stores a new open command (row->seq and the acknowledgement/cancellation are ignored). */
enum status store_remote_command_insert(struct db *db, const struct remote_command_row *row);

enum status store_remote_command_get(struct db *db, const char *system_id, const char *id,
                                     struct remote_command_row *out);

/* Up to cap commands of the system in seq order after after_seq; gateway_id NULL for all. */
enum status store_remote_command_list(struct db *db, const char *system_id, const char *gateway_id,
                                      int64_t after_seq, struct remote_command_row *rows,
                                      size_t cap, size_t *n);

/* Up to cap commands a gateway may read at instant now: open, and valid_from <= now <
 * valid_until; lock_id narrows them to one lock (NULL for all). In seq order. */
enum status store_remote_command_list_valid(struct db *db, const char *system_id,
                                            const char *gateway_id, const char *lock_id,
                                            int64_t now, struct remote_command_row *rows,
                                            size_t cap, size_t *n);

/* Closes an open command as cancelled by user_id at now. ST_NOT_FOUND when unknown,
 * ST_CONFLICT when it was acknowledged or cancelled before. */
enum status store_remote_command_cancel(struct db *db, const char *system_id, const char *id,
                                        const char *user_id, int64_t now);

/* Closes an open command as acknowledged by its gateway at now. ST_NOT_FOUND when unknown,
 * ST_CONFLICT when it was acknowledged or cancelled before. The caller emits the event. */
enum status store_remote_command_acknowledge(struct db *db, const char *system_id, const char *id,
                                             int64_t now);

/* Records that user_id asked at now to re-key the lock's operational certificate (the
 * simulator makes the certificate eligible). */
enum status store_rekey_request_insert(struct db *db, const char *system_id, const char *lock_id,
                                       const char *user_id, int64_t now);

#endif
