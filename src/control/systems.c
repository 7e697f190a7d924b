#include "control/systems.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/outbox.h"
#include "http/paging.h"
#include "lib/crypto.h"
#include "lib/timefmt.h"
#include "sim/clock.h"

static const char *const clock_modes[] = {"real", "frozen", NULL};

enum status systems_add(struct db *db, const struct system_spec *spec, struct system_created *out)
{
    struct system_row *s = &out->system;
    struct api_key_row *k = &out->api_key;
    enum status st;
    int64_t now;

    memset(out, 0, sizeof(*out));
    if (spec->id != NULL && spec->id[0] != '\0')
        snprintf(s->id, sizeof(s->id), "%s", spec->id);
    else
        rng_uuid(s->id);
    snprintf(s->name, sizeof(s->name), "%s", spec->name ? spec->name : "Emulated system");
    clock_setup(s, spec->clock_mode ? spec->clock_mode : "real", spec->clock_time);
    now = clock_system_now(s);
    s->created_at = now;
    if ((st = store_system_insert(db, s)) != ST_OK)
        return st;

    if (spec->api_key != NULL && spec->api_key[0] != '\0')
        snprintf(k->key, sizeof(k->key), "%s", spec->api_key);
    else
        crypto_random_base64url(30, k->key);
    snprintf(k->name, sizeof(k->name), "%s", s->name);
    snprintf(k->system_id, sizeof(k->system_id), "%s", s->id);
    k->requests_per_second = DEFAULT_RATE_PER_SECOND;
    k->burst = DEFAULT_BURST;
    k->created_at = clock_wall_now();
    if ((st = store_api_key_insert(db, k)) != ST_OK)
        return st;

    if (spec->admin_user_id != NULL)
        snprintf(out->admin.id, sizeof(out->admin.id), "%s", spec->admin_user_id);
    if (spec->admin_access_key != NULL)
        snprintf(out->access_key, sizeof(out->access_key), "%s", spec->admin_access_key);
    return domain_user_add(db, s->id, "ADMIN", now, &out->admin, out->access_key);
}

static json_object *render_clock(const struct system_row *s)
{
    json_object *o = json_object_new_object();
    char now[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(clock_system_now(s), now);
    json_object_object_add(o, "mode", json_object_new_string(s->clock.mode));
    json_object_object_add(o, "now", json_object_new_string(now));
    return o;
}

static json_object *render_system(const void *row)
{
    const struct system_row *s = row;
    json_object *o = json_object_new_object();
    char created[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(s->created_at, created);
    json_object_object_add(o, "id", json_object_new_string(s->id));
    json_object_object_add(o, "name", json_object_new_string(s->name));
    json_object_object_add(o, "clock", render_clock(s));
    json_object_object_add(o, "creationDatetime", json_object_new_string(created));
    return o;
}

json_object *systems_render_created(const struct system_created *c)
{
    json_object *o = render_system(&c->system), *admin = json_object_new_object();

    if (o == NULL || admin == NULL) {
        json_object_put(o);
        json_object_put(admin);
        return NULL;
    }
    json_object_object_add(o, "apiKey", json_object_new_string(c->api_key.key));
    json_object_object_add(admin, "userId", json_object_new_string(c->admin.id));
    json_object_object_add(admin, "accessKey", json_object_new_string(c->access_key));
    json_object_object_add(o, "admin", admin);
    return o;
}

struct clock_in {
    const char *mode;
    int64_t time;
};

enum status systems_decode_clock(json_object *clock, const char *where, struct system_spec *spec,
                                 struct problem *p)
{
    static const struct spec_field fields[] = {
        {"mode", SPEC_ENUM, SPEC_REQUIRED, 0, 0, clock_modes, offsetof(struct clock_in, mode)},
        {"time", SPEC_DATETIME, 0, 0, 0, NULL, offsetof(struct clock_in, time)},
    };
    struct problem inner = {0};
    struct clock_in in = {.time = 0};
    enum status st = spec_decode_json(fields, COUNT_OF(fields), clock, &in, NULL, &inner);

    if (st == ST_OK && strcmp(in.mode, "frozen") == 0 && in.time == 0)
        in.time = clock_wall_now();
    if (st == ST_OK) {
        spec->clock_mode = in.mode;
        spec->clock_time = in.time;
    } else {
        problem_merge(p, where, &inner);
    }
    problem_clear(&inner);
    return st;
}

struct create_ctx {
    struct system_spec spec;
    json_object *clock;
    struct system_created created;
};

static enum status create_tx(struct db *db, void *ctx)
{
    struct create_ctx *c = ctx;

    return systems_add(db, &c->spec, &c->created);
}

enum status systems_create(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"name", SPEC_STRING, 0, 1, 255, NULL, offsetof(struct create_ctx, spec.name)},
        {"clock", SPEC_OBJECT, 0, 0, 0, NULL, offsetof(struct create_ctx, clock)},
    };
    struct create_ctx *c = calloc(1, sizeof(*c));
    enum status st = ST_NOMEM;

    if (c == NULL)
        return ST_NOMEM;
    /* An empty body is a system with every default. */
    if (req->body == NULL && (req->body = json_object_new_object()) == NULL)
        goto out;
    st = request_decode_body(req, fields, COUNT_OF(fields), c, NULL);
    /* The clock is checked even when other fields failed, so that every fault is named. */
    if (c->clock != NULL &&
        systems_decode_clock(c->clock, "clock", &c->spec, &req->problem) != ST_OK)
        st = ST_INVALID;
    if (st == ST_OK)
        st = db_transact(req->db, create_tx, c);
    if (st == ST_OK)
        st = respond_json(res, 201, systems_render_created(&c->created));
out:
    free(c);
    return st;
}

static enum status fetch_systems(struct db *db, const void *query, const int64_t after[2],
                                 void *rows, size_t cap, size_t *n)
{
    (void)query;
    return store_system_list(db, after[0], rows, cap, n);
}

enum status systems_list(struct request *req, struct response *res)
{
    struct page pg;
    enum status st = paging_begin(req, &pg, "systems");

    return st != ST_OK ? st
                       : paging_list(req, res, &pg, sizeof(struct system_row), fetch_systems, NULL,
                                     render_system, paging_keys_seq);
}

enum status systems_get(struct request *req, struct response *res)
{
    struct system_row s;
    enum status st = store_system_get(req->db, request_param(req, "system-id"), &s);

    return st != ST_OK ? st : respond_json(res, 200, render_system(&s));
}

static enum status delete_tx(struct db *db, void *ctx)
{
    return store_system_delete(db, ctx);
}

enum status systems_delete(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, delete_tx, (void *)request_param(req, "system-id"));

    if (st == ST_OK)
        outbox_ring(); /* the system's event streams say it is gone, and end */
    return st != ST_OK ? st : respond_empty(res);
}
