/*
 * test_malformed.c — hostile and broken requests, sent as raw bytes over TCP: every method
 * on every route of both tables, malformed bodies on every route that takes one, invalid
 * UTF-8, deep nesting, huge numbers, duplicate keys, NUL bytes, oversized headers and query
 * strings, and path traversal. Whatever comes in, the emulator never answers 5xx, never
 * crashes, answers every error it writes itself as application/problem+json, still answers
 * /health afterwards, and exits 0 on SIGTERM.
 *
 * The route tables are read from src/admin/routes.c and src/control/routes.c (the source
 * root comes from KEYLESS_EMULATOR_SOURCE_ROOT, which meson sets), so a new route is swept
 * without touching this file.
 *
 * Some answers are not the emulator's to shape: libmicrohttpd itself refuses oversized
 * request heads (414, 431) and broken Content-Length headers (400, 413) with its own HTML
 * page before any of our code runs; those are asserted to be 4xx only. A request line of
 * an HTTP version it does not speak gets its 505 HTTP Version Not Supported, the status
 * RFC 9110 gives that protocol error; that is asserted exactly, with nothing written.
 */
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "harness.h"

#define FAKE_ID "00000000-0000-4000-8000-000000000000"
#define MAX_ROWS 128
#define PROBLEM_TYPE "application/problem+json"

static struct tenant tenant, victim; /* victim's system id fills {system-id} */

/* ---- raw HTTP ------------------------------------------------------------------------ */

struct raw {
    int status; /* 0 when the connection closed without an answer */
    char *data; /* the whole answer, NUL-terminated */
    size_t len;
    const char *body; /* into data */
    size_t body_len;
};

static int wait_seconds = 20; /* for an answer; garbage tests lower it */

static int connect_emu(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    struct timeval tv = {wait_seconds, 0};
    const char *colon = strrchr(emu.url, ':');
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(fd, 0);
    addr.sin_port = htons((unsigned short)strtoul(colon + 1, NULL, 10));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ck_assert_msg(connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect: %s",
                  strerror(errno));
    return fd;
}

/* True once buf holds a whole answer: the head, and the body its Content-Length names
 * (none for HEAD, whose Content-Length describes the GET answer). */
static int complete(const char *buf, size_t got, int head_only)
{
    const char *end = strstr(buf, "\r\n\r\n"), *cl;

    if (end == NULL)
        return 0;
    if (head_only)
        return 1;
    cl = strcasestr(buf, "\r\nContent-Length:");
    if (cl == NULL || cl > end)
        return 0; /* read until the server closes */
    return (size_t)(end + 4 - buf) + strtoull(cl + 17, NULL, 10) <= got;
}

/* Sends len bytes as they are and reads one answer (or until the server closes). A server
 * that answers early (an oversized request) may reset the rest of the upload: that is fine. */
static void raw_send(const char *data, size_t len, struct raw *out)
{
    int head_only = strncmp(data, "HEAD ", 5) == 0;
    int fd = connect_emu();
    size_t cap = 65536, got = 0;
    char *buf = malloc(cap + 1);
    ssize_t n;

    ck_assert_ptr_nonnull(buf);
    buf[0] = '\0';
    for (size_t sent = 0; sent < len; sent += (size_t)n) {
        n = send(fd, data + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
    }
    while (!complete(buf, got, head_only) && (n = recv(fd, buf + got, cap - got, 0)) > 0) {
        got += (size_t)n;
        buf[got] = '\0';
        if (got == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(buf);
        }
    }
    close(fd);
    buf[got] = '\0';
    memset(out, 0, sizeof(*out));
    out->data = buf;
    out->len = got;
    if (got > 12 && strncmp(buf, "HTTP/1.", 7) == 0)
        out->status = (int)strtol(buf + 9, NULL, 10);
    const char *end = strstr(buf, "\r\n\r\n");
    out->body = end != NULL ? end + 4 : buf + got;
    out->body_len = (size_t)(buf + got - out->body);
}

static void raw_free(struct raw *r)
{
    free(r->data);
    memset(r, 0, sizeof(*r));
}

/* The value of a header of the answer's head, copied into buf; NULL when absent. */
static const char *raw_header(const struct raw *r, const char *name, char *buf, size_t cap)
{
    size_t n = strlen(name);

    for (const char *line = strstr(r->data, "\r\n"); line != NULL && line + 2 < r->body;
         line = strstr(line + 2, "\r\n")) {
        const char *h = line + 2;
        if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
            h += n + 1;
            while (*h == ' ')
                h++;
            size_t len = strcspn(h, "\r\n");
            snprintf(buf, cap, "%.*s", (int)len, h);
            return buf;
        }
    }
    return NULL;
}

