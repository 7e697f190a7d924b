#include "control/triggers.h"

#include <stdlib.h>

#include "events/event_types.h"
#include "sim/stories.h"
#include "store/outbox.h"

#define EVENTS_PAGE 64

struct trigger_ctx {
    struct request *req;
    const char *event_type;
    struct story_report report;
};

static enum status trigger_tx(struct db *db, void *ctx)
{
    struct trigger_ctx *c = ctx;

    return sim_story_run(db, c->req->system.id, c->event_type, &c->report, &c->req->problem);
}

static json_object *render_items(const struct story_item *items, size_t n)
{
    json_object *a = json_object_new_array();

    for (size_t i = 0; a != NULL && i < n; i++) {
        json_object *o = json_object_new_object();
        if (o == NULL)
            break;
        json_object_object_add(o, "kind", json_object_new_string(items[i].kind));
        json_object_object_add(o, "id", json_object_new_string(items[i].id));
        json_object_array_add(a, o);
    }
    return a;
}

/* The story's events, read back from the event log after the commit: those of the system
 * in (first_seq, last_seq], whoever emitted them (a job of the site that was due, too). */
static enum status render_emitted(struct request *req, const struct story_report *r,
                                  json_object *out)
{
    struct event_row *rows = calloc(EVENTS_PAGE, sizeof(*rows));
    int64_t after = r->first_seq;
    size_t n = EVENTS_PAGE;
    enum status st = rows ? ST_OK : ST_NOMEM;

    while (st == ST_OK && n == EVENTS_PAGE && after < r->last_seq) {
        st = store_outbox_list(req->db, req->system.id, NULL, after, rows, EVENTS_PAGE, &n);
        for (size_t i = 0; st == ST_OK && i < n && rows[i].seq <= r->last_seq; i++) {
            json_object *o = json_object_new_object();
            if (o == NULL) {
                st = ST_NOMEM;
                break;
            }
            json_object_object_add(o, "eventId", json_object_new_string(rows[i].id));
            json_object_object_add(o, "eventType", json_object_new_string(rows[i].event_type));
            json_object_array_add(out, o);
        }
        if (st == ST_OK && n > 0)
            after = rows[n - 1].seq;
        store_outbox_rows_release(rows, n);
    }
    free(rows);
    return st;
}

static json_object *render(struct request *req, const struct trigger_ctx *c)
{
    json_object *o = json_object_new_object(), *emitted = json_object_new_array();

    if (o == NULL || emitted == NULL || render_emitted(req, &c->report, emitted) != ST_OK) {
        json_object_put(o);
        json_object_put(emitted);
        return NULL;
    }
    json_object_object_add(o, "eventType", json_object_new_string(c->event_type));
    json_object_object_add(o, "story", json_object_new_string(c->report.text));
    json_object_object_add(o, "created", render_items(c->report.created, c->report.ncreated));
    json_object_object_add(o, "deleted", render_items(c->report.deleted, c->report.ndeleted));
    json_object_object_add(o, "emitted", emitted);
    return o;
}

enum status triggers_run(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"eventType", SPEC_ENUM, SPEC_REQUIRED, 0, 0, event_type_names,
         offsetof(struct trigger_ctx, event_type)},
    };
    const char *system_id = request_param(req, "system-id");
    struct trigger_ctx *c = calloc(1, sizeof(*c));
    enum status st = c ? store_system_get(req->db, system_id, &req->system) : ST_NOMEM;

    if (st == ST_NOT_FOUND)
        st = request_fail(req, st, "no system '%s'", system_id);
    if (st != ST_OK)
        goto out;
    c->req = req;
    /* No body at all misses eventType like {} does, and is told so the same way. */
    if (req->body == NULL && (req->body = json_object_new_object()) == NULL) {
        st = ST_NOMEM;
        goto out;
    }
    st = request_decode_body(req, fields, COUNT_OF(fields), c, NULL);
    if (st == ST_OK)
        st = db_transact(req->db, trigger_tx, c);
    if (st == ST_OK)
        st = respond_json(res, 200, render(req, c));
out:
    free(c);
    return st;
}
