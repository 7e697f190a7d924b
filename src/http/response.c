#include "http/response.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "http/accesslog.h"
#include "http/metrics.h"
#include "lib/timefmt.h"
#include "sim/clock.h"

unsigned response_http_status(enum status st)
{
    static const unsigned codes[] = {
        [ST_OK] = 200,
        [ST_INVALID] = 400,
        [ST_UNAUTHENTICATED] = 401,
        [ST_FORBIDDEN] = 403,
        [ST_NOT_FOUND] = 404,
        [ST_METHOD] = 405,
        [ST_NOT_ACCEPTABLE] = 406,
        [ST_CONFLICT] = 409,
        [ST_GONE] = 410,
        [ST_TOO_LARGE] = 413,
        [ST_MEDIA_TYPE] = 415,
        [ST_RATE_LIMITED] = 429,
        [ST_NOMEM] = 500,
        [ST_INTERNAL] = 500,
        [ST_BUSY] = 503,
        [ST_STORAGE_FULL] = 507,
    };
    if ((unsigned)st >= COUNT_OF(codes) || codes[st] == 0)
        return 500;
    return codes[st];
}

const char *response_reason(unsigned code)
{
    static const struct {
        unsigned code;
        const char *reason;
    } reasons[] = {
        {200, "OK"},
        {201, "Created"},
        {204, "No Content"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {406, "Not Acceptable"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {410, "Gone"},
        {413, "Content Too Large"},
        {415, "Unsupported Media Type"},
        {422, "Unprocessable Content"},
        {429, "Too Many Requests"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {507, "Insufficient Storage"},
    };
    for (size_t i = 0; i < COUNT_OF(reasons); i++)
        if (reasons[i].code == code)
            return reasons[i].reason;
    return "Error";
}

/* A default sentence for failures whose handler gave none. */
static const char *default_detail(enum status st)
{
    switch (st) {
    case ST_NOT_FOUND:
        return "Resource not found";
    case ST_METHOD:
        return "method not allowed on this resource";
    case ST_NOMEM:
    case ST_INTERNAL:
        return "the emulator failed unexpectedly; see its log";
    case ST_BUSY:
        return "the database stayed busy; try again";
    case ST_STORAGE_FULL:
        return "the emulator's disk is full: nothing of this request was written; try again "
               "once there is room (GET /_emulator/v1/health says when it writes again)";
    default:
        return status_name(st);
    }
}

static json_object *problem_body(struct request *req, enum status st, unsigned code)
{
    json_object *b = json_object_new_object();
    char detail[sizeof(req->problem.detail)], instance[2048];

    if (b == NULL)
        return NULL;
    json_object_object_add(b, "type", json_object_new_string("about:blank"));
    json_object_object_add(b, "title", json_object_new_string(response_reason(code)));
    json_object_object_add(b, "status", json_object_new_int((int)code));
    /* Both may echo request bytes (the path): JSON answers carry well-formed UTF-8 only. */
    spec_utf8_sanitize(req->problem.detail[0] != '\0' ? req->problem.detail : default_detail(st),
                       detail, sizeof(detail));
    spec_utf8_sanitize(req->path, instance, sizeof(instance));
    json_object_object_add(b, "detail", json_object_new_string(detail));
    json_object_object_add(b, "instance", json_object_new_string(instance));
    if (problem_has_invalid(&req->problem))
        json_object_object_add(b, "invalidParams", json_object_get(req->problem.invalid_params));
    return b;
}

/* The caller's virtual now on Administration API answers whose system is known. */
/* RFC 9111's Warning header is obsolete, yet it is the one stock clients log: 299 is the
 * "miscellaneous persistent warning" code. */
static void add_warning_header(struct MHD_Response *r, const struct request *req)
{
    char warning[sizeof(req->ignored_members) + 64];

    if (req->ignored_members[0] == '\0')
        return;
    snprintf(warning, sizeof(warning), "299 keyless-emulator \"ignored unknown members: %s\"",
             req->ignored_members);
    MHD_add_response_header(r, "Warning", warning);
}

static void add_time_header(struct MHD_Response *r, const struct request *req)
{
    const struct route *route = req->match.route;
    char now[TIMEFMT_DATETIME_LEN];

    if (req->system.id[0] == '\0' || route == NULL ||
        (route->auth != AUTH_ADMIN && route->auth != AUTH_ADMIN_LOGIN))
        return;
    timefmt_format_datetime(request_now(req), now);
    MHD_add_response_header(r, "X-Emulator-Time", now);
}

/* The RFC 6750 challenge of a 401: which surface's token is wanted, and whether the one
 * sent was refused (a missing one gets no error code, as §3.1 asks). */
static const char *bearer_challenge(const struct request *req)
{
    int admin = strncmp(req->path, "/administration", 15) == 0;
    int sent = MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND,
                                           MHD_HTTP_HEADER_AUTHORIZATION) != NULL;

    if (admin)
        return sent ? "Bearer realm=\"administration\", error=\"invalid_token\""
                    : "Bearer realm=\"administration\"";
    return sent ? "Bearer realm=\"control\", error=\"invalid_token\"" : "Bearer realm=\"control\"";
}

/* Queues r: the headers every answer carries, then extra (name, value pairs, NULL after
 * the last; may be NULL). Consumes r. */
static int queue_response(struct request *req, unsigned code, const char *type,
                          struct MHD_Response *r, const struct response *res,
                          const char *const *extra)
{
    int ret;
    char retry[16];

    if (r == NULL)
        return MHD_NO;
    if (type != NULL)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i += 2)
        MHD_add_response_header(r, extra[i], extra[i + 1]);
    MHD_add_response_header(r, "X-Request-Id", req->request_id);
    MHD_add_response_header(r, "X-Emulator-Version", KE_VERSION);
    add_time_header(r, req);
    if (code == 405 && req->match.allow[0] != '\0')
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, req->match.allow);
    if (code == 401)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, bearer_challenge(req));
    if (code == 507)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "5");
    if (code == 429) {
        snprintf(retry, sizeof(retry), "%d", req->retry_after > 0 ? req->retry_after : 1);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, retry);
    }
    if (res != NULL && res->location[0] != '\0')
        MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, res->location);
    if (res != NULL && res->set_cookie[0] != '\0')
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, res->set_cookie);
    add_warning_header(r, req);
    req->status = (int)code;
    /* Counted before it is sent: a client that has its answer finds it in the metrics. */
    metrics_count_request(req);
    ret = MHD_queue_response(req->connection, code, r);
    MHD_destroy_response(r);
    return ret;
}

