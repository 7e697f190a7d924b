/*
 * request.h — what a handler receives and what it fills.
 *
 * The HTTP core (server.c) routes, authenticates and parses before a handler runs; the
 * handler reads params and body, validates them against its field spec, calls the store
 * or simulator, and renders. Everything hanging off a request is freed in one place when
 * libmicrohttpd reports the request completed; handlers never free request data, and a
 * json_object given to the response is owned by it. Handlers do not include microhttpd.h.
 */
#ifndef KE_HTTP_REQUEST_H
#define KE_HTTP_REQUEST_H

#include <json-c/json.h>
#include <stdint.h>

#include "http/parking.h"
#include "http/router.h"
#include "lib/array.h"
#include "lib/json_spec.h"
#include "lib/problem.h"
#include "options.h"
#include "store/db.h"
#include "store/systems.h"
#include "store/users.h"

#define REQUEST_ID_LEN 65

struct request {
    void *connection; /* the MHD connection; only src/http/ looks inside */
    const char *method;
    const char *path;
    char request_id[REQUEST_ID_LEN];
    int64_t started_ns;
    const struct options *options;
    struct route_match match;
    struct db *db;

    char *raw_body;
    size_t raw_len;
    int body_too_large;
    size_t discarded;  /* bytes of an oversize body read and dropped */
    json_object *body; /* parsed JSON body, or NULL */

    /* Set by authentication on AUTH_ADMIN routes: the caller and its system. */
    struct system_row system;
    struct user_row caller;

    /* A handler that waits (request_wait) parks here, and is called again when woken. */
    struct parking_slot parking;
    int64_t wait_deadline_ns; /* when its wait ends (clock_monotonic_ns); 0: not waiting */
    enum parking_channel wait_channel;

    /* With --lenient-bodies: the unknown members dropped from the body, comma-separated, for
     * the Warning header and the log; "" when none. */
    char ignored_members[256];

    /* Query UUIDs in upper or mixed case, lowered once where the query is decoded. */
    char query_uuids[4][37];
    size_t n_query_uuids;

    struct problem problem;
    int retry_after; /* seconds, for 429 */
    int status;      /* the HTTP status sent, for the access log */
};

struct response {
    int status;
    json_object *body; /* owned; NULL sends no body */
    char location[256];
    char set_cookie[512]; /* a Set-Cookie value to send, or "" */
    void *stream;         /* an event stream to send instead of a body (http/sse.h); owned */
};

/* The {name} path segment. */
const char *request_param(const struct request *req, const char *name);

/* A query parameter, or NULL. An empty value counts as given. */
const char *request_query(const struct request *req, const char *name);

/* A request header, or NULL. */
const char *request_header(const struct request *req, const char *name);

/* Validates the JSON body against a field spec into out (see json_spec.h). */
enum status request_decode_body(struct request *req, const struct spec_field *fields,
                                size_t nfields, void *out, uint32_t *present);

/* Validates query parameters against a field spec into out. */
enum status request_decode_query(struct request *req, const struct spec_field *fields,
                                 size_t nfields, void *out, uint32_t *present);

/* The virtual now of the caller's system (AUTH_ADMIN routes). */
int64_t request_now(const struct request *req);

/* How long a handler that waits for something to happen (a long poll) may still wait, in
 * ms: the first call starts a wait of `seconds`; 0 once it is over or the server stops. */
int64_t request_wait_left(struct request *req, int64_t seconds);

/* For a handler with nothing to answer yet: parks the request, without holding a worker
 * thread, until channel is woken (events committed, the webhook dispatcher made a pass) or
 * the wait that request_wait_left() started ends; the handler is then called again from
 * the start, with nothing in res. The handler returns this status as it is. */
enum status request_wait(struct request *req, enum parking_channel channel);

/* Shorthands for the three shapes of success. body is consumed. */
enum status respond_json(struct response *res, int status, json_object *body);
enum status respond_empty(struct response *res);

/* Fails the request with st and a detail sentence (printf-style); returns st. */
enum status request_fail(struct request *req, enum status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
