#include "control/api_keys.h"

#include <stdio.h>
#include <stdlib.h>

#include "control/systems.h"
#include "http/paging.h"
#include "http/ratelimit.h"
#include "lib/crypto.h"
#include "lib/timefmt.h"
#include "sim/clock.h"
#include "store/api_keys.h"

static json_object *render_key(const void *row)
{
    const struct api_key_row *k = row;
    json_object *o = json_object_new_object();
    char created[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(k->created_at, created);
    json_object_object_add(o, "key", json_object_new_string(k->key));
    json_object_object_add(o, "name", json_object_new_string(k->name));
    json_object_object_add(o, "requestsPerSecond",
                           json_object_new_int64((int64_t)k->requests_per_second));
    json_object_object_add(o, "burst", json_object_new_int64(k->burst));
    if (k->system_id[0] != '\0')
        json_object_object_add(o, "systemId", json_object_new_string(k->system_id));
    json_object_object_add(o, "creationDatetime", json_object_new_string(created));
    return o;
}

struct create_in {
    const char *name;
    int64_t rate;
    int64_t burst;
    struct api_key_row row;
};

static enum status create_tx(struct db *db, void *ctx)
{
    return store_api_key_insert(db, &((struct create_in *)ctx)->row);
}

enum status api_keys_create(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"name", SPEC_STRING, SPEC_REQUIRED, 1, 255, NULL, offsetof(struct create_in, name)},
        {"requestsPerSecond", SPEC_INT, 0, 1, 1000000, NULL, offsetof(struct create_in, rate)},
        {"burst", SPEC_INT, 0, 1, 1000000, NULL, offsetof(struct create_in, burst)},
    };
    struct create_in in = {.rate = (int64_t)DEFAULT_RATE_PER_SECOND, .burst = DEFAULT_BURST};
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), &in, NULL);

    if (st != ST_OK)
        return st;
    crypto_random_base64url(30, in.row.key);
    snprintf(in.row.name, sizeof(in.row.name), "%s", in.name);
    in.row.requests_per_second = (double)in.rate;
    in.row.burst = in.burst;
    in.row.created_at = clock_wall_now();
    st = db_transact(req->db, create_tx, &in);
    return st != ST_OK ? st : respond_json(res, 201, render_key(&in.row));
}

static enum status fetch_keys(struct db *db, const void *query, const int64_t after[2], void *rows,
                              size_t cap, size_t *n)
{
    (void)query;
    return store_api_key_list(db, after[0], rows, cap, n);
}

enum status api_keys_list(struct request *req, struct response *res)
{
    struct page pg;
    enum status st = paging_begin(req, &pg, "api-keys");

    return st != ST_OK ? st
                       : paging_list(req, res, &pg, sizeof(struct api_key_row), fetch_keys, NULL,
                                     render_key, paging_keys_seq);
}

static enum status delete_tx(struct db *db, void *key)
{
    return store_api_key_delete(db, key);
}

enum status api_keys_delete(struct request *req, struct response *res)
{
    const char *key = request_param(req, "key");
    enum status st = db_transact(req->db, delete_tx, (void *)key);

    if (st != ST_OK)
        return st;
    ratelimit_forget(key);
    return respond_empty(res);
}
