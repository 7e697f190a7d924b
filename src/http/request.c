#include "http/request.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http/accesslog.h"
#include "sim/clock.h"

const char *request_param(const struct request *req, const char *name)
{
    return route_param(&req->match, name);
}

const char *request_query(const struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->connection, MHD_GET_ARGUMENT_KIND, name);
}

const char *request_header(const struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, name);
}

/* A UUID of the query in another case reads as its lower-case form, the one ids are stored
 * in; the copy lives as long as the request. */
static const char *query_getter(void *ctx, const char *name)
{
    struct request *req = ctx;
    const char *v = request_query(req, name);
    size_t n = req->n_query_uuids;

    if (v == NULL || n == sizeof(req->query_uuids) / sizeof(req->query_uuids[0]) ||
        !spec_uuid_lowered(v, req->query_uuids[n]))
        return v;
    req->n_query_uuids++;
    return req->query_uuids[n];
}

/* Appends name to the comma list in buf, as printable ASCII: it goes into a quoted header
 * value, where a quote, a backslash or a line break from a client must not. */
static void append_name(char *buf, size_t cap, const char *name)
{
    size_t used = strlen(buf);

    if (used > 0 && used + 2 < cap) {
        memcpy(buf + used, ", ", 2);
        used += 2;
    }
    for (const unsigned char *c = (const unsigned char *)name; *c != '\0' && used + 1 < cap; c++)
        buf[used++] = *c < 0x20 || *c >= 0x7f || *c == '"' || *c == '\\' ? '?' : (char)*c;
    buf[used] = '\0';
}

/* --lenient-bodies: members the operation does not take are dropped and named, instead of
 * refused (the default, as a typo'd optional member should be caught). Collected first:
 * json-c's iteration does not survive a deletion. */
static void drop_unknown_members(struct request *req, const struct spec_field *fields,
                                 size_t nfields)
{
    const char *unknown[32];
    size_t n = 0;

    json_object_object_foreach(req->body, key, val)
    {
        (void)val;
        if (spec_field_named(fields, nfields, key) == NULL &&
            n < sizeof(unknown) / sizeof(*unknown))
            unknown[n++] = key;
    }
    for (size_t i = 0; i < n; i++) {
        append_name(req->ignored_members, sizeof(req->ignored_members), unknown[i]);
        json_object_object_del(req->body, unknown[i]);
    }
    if (n > 0)
        accesslog_note(req, "warn", "--lenient-bodies: ignored unknown members: %s",
                       req->ignored_members);
}

enum status request_decode_body(struct request *req, const struct spec_field *fields,
                                size_t nfields, void *out, uint32_t *present)
{
    if (req->body == NULL)
        return problem_set(&req->problem, ST_INVALID, "a JSON request body is required");
    if (req->options->lenient_bodies && json_object_is_type(req->body, json_type_object))
        drop_unknown_members(req, fields, nfields);
    return spec_decode_json(fields, nfields, req->body, out, present, &req->problem);
}

enum status request_decode_query(struct request *req, const struct spec_field *fields,
                                 size_t nfields, void *out, uint32_t *present)
{
    return spec_decode_strings(fields, nfields, query_getter, req, out, present, &req->problem);
}

int64_t request_now(const struct request *req)
{
    return clock_system_now(&req->system);
}

int64_t request_wait_left(struct request *req, int64_t seconds)
{
    int64_t now = clock_monotonic_ns();

    if (req->wait_deadline_ns == 0)
        req->wait_deadline_ns = now + seconds * 1000000000LL;
    /* A client that hung up is answered at once: libmicrohttpd notices only when it writes. */
    if (parking_closing() || (parking_woken(&req->parking) & PARKING_WOKEN_HANGUP) ||
        req->wait_deadline_ns <= now)
        return 0;
    return (req->wait_deadline_ns - now) / 1000000;
}

enum status request_wait(struct request *req, enum parking_channel channel)
{
    req->wait_channel = channel; /* the server parks it there until req->wait_deadline_ns */
    return ST_WAIT;
}

enum status respond_json(struct response *res, int status, json_object *body)
{
    if (body == NULL)
        return ST_NOMEM;
    res->status = status;
    res->body = body;
    return ST_OK;
}

enum status respond_empty(struct response *res)
{
    res->status = 204;
    res->body = NULL;
    return ST_OK;
}

enum status request_fail(struct request *req, enum status st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(req->problem.detail, sizeof(req->problem.detail), fmt, ap);
    va_end(ap);
    return st;
}
