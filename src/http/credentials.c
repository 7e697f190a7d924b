#include "http/credentials.h"

#include <string.h>

#include "lib/crypto.h"

#define KEY_SLOTS 8
#define BEARER_SLOTS 16

struct key_entry {
    uint64_t epoch; /* 0: empty (the epoch a slot was filled at is stored plus one) */
    struct api_key_row row;
};

struct bearer_entry {
    uint64_t epoch;
    char hash[SHA256_HEX_LEN];
    struct bearer bearer;
};

/* Per thread, so a hit takes no lock. Slots are reused round-robin. */
static _Thread_local struct key_entry keys[KEY_SLOTS];
static _Thread_local struct bearer_entry bearers[BEARER_SLOTS];
static _Thread_local unsigned next_key, next_bearer;

enum status credentials_api_key(struct db *db, const char *key, struct api_key_row *out)
{
    uint64_t epoch = db_auth_epoch() + 1;
    struct key_entry *e;
    enum status st;

    for (size_t i = 0; i < KEY_SLOTS; i++) {
        if (keys[i].epoch == epoch && strcmp(keys[i].row.key, key) == 0) {
            *out = keys[i].row;
            return ST_OK;
        }
    }
    if ((st = store_api_key_get(db, key, out)) != ST_OK)
        return st;
    e = &keys[next_key++ % KEY_SLOTS];
    e->epoch = epoch;
    e->row = *out;
    return ST_OK;
}

static enum status read_bearer(struct db *db, const char *token, struct bearer *out,
                               char *detail, size_t detail_len)
{
    enum status st = token_verify(db, token, &out->claims, detail, detail_len);

    if (st == ST_OK)
        st = store_system_get(db, out->claims.system_id, &out->system);
    if (st == ST_OK)
        st = store_user_get(db, out->claims.system_id, out->claims.user_id, &out->user);
    return st;
}

enum status credentials_bearer(struct db *db, const char *token, struct bearer *out,
                               char *detail, size_t detail_len)
{
    uint64_t epoch = db_auth_epoch() + 1;
    char hash[SHA256_HEX_LEN];
    struct bearer_entry *e;
    enum status st;

    crypto_sha256_hex(token, strlen(token), hash);
    for (size_t i = 0; i < BEARER_SLOTS; i++) {
        if (bearers[i].epoch == epoch && strcmp(bearers[i].hash, hash) == 0) {
            *out = bearers[i].bearer;
            return ST_OK;
        }
    }
    if ((st = read_bearer(db, token, out, detail, detail_len)) != ST_OK)
        return st;
    e = &bearers[next_bearer++ % BEARER_SLOTS];
    e->epoch = epoch;
    memcpy(e->hash, hash, SHA256_HEX_LEN);
    e->bearer = *out;
    return ST_OK;
}
