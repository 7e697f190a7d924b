#include "control/events.h"
#include "events/event_types.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/outbox.h"
#include "http/paging.h"
#include "http/sse.h"
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
#define TYPES_MAX 1100 /* a filter's text: every one of the vendor's event types fits */
#define TAIL_MAX 1000
#define STREAM_BATCH 64

struct events_query {
    const char *type;
    const char *after;
    int64_t wait; /* seconds to long-poll while nothing matches */
    int64_t tail; /* the stream starts with this many of the latest events */
};

/* Checks that the system exists: the control API answers 404 for unknown systems. */
static enum status find_system(struct request *req, const char **id)
{
    *id = request_param(req, "system-id");
    return store_system_get(req->db, *id, &req->system);
}

/* type=A,B becomes ",A,B," (the store's filter); "" when no type was given. Each name is
 * letters and digits, as every event type is. */
/* A filter naming a type the platform never emits would match nothing, forever: a typo (or a
 * case slip) is answered, naming it, instead of a stream that stays silent. */
static enum status parse_types(struct request *req, const char *text, char out[TYPES_MAX + 3])
{
    char name[TYPES_MAX + 1];

    out[0] = '\0';
    if (text == NULL)
        return ST_OK;
    for (const char *p = text;; p += strcspn(p, ",") + 1) {
        size_t len = strcspn(p, ",");

        if (len == 0 || len >= sizeof(name))
            return problem_invalid(&req->problem, "type",
                                   "must be event types separated by commas");
        memcpy(name, p, len);
        name[len] = '\0';
        if (!event_type_known(name))
            return problem_invalid(&req->problem, "type",
                                   "'%s' is not one of the platform's event types", name);
        if (p[len] == '\0')
            break;
    }
    snprintf(out, TYPES_MAX + 3, ",%s,", text);
    return ST_OK;
}

/* The seq of the event named by id, or the problem naming `name` when the system has none. */
static enum status position_of(struct request *req, const char *system_id, const char *id,
                               const char *name, int64_t *seq)
{
    enum status st =
        spec_is_uuid(id) ? store_outbox_seq_of(req->db, system_id, id, seq) : ST_NOT_FOUND;

    if (st == ST_NOT_FOUND)
        return problem_invalid(&req->problem, name,
                               "is not an event of this system: it never was, or a reset, a "
                               "restore or the system's deletion removed it; read again "
                               "without it");
    return st;
}

/* The query of both readers: wait is the list's, tail the stream's. */
static enum status decode_query(struct request *req, struct events_query *q,
                                char types[TYPES_MAX + 3])
{
    static const struct spec_field fields[] = {
        {"type", SPEC_STRING, 0, 1, TYPES_MAX, NULL, offsetof(struct events_query, type)},
        {"after", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct events_query, after)},
        {"wait", SPEC_INT, 0, 0, EVENTS_MAX_WAIT_S, NULL, offsetof(struct events_query, wait)},
        {"tail", SPEC_INT, 0, 0, TAIL_MAX, NULL, offsetof(struct events_query, tail)},
    };
    enum status st = request_decode_query(req, fields, COUNT_OF(fields), q, NULL);

    return st == ST_OK ? parse_types(req, q->type, types) : st;
}

enum status events_list(struct request *req, struct response *res)
{
    struct events_query q = {0};
    struct event_row *rows = NULL;
    struct page pg;
    const char *system_id;
    char types[TYPES_MAX + 3];
    size_t n = 0;
    enum status st = find_system(req, &system_id);