static int queue(struct request *req, unsigned code, const char *type, const char *body, size_t len,
                 const struct response *res)
{
    return queue_response(req, code, type,
                          MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY),
                          res, NULL);
}

/* Sends body (consumed) as JSON of the given type. */
static int send_json(struct request *req, unsigned code, const char *type, json_object *body,
                     const struct response *res)
{
    const char *text;
    int ret;

    if (body == NULL)
        return queue(req, 500, "text/plain", "out of memory\n", 14, NULL);
    text = json_object_to_json_string_ext(body,
                                          JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    ret = queue(req, code, type, text, strlen(text), res);
    json_object_put(body);
    return ret;
}

/* The media type of a text body made by response_text(), or NULL for a JSON body. */
static const char *text_type(json_object *body)
{
    return json_object_is_type(body, json_type_string) ? json_object_get_userdata(body) : NULL;
}

int response_send(struct request *req, enum status st, struct response *res,
                  const char *success_type)
{
    unsigned code;

    if (st == ST_OK && res->body == NULL)
        return queue(req, (unsigned)res->status, NULL, "", 0, res);
    if (st == ST_OK && text_type(res->body) != NULL)
        return queue(req, (unsigned)res->status, text_type(res->body),
                     json_object_get_string(res->body),
                     (size_t)json_object_get_string_len(res->body), res);
    if (st == ST_OK)
        return send_json(req, (unsigned)res->status, success_type, json_object_get(res->body), res);
    if (st == ST_NOMEM || st == ST_INTERNAL || st == ST_STORAGE_FULL)
        accesslog_note(req, "error", "failed: %s (%s)", status_name(st),
                       req->problem.detail[0] ? req->problem.detail : default_detail(st));
    code = response_http_status(st);
    return send_json(req, code, "application/problem+json", problem_body(req, st, code), NULL);
}

int response_send_injected(struct request *req, int status, const char *fault_id)
{
    snprintf(req->problem.detail, sizeof(req->problem.detail),
             "fault %s injected this %d answer; the request was not processed", fault_id, status);
    return send_json(req, (unsigned)status, "application/problem+json",
                     problem_body(req, ST_INTERNAL, (unsigned)status), NULL);
}

enum status response_text(struct response *res, int status, const char *type, const char *text,
                          size_t len)
{
    json_object *body = json_object_new_string_len(text, (int)len);

    if (body == NULL)
        return ST_NOMEM;
    json_object_set_userdata(body, (void *)type, NULL);
    return respond_json(res, status, body);
}

int response_send_text(struct request *req, unsigned status, const char *type, const char *body)
{
    return queue(req, status, type, body, strlen(body), NULL);
}

int response_send_static(struct request *req, unsigned status, const char *type, const void *body,
                         size_t len, const char *const *headers)
{
    return queue_response(
        req, status, type,
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT), NULL, headers);
}

int response_queue_raw(struct request *req, unsigned status, const char *type, void *mhd_response,
                       const char *const *headers)
{
    return queue_response(req, status, type, mhd_response, NULL, headers);
}
