#include "control/snapshots.h"

#include <stdlib.h>

#include "control/fixtures.h"
#include "events/dispatcher.h"
#include "events/outbox.h"
#include "http/paging.h"
#include "http/ratelimit.h"
#include "http/token.h"
#include "lib/timefmt.h"
#include "sim/ca.h"
#include "sim/clock.h"
#include "sim/scheduler.h"
#include "store/snapshots.h"

#define NAME_RULE "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"

static json_object *render_snapshot(const struct snapshot_info *s)
{
    json_object *o = json_object_new_object();
    char when[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(s->created_at, when);
    json_object_object_add(o, "name", json_object_new_string(s->name));
    json_object_object_add(o, "createdDatetime", json_object_new_string(when));
    json_object_object_add(o, "sizeBytes", json_object_new_int64(s->size_bytes));
    return o;
}

/* Caches that mirror the database, dropped while the restore or wipe still holds the write
 * lock, so that no transaction after it uses a key the database no longer has. */
static enum status forget_caches(struct db *db, void *ctx)
{
    outbox_replaced(ctx);
    token_forget();
    db_auth_epoch_bump();
    db_subscriptions_epoch_bump();
    ca_forget();
    ratelimit_forget_all();
    return paging_reload(db);
}

/* The clocks' jobs and the outbox changed under the threads, the long polls and the event
 * streams: have them look again. */
static void wake_threads(void)
{
    scheduler_poke();
    dispatcher_poke();
    outbox_ring();
}

enum status snapshots_create(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"name", SPEC_STRING, SPEC_REQUIRED, 1, SNAPSHOT_NAME_MAX, NULL, 0},
    };
    const char *name = NULL;
    struct snapshot_info info;
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), &name, NULL);

    if (st != ST_OK)
        return st;
    if (!store_snapshot_name_ok(name))
        return problem_invalid(&req->problem, "name", NAME_RULE);
    st = store_snapshot_create(req->db, name, clock_wall_now(), &info);
    if (st == ST_CONFLICT)
        return request_fail(req, st, "a snapshot named '%s' exists already", name);
    if (st == ST_INVALID)
        return request_fail(req, ST_INTERNAL, "the snapshot's file name is too long");
    return st != ST_OK ? st : respond_json(res, 201, render_snapshot(&info));
}

enum status snapshots_list(struct request *req, struct response *res)
{
    struct snapshot_info *rows = NULL;
    size_t n = 0;
    json_object *body, *items;
    enum status st = store_snapshot_list(req->db, &rows, &n);

    if (st != ST_OK)
        return st;
    body = json_object_new_object();
    items = json_object_new_array();
    for (size_t i = 0; body && items && i < n; i++)
        json_object_array_add(items, render_snapshot(&rows[i]));
    free(rows);
    if (body == NULL || items == NULL) {
        json_object_put(body);
        json_object_put(items);
        return ST_NOMEM;
    }
    json_object_object_add(body, "items", items);
    return respond_json(res, 200, body);
}

enum status snapshots_restore(struct request *req, struct response *res)
{
    const char *name = request_param(req, "name");
    struct snapshot_info info;
    enum status st = store_snapshot_restore(req->db, name, forget_caches, "restore", &info);

    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no snapshot named '%s'", name);
    if (st == ST_CONFLICT)
        return request_fail(
            req, st, "snapshot '%s' was made with other migrations than this emulator's", name);
    if (st != ST_OK)
        return st;
    wake_threads();
    return respond_json(res, 200, render_snapshot(&info));
}

enum status state_reset(struct request *req, struct response *res)
{
    int tables = 0;
    json_object *body;
    enum status st = store_reset(req->db, forget_caches, "reset", &tables);

    if (st != ST_OK)
        return st;
    wake_threads();
    body = json_object_new_object();
    if (body == NULL)
        return ST_NOMEM;
    json_object_object_add(body, "tablesEmptied", json_object_new_int(tables));
    return respond_json(res, 200, body);
}

static json_object *render_loaded(const struct fixture_result *r)
{
    json_object *body = json_object_new_object(), *systems = json_object_new_array();

    if (body == NULL || systems == NULL) {
        json_object_put(body);
        json_object_put(systems);
        return NULL;
    }
    for (size_t i = 0; i < r->count; i++) {
        const struct fixture_system *s = &r->systems[i];
        json_object *o = json_object_new_object(), *admin = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_string(s->id));
        json_object_object_add(o, "name", json_object_new_string(s->name));
        json_object_object_add(o, "apiKey", json_object_new_string(s->api_key));
        json_object_object_add(admin, "userId", json_object_new_string(s->admin_user_id));
        json_object_object_add(admin, "accessKey", json_object_new_string(s->admin_access_key));
        json_object_object_add(o, "admin", admin);
        json_object_object_add(o, "existed", json_object_new_boolean(s->existed));
        json_object_array_add(systems, o);
    }
    json_object_object_add(body, "systems", systems);
    return body;
}

enum status fixtures_post(struct request *req, struct response *res)
{
    struct fixture_result loaded;
    json_object *body;
    enum status st = fixtures_load(req->db, req->body, &loaded, &req->problem);

    if (st != ST_OK)
        return st;
    wake_threads();
    body = render_loaded(&loaded);
    fixtures_result_release(&loaded);
    return body == NULL ? ST_NOMEM : respond_json(res, 201, body);
}