/* Appends printf-style text to a growing request buffer. */
struct req {
    char *data;
    size_t len, cap;
};

static void req_add(struct req *q, const void *bytes, size_t n)
{
    if (q->len + n + 1 > q->cap) {
        q->cap = (q->len + n + 1) * 2;
        q->data = realloc(q->data, q->cap);
        ck_assert_ptr_nonnull(q->data);
    }
    memcpy(q->data + q->len, bytes, n);
    q->len += n;
    q->data[q->len] = '\0';
}

static void req_addf(struct req *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void req_addf(struct req *q, const char *fmt, ...)
{
    char text[8192];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    ck_assert(n >= 0 && (size_t)n < sizeof(text));
    req_add(q, text, (size_t)n);
}

/* A request as a client would write it: who = the tenant whose credentials go along (NULL
 * for none), extra = more header lines ("Name: value\r\n" each, may be NULL), body of
 * body_len bytes with type as its Content-Type (both may be NULL). */
static void request(const char *method, const char *target, const struct tenant *who,
                    const char *extra, const char *type, const char *body, size_t body_len,
                    struct raw *out)
{
    struct req q = {0};

    req_add(&q, method, strlen(method));
    req_add(&q, " ", 1);
    req_add(&q, target, strlen(target));
    req_addf(&q, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if (who != NULL)
        req_addf(&q, "X-Api-Key: %s\r\nAccept: %s\r\nAuthorization: Bearer %s\r\n", who->api_key,
                 VENDOR_TYPE, who->token);
    if (extra != NULL)
        req_add(&q, extra, strlen(extra));
    if (type != NULL)
        req_addf(&q, "Content-Type: %s\r\n", type);
    if (body != NULL)
        req_addf(&q, "Content-Length: %zu\r\n", body_len);
    req_add(&q, "\r\n", 2);
    if (body != NULL)
        req_add(&q, body, body_len);
    raw_send(q.data, q.len, out);
    free(q.data);
}

/* ---- what every answer must be -------------------------------------------------------- */

/* True when s[0..n) is valid UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
static int utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i], need, min, cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            need = 1, min = 0x80, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            need = 2, min = 0x800, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            need = 3, min = 0x10000, cp = c & 0x07;
        else
            return 0;
        for (unsigned k = 1; k <= need; k++) {
            if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* Never 5xx; an error written by the emulator is problem+json with its status inside. */
static void assert_sane(const struct raw *r, const char *method, const char *what)
{
    char type[256], allow[256];
    json_object *doc, *code;

    ck_assert_msg(r->status != 0, "%s %s: no answer", method, what);
    ck_assert_msg(r->status < 500, "%s %s: %d: %.300s", method, what, r->status, r->body);
    if (r->status < 400)
        return;
    ck_assert_msg(raw_header(r, "Content-Type", type, sizeof(type)) != NULL &&
                      strcmp(type, PROBLEM_TYPE) == 0,
                  "%s %s: %d without problem+json: %.300s", method, what, r->status, r->data);
    if (r->status == 405)
        ck_assert_msg(raw_header(r, "Allow", allow, sizeof(allow)) != NULL && allow[0] != '\0',
                      "%s %s: 405 without Allow", method, what);
    if (strcmp(method, "HEAD") == 0)
        return;
    doc = json_tokener_parse(r->body);
    ck_assert_msg(json_object_is_type(doc, json_type_object), "%s %s: body is not JSON: %.300s",
                  method, what, r->body);
    ck_assert(json_object_object_get_ex(doc, "status", &code));
    ck_assert_int_eq(json_object_get_int(code), r->status);
    ck_assert(json_object_object_get_ex(doc, "title", &code));
    ck_assert(json_object_object_get_ex(doc, "detail", &code));
    ck_assert(json_object_object_get_ex(doc, "instance", &code));
    json_object_put(doc);
    ck_assert_msg(utf8_valid((const unsigned char *)r->body, r->body_len),
                  "%s %s: the problem body is not valid UTF-8 (the request bytes are echoed)",
                  method, what);
}

/* libmicrohttpd's own refusals: a 4xx (its HTML page), then the connection closes. */
static void assert_refused_by_mhd(const struct raw *r, const char *what)
{
    ck_assert_msg(r->status == 0 || (r->status >= 400 && r->status < 500), "%s: %d: %.200s", what,
                  r->status, r->data);
}

static void assert_alive(void)
{
    struct http_response r;

    ck_assert_int_eq(control_call(&emu, "GET", "/health", NULL, &r), 200);
    ck_assert_str_eq(json_str(&r, "status"), "ok");
    http_response_free(&r);
}

/* ---- set-up -------------------------------------------------------------------------- */

static void start(void)
{
    ck_assert_int_eq(emu_start(&emu, NULL), 0);
    ck_assert_int_eq(tenant_create(&emu, &tenant, NULL), 0);
    ck_assert_int_eq(tenant_create(&emu, &victim, NULL), 0);
}

static void kill_leftover(void)
{
    emu_kill(&emu); /* only does something when a failed test left it running */
}

/* Every test ends here: the server still answers, then stops cleanly on SIGTERM. */
static void finish(void)
{
    assert_alive();
    ck_assert_int_eq(emu_stop(&emu), 0);
}

/* ---- the route tables, read from the sources ------------------------------------------ */

struct row {
    char method[16];
    char path[256];
};

struct define {
    char name[32];
    char value[256];
};

/* Reads a C string literal at *s into out (appending); advances past it. */
static int take_literal(const char **s, char *out, size_t cap)
{
    const char *end;
    size_t have = strlen(out);

    if (**s != '"' || (end = strchr(*s + 1, '"')) == NULL)
        return 0;
    snprintf(out + have, cap - have, "%.*s", (int)(end - *s - 1), *s + 1);
    *s = end + 1;
    return 1;
}

static size_t collect_defines(const char *text, struct define *defs, size_t cap)
{
    size_t n = 0;

    for (const char *at = strstr(text, "#define "); at != NULL && n < cap;
         at = strstr(at + 1, "#define ")) {
        const char *s = at + 8;
        size_t len = strcspn(s, " \t");
        if (len >= sizeof(defs[n].name))
            continue;
        snprintf(defs[n].name, sizeof(defs[n].name), "%.*s", (int)len, s);
        s += len;
        s += strspn(s, " \t");
        defs[n].value[0] = '\0';
        if (take_literal(&s, defs[n].value, sizeof(defs[n].value)))
            n++;
    }
    return n;
}

/* The path expression after a row's method: literals and #define'd names, up to ','. */
static int take_path(const char *s, const struct define *defs, size_t ndefs, char *out, size_t cap)
{
    out[0] = '\0';
    for (;;) {
        s += strspn(s, " \t\r\n");
        if (*s == ',')
            return out[0] == '/';
        if (*s == '"') {
            if (!take_literal(&s, out, cap))
                return 0;
            continue;
        }
        size_t len = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"), i;
        for (i = 0; i < ndefs; i++)
            if (strlen(defs[i].name) == len && strncmp(defs[i].name, s, len) == 0)
                break;
        if (len == 0 || i == ndefs)
            return 0;
        snprintf(out + strlen(out), cap - strlen(out), "%s", defs[i].value);
        s += len;
    }
}

static size_t load_table(const char *relative, struct row *rows, size_t cap)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    struct define defs[32];
    char *text = read_source(relative);
    size_t ndefs = collect_defines(text, defs, N(defs)), n = 0;

    for (const char *at = strstr(text, "{\""); at != NULL && n < cap; at = strstr(at + 1, "{\"")) {
        for (size_t m = 0; m < N(methods); m++) {
            size_t len = strlen(methods[m]);
            if (strncmp(at + 2, methods[m], len) != 0 || strncmp(at + 2 + len, "\",", 2) != 0)
                continue;
            if (take_path(at + 4 + len, defs, ndefs, rows[n].path, sizeof(rows[n].path))) {
                snprintf(rows[n].method, sizeof(rows[n].method), "%s", methods[m]);
                n++;
            }
        }
    }
    free(text);
    ck_assert_msg(n >= 10, "%s: only %zu routes found", relative, n);
    return n;
}

/* The request target of a row: {system-id} is the victim's system, other ids unknown. */
static void fill(const char *tpl, const char *prefix, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "%s", prefix);

    while (*tpl != '\0' && n + 1 < cap) {
        if (*tpl == '{') {
            const char *close = strchr(tpl, '}');
            int system = strncmp(tpl, "{system-id}", 11) == 0;
            n += (size_t)snprintf(out + n, cap - n, "%s", system ? victim.system_id : FAKE_ID);
            tpl = close + 1;
        } else {
            out[n++] = *tpl++;
            out[n] = '\0';
        }
    }
}

