#include "http/paging.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "store/settings.h"

#define SETTING_KEY "page_token_key"

static unsigned char token_key[PAGE_TOKEN_KEY_LEN];

static enum status put_key(struct db *db, void *ctx)
{
    return store_setting_put_once(db, SETTING_KEY, ctx, PAGE_TOKEN_KEY_LEN);
}

/* The key a store without one gets: drawn once, by paging_seed() or else paging_init(). */
static unsigned char fresh[PAGE_TOKEN_KEY_LEN];
static int drawn;

enum status paging_seed(void)
{
    rng_bytes(fresh, sizeof(fresh));
    drawn = 1;
    return db_seed_setting(SETTING_KEY, fresh, sizeof(fresh));
}

enum status paging_init(struct db *db)
{
    unsigned char *stored = NULL;
    size_t len = 0;
    enum status st;

    if (!drawn)
        rng_bytes(fresh, sizeof(fresh));
    drawn = 1;
    st = db_transact(db, put_key, fresh);
    if (st == ST_OK)
        st = store_setting_get(db, SETTING_KEY, &stored, &len);
    if (st == ST_OK && len != PAGE_TOKEN_KEY_LEN)
        st = ST_INTERNAL;
    if (st == ST_OK)
        memcpy(token_key, stored, PAGE_TOKEN_KEY_LEN);
    free(stored);
    return st;
}

enum status paging_reload(struct db *db)
{
    unsigned char current[PAGE_TOKEN_KEY_LEN], *stored = NULL;
    size_t len = 0;
    enum status st;

    /* A database without a key (a snapshot older than it) gets the current one back. */
    memcpy(current, token_key, sizeof(current));
    st = db_transact(db, put_key, current);
    if (st == ST_OK)
        st = store_setting_get(db, SETTING_KEY, &stored, &len);
    if (st == ST_OK && len != PAGE_TOKEN_KEY_LEN)
        st = ST_INTERNAL;
    if (st == ST_OK && memcmp(token_key, stored, PAGE_TOKEN_KEY_LEN) != 0)
        memcpy(token_key, stored, PAGE_TOKEN_KEY_LEN);
    free(stored);
    return st;
}

enum status paging_begin(struct request *req, struct page *pg, const char *scope_fmt, ...)
{
    static const struct spec_field fields[] = {
        {"limit", SPEC_INT, 0, 1, PAGE_MAX_LIMIT, NULL, 0},
    };
    int64_t limit = PAGE_DEFAULT_LIMIT;
    const char *token = request_query(req, "next-page-token");
    enum status st;
    va_list ap;

    memset(pg, 0, sizeof(*pg));
    va_start(ap, scope_fmt);
    vsnprintf(pg->scope, sizeof(pg->scope), scope_fmt, ap);
    va_end(ap);
    st = request_decode_query(req, fields, COUNT_OF(fields), &limit, NULL);
    if (token != NULL) {
        if (page_token_decode(token_key, pg->scope, token, pg->after) == ST_OK)
            pg->has_position = 1;
        else
            st = problem_invalid(&req->problem, "next-page-token",
                                 "is not a token issued for this list");
    }
    pg->limit = (size_t)limit;
    return st;
}

enum status paging_respond(struct response *res, const struct page *pg, const void *rows,
                           size_t row_size, size_t n, paging_render_fn render,
                           paging_keys_fn keys_of)
{
    json_object *body = json_object_new_object(), *items = json_object_new_array();
    size_t shown = n < pg->limit ? n : pg->limit;
    const char *base = rows;

    if (body == NULL || items == NULL)
        goto nomem;
    for (size_t i = 0; i < shown; i++) {
        json_object *item = render(base + i * row_size);
        if (item == NULL || json_object_array_add(items, item) != 0)
            goto nomem;
    }
    json_object_object_add(body, "items", items);
    items = NULL;
    if (n > pg->limit) {
        char token[PAGE_TOKEN_MAX_LEN];
        int64_t keys[2] = {0, 0};
        keys_of(base + (shown - 1) * row_size, keys);
        page_token_encode(token_key, pg->scope, keys, token);
        json_object_object_add(body, "nextPageToken", json_object_new_string(token));
    }
    return respond_json(res, 200, body);
nomem:
    json_object_put(items);
    json_object_put(body);
    return ST_NOMEM;
}

enum status paging_list(struct request *req, struct response *res, const struct page *pg,
                        size_t row_size, paging_fetch_fn fetch, const void *query,
                        paging_render_fn render, paging_keys_fn keys_of)
{
    void *rows = malloc((pg->limit + 1) * row_size); /* fetch fills what it returns */
    size_t n = 0;
    enum status st = rows ? fetch(req->db, query, pg->after, rows, pg->limit + 1, &n) : ST_NOMEM;

    if (st == ST_OK)
        st = paging_respond(res, pg, rows, row_size, n, render, keys_of);
    free(rows);
    return st;
}

void paging_keys_seq(const void *row_seq, int64_t keys[2])
{
    /* Every row struct starts with its int64_t seq. */
    keys[0] = *(const int64_t *)row_seq;
    keys[1] = 0;
}
