/*
 * credentials.h — what authentication reads from the store, remembered per thread.
 *
 * Every Administration request names an API key and (but for login) a bearer token whose
 * system and user must still exist. Reading them costs three queries and a token check
 * per request; they rarely change. Each worker thread keeps the answers it found, valid
 * while db_auth_epoch() stands still (any committed update or delete of a system, user or
 * API key moves it), so a hit costs no lock and no query. Only successes are kept.
 */
#ifndef KE_HTTP_CREDENTIALS_H
#define KE_HTTP_CREDENTIALS_H

#include <stddef.h>

#include "http/token.h"
#include "store/api_keys.h"
#include "store/systems.h"
#include "store/users.h"

/* The API key's row: ST_OK, ST_NOT_FOUND, or a store error. */
enum status credentials_api_key(struct db *db, const char *key, struct api_key_row *out);

/* A verified token's claims with its system and user: ST_OK; ST_UNAUTHENTICATED with
 * detail set when the token itself is refused; ST_NOT_FOUND when its system or user is
 * gone; or a store error. Expiry and role are the caller's to judge. */
struct bearer {
    struct token_claims claims;
    struct system_row system;
    struct user_row user;
};
enum status credentials_bearer(struct db *db, const char *token, struct bearer *out, char *detail,
                               size_t detail_len);

#endif
