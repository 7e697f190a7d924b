/*
 * users.h — the Administration API's users, and the one way a user comes to exist
 * (shared with system creation and fixtures).
 */
#ifndef KE_ADMIN_USERS_H
#define KE_ADMIN_USERS_H

#include "http/request.h"

#define ACCESS_KEY_LEN 45 /* base64 of 32 bytes, and NUL */

/* Creates a user inside the caller's transaction and emits UserCreated.
 * id and access_key may be given (fixtures) or empty to be generated; access_key receives
 * the key in clear (ACCESS_KEY_LEN bytes) — it is stored only as a hash. */
enum status users_add(struct db *db, const char *system_id, const char *role, int64_t now,
                      struct user_row *out, char *access_key);

enum status users_list(struct request *req, struct response *res);
enum status users_create(struct request *req, struct response *res);
enum status users_get(struct request *req, struct response *res);
enum status users_delete(struct request *req, struct response *res);

#endif
