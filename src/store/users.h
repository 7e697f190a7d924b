/*
 * users.h — users of a system. Every query is scoped by system id, except the login
 * lookup, which must find the user's system from the user id alone.
 */
#ifndef KE_STORE_USERS_H
#define KE_STORE_USERS_H

#include "lib/crypto.h"
#include "lib/rng.h"
#include "store/db.h"

struct user_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char role[8]; /* "USER" or "ADMIN" */
    char access_key_hash[SHA256_HEX_LEN];
    int64_t created_at;
};

enum status store_user_insert(struct db *db, const struct user_row *row);
/* The user in system_id; ST_NOT_FOUND when absent or in another system. */
enum status store_user_get(struct db *db, const char *system_id, const char *id,
                           struct user_row *out);
/* The user in whatever system it belongs to (login only). */
enum status store_user_find(struct db *db, const char *id, struct user_row *out);
enum status store_user_list(struct db *db, const char *system_id, int64_t after_seq,
                            struct user_row *rows, size_t cap, size_t *n);
/* The system's earliest-made ADMIN user still there; ST_NOT_FOUND when it has none. */
enum status store_user_first_admin(struct db *db, const char *system_id, struct user_row *out);
enum status store_user_delete(struct db *db, const char *system_id, const char *id);

#endif