struct target {
    struct row row;
    char url[512];
    int admin;
};

/* Both tables as request targets; the state-wiping POST /reset comes last. */
static size_t load_targets(struct target *t, size_t cap)
{
    struct row rows[MAX_ROWS];
    size_t n = 0, nrows = load_table("src/admin/routes.c", rows, MAX_ROWS), reset = SIZE_MAX;

    for (size_t i = 0; i < nrows && n < cap; i++, n++) {
        t[n].row = rows[i];
        t[n].admin = 1;
        fill(rows[i].path, "/administration", t[n].url, sizeof(t[n].url));
    }
    nrows = load_table("src/control/routes.c", rows, MAX_ROWS);
    for (size_t i = 0; i < nrows && n < cap; i++, n++) {
        t[n].row = rows[i];
        t[n].admin = 0;
        fill(rows[i].path, "/_emulator/v1", t[n].url, sizeof(t[n].url));
        if (strcmp(rows[i].path, "/reset") == 0)
            reset = n;
    }
    if (reset != SIZE_MAX) {
        struct target last = t[reset];
        memmove(&t[reset], &t[reset + 1], (n - reset - 1) * sizeof(*t));
        t[n - 1] = last;
    }
    return n;
}

/* A placeholder handler of work still in progress answers 500 "<handler>: pending". */
static int pending(const struct raw *r)
{
    return r->status == 500 && strstr(r->body, ": pending\"") != NULL;
}