    if (st != ST_OK)
        return st;
    st = decode_query(req, &q, types);
    if (paging_begin(req, &pg, "events|%s|%s|%s", system_id, types, q.after ? q.after : "") !=
            ST_OK ||
        st != ST_OK)
        return ST_INVALID;
    if (!pg.has_position && q.after != NULL &&
        (st = position_of(req, system_id, q.after, "after", &pg.after[0])) != ST_OK)
        return st;
    rows = calloc(pg.limit + 1, sizeof(*rows));
    if (rows == NULL)
        return ST_NOMEM;
    st = store_outbox_list(req->db, system_id, types[0] ? types : NULL, pg.after[0], rows,
                           pg.limit + 1, &n);
    /* Nothing yet and asked to wait: parked until events commit, then this runs again. */
    if (st == ST_OK && n == 0 && q.wait > 0 && request_wait_left(req, q.wait) > 0)
        st = request_wait(req, PARKING_EVENTS);
    else if (st == ST_OK)
        st = paging_respond(res, &pg, rows, sizeof(*rows), n, render_event, paging_keys_seq);
    store_outbox_rows_release(rows, n);
    free(rows);
    return st;
}

/* ---- the live stream ----------------------------------------------------------------- */

struct event_stream {
    char system_id[UUID_STR_LEN];
    char types[TYPES_MAX + 3];
    int64_t after_seq;
    uint64_t replacements; /* outbox_replacements() when the stream began */
};

static enum status write_end(struct sse_writer *w, const char *reason)
{
    char data[64];

    snprintf(data, sizeof(data), "{\"reason\":\"%s\"}", reason);
    sse_write(w, NULL, "end", data);
    return ST_GONE;
}

static enum status write_events(struct sse_writer *w, struct event_stream *s,
                                const struct event_row *rows, size_t n)
{
    enum status st = ST_OK;

    for (size_t i = 0; st == ST_OK && i < n; i++) {
        json_object *o = render_event(&rows[i]);
        const char *text = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                                     JSON_C_TO_STRING_NOSLASHESCAPE)
                             : NULL;
        st = text ? sse_write(w, rows[i].id, rows[i].event_type, text) : ST_NOMEM;
        json_object_put(o);
        if (st == ST_OK)
            s->after_seq = rows[i].seq;
    }
    return st;
}

/* One batch of what is new. Rows read after a reset or restore belong to another history:
 * the stream says so and ends instead of sending them. */
static enum status stream_next(void *ctx, struct db *db, struct sse_writer *w)
{
    struct event_stream *s = ctx;
    struct event_row rows[STREAM_BATCH];
    struct system_row system;
    const char *how = NULL;
    size_t n = 0;
    enum status st = store_outbox_list(db, s->system_id, s->types[0] ? s->types : NULL,
                                       s->after_seq, rows, STREAM_BATCH, &n);

    if (st == ST_OK && outbox_replacements(&how) != s->replacements)
        st = write_end(w, how);
    else if (st == ST_OK && n > 0)
        st = write_events(w, s, rows, n);
    else if (st == ST_OK && store_system_get(db, s->system_id, &system) == ST_NOT_FOUND)
        st = write_end(w, "system-deleted");
    store_outbox_rows_release(rows, n);
    return st;
}

enum status events_stream(struct request *req, struct response *res)
{
    struct events_query q = {0};
    struct event_stream *s = calloc(1, sizeof(*s));
    const char *system_id, *resume = request_header(req, "Last-Event-ID");
    enum status st = s ? find_system(req, &system_id) : ST_NOMEM;

    if (st == ST_OK)
        st = decode_query(req, &q, s->types);
    if (st == ST_OK) {
        /* Read before the position: a replacement after it ends the stream at once. */
        s->replacements = outbox_replacements(NULL);
        snprintf(s->system_id, sizeof(s->system_id), "%s", system_id);
        if (resume != NULL && resume[0] != '\0')
            st = position_of(req, system_id, resume, "Last-Event-ID", &s->after_seq);
        else if (q.after != NULL)
            st = position_of(req, system_id, q.after, "after", &s->after_seq);
        else
            st = store_outbox_seq_before_last(req->db, system_id, s->types[0] ? s->types : NULL,
                                              q.tail, &s->after_seq);
    }
    if (st != ST_OK) {
        free(s);
        return st;
    }
    return respond_stream(res, &(struct sse_source){stream_next, free, s});
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
