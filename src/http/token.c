#include "http/token.h"

#include <jwt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto.h"
#include "store/settings.h"

#define SETTING_KEY "jwt_private_key_pem"
#define CACHE_SLOTS 4096
#define TOKEN_SIGNATURE_LEN 256 /* RS256 with the 2048-bit key */

struct signing_key {
    char *private_pem;
    char *public_pem;
    char *n, *e;
    char kid[64];
};

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;
static struct signing_key key; /* loaded once, then read-only (see token_forget()) */
static int key_loaded;
static atomic_int key_check; /* the database was replaced: compare the key with it */

/* Keys replaced after a restore stay allocated: a request may still be using them. */
struct retired_key {
    struct signing_key key;
    struct retired_key *next;
};
static struct retired_key *retired;

/* Verified tokens, direct-mapped by hash: a collision only costs a re-verification. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char hash[SHA256_HEX_LEN];
    struct token_claims claims;
} cache[CACHE_SLOTS];

static enum status store_key(struct db *db, void *pem)
{
    return store_setting_put_once(db, SETTING_KEY, pem, strlen(pem));
}

/* Loads the key from the database, making it first when there is none. */
static enum status load_key(struct db *db)
{
    char *fresh = NULL;
    unsigned char *pem = NULL;
    size_t len;
    unsigned char digest[32];
    enum status st;

    st = store_setting_get(db, SETTING_KEY, &pem, &len);
    if (st == ST_NOT_FOUND) {
        st = crypto_rsa_generate_pem(&fresh);
        if (st == ST_OK)
            st = db_transact(db, store_key, fresh);
        if (st == ST_OK)
            st = store_setting_get(db, SETTING_KEY, &pem, &len);
    }
    if (st != ST_OK)
        goto out;
    st = crypto_rsa_public_parts((char *)pem, &key.public_pem, &key.n, &key.e);
    if (st != ST_OK)
        goto out;
    key.private_pem = (char *)pem;
    pem = NULL;
    /* Shaped like the vendor's: base64 of a 32-byte digest of the public key. */
    crypto_hmac_sha256("kid", 3, key.public_pem, strlen(key.public_pem), digest);
    crypto_base64(digest, sizeof(digest), key.kid);
    key_loaded = 1;
out:
    free(fresh);
    free(pem);
    return st;
}

/* After a restore: the database's key wins; a database without one (a snapshot older than
 * the first login) gets the current key back, so no new RSA key is made and tokens stay
 * valid. Called with key_lock held. */
static enum status reconcile_key(struct db *db)
{
    unsigned char *pem = NULL;
    size_t len;
    struct retired_key *old;
    enum status st = store_setting_get(db, SETTING_KEY, &pem, &len);

    if (st == ST_NOT_FOUND)
        return db_transact(db, store_key, key.private_pem);
    if (st != ST_OK || strcmp((char *)pem, key.private_pem) == 0) {
        free(pem);
        return st;
    }
    free(pem);
    old = malloc(sizeof(*old));
    if (old == NULL)
        return ST_NOMEM;
    old->key = key;
    old->next = retired;
    retired = old;
    key_loaded = 0; /* load_key() overwrites each field: no reader ever sees NULL */
    return load_key(db);
}

static enum status ensure_key(struct db *db)
{
    enum status st = ST_OK;

    pthread_mutex_lock(&key_lock);
    if (key_loaded && atomic_exchange(&key_check, 0))
        st = reconcile_key(db);
    if (st == ST_OK && !key_loaded)
        st = load_key(db);
    pthread_mutex_unlock(&key_lock);
    return st;
}

enum status token_issue(struct db *db, const struct user_row *user, int64_t now, char **out)
{
    jwt_t *jwt = NULL;
    char *text = NULL;
    enum status st = ensure_key(db);

    if (st != ST_OK)
        return st;
    st = ST_INTERNAL;
    if (jwt_new(&jwt) != 0)
        return ST_NOMEM;
    if (jwt_set_alg(jwt, JWT_ALG_RS256, (const unsigned char *)key.private_pem,
                    (int)strlen(key.private_pem)) != 0 ||
        jwt_add_header(jwt, "kid", key.kid) != 0 || jwt_add_grant(jwt, "sub", user->id) != 0 ||
        jwt_add_grant(jwt, "aud", TOKEN_AUDIENCE) != 0 ||
        jwt_add_grant(jwt, "token_use", "id") != 0 ||
        jwt_add_grant(jwt, "iss", TOKEN_ISSUER) != 0 ||
        jwt_add_grant(jwt, "cognito:username", user->id) != 0 ||
        jwt_add_grant(jwt, "custom:tenant-id", user->system_id) != 0 ||
        jwt_add_grant_int(jwt, "auth_time", (long)now) != 0 ||
        jwt_add_grant_int(jwt, "iat", (long)now) != 0 ||
        jwt_add_grant_int(jwt, "exp", (long)(now + TOKEN_LIFETIME)) != 0)
        goto out;
    text = jwt_encode_str(jwt);
    if (text == NULL)
        goto out;
    *out = text;
    st = ST_OK;
out:
    jwt_free(jwt);
    return st;
}

static size_t slot_of(const char *hash)
{
    char head[9];

    memcpy(head, hash, 8);
    head[8] = '\0';
    return strtoul(head, NULL, 16) % CACHE_SLOTS;
}

