/*
 * fuzz_router.c — route matching on the real tables, and query strings decoded the way
 * handlers decode them.
 *
 * Input: "METHOD PATH[?QUERY]". PATH is matched against both route tables (what
 * src/http/server.c passes after the surface prefix); an input that starts with '#' is
 * instead "#TEMPLATE\nMETHOD PATH", a one-row table with any template. A match must put
 * back exactly the path it matched when its parameters are substituted into the template;
 * a 405 must list only methods of rows that fit the path. QUERY is split and
 * percent-decoded as libmicrohttpd does, then decoded with spec_decode_strings() against a
 * table of every type handlers use for query parameters.
 */
#include <inttypes.h>
#include <strings.h>

#include "admin/routes.h"
#include "control/routes.h"
#include "fuzz.h"
#include "http/router.h"
#include "lib/json_spec.h"
#include "lib/timefmt.h"

/* ---- routes ------------------------------------------------------------------------- */

/* The path a match stands for: the template with each {name} replaced by its value. */
static void rebuild(const struct route_match *m, char *out, size_t cap)
{
    const char *t = m->route->path;
    size_t n = 0, param = 0;

    while (*t != '\0' && n + 1 < cap) {
        if (*t == '{') {
            const char *v = m->params[param++].value;
            size_t len = strlen(v);
            FUZZ_CHECK(n + len < cap, "rebuilt path too long");
            memcpy(out + n, v, len);
            n += len;
            t = strchr(t, '}') + 1;
        } else {
            out[n++] = *t++;
        }
    }
    out[n] = '\0';
}

/* Does some row fit path, whatever its method? */
static int path_fits(const struct route *row, const char *path)
{
    struct route_match probe;

    return router_match(row, 1, row->method, path, &probe) == ST_OK;
}

static void check_match(const struct route *table, size_t n, const char *method, const char *path)
{
    struct route_match m;
    char rebuilt[4096];
    enum status st;

    memset(&m, 0x5a, sizeof(m));
    st = router_match(table, n, method, path, &m);
    if (st == ST_OK) {
        const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
        FUZZ_CHECK(m.route >= table && m.route < table + n, "route outside the table");
        FUZZ_CHECK(strcmp(m.route->method, want) == 0, "%s matched %s", method, m.route->method);
        FUZZ_CHECK(m.nparams <= ROUTE_MAX_PARAMS, "nparams %zu", m.nparams);
        for (size_t i = 0; i < m.nparams; i++) {
            size_t len = strnlen(m.params[i].value, ROUTE_PARAM_LEN);
            FUZZ_CHECK(len > 0 && len < ROUTE_PARAM_LEN, "param %zu length %zu", i, len);
            FUZZ_CHECK(strchr(m.params[i].value, '/') == NULL, "param %zu has '/'", i);
            /* An {...-id} segment holding a UUID is read in lower case; nothing else is touched. */
            char lowered[37];
            int id = m.params[i].name_len > 3 &&
                     memcmp(m.params[i].name + m.params[i].name_len - 3, "-id", 3) == 0;
            FUZZ_CHECK(!id || !spec_uuid_lowered(m.params[i].value, lowered),
                       "param %zu '%s' not lowered", i, m.params[i].value);
        }
        rebuild(&m, rebuilt, sizeof(rebuilt));
        FUZZ_CHECK(strcasecmp(rebuilt, path) == 0, "'%s' matched as '%s'", path, rebuilt);
        return;
    }
    FUZZ_CHECK(st == ST_NOT_FOUND || st == ST_METHOD, "status %d", (int)st);
    FUZZ_CHECK(memchr(m.allow, '\0', sizeof(m.allow)) != NULL, "Allow not terminated");
    for (size_t i = 0; i < n; i++)
        if (path_fits(&table[i], path)) {
            FUZZ_CHECK(st == ST_METHOD, "'%s' fits row %zu but was not found", path, i);
            FUZZ_CHECK(strcmp(table[i].method, method) != 0, "row %zu has %s", i, method);
        }
    if (st == ST_METHOD)
        FUZZ_CHECK(m.allow[0] != '\0', "405 without Allow for '%s'", path);
}

/* ---- query strings ------------------------------------------------------------------ */

#define MAX_PAIRS 16

struct query {
    size_t n;
    char *names[MAX_PAIRS], *values[MAX_PAIRS];
};

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* In-place "%41+b" -> "A b", as libmicrohttpd unescapes arguments. */
static void unescape(char *s)
{
    char *w = s;

    for (; *s != '\0'; s++) {
        if (*s == '+') {
            *w++ = ' ';
        } else if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
            *w++ = (char)(hex(s[1]) * 16 + hex(s[2]));
            s += 2;
        } else {
            *w++ = *s;
        }
    }
    *w = '\0';
}

