/*
 * token.h — login tokens: RS256 JWTs signed by the emulator, shaped like the vendor's.
 *
 * The signing key is made on first use (never on the path to the ready file) and kept in
 * the database, so tokens survive restarts. Verifying RS256 costs far more than a request
 * should, so a verified token's claims are cached, keyed by the token's SHA-256, for as
 * long as the process lives; expiry is checked by the caller against the system's virtual
 * clock on every request, never by wall time.
 */
#ifndef KE_HTTP_TOKEN_H
#define KE_HTTP_TOKEN_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/rng.h"
#include "store/db.h"
#include "store/users.h"

#define TOKEN_LIFETIME 3600
#define TOKEN_AUDIENCE "keyless-emulator"
#define TOKEN_ISSUER "https://keyless-emulator.invalid/administration"

struct token_claims {
    char user_id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    int64_t issued_at;
    int64_t expires_at;
};

/* Issues a token for user at virtual time now. *out is malloc'ed; caller frees. */
enum status token_issue(struct db *db, const struct user_row *user, int64_t now, char **out);

/* Checks signature, algorithm (RS256 only), key id and claim shapes. Does not check expiry.
 * ST_UNAUTHENTICATED with a reason in detail (at least 128 bytes) when the token is bad. */
enum status token_verify(struct db *db, const char *token, struct token_claims *out, char *detail,
                         size_t detail_len);

/* The JWKS document of the signing key: {"keys": [...]}. Caller puts. */
enum status token_jwks(struct db *db, json_object **out);

/* The database was restored or wiped: forgets every verified token, and has the next use
 * compare the signing key with the database's. Takes no lock but the token cache's, so it
 * may be called inside a write transaction. */
void token_forget(void);

#endif