static const char *body_type(const char *method)
{
    return strcmp(method, "PATCH") == 0 ? "application/json-patch+json" : "application/json";
}

/* ---- every method on every route ------------------------------------------------------ */

static const char *const all_methods[] = {"GET",
                                          "POST",
                                          "PUT",
                                          "PATCH",
                                          "DELETE",
                                          "HEAD",
                                          "OPTIONS",
                                          "TRACE",
                                          "BREW",
                                          "get",
                                          "M-SEARCH-A-VERY-LONG-MADE-UP-METHOD-NAME"};

START_TEST(every_method_on_every_route)
{
    static struct target t[2 * MAX_ROWS];
    size_t n, swept = 0, skipped = 0;
    struct raw r;

    start();
    n = load_targets(t, N(t));
    for (size_t i = 0; i < n; i++) {
        for (size_t m = 0; m < N(all_methods); m++) {
            const char *method = all_methods[m];
            int with_body = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
            for (int creds = 0; creds < 1 + t[i].admin; creds++) {
                request(method, t[i].url, creds ? &tenant : NULL, NULL,
                        with_body ? body_type(method) : NULL, with_body ? "{}" : NULL, 2, &r);
                if (pending(&r)) {
                    skipped++;
                } else {
                    assert_sane(&r, method, t[i].url);
                    swept++;
                }
                raw_free(&r);
            }
        }
    }
    fprintf(stderr,
            "every_method_on_every_route: %zu routes, %zu answers checked, %zu from "
            "placeholders still pending\n",
            n, swept, skipped);
    ck_assert_uint_gt(swept, 500);
    finish();
}
END_TEST

/* ---- malformed bodies on every route that takes one --------------------------------- */

struct bad_body {
    const char *name;
    const char *bytes;
    size_t len; /* 0: strlen */
};

static const struct bad_body bad_bodies[] = {
    {"invalid UTF-8", "{\"name\":\"\xff\xfe\"}", 0},
    {"truncated UTF-8", "{\"name\":\"\xe2\x82\"}", 0},
    {"overlong UTF-8", "{\"name\":\"\xc0\xaf\"}", 0},
    {"UTF-8 surrogate", "{\"name\":\"\xed\xa0\x80\"}", 0},
    {"lone escaped surrogate", "{\"name\":\"\\ud800\"}", 0},
    {"byte order mark", "\xef\xbb\xbf{}", 0},
    {"33 levels", "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", 0},
    {"huge integer", "{\"name\":123456789012345678901234567890,\"limit\":99999999999999999999}", 0},
    {"huge float", "{\"name\":1e999999,\"requestsPerSecond\":-1e400,\"by\":1.7976931348623157e309}",
     0},
    {"duplicate keys", "{\"name\":\"a\",\"name\":\"b\",\"name\":7}", 0},
    {"escaped NUL", "{\"name\":\"a\\u0000b\",\"serialNumber\":\"\\u0000\"}", 0},
    {"raw NUL in a string", "{\"name\":\"a\0b\"}", 15},
    {"NUL after the document", "{}\0", 3},
    {"empty", "", 0},
    {"array", "[]", 0},
    {"string", "\"x\"", 0},
    {"null", "null", 0},
    {"number", "-0", 0},
    {"truncated", "{\"name\":", 0},
    {"trailing garbage", "{} {}", 0},
    {"comment", "{/* hi */}", 0},
    {"single quotes", "{'name':'x'}", 0},
    {"control character", "{\"name\":\"a\tb\x01\"}", 0},
    {"patch with every op", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/b\"},{\"op\":\"copy\"}]",
     0},
};

