/*
 * users.h — the platform's users: the one way a user comes to exist and the one way one
 * goes, shared by the Administration API, system creation, fixtures and trigger stories.
 *
 * Like every domain function, these run inside the caller's transaction and emit their
 * events there (the outbox). Depends on the store and events only.
 */
#ifndef KE_DOMAIN_USERS_H
#define KE_DOMAIN_USERS_H

#include "store/users.h"

#define ACCESS_KEY_LEN 45 /* base64 of 32 bytes, and NUL */

/* Creates a user of role ("USER" or "ADMIN") and emits UserCreated. out->id and access_key
 * may be given (fixtures) or empty to be generated; access_key receives the key in clear
 * (ACCESS_KEY_LEN bytes) — it is stored only as a hash. */
enum status domain_user_add(struct db *db, const char *system_id, const char *role, int64_t now,
                            struct user_row *out, char *access_key);

/* Deletes a user: its operating devices first, each announced (OperatingDeviceDeleted), so
 * that the cascade does not swallow their events; its permissions by cascade; then
 * UserDeleted. ST_NOT_FOUND for a user not in the system (nothing is deleted then, once the
 * caller rolls back). */
enum status domain_user_delete(struct db *db, const char *system_id, const char *user_id,
                               int64_t now);

#endif
