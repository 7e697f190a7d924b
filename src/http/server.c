#include "http/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "admin/routes.h"
#include "control/routes.h"
#include "events/dispatcher.h"
#include "events/outbox.h"
#include "http/accesslog.h"
#include "http/auth.h"
#include "http/faults.h"
#include "http/metrics.h"
#include "http/parking.h"
#include "http/response.h"
#include "http/sse.h"
#include "http/static_files.h"
#include "lib/json_body.h"
#include "lib/json_spec.h"
#include "sim/clock.h"

#define BODY_MAX (1024 * 1024)
/* How much of a body over BODY_MAX is read and dropped before the 413 goes out. A client that
 * writes its whole body before it reads (Python's urllib, most simple clients) would get a
 * broken pipe instead of the answer if the server closed on unread bytes; past this bound
 * the emulator stops reading, answers and closes. */
#define DISCARD_MAX (64 * 1024 * 1024)
/* Headers and read buffer of one connection. libmicrohttpd zeroes the whole pool between
 * requests, so this is paid on every request: 16 KiB holds any real request's headers
 * (larger ones get 431) at a quarter of the cost of 64 KiB. */
#define CONNECTION_MEMORY (16 * 1024)
/* How long a stop waits for event streams and long polls to end. */
#define SHUTDOWN_WAIT_MS 3000

struct surface {
    const char *prefix;
    const struct route *routes;
    const size_t *count;
    const char *success_type;
    int faults; /* injected faults apply (never to the control API, so they can be removed) */
};

static const struct surface surfaces[] = {
    {FAULT_ADMIN_PREFIX, admin_routes, &admin_routes_count, VENDOR_MEDIA_TYPE, 1},
    {"/_emulator/v1", control_routes, &control_routes_count, "application/json", 0},
};

struct server {
    struct MHD_Daemon *daemon;
    const struct options *opts;
};

static atomic_ullong request_counter;

static const struct surface *surface_of(const char *url, const char **rest)
{
    for (size_t i = 0; i < COUNT_OF(surfaces); i++) {
        size_t n = strlen(surfaces[i].prefix);
        if (strncmp(url, surfaces[i].prefix, n) == 0 && (url[n] == '/' || url[n] == '\0')) {
            *rest = url + n;
            return &surfaces[i];
        }
    }
    return NULL;
}

/* Echoes a client's X-Request-Id when it is short and plain; otherwise makes one. */
static void assign_request_id(struct request *req)
{
    const char *given =
        MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, "X-Request-Id");
    size_t n = given ? strlen(given) : 0;
    int plain = n > 0 && n < REQUEST_ID_LEN;

    for (size_t i = 0; plain && i < n; i++)
        plain = isalnum((unsigned char)given[i]) || strchr("-_.:", given[i]) != NULL;
    if (plain)
        memcpy(req->request_id, given, n + 1);
    else
        snprintf(req->request_id, sizeof(req->request_id), "req-%016llx",
                 (unsigned long long)atomic_fetch_add(&request_counter, 1) + 1);
}