START_TEST(malformed_bodies_on_every_body_route)
{
    static struct target t[2 * MAX_ROWS];
    size_t n, swept = 0;
    struct raw r;

    start();
    n = load_targets(t, N(t));
    for (size_t i = 0; i < n; i++) {
        const char *method = t[i].row.method;
        if (strcmp(method, "GET") == 0 || strcmp(method, "DELETE") == 0 ||
            strcmp(t[i].row.path, "/reset") == 0)
            continue;
        for (size_t b = 0; b < N(bad_bodies); b++) {
            const struct bad_body *bb = &bad_bodies[b];
            size_t len = bb->len ? bb->len : strlen(bb->bytes);
            char what[700];
            snprintf(what, sizeof(what), "%s with %s", t[i].url, bb->name);
            request(method, t[i].url, t[i].admin ? &tenant : NULL, NULL, body_type(method),
                    bb->bytes, len, &r);
            if (!pending(&r)) {
                assert_sane(&r, method, what);
                swept++;
            }
            raw_free(&r);
        }
    }
    ck_assert_uint_gt(swept, 200);
    finish();
}
END_TEST

/* ---- the body rules themselves ------------------------------------------------------ */

/* POST /administration/user with body; returns the status, the answer in r. */
static int post_user(const char *body, size_t len, struct raw *r)
{
    request("POST", "/administration/user", &tenant, NULL, "application/json", body,
            len ? len : strlen(body), r);
    assert_sane(r, "POST", "/administration/user");
    return r->status;
}

/* POST /administration/locking-device with body: its name is a free text. */
static int post_lock(const char *body, struct raw *r)
{
    request("POST", "/administration/locking-device", &tenant, NULL, "application/json", body,
            strlen(body), r);
    assert_sane(r, "POST", "/administration/locking-device");
    return r->status;
}

START_TEST(invalid_utf8_is_refused_everywhere)
{
    static const char *const bodies[] = {
        "{\"name\":\"Fr\xffnt\"}",      /* not UTF-8 at all */
        "{\"name\":\"Front\xe2\x82\"}", /* a cut sequence */
        "{\"na\xc3\x28me\":\"Front\"}", /* a bad continuation, in a key */
        "{\"name\":\"\xc0\xaf"
        "Front\"}", /* overlong '/' */
        "{\"name\":\"\xed\xa0\x80"
        "Front\"}", /* a surrogate */
        "{\"name\":\"\xf4\x90\x80\x80"
        "Front\"}", /* beyond U+10FFFF */
    };
    char value[256];
    struct raw r;

    start();
    for (size_t i = 0; i < N(bodies); i++) {
        post_lock(bodies[i], &r);
        if (i < 3)
            ck_assert_msg(r.status == 400 && strstr(r.body, "malformed JSON") != NULL,
                          "body %zu: %d %s", i, r.status, r.body);
        else
            ck_assert_msg(r.status == 400,
                          "body %zu (overlong, surrogate or > U+10FFFF) is stored: %d", i,
                          r.status);
        raw_free(&r);
    }
    /* In the path, the query and the headers. */
    request("GET", "/administration/user/\xff\xfe", &tenant, NULL, NULL, NULL, 0, &r);
    assert_sane(&r, "GET", "path with invalid UTF-8");
    ck_assert_int_eq(r.status, 404);
    raw_free(&r);
    request("GET", "/administration/user?limit=%ff&next-page-token=%c0%af", &tenant, NULL, NULL,
            NULL, 0, &r);
    assert_sane(&r, "GET", "query with invalid UTF-8");
    ck_assert_int_eq(r.status, 400);
    raw_free(&r);
    request("GET", "/administration/user", NULL,
            "X-Api-Key: \xff\xfe\r\nAccept: " VENDOR_TYPE "\r\n", NULL, NULL, 0, &r);
    assert_sane(&r, "GET", "API key with invalid UTF-8");
    ck_assert_int_eq(r.status, 403);
    raw_free(&r);
    snprintf(value, sizeof(value),
             "X-Api-Key: %s\r\nAccept: %s\r\nAuthorization: Bearer \xff.\xfe.\xfd\r\n",
             tenant.api_key, VENDOR_TYPE);
    request("GET", "/administration/user", NULL, value, NULL, NULL, 0, &r);
    assert_sane(&r, "GET", "token with invalid UTF-8");
    ck_assert_int_eq(r.status, 401);
    raw_free(&r);
    finish();
}
END_TEST