static void query_parse(char *text, struct query *q)
{
    q->n = 0;
    while (text != NULL && *text != '\0' && q->n < MAX_PAIRS) {
        char *amp = strchr(text, '&'), *eq;
        if (amp != NULL)
            *amp = '\0';
        eq = strchr(text, '=');
        if (eq != NULL)
            *eq = '\0';
        q->names[q->n] = text;
        q->values[q->n] = eq != NULL ? eq + 1 : text + strlen(text);
        unescape(q->names[q->n]);
        unescape(q->values[q->n]);
        q->n++;
        text = amp != NULL ? amp + 1 : NULL;
    }
}

static const char *query_get(void *ctx, const char *name)
{
    const struct query *q = ctx;

    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->names[i], name) == 0)
            return q->values[i];
    return NULL;
}

static const char *const directions[] = {"ASCENDING", "DESCENDING", NULL};

struct filters {
    int64_t limit, after, seq, wait_s;
    const char *token, *direction, *user, *url, *phone, *email;
    struct spec_duration every;
    int flag;
    double rate;
};

static const struct spec_field query_fields[] = {
    {"limit", SPEC_INT, 0, 1, 100, NULL, offsetof(struct filters, limit)},
    {"next-page-token", SPEC_STRING, 0, 1, 95, NULL, offsetof(struct filters, token)},
    {"after-datetime", SPEC_DATETIME, 0, 0, 0, NULL, offsetof(struct filters, after)},
    {"sort-direction", SPEC_ENUM, 0, 0, 0, directions, offsetof(struct filters, direction)},
    {"sequence-number-greater-than", SPEC_INT, 0, 0, INT64_MAX, NULL,
     offsetof(struct filters, seq)},
    {"user-id", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct filters, user)},
    {"wait", SPEC_INT, 0, 0, 30, NULL, offsetof(struct filters, wait_s)},
    {"every", SPEC_DURATION, 0, 1, 86400, NULL, offsetof(struct filters, every)},
    {"flag", SPEC_BOOL, 0, 0, 0, NULL, offsetof(struct filters, flag)},
    {"rate", SPEC_NUMBER, 0, 0, 100, NULL, offsetof(struct filters, rate)},
    {"url", SPEC_URL, 0, 0, 200, NULL, offsetof(struct filters, url)},
    {"phone", SPEC_PHONE, 0, 0, 0, NULL, offsetof(struct filters, phone)},
    {"email", SPEC_EMAIL, 0, 0, 0, NULL, offsetof(struct filters, email)},
};
#define NQUERY (sizeof(query_fields) / sizeof(query_fields[0]))
#define GIVEN(i) (present & (1u << (i)))

static void check_query(char *text)
{
    struct query q;
    struct filters f = {0};
    struct problem p = {0};
    uint32_t present = 0;
    enum status st;

    query_parse(text, &q);
    st = spec_decode_strings(query_fields, NQUERY, query_get, &q, &f, &present, &p);
    FUZZ_CHECK(st == ST_OK || st == ST_INVALID, "status %d", (int)st);
    FUZZ_CHECK(st == ST_OK ? !problem_has_invalid(&p) : problem_has_invalid(&p), "reasons");
    if (GIVEN(0))
        FUZZ_CHECK(f.limit >= 1 && f.limit <= 100, "limit %" PRId64, f.limit);
    if (GIVEN(3))
        FUZZ_CHECK(f.direction[0] == 'A' || f.direction[0] == 'D', "direction");
    if (GIVEN(4))
        FUZZ_CHECK(f.seq >= 0, "seq %" PRId64, f.seq);
    if (GIVEN(5))
        FUZZ_CHECK(spec_is_uuid(f.user), "user-id");
    if (GIVEN(6))
        FUZZ_CHECK(f.wait_s >= 0 && f.wait_s <= 30, "wait");
    if (GIVEN(7))
        FUZZ_CHECK(f.every.seconds >= 1 && f.every.seconds <= 86400, "every");
    if (GIVEN(9))
        FUZZ_CHECK(f.rate >= 0 && f.rate <= 100, "rate %g", f.rate);
    problem_clear(&p);
}

/* ---- entry -------------------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), *line = text, *space, *query;
    struct route row = {.auth = AUTH_NONE, .summary = "fuzzed"};

    if (text[0] == '#') {
        char *nl = strchr(text, '\n');
        if (nl == NULL)
            goto out;
        *nl = '\0';
        row.path = text + 1;
        line = nl + 1;
    }
    space = strchr(line, ' ');
    if (space == NULL)
        goto out;
    *space = '\0';
    query = strchr(space + 1, '?');
    if (query != NULL)
        *query++ = '\0';
    if (row.path != NULL) {
        row.method = "GET";
        check_match(&row, 1, line, space + 1);
    } else {
        check_match(admin_routes, admin_routes_count, line, space + 1);
        check_match(control_routes, control_routes_count, line, space + 1);
    }
    check_query(query);
out:
    free(text);
    return 0;
}