/* True when the request's Content-Type (parameters ignored) is type. */
static int content_type_is(const struct request *req, const char *type)
{
    const char *ct =
        MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t n = strlen(type);

    return ct != NULL && strncasecmp(ct, type, n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static enum status parse_body(struct request *req, unsigned flags)
{
    const char *want =
        flags & ROUTE_BODY_PATCH ? "application/json-patch+json" : "application/json";

    if (!(flags & (ROUTE_BODY_JSON | ROUTE_BODY_PATCH)) || req->raw_len == 0)
        return ST_OK;
    if (!content_type_is(req, want))
        return request_fail(req, ST_MEDIA_TYPE, "Content-Type must be %s", want);
    return json_body_parse(req->raw_body, req->raw_len, &req->body, &req->problem);
}

/* Runs the route's handler; one that has nothing to say yet (ST_WAIT) is parked, or run
 * again at once when something happened since it looked. ST_WAIT means parked: the handler
 * runs again when the connection is resumed. */
static enum status run_handler(struct request *req, struct response *res)
{
    struct parking_seen seen;
    enum status st;

    do {
        parking_look(&seen);
        st = req->match.route->handler(req, res);
        outbox_announce(); /* the handler's transactions have ended */
    } while (st == ST_WAIT &&
             !parking_park(&req->parking, req->wait_channel, &seen, req->wait_deadline_ns));
    return st;
}

static enum status dispatch(struct request *req, struct response *res, const struct surface *sf,
                            const char *rest, struct fault_effect *fault)
{
    const struct route *route;
    enum status st;

    st = router_match(sf->routes, *sf->count, req->method, rest[0] ? rest : "/", &req->match);
    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no resource at '%s'", req->path);
    if (st == ST_METHOD)
        return request_fail(req, st, "%s is not allowed here; allowed: %s", req->method,
                            req->match.allow);
    route = req->match.route;
    if (req->body_too_large)
        return request_fail(req, ST_TOO_LARGE, "request body exceeds %d bytes", BODY_MAX);
    req->db = db_thread();
    if (req->db == NULL)
        return ST_INTERNAL;
    if ((st = auth_check(req, route->auth)) != ST_OK)
        return st;
    /* An injected status or reset takes the handler's place, so nothing is written. */
    if (sf->faults && faults_apply(req, fault) && (fault->status > 0 || fault->reset))
        return ST_OK;
    if ((st = parse_body(req, route->flags)) != ST_OK)
        return st;
    return run_handler(req, res);
}

static enum MHD_Result answer(struct request *req)
{
    struct response res = {0};
    struct fault_effect fault = {0};
    const char *rest = NULL;
    const struct surface *sf = surface_of(req->path, &rest);
    enum status st;

    if (req->parking.in_use) {
        req->db = db_thread(); /* woken: everything before the handler was done already */
        st = run_handler(req, &res);
    } else if (sf == NULL) {
        int sent;
        st = static_files_serve(req, &sent);
        if (st == ST_OK)
            return (enum MHD_Result)sent;
    } else
        st = dispatch(req, &res, sf, rest, &fault);
    if (st == ST_WAIT)
        return MHD_YES; /* parked: libmicrohttpd calls again once it is resumed */
    if (st == ST_OK && res.stream != NULL)
        return (enum MHD_Result)sse_send(req, res.stream);
    sse_discard(res.stream);
    if (fault.reset)
        return MHD_NO; /* libmicrohttpd closes the connection without an answer */
    if (fault.status > 0)
        return (enum MHD_Result)response_send_injected(req, fault.status, fault.id);
    enum MHD_Result ret =
        (enum MHD_Result)response_send(req, st, &res, sf ? sf->success_type : "application/json");
    json_object_put(res.body);
    return ret;
}

static struct request *request_new(struct server *srv, struct MHD_Connection *conn, const char *url,
                                   const char *method)
{
    struct request *req = calloc(1, sizeof(*req));
    const char *length;

    if (req == NULL)
        return NULL;
    req->connection = conn;
    req->method = method;
    req->path = url;
    req->options = srv->opts;
    req->started_ns = clock_monotonic_ns();
    req->parking.connection = conn;
    assign_request_id(req);
    length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length != NULL && strtoull(length, NULL, 10) > BODY_MAX)
        req->body_too_large = 1;
    return req;
}

/* Appends an upload chunk, or marks the body too large and drops the rest. */
static int append_body(struct request *req, const char *data, size_t size)
{
    char *grown;

    if (req->body_too_large || req->raw_len + size > BODY_MAX) {
        req->body_too_large = 1;
        req->discarded += size;
        return 0;
    }
    grown = realloc(req->raw_body, req->raw_len + size + 1);
    if (grown == NULL)
        return -1;
    memcpy(grown + req->raw_len, data, size);
    req->raw_len += size;
    grown[req->raw_len] = '\0';
    req->raw_body = grown;
    return 0;
}

static int expects_continue(const struct request *req)
{
    const char *expect =
        MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);

    return expect != NULL && strcasecmp(expect, "100-continue") == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct request *req = *con_cls;

    (void)version;
    if (req == NULL) {
        req = request_new(cls, conn, url, method);
        if (req == NULL)
            return MHD_NO;
        *con_cls = req;
        /* A client that asked whether to send its oversize body is told no before it does;
         * any other is answered once it has sent it (or DISCARD_MAX of it). */
        return req->body_too_large && expects_continue(req) ? answer(req) : MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (append_body(req, upload_data, *upload_data_size) != 0)
            return MHD_NO;
        *upload_data_size = 0;
        return req->discarded > DISCARD_MAX ? answer(req) : MHD_YES;
    }
    return answer(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct request *req = *con_cls;

    (void)cls;
    (void)conn;
    (void)toe;
    if (req == NULL)
        return;
    parking_forget(&req->parking);
    accesslog_write(req);
    json_object_put(req->body);
    problem_clear(&req->problem);
    free(req->raw_body);
    free(req);
    *con_cls = NULL;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes paths and query values in place, as libmicrohttpd would, except %00 and
 * %2F: decoded, a NUL would cut a path or value short and a slash would become a
 * separator, so both stay as written (and then match no route or value). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    char *out = s;

    (void)cls;
    (void)conn;
    for (const char *in = s; *in != '\0'; in++) {
        int hi = in[0] == '%' ? hex_value(in[1]) : -1;
        int lo = hi >= 0 ? hex_value(in[2]) : -1;
        int byte = hi * 16 + lo;
        if (lo < 0 || byte == 0 || byte == '/') {
            *out++ = *in;
            continue;
        }
        *out++ = (char)byte;
        in += 2;
    }
    *out = '\0';
    return (size_t)(out - s);
}

static enum status resolve(const struct options *opts, struct sockaddr_storage *addr,
                           socklen_t *len)
{
    struct addrinfo hints = {0}, *res = NULL;
    char port[8];

    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(port, sizeof(port), "%u", opts->port);
    if (getaddrinfo(opts->host, port, &hints, &res) != 0 || res == NULL) {
        fprintf(stderr, "keyless-emulator: cannot resolve host '%s'\n", opts->host);
        return ST_INVALID;
    }
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return ST_OK;
}

enum status server_start(const struct options *opts, struct server **out, char *base_url,
                         size_t base_url_len)
{
    struct sockaddr_storage addr;
    socklen_t addr_len;
    struct server *srv;
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    enum status st = resolve(opts, &addr, &addr_len);

    if (st != ST_OK)
        return st;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    srv = calloc(1, sizeof(*srv));
    if (srv == NULL)
        return ST_NOMEM;
    srv->opts = opts;
    metrics_init();
    if (parking_start() != ST_OK) {
        free(srv);
        return ST_INTERNAL;
    }
    /* Waiters look again whenever events commit or the dispatcher finishes a pass. */
    outbox_on_ring(parking_wake_events);
    dispatcher_on_pass(parking_wake_deliveries);
    srv->daemon = MHD_start_daemon(flags, (uint16_t)opts->port, NULL, NULL, on_request, srv,
                                   MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_THREAD_POOL_SIZE,
                                   (unsigned)opts->threads, MHD_OPTION_NOTIFY_COMPLETED,
                                   on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
                                   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
                                   MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        fprintf(stderr, "keyless-emulator: cannot listen on %s:%u\n", opts->host, opts->port);
        parking_stop();
        free(srv);
        return ST_INTERNAL;
    }
    info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(base_url, base_url_len, addr.ss_family == AF_INET6 ? "http://[%s]:%u" : "http://%s:%u",
             opts->host, info ? info->port : opts->port);
    *out = srv;
    return ST_OK;
}

void server_stop(struct server *srv)
{
    if (srv == NULL)
        return;
    /* libmicrohttpd must not be stopped with connections suspended: streams and long polls
     * answer and end first. */
    if (parking_close(SHUTDOWN_WAIT_MS) > 0)
        fprintf(stderr, "keyless-emulator: stopping with waiting connections left\n");
    MHD_stop_daemon(srv->daemon);
    parking_stop();
    free(srv);
}