START_TEST(deep_nesting_is_refused_without_recursing)
{
    size_t depth[] = {32, 33, 1000, 500000};
    struct raw r;

    start();
    for (size_t i = 0; i < N(depth); i++) {
        size_t len = 2 * depth[i] + 12;
        char *body = malloc(len + 1);
        size_t at = (size_t)snprintf(body, len + 1, "{\"role\":");
        for (size_t d = 1; d < depth[i]; d++)
            body[at++] = '[';
        for (size_t d = 1; d < depth[i]; d++)
            body[at++] = ']';
        body[at++] = '}';
        post_user(body, at, &r);
        ck_assert_int_eq(r.status, 400);
        if (depth[i] > 32)
            ck_assert_msg(strstr(r.body, "nesting too deep") != NULL, "depth %zu: %s", depth[i],
                          r.body);
        else
            ck_assert_msg(strstr(r.body, "\"role\"") != NULL, "depth 32: %s", r.body);
        raw_free(&r);
        free(body);
    }
    finish();
}
END_TEST

START_TEST(huge_numbers_are_400)
{
    static const char *const queries[] = {
        "/administration/user?limit=99999999999999999999",
        "/administration/user?limit=-9223372036854775809",
        "/administration/user?limit=1e2",
        "/administration/user?limit=0x10",
        "/administration/user?limit=%2010",
        "/administration/"
        "locking-device-system-log?sequence-number-greater-than=9223372036854775808",
        "/administration/locking-device-audit-log?sequence-number-greater-than=-1",
        "/administration/locking-device-audit-log?after-datetime=99999-01-01T00:00:00Z",
    };
    char path[256], body[512];
    struct raw r;

    start();
    for (size_t i = 0; i < N(queries); i++) {
        request("GET", queries[i], &tenant, NULL, NULL, NULL, 0, &r);
        assert_sane(&r, "GET", queries[i]);
        ck_assert_msg(r.status == 400, "%s: %d %s", queries[i], r.status, r.body);
        raw_free(&r);
    }
    request("GET",
            "/administration/locking-device-system-log?sequence-number-greater-than="
            "9223372036854775807",
            &tenant, NULL, NULL, NULL, 0, &r);
    ck_assert_msg(r.status == 200, "INT64_MAX: %d %s", r.status, r.body);
    raw_free(&r);
    request("POST", "/_emulator/v1/api-keys", NULL, NULL, "application/json",
            "{\"name\":\"k\",\"requestsPerSecond\":1e400,\"burst\":-99999999999999999999}", 66, &r);
    assert_sane(&r, "POST", "/api-keys with huge numbers");
    ck_assert_int_eq(r.status, 400);
    raw_free(&r);
    /* A clock moved past year 9999 can no longer be rendered or used for tokens. */
    snprintf(path, sizeof(path), "/_emulator/v1/systems/%s/clock/advance", victim.system_id);
    snprintf(body, sizeof(body), "{\"by\":\"PT9223372036854775807S\"}");
    request("POST", path, NULL, NULL, "application/json", body, strlen(body), &r);
    assert_sane(&r, "POST", path);
    ck_assert_int_eq(r.status, 400);
    raw_free(&r);
    snprintf(body, sizeof(body), "{\"by\":\"P3000000D\"}"); /* ~8200 years */
    request("POST", path, NULL, NULL, "application/json", body, strlen(body), &r);
    assert_sane(&r, "POST", path);
    ck_assert_msg(r.status == 400, "advancing a clock past 9999-12-31T23:59:59Z: %d %s", r.status,
                  r.body);
    raw_free(&r);
    finish();
}
END_TEST

START_TEST(duplicate_keys_take_the_last_value)
{
    struct raw r;
    json_object *doc, *role;

    start();
    /* json-c keeps the last of duplicate members, as Jackson does by default. */
    ck_assert_int_eq(post_user("{\"role\":\"USER\",\"role\":\"ADMIN\"}", 0, &r), 201);
    doc = json_tokener_parse(r.body);
    ck_assert(json_object_object_get_ex(doc, "role", &role));
    ck_assert_str_eq(json_object_get_string(role), "ADMIN");
    json_object_put(doc);
    raw_free(&r);
    ck_assert_int_eq(post_user("{\"role\":\"ADMIN\",\"role\":\"BOSS\"}", 0, &r), 400);
    ck_assert_msg(strstr(r.body, "\"name\":\"role\"") != NULL, "%s", r.body);
    raw_free(&r);
    ck_assert_int_eq(post_user("{\"role\":\"USER\",\"role\":null}", 0, &r), 400);
    raw_free(&r);
    finish();
}
END_TEST

