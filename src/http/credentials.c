#include "http/credentials.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KEY_SLOTS 8
#define BEARER_SLOTS 16
#define TOKEN_CACHED_MAX 2048 /* ours are ~700 bytes; a longer one is simply not kept */

struct key_entry {
    uint64_t epoch; /* the epoch it was read at, plus one: 0 marks an empty slot */
    struct api_key_row row;
};

struct bearer_entry {
    uint64_t epoch;
    char token[TOKEN_CACHED_MAX];
    struct bearer bearer;
};

/* One per worker thread, so a hit takes no lock; allocated on the thread's first request
 * (threads that never authenticate carry none) and freed when the thread ends. Slots are
 * reused round-robin. */
struct cache {
    struct key_entry keys[KEY_SLOTS];
    struct bearer_entry bearers[BEARER_SLOTS];
    unsigned next_key, next_bearer;
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_cache;

static void make_key(void)
{
    pthread_key_create(&thread_cache, free);
}

/* NULL when out of memory: then nothing is cached and every lookup reads the store. */
static struct cache *this_thread(void)
{
    struct cache *c;

    pthread_once(&once, make_key);
    c = pthread_getspecific(thread_cache);
    if (c == NULL && (c = calloc(1, sizeof(*c))) != NULL &&
        pthread_setspecific(thread_cache, c) != 0) {
        free(c);
        c = NULL;
    }
    return c;
}

enum status credentials_api_key(struct db *db, const char *key, struct api_key_row *out)
{
    uint64_t epoch = db_auth_epoch() + 1;
    struct cache *c = this_thread();
    struct key_entry *e;
    enum status st;

    for (size_t i = 0; c != NULL && i < KEY_SLOTS; i++) {
        if (c->keys[i].epoch == epoch && strcmp(c->keys[i].row.key, key) == 0) {
            *out = c->keys[i].row;
            return ST_OK;
        }
    }
    if ((st = store_api_key_get(db, key, out)) != ST_OK || c == NULL)
        return st;
    e = &c->keys[c->next_key++ % KEY_SLOTS];
    e->epoch = epoch;
    e->row = *out;
    return ST_OK;
}

static enum status read_bearer(struct db *db, const char *token, struct bearer *out, char *detail,
                               size_t detail_len)
{
    enum status st = token_verify(db, token, &out->claims, detail, detail_len);

    if (st == ST_OK)
        st = store_system_get(db, out->claims.system_id, &out->system);
    if (st == ST_OK)
        st = store_user_get(db, out->claims.system_id, out->claims.user_id, &out->user);
    return st;
}

enum status credentials_bearer(struct db *db, const char *token, struct bearer *out, char *detail,
                               size_t detail_len)
{
    uint64_t epoch = db_auth_epoch() + 1;
    struct cache *c = this_thread();
    size_t len = strlen(token);
    struct bearer_entry *e;
    enum status st;

    for (size_t i = 0; c != NULL && i < BEARER_SLOTS; i++) {
        if (c->bearers[i].epoch == epoch && strcmp(c->bearers[i].token, token) == 0) {
            *out = c->bearers[i].bearer;
            return ST_OK;
        }
    }
    if ((st = read_bearer(db, token, out, detail, detail_len)) != ST_OK || c == NULL ||
        len >= TOKEN_CACHED_MAX)
        return st;
    e = &c->bearers[c->next_bearer++ % BEARER_SLOTS];
    e->epoch = epoch;
    memcpy(e->token, token, len + 1);
    e->bearer = *out;
    return ST_OK;
}