static int cache_lookup(const char *hash, struct token_claims *out)
{
    size_t slot = slot_of(hash);
    int hit;

    pthread_mutex_lock(&cache_lock);
    hit = strcmp(cache[slot].hash, hash) == 0;
    if (hit)
        *out = cache[slot].claims;
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

static void cache_store(const char *hash, const struct token_claims *claims)
{
    size_t slot = slot_of(hash);

    pthread_mutex_lock(&cache_lock);
    memcpy(cache[slot].hash, hash, SHA256_HEX_LEN);
    cache[slot].claims = *claims;
    pthread_mutex_unlock(&cache_lock);
}

/* Checks what a signature alone does not: algorithm, key id and the claims we rely on. */
static enum status read_claims(jwt_t *jwt, struct token_claims *out, char *detail, size_t len)
{
    const char *kid = jwt_get_header(jwt, "kid");
    const char *sub = jwt_get_grant(jwt, "sub");
    const char *tenant = jwt_get_grant(jwt, "custom:tenant-id");
    const char *aud = jwt_get_grant(jwt, "aud");
    long exp = jwt_get_grant_int(jwt, "exp");

    if (jwt_get_alg(jwt) != JWT_ALG_RS256) {
        snprintf(detail, len, "token must be signed with RS256");
        return ST_UNAUTHENTICATED;
    }
    if (kid == NULL || strcmp(kid, key.kid) != 0 || aud == NULL ||
        strcmp(aud, TOKEN_AUDIENCE) != 0 || sub == NULL || strlen(sub) != UUID_STR_LEN - 1 ||
        tenant == NULL || strlen(tenant) != UUID_STR_LEN - 1 || exp <= 0) {
        snprintf(detail, len, "token was not issued by this emulator");
        return ST_UNAUTHENTICATED;
    }
    memcpy(out->user_id, sub, UUID_STR_LEN);
    memcpy(out->system_id, tenant, UUID_STR_LEN);
    out->issued_at = jwt_get_grant_int(jwt, "iat");
    out->expires_at = exp;
    return ST_OK;
}

/* libjwt 1.10 decodes base64 loosely, so one token would have many spellings: insist on
 * three canonical base64url segments and an RS256 signature of the key's size. */
static int canonical(const char *token)
{
    unsigned char bytes[2048];
    char piece[2800];
    size_t len = 0;
    int parts = 0;

    for (const char *seg = token;; parts++) {
        const char *dot = strchr(seg, '.');
        size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
        if (n == 0 || n >= sizeof(piece) || parts == 3)
            return 0;
        memcpy(piece, seg, n);
        piece[n] = '\0';
        if (crypto_base64url_decode(piece, bytes, sizeof(bytes), &len) != ST_OK)
            return 0;
        if (dot == NULL)
            return parts == 2 && len == TOKEN_SIGNATURE_LEN;
        seg = dot + 1;
    }
}

enum status token_verify(struct db *db, const char *token, struct token_claims *out, char *detail,
                         size_t detail_len)
{
    char hash[SHA256_HEX_LEN];
    jwt_t *jwt = NULL;
    enum status st = ensure_key(db);

    if (st != ST_OK)
        return st;
    if (strlen(token) > 8192) {
        snprintf(detail, detail_len, "token is malformed");
        return ST_UNAUTHENTICATED;
    }
    crypto_sha256_hex(token, strlen(token), hash);
    if (cache_lookup(hash, out))
        return ST_OK;
    if (!canonical(token)) {
        snprintf(detail, detail_len, "token is malformed");
        return ST_UNAUTHENTICATED;
    }
    if (jwt_decode(&jwt, token, (const unsigned char *)key.public_pem,
                   (int)strlen(key.public_pem)) != 0 ||
        jwt == NULL) {
        snprintf(detail, detail_len, "token is malformed or its signature is invalid");
        return ST_UNAUTHENTICATED;
    }
    st = read_claims(jwt, out, detail, detail_len);
    jwt_free(jwt);
    if (st == ST_OK)
        cache_store(hash, out);
    return st;
}

enum status token_jwks(struct db *db, json_object **out)
{
    json_object *doc, *keys, *jwk;
    enum status st = ensure_key(db);

    if (st != ST_OK)
        return st;
    doc = json_object_new_object();
    keys = json_object_new_array();
    jwk = json_object_new_object();
    if (doc == NULL || keys == NULL || jwk == NULL) {
        json_object_put(doc);
        json_object_put(keys);
        json_object_put(jwk);
        return ST_NOMEM;
    }
    json_object_object_add(jwk, "kty", json_object_new_string("RSA"));
    json_object_object_add(jwk, "alg", json_object_new_string("RS256"));
    json_object_object_add(jwk, "use", json_object_new_string("sig"));
    json_object_object_add(jwk, "kid", json_object_new_string(key.kid));
    json_object_object_add(jwk, "n", json_object_new_string(key.n));
    json_object_object_add(jwk, "e", json_object_new_string(key.e));
    json_object_array_add(keys, jwk);
    json_object_object_add(doc, "keys", keys);
    *out = doc;
    return ST_OK;
}

void token_forget(void)
{
    atomic_store(&key_check, 1);
    pthread_mutex_lock(&cache_lock);
    memset(cache, 0, sizeof(cache));
    pthread_mutex_unlock(&cache_lock);
}
