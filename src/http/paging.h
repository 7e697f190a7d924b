/*
 * paging.h — the one paging scheme of every list.
 *
 * limit 1..100 (default 50) and an opaque next-page-token that encodes the last row's
 * keyset position, bound to the list's scope (resource, system, filters). Lists read
 * limit+1 rows after the position: the extra row only tells whether a next page exists.
 * Because positions are keys, not offsets, concurrent writes never make a reader skip or
 * repeat an item.
 */
#ifndef KE_HTTP_PAGING_H
#define KE_HTTP_PAGING_H

#include "http/request.h"
#include "lib/page_token.h"

#define PAGE_DEFAULT_LIMIT 50
#define PAGE_MAX_LIMIT 100

struct page {
    size_t limit;
    int has_position;
    int64_t after[2]; /* the position: keys of the last row already returned */
    char scope[320];
};

/* Makes a token key for the store to start with should db_open() create a new file
 * (db_seed_setting()); paging_init() then finds it there. Call before db_open(). */
enum status paging_seed(void);

/* Loads the token key from the database, or makes and stores it. Call once at start. */
enum status paging_init(struct db *db);

/* The database was restored or wiped: takes the key it holds (tokens of another key stop
 * being accepted), or stores the current key when it holds none. */
enum status paging_reload(struct db *db);

/* Reads limit and next-page-token of req for the list named by scope (printf-style).
 * ST_INVALID with invalidParams when either is bad. */
enum status paging_begin(struct request *req, struct page *pg, const char *scope_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Renders rows (n of them, row_size bytes apart; at most pg->limit are shown) as
 * {items, nextPageToken?}. keys_of(row, keys) gives a row's position. */
typedef json_object *(*paging_render_fn)(const void *row);
typedef void (*paging_keys_fn)(const void *row, int64_t keys[2]);
enum status paging_respond(struct response *res, const struct page *pg, const void *rows,
                           size_t row_size, size_t n, paging_render_fn render,
                           paging_keys_fn keys_of);

/* Reads one page: at most cap rows after the position `after` into rows; query is the
 * handler's own (system id, filters). */
typedef enum status (*paging_fetch_fn)(struct db *db, const void *query, const int64_t after[2],
                                       void *rows, size_t cap, size_t *n);

/* The body of every list handler once the page is known: fetches pg->limit + 1 rows of
 * row_size bytes (the extra one only tells whether a next page exists) and responds. */
enum status paging_list(struct request *req, struct response *res, const struct page *pg,
                        size_t row_size, paging_fetch_fn fetch, const void *query,
                        paging_render_fn render, paging_keys_fn keys_of);

/* The position keys of rows whose order is their seq alone. */
void paging_keys_seq(const void *row_seq, int64_t keys[2]);

#endif
