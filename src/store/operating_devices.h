/*
 * operating_devices.h — operating devices (phones) of users. A user has at most one
 * (UNIQUE user_id); deleting the user deletes its devices by cascade. A device created by
 * accepting an invitation carries the invitation id; a legacy device (legacy = 1) carries
 * none and cannot be deleted on its own. Every query is scoped by system id.
 */
#ifndef KE_STORE_OPERATING_DEVICES_H
#define KE_STORE_OPERATING_DEVICES_H

#include "lib/rng.h"
#include "store/db.h"

struct operating_device_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char user_id[UUID_STR_LEN];
    char invitation_id[UUID_STR_LEN]; /* "" for legacy devices */
    int legacy;
    int64_t activated_at; /* 0 until the operational certificate is provisioned */
    int64_t created_at;
};

/* Inserts a device. ST_CONFLICT when the id is taken or the user already has a device. */
enum status store_operating_device_insert(struct db *db, const struct operating_device_row *row);

/* The device in system_id; ST_NOT_FOUND when absent or in another system. */
enum status store_operating_device_get(struct db *db, const char *system_id, const char *id,
                                       struct operating_device_row *out);

/* The device in whatever system it belongs to (the simulated phone knows only its own id). */
enum status store_operating_device_find(struct db *db, const char *id,
                                        struct operating_device_row *out);

/* The system's devices with seq > after_seq, of user_id (NULL: any user), in seq order,
 * at most cap; *n receives the count. */
enum status store_operating_device_list(struct db *db, const char *system_id, const char *user_id,
                                        int64_t after_seq, struct operating_device_row *rows,
                                        size_t cap, size_t *n);

/* Every device of one user (at most cap), e.g. to announce their deletion before the user
 * is deleted and the rows go by cascade. */
enum status store_operating_device_list_of_user(struct db *db, const char *system_id,
                                                const char *user_id,
                                                struct operating_device_row *rows, size_t cap,
                                                size_t *n);

/* Records that the device's operational certificate was provisioned at time now. */
enum status store_operating_device_activate(struct db *db, const char *system_id, const char *id,
                                            int64_t now);

/* A user and its phone as the simulator sees it: its device if it has one, and its newest
 * pending invitation that has not expired by the instant asked about. */
struct phone_row {
    int64_t seq; /* the user's */
    char user_id[UUID_STR_LEN];
    char role[8];
    char device_id[UUID_STR_LEN];     /* "" when the user has no device */
    int64_t activated_at;             /* 0 until provisioned */
    char invitation_id[UUID_STR_LEN]; /* the newest pending invitation, "" when none */
    int64_t invitation_expires_at;
    int legacy; /* the device was made before version 2's invitations */
    int online; /* 0: the control API took the phone's network away */
};

/* The system's users with seq > after_seq, in seq order, with their phones as they stand at
 * now; at most cap. */
enum status store_phone_list(struct db *db, const char *system_id, int64_t now, int64_t after_seq,
                             struct phone_row *rows, size_t cap, size_t *n);

/* ST_NOT_FOUND when absent or in another system. */
enum status store_operating_device_delete(struct db *db, const char *system_id, const char *id);

#endif