START_TEST(nul_bytes_are_refused)
{
    static const char nul_header[] = "GET /administration/user HTTP/1.1\r\nHost: a\r\n"
                                     "Connection: close\r\nX-Api-Key: a\0b\r\n"
                                     "Accept: " VENDOR_TYPE "\r\n\r\n";
    static const char *const targets[] = {
        "/_emulator/v1/health%00/../../administration/user",
        "/administration/user%00",
        "/_emulator/v1/systems%00x",
    };
    struct raw r;

    start();
    ck_assert_int_eq(post_user("{\"role\":\"US\0ER\"}", 16, &r), 400);
    raw_free(&r);
    ck_assert_int_eq(post_user("{\"role\":\"USER\\u0000\"}", 0, &r), 400);
    ck_assert_msg(strstr(r.body, "NUL") != NULL, "%s", r.body);
    raw_free(&r);
    ck_assert_int_eq(post_user("{\"role\":\"USER\"}\0{}", 18, &r), 400);
    raw_free(&r);
    request("GET", "/administration/user?limit=5%00junk", &tenant, NULL, NULL, NULL, 0, &r);
    assert_sane(&r, "GET", "limit with a NUL");
    ck_assert_msg(r.status == 400, "?limit=5%%00junk is read as limit=5: %d", r.status);
    raw_free(&r);
    raw_send(nul_header, sizeof(nul_header) - 1, &r);
    ck_assert_msg(r.status == 0 || r.status == 400 || r.status == 403, "%s", r.data);
    raw_free(&r);
    /* %00 stays encoded (src/http/server.c unescape()): such a path matches no route. */
    for (size_t i = 0; i < N(targets); i++) {
        request("GET", targets[i], &tenant, NULL, NULL, NULL, 0, &r);
        assert_sane(&r, "GET", targets[i]);
        ck_assert_msg(r.status == 404, "GET %s is routed as the path before %%00: %d", targets[i],
                      r.status);
        raw_free(&r);
    }
    finish();
}
END_TEST

START_TEST(oversized_heads_are_refused_and_forgotten)
{
    size_t big = 100 * 1024;
    char *filler = malloc(big + 1), *lines = malloc(big * 2), *target = malloc(big + 64);
    struct raw r;
    size_t at = 0;

    start();
    memset(filler, 'a', big);
    filler[big] = '\0';
    snprintf(target, big + 64, "/administration/user?limit=5&x=%s", filler);
    request("GET", target, &tenant, NULL, NULL, NULL, 0, &r);
    assert_refused_by_mhd(&r, "100 KiB query string");
    raw_free(&r);
    snprintf(target, big + 64, "/administration/user/%s", filler);
    request("GET", target, &tenant, NULL, NULL, NULL, 0, &r);
    assert_refused_by_mhd(&r, "100 KiB path");
    raw_free(&r);
    snprintf(lines, big * 2, "X-Filler: %s\r\n", filler);
    request("GET", "/administration/user", &tenant, lines, NULL, NULL, 0, &r);
    assert_refused_by_mhd(&r, "one 100 KiB header");
    raw_free(&r);
    for (int i = 0; i < 3000; i++)
        at += (size_t)snprintf(lines + at, big * 2 - at, "X-Many-%d: %.20s\r\n", i, filler);
    request("GET", "/administration/user", &tenant, lines, NULL, NULL, 0, &r);
    assert_refused_by_mhd(&r, "3000 headers");
    raw_free(&r);
    /* Large but within the connection's memory: our own answers. */
    snprintf(target, big + 64, "/administration/user/%.4000s", filler);
    request("GET", target, &tenant, NULL, NULL, NULL, 0, &r);
    assert_sane(&r, "GET", "4000-character id");
    ck_assert_int_eq(r.status, 404);
    raw_free(&r);
    snprintf(target, big + 64, "/administration/user?next-page-token=%.8000s", filler);
    request("GET", target, &tenant, NULL, NULL, NULL, 0, &r);
    assert_sane(&r, "GET", "8000-character page token");
    ck_assert_int_eq(r.status, 400);
    raw_free(&r);
    snprintf(lines, big * 2, "Authorization: Bearer %.20000s\r\n", filler);
    request("GET", "/administration/user", NULL, lines, NULL, NULL, 0, &r);
    ck_assert(r.status == 403 || (r.status >= 400 && r.status < 500));
    raw_free(&r);
    request("POST", "/administration/user", &tenant, "Content-Length: 99999999999999999999\r\n",
            "application/json", NULL, 0, &r);
    assert_refused_by_mhd(&r, "absurd Content-Length");
    raw_free(&r);
    request("POST", "/administration/user", &tenant, "Content-Length: -1\r\n", "application/json",
            NULL, 0, &r);
    assert_refused_by_mhd(&r, "negative Content-Length");
    raw_free(&r);
    free(filler);
    free(lines);
    free(target);
    finish();
}
END_TEST

