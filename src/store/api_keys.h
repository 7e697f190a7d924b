/*
 * api_keys.h — application API keys and their rate limits. A key made together with a
 * system belongs to it and goes with it; keys made through /api-keys stand alone.
 */
#ifndef KE_STORE_API_KEYS_H
#define KE_STORE_API_KEYS_H

#include "lib/rng.h"
#include "store/db.h"

struct api_key_row {
    int64_t seq;
    char key[64];
    char name[1024];
    double requests_per_second;
    int64_t burst;
    char system_id[UUID_STR_LEN]; /* "" when the key stands alone */
    int64_t created_at;
};

enum status store_api_key_insert(struct db *db, const struct api_key_row *row);
enum status store_api_key_get(struct db *db, const char *key, struct api_key_row *out);
enum status store_api_key_list(struct db *db, int64_t after_seq, struct api_key_row *rows,
                               size_t cap, size_t *n);
/* The first key made for the system; ST_NOT_FOUND when it has none left. */
enum status store_api_key_of_system(struct db *db, const char *system_id, struct api_key_row *out);
enum status store_api_key_delete(struct db *db, const char *key);

#endif
