/*
 * offline_keys.h — issued offline keys (metadata only: the signed values are never stored)
 * and each system's offline-key signing key. Every query is scoped by system id.
 */
#ifndef KE_STORE_OFFLINE_KEYS_H
#define KE_STORE_OFFLINE_KEYS_H

#include "lib/rng.h"
#include "store/db.h"

struct offline_key_row {
    int64_t seq;
    char id[UUID_STR_LEN]; /* the primary key's id */
    char system_id[UUID_STR_LEN];
    char issuer_user_id[UUID_STR_LEN];
    char operating_device_id[UUID_STR_LEN];
    char locking_device_id[UUID_STR_LEN];
    int64_t start_at, end_at, issued_at;
    char delivery_mechanism[24];           /* NONE, SMS_WITHOUT_APP_LINK, SMS_WITH_APP_LINK */
    char alternative_key_id[UUID_STR_LEN]; /* "" when none was issued */
};

/* Inserts row inside the caller's transaction. */
enum status store_offline_key_insert(struct db *db, const struct offline_key_row *row);

/* The issuance whose primary or alternative key is key_id, in system_id; ST_NOT_FOUND
 * when there is none. */
enum status store_offline_key_get(struct db *db, const char *system_id, const char *key_id,
                                  struct offline_key_row *out);

/* Rows of system_id with seq > after_seq, in seq order, at most cap. */
enum status store_offline_key_list(struct db *db, const char *system_id, int64_t after_seq,
                                   struct offline_key_row *rows, size_t cap, size_t *n);

/* ST_OK when operating device id belongs to system_id, ST_NOT_FOUND otherwise. */
enum status store_offline_key_operating_device_exists(struct db *db, const char *system_id,
                                                      const char *id);

/* The PEM of system_id's signing key, malloc'ed in *out_pem (caller frees);
 * ST_NOT_FOUND when the system has none yet. */
enum status store_system_key_get(struct db *db, const char *system_id, char **out_pem);

/* Stores system_id's signing key inside the caller's transaction; ST_CONFLICT when it
 * already has one. */
enum status store_system_key_insert(struct db *db, const char *system_id, const char *pem);

#endif