START_TEST(path_traversal_stays_on_its_surface)
{
    static const char *const paths[] = {
        "/administration/../_emulator/v1/systems",
        "/administration/%2e%2e/_emulator/v1/systems",
        "/administration/%2E%2E/%5Femulator/v1/systems",
        "/administration/..%2F_emulator%2Fv1%2Fsystems",
        "/administration/user/../../_emulator/v1/systems",
        "/_emulator/v1/systems/..%2F..%2F..%2Fadministration%2Fuser",
        "/_emulator/v1/./health",
        "/_emulator/v1/health/.",
        "//_emulator/v1/health",
        "/_emulator/v1//health",
        "/_emulator//v1/health",
        "/administration//user",
        "/ADMINISTRATION/user",
        "/_emulator/v1/health/",
        "/administration/user\\..\\..\\_emulator",
        "/administration/user;/../../_emulator/v1/systems",
        "/_emulator/v1/snapshots/..%2F..%2Fetc%2Fpasswd/restore",
        "/_emulator/v1/hardware/locking-devices/..%2F..%2F..%2Fsystems",
    };
    char encoded[256];
    struct raw r;

    start();
    for (size_t i = 0; i < N(paths); i++) {
        request("GET", paths[i], &tenant, NULL, NULL, NULL, 0, &r);
        assert_sane(&r, "GET", paths[i]);
        ck_assert_msg(r.status == 404 || r.status == 405, "GET %s: %d %s", paths[i], r.status,
                      r.body);
        ck_assert_msg(strstr(r.body, victim.system_id) == NULL, "GET %s leaked a system", paths[i]);
        raw_free(&r);
    }
    /* An encoded slash stays encoded, so it is no separator. */
    snprintf(encoded, sizeof(encoded), "/administration/user%%2F%s", tenant.admin_id);
    request("GET", encoded, &tenant, NULL, NULL, NULL, 0, &r);
    assert_sane(&r, "GET", encoded);
    ck_assert_msg(r.status == 404, "GET %s reaches GET /user/{user-id}: %d", encoded, r.status);
    raw_free(&r);
    finish();
}
END_TEST

START_TEST(garbage_request_lines_get_no_5xx)
{
    static const char *const lines[] = {
        "garbage\r\n\r\n",
        "GET\r\n\r\n",
        "GET /_emulator/v1/health\r\n\r\n",
        "GET /_emulator/v1/health HTTP/1.1\r\n\r\n", /* HTTP/1.1 without Host */
        "GET /_emulator/v1/health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n",
        "GET /_emulator/v1/health HTTP/1.1\nHost: a\nConnection: close\n\n",
        "GET  /_emulator/v1/health  HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET /_emulator/v1/health HTTP/1.1\r\nHost: a\r\nBad Header\r\nConnection: close\r\n\r\n",
        "GET /_emulator/v1/health HTTP/1.1\r\nHost: a\r\n : empty name\r\nConnection: "
        "close\r\n\r\n",
        "POST /_emulator/v1/systems HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        "POST /_emulator/v1/systems HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
        "Content-Length: 2\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
        "2\r\n{}\r\n0\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", /* a TLS ClientHello */
    };
    struct raw r;

    start();
    wait_seconds = 2; /* some of these leave the server waiting for the rest */
    for (size_t i = 0; i < N(lines); i++) {
        raw_send(lines[i], strlen(lines[i]), &r);
        ck_assert_msg(r.status < 500, "request %zu: %.200s", i, r.data);
        raw_free(&r);
    }
    wait_seconds = 20;
    /* libmicrohttpd answers an unknown HTTP version itself, with 505 and its HTML page. */
    static const char version[] = "GET /_emulator/v1/health HTTP/9.9\r\nHost: a\r\n"
                                  "Connection: close\r\n\r\n";
    raw_send(version, sizeof(version) - 1, &r);
    ck_assert_msg(r.status == 505, "HTTP/9.9: %.200s", r.data);
    raw_free(&r);
    finish();
}
END_TEST

Suite *malformed_suite(void)
{
    Suite *s = suite_create("malformed");
    TCase *tc = tcase_create("malformed");

    tcase_set_timeout(tc, 240);
    tcase_add_checked_fixture(tc, NULL, kill_leftover);
    tcase_add_test(tc, every_method_on_every_route);
    tcase_add_test(tc, malformed_bodies_on_every_body_route);
    tcase_add_test(tc, invalid_utf8_is_refused_everywhere);
    tcase_add_test(tc, deep_nesting_is_refused_without_recursing);
    tcase_add_test(tc, huge_numbers_are_400);
    tcase_add_test(tc, duplicate_keys_take_the_last_value);
    tcase_add_test(tc, nul_bytes_are_refused);
    tcase_add_test(tc, oversized_heads_are_refused_and_forgotten);
    tcase_add_test(tc, path_traversal_stays_on_its_surface);
    tcase_add_test(tc, garbage_request_lines_get_no_5xx);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* No fork: the teardown then stops a failed test's server. */
    return run_suite_nofork(malformed_suite());
}
