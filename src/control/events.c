#include "control/events.h"

#include <stdio.h>
#include <stdlib.h>

#include "events/outbox.h"
#include "http/paging.h"
#include "lib/timefmt.h"
#include "sim/clock.h"
#include "store/messages.h"
#include "store/outbox.h"

/* The vendor's flat body, plus the virtual time the event happened. */
static json_object *render_event(const void *row)
{
    const struct event_row *e = row;
    json_object *o = json_tokener_parse(e->body);
    char when[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(e->occurred_at, when);
    json_object_object_add(o, "occurredDatetime", json_object_new_string(when));
    return o;
}

#define EVENTS_MAX_WAIT_S 30

struct events_query {
    const char *type;
    const char *after;
    int64_t wait; /* seconds to long-poll while nothing matches */
};

/* Checks that the system exists: the control API answers 404 for unknown systems. */
static enum status find_system(struct request *req, const char **id)
{
    *id = request_param(req, "system-id");
    return store_system_get(req->db, *id, &req->system);
}

/* Reads the page; with wait, reads again each time events commit (the outbox bell) until
 * something matches or the time is up. The worker waits on a condition variable. */
static enum status read_events(struct request *req, const char *system_id,
                               const struct events_query *q, const struct page *pg,
                               struct event_row *rows, size_t *n)
{
    int64_t deadline_ns = clock_monotonic_ns() + q->wait * 1000000000LL, left_ms;
    enum status st;

    for (;;) {
        uint64_t seen = outbox_rings();
        st = store_outbox_list(req->db, system_id, q->type, pg->after[0], rows, pg->limit + 1, n);
        left_ms = (deadline_ns - clock_monotonic_ns()) / 1000000;
        if (st != ST_OK || *n > 0 || left_ms <= 0)
            return st;
        outbox_wait_ring(seen, left_ms);
    }
}

enum status events_list(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"type", SPEC_STRING, 0, 1, 63, NULL, offsetof(struct events_query, type)},
        {"after", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct events_query, after)},
        {"wait", SPEC_INT, 0, 0, EVENTS_MAX_WAIT_S, NULL, offsetof(struct events_query, wait)},
    };
    struct events_query q = {0};
    struct event_row *rows = NULL;
    struct page pg;
    const char *system_id;
    size_t n = 0;
    enum status st = find_system(req, &system_id);

    if (st != ST_OK)
        return st;
    st = request_decode_query(req, fields, COUNT_OF(fields), &q, NULL);
    if (paging_begin(req, &pg, "events|%s|%s|%s", system_id, q.type ? q.type : "",
                     q.after ? q.after : "") != ST_OK || st != ST_OK)
        return ST_INVALID;
    if (!pg.has_position && q.after != NULL) {
        st = store_outbox_seq_of(req->db, system_id, q.after, &pg.after[0]);
        if (st == ST_NOT_FOUND)
            return problem_invalid(&req->problem, "after", "is not an event of this system");
        if (st != ST_OK)
            return st;
    }
    rows = calloc(pg.limit + 1, sizeof(*rows));
    if (rows == NULL)
        return ST_NOMEM;
    st = read_events(req, system_id, &q, &pg, rows, &n);
    if (st == ST_OK)
        st = paging_respond(res, &pg, rows, sizeof(*rows), n, render_event, paging_keys_seq);
    store_outbox_rows_release(rows, n);
    free(rows);
    return st;
}

static json_object *render_message(const void *row)
{
    const struct message_row *m = row;
    json_object *o = json_object_new_object();
    char when[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(m->created_at, when);
    json_object_object_add(o, "id", json_object_new_string(m->id));
    json_object_object_add(o, "channel", json_object_new_string(m->channel));
    json_object_object_add(o, "recipient", json_object_new_string(m->recipient));
    json_object_object_add(o, "subjectId", json_object_new_string(m->subject));
    json_object_object_add(o, "text", json_object_new_string(m->text));
    json_object_object_add(o, "creationDatetime", json_object_new_string(when));
    return o;
}

static enum status fetch_messages(struct db *db, const void *system_id, const int64_t after[2],
                                  void *rows, size_t cap, size_t *n)
{
    return store_message_list(db, system_id, after[0], rows, cap, n);
}

enum status messages_list(struct request *req, struct response *res)
{
    struct page pg;
    const char *system_id;
    enum status st = find_system(req, &system_id);

    if (st == ST_OK)
        st = paging_begin(req, &pg, "messages|%s", system_id);
    return st != ST_OK ? st
                       : paging_list(req, res, &pg, sizeof(struct message_row), fetch_messages,
                                     system_id, render_message, paging_keys_seq);
}
