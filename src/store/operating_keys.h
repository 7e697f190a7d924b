/*
 * operating_keys.h — what a phone holds: its operational certificate, and the operating
 * keys it downloaded — copies of its user's permissions as they were when it last synced,
 * each valid until its own expiry. Revoking a permission on the platform does not reach a
 * key already downloaded.
 */
#ifndef KE_STORE_OPERATING_KEYS_H
#define KE_STORE_OPERATING_KEYS_H

#include "store/permissions.h"

struct operating_key_row {
    int64_t seq;
    char operating_device_id[UUID_STR_LEN];
    char locking_device_id[UUID_STR_LEN];
    char permission_id[UUID_STR_LEN];
    char operation_type[16];
    char permission_type[20];
    char weekdays[PERMISSION_WEEKDAYS_LEN];
    char intervals[PERMISSION_INTERVALS_LEN];
    int64_t permission_start, permission_end;
    int64_t valid_until;
    int64_t downloaded_at;
};

/* A sync: replaces the phone's keys with one per permission of its user in system_id that
 * has not ended at now, each valid for the permission's validity duration but never past
 * its end, in the permissions' order; *count gets the number of keys. */
enum status store_operating_keys_download(struct db *db, const char *system_id,
                                          const char *operating_device_id, const char *user_id,
                                          int64_t now, int *count);

/* The phone's keys for a lock and operation type, newest download first. */
enum status store_operating_keys_for(struct db *db, const char *operating_device_id,
                                     const char *locking_device_id, const char *operation_type,
                                     struct operating_key_row *rows, size_t cap, size_t *n);

/* Stores the phone's operational certificate (replacing an older one). */
enum status store_phone_certificate_put(struct db *db, const char *operating_device_id,
                                        const char *key_pem, const char *cert_pem,
                                        int64_t not_after);

/* The phone's network (schema/017): online 0 leaves it without one. */
enum status store_phone_network_set(struct db *db, const char *operating_device_id, int online);

/* Whether the phone has network: 1 unless it was switched off. */
enum status store_phone_network_online(struct db *db, const char *operating_device_id, int *online);

#endif
