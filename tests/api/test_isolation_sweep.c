/*
 * test_isolation_sweep.c — a second system can neither see nor touch a first system's
 * resources, through any Administration route that takes an id.
 *
 * System A gets real resources of every kind, made the way a client makes them: users, a
 * phone (invitation + accept), a pending invitation, a lock claimed by the phone through the
 * simulator and an unclaimed one, a permission, an offline key, log entries from a visit,
 * an activated and a pending gateway, an association, a remote command. Then system B's
 * admin aims every route that takes an id at A's ids — in the path, in query filters and
 * in bodies — and each answer must be exactly what B gets for an id that exists nowhere
 * (404 in the path; the same status, detail and invalid fields elsewhere): no existence
 * leak. Finally A's whole visible state, including its event log, must be unchanged
 * byte for byte.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* What A owns. */
struct world {
    struct tenant t;
    char user[64], spare[64], invitation[64], phone[64];
    char lock[64], loose_lock[64], serial[64], permission[64], offline_key[64];
    char gateway[64], pending_gateway[64], claiming_code[64], association[64], command[64];
};

/* B's own ids, so that a body is valid but for the one foreign id. */
struct own {
    struct tenant t;
    char user[64], lock[64];
};

static void start(void)
{
    ck_assert_int_eq(emu_start(&emu, NULL), 0);
}

static void stop(void)
{
    emu_kill(&emu); /* only does something when a failed test left it running */
}

/* ---- making things --------------------------------------------------------------------- */

static void copy_field(const struct http_response *r, const char *field, char out[64])
{
    const char *v = json_str(r, field);

    ck_assert_msg(v != NULL, "no '%s' in %s", field, r->body);
    snprintf(out, 64, "%s", v);
}

static void admin_ok(const struct tenant *t, const char *method, const char *path, const char *body,
                     long want, const char *field, char out[64])
{
    struct http_response r;
    long got = admin_call(&emu, t, method, path, body, &r);

    ck_assert_msg(got == want, "%s %s %s: %ld %s", method, path, body ? body : "", got, r.body);
    if (field != NULL)
        copy_field(&r, field, out);
    http_response_free(&r);
}

static void control_ok(const char *method, const char *path, const char *body, long want,
                       const char *field, char out[64])
{
    struct http_response r;
    long got = control_call(&emu, method, path, body, &r);

    ck_assert_msg(got == want, "%s %s %s: %ld %s", method, path, body ? body : "", got, r.body);
    if (field != NULL)
        copy_field(&r, field, out);
    http_response_free(&r);
}

/* A user with a phone, and a second user with an invitation still pending. */
static void make_phones(struct world *w)
{
    char body[256];

    make_phone(&w->t, w->user, w->phone, NULL);
    /* A second user with an invitation still pending. */
    admin_ok(&w->t, "POST", "/user", "{\"role\":\"USER\"}", 201, "id", w->spare);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\"}", w->spare);
    admin_ok(&w->t, "POST", "/operating-device-invitation", body, 201, "id", w->invitation);
}

static void make_locks(struct world *w)
{
    new_lock(&w->t, "Front", w->lock);
    new_lock(&w->t, "Shed", w->loose_lock);
    json_object_put(claim_new_lock(w->phone, w->lock, PADLOCK, w->serial));
}

static void make_keys(struct world *w)
{
    char body[512], path[160];

    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2030-01-01T00:00:00Z\","
             "\"end\":\"2030-02-01T00:00:00Z\"}",
             w->user, w->lock);
    admin_ok(&w->t, "POST", "/permission", body, 201, "id", w->permission);
    snprintf(body, sizeof(body),
             "{\"operatingDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\","
             "\"startDatetime\":\"2030-01-01T08:00:00Z\",\"endDatetime\":\"2030-01-01T09:00:00Z\","
             "\"deliveryMechanism\":\"NONE\"}",
             w->phone, w->lock);
    admin_ok(&w->t, "POST", "/offline-key", body, 201, "primaryKey.id", w->offline_key);
    /* A visit leaves audit and system log entries, uploaded by the online phone. */
    snprintf(path, sizeof(path), "/operating-devices/%s/visit", w->phone);
    snprintf(body, sizeof(body),
             "{\"lockingDeviceId\":\"%s\",\"operation\":\"unlock\","
             "\"online\":true}",
             w->lock);
    control_ok("POST", path, body, 200, NULL, NULL);
}

static void make_gateways(struct world *w)
{
    char body[256], path[160], code[64];

    control_ok("POST", "/hardware/gateway-devices", "{}", 201, "claimingCode", w->claiming_code);
    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", w->claiming_code);
    admin_ok(&w->t, "POST", "/gateway-device", body, 201, "id", w->gateway);
    snprintf(path, sizeof(path), "/gateway-devices/%s/power-on", w->gateway);
    control_ok("POST", path, NULL, 200, NULL, NULL);
    control_ok("POST", "/hardware/gateway-devices", "{}", 201, "claimingCode", code);
    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", code);
    admin_ok(&w->t, "POST", "/gateway-device", body, 201, "id", w->pending_gateway);
    snprintf(body, sizeof(body), "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\"}",
             w->gateway, w->lock);
    admin_ok(&w->t, "POST", "/gateway-device-association", body, 201, "id", w->association);
    snprintf(body, sizeof(body),
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\",\"action\":\"OPEN\"}",
             w->gateway, w->lock);
    admin_ok(&w->t, "POST", "/remote-command", body, 201, "id", w->command);
}

/* The world is only worth probing if A really has entries where B will look. */
static void assert_has_items(const struct tenant *t, const char *fmt, const char *id)
{
    struct http_response r;
    json_object *items;
    char path[256];

    snprintf(path, sizeof(path), fmt, id);
    ck_assert_int_eq(admin_call(&emu, t, "GET", path, NULL, &r), 200);
    ck_assert_msg(json_object_object_get_ex(r.json, "items", &items) &&
                      json_object_array_length(items) > 0,
                  "GET %s is empty", path);
    http_response_free(&r);
}

static void make_world(struct world *w, struct own *b)
{
    ck_assert_int_eq(tenant_create(&emu, &w->t, FROZEN), 0);
    make_phones(w);
    make_locks(w);
    make_keys(w);
    make_gateways(w);
    ck_assert_int_eq(tenant_create(&emu, &b->t, FROZEN), 0);
    admin_ok(&b->t, "POST", "/user", "{\"role\":\"USER\"}", 201, "id", b->user);
    admin_ok(&b->t, "POST", "/locking-device", "{\"name\":\"B's\"}", 201, "id", b->lock);
    assert_has_items(&w->t, "/locking-device-audit-log?locking-device-id=%s", w->lock);
    assert_has_items(&w->t, "/locking-device-system-log?locking-device-id=%s", w->lock);
    assert_has_items(&w->t, "/gateway-device-system-log?gateway-device-id=%s", w->gateway);
    assert_has_items(&w->t, "/operating-device?user-id=%s", w->user);
    assert_has_items(&w->t, "/remote-command?gateway-device-id=%s", w->gateway);
    assert_has_items(&w->t, "/gateway-device-association?gateway-device-id=%s", w->gateway);
    assert_has_items(&w->t, "/locking-device?serial-number=%s", w->serial);
    assert_has_items(&w->t, "/offline-key%s", "");
}

/* ---- A's visible state ------------------------------------------------------------------ */

struct text {
    char *data;
    size_t len;
};

static void text_add(struct text *t, const char *s)
{
    size_t n = strlen(s);

    t->data = realloc(t->data, t->len + n + 2);
    ck_assert_ptr_nonnull(t->data);
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len++] = '\n';
    t->data[t->len] = '\0';
}

/* Every page of a list, following nextPageToken. */
static void add_pages(struct text *t, const struct tenant *who, const char *path)
{
    char url[1024], token[256] = "";

    for (int page = 0; page < 50; page++) {
        struct http_response r;
        const char *sep = strchr(path, '?') ? "&" : "?";
        if (token[0] != '\0')
            snprintf(url, sizeof(url), "%s%slimit=2&next-page-token=%s", path, sep, token);
        else
            snprintf(url, sizeof(url), "%s%slimit=2", path, sep);
        long got = who ? admin_call(&emu, who, "GET", url, NULL, &r)
                       : control_call(&emu, "GET", url, NULL, &r);
        ck_assert_msg(got == 200, "GET %s: %ld %s", url, got, r.body);
        text_add(t, r.body);
        const char *next = json_str(&r, "nextPageToken");
        snprintf(token, sizeof(token), "%s", next ? next : "");
        http_response_free(&r);
        if (token[0] == '\0')
            return;
    }
    ck_abort_msg("%s: more than 50 pages", path);
}

static void add_one(struct text *t, const struct tenant *who, const char *fmt, const char *id)
{
    struct http_response r;
    char path[256];

    snprintf(path, sizeof(path), fmt, id);
    ck_assert_msg(admin_call(&emu, who, "GET", path, NULL, &r) == 200, "GET %s: %ld %s", path,
                  r.status, r.body);
    text_add(t, r.body);
    http_response_free(&r);
}

static char *snapshot(const struct world *w)
{
    static const char *const lists[] = {
        "/user",
        "/operating-device",
        "/locking-device",
        "/permission",
        "/offline-key",
        "/gateway-device",
        "/gateway-device-association",
        "/remote-command",
        "/locking-device-system-log",
        "/locking-device-audit-log",
    };
    struct text t = {0};
    char path[256];

    for (size_t i = 0; i < N(lists); i++)
        add_pages(&t, &w->t, lists[i]);
    snprintf(path, sizeof(path), "/gateway-device-system-log?gateway-device-id=%s", w->gateway);
    add_pages(&t, &w->t, path);
    add_one(&t, &w->t, "/user/%s", w->user);
    add_one(&t, &w->t, "/user/%s", w->spare);
    add_one(&t, &w->t, "/user/%s", w->t.admin_id);
    add_one(&t, &w->t, "/locking-device/%s", w->lock);
    add_one(&t, &w->t, "/locking-device/%s", w->loose_lock);
    add_one(&t, &w->t, "/permission/%s", w->permission);
    add_one(&t, &w->t, "/gateway-device/%s", w->gateway);
    add_one(&t, &w->t, "/gateway-device/%s", w->pending_gateway);
    add_one(&t, &w->t, "/gateway-device-association/%s", w->association);
    add_one(&t, &w->t, "/remote-command/%s", w->command);
    snprintf(path, sizeof(path), "/systems/%s/events", w->t.system_id);
    add_pages(&t, NULL, path);
    snprintf(path, sizeof(path), "/systems/%s/outbox-messages", w->t.system_id);
    add_pages(&t, NULL, path);
    return t.data;
}

/* ---- the comparison with an id that exists nowhere ------------------------------------ */

/* text with every occurrence of from replaced by to; caller frees. */
static char *replaced(const char *text, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to), count = 0;
    const char *at;
    char *out, *w;

    text = text ? text : "";
    for (at = strstr(text, from); at != NULL; at = strstr(at + nf, from))
        count++;
    out = malloc(strlen(text) + count * nt + 1);
    ck_assert_ptr_nonnull(out);
    for (w = out; (at = strstr(text, from)) != NULL; text = at + nf) {
        memcpy(w, text, (size_t)(at - text));
        w += at - text;
        memcpy(w, to, nt);
        w += nt;
    }
    memcpy(w, text, strlen(text) + 1);
    return out;
}

/* An id of the same shape as a_id that exists nowhere: the unknown UUID, or the value with
 * its digits zeroed (serial numbers). */
static void unknown_like(const char *a_id, char *out, size_t cap)
{
    if (strlen(a_id) == strlen(UNKNOWN_ID)) {
        snprintf(out, cap, "%s", UNKNOWN_ID);
        return;
    }
    snprintf(out, cap, "%s", a_id);
    for (char *c = out; *c != '\0'; c++)
        if (*c >= '1' && *c <= '9')
            *c = '0';
}

/* What a client can learn from an answer, with the path (instance) left out. */
static char *visible(const struct http_response *r)
{
    json_object *copy = r->json ? json_tokener_parse(json_object_to_json_string(r->json)) : NULL;
    char *text;

    if (copy != NULL)
        json_object_object_del(copy, "instance");
    text = strdup(copy ? json_object_to_json_string_ext(copy, JSON_C_TO_STRING_PLAIN) : "");
    json_object_put(copy);
    return text;
}

/* B sends method path body with A's id in it, and the same with UNKNOWN_ID in its place:
 * the answers must match, and a path id must be 404 problem+json. */
static void probe(const struct own *b, const char *method, const char *fmt, const char *body_fmt,
                  const char *a_id, int path_id)
{
    char path[512], body[1024], type[128], unknown[64];
    char *unknown_path, *unknown_body, *seen_a, *seen_unknown;
    struct http_response ra, ru;

    snprintf(path, sizeof(path), fmt, a_id);
    snprintf(body, sizeof(body), body_fmt ? body_fmt : "", a_id);
    unknown_like(a_id, unknown, sizeof(unknown));
    unknown_path = replaced(path, a_id, unknown);
    unknown_body = replaced(body, a_id, unknown);
    admin_call(&emu, &b->t, method, path, body_fmt ? body : NULL, &ra);
    admin_call(&emu, &b->t, method, unknown_path, body_fmt ? unknown_body : NULL, &ru);
    char *raw_a = visible(&ra);
    seen_a = replaced(raw_a, a_id, unknown);
    free(raw_a);
    seen_unknown = visible(&ru);
    ck_assert_msg(ra.status == ru.status && strcmp(seen_a, seen_unknown) == 0,
                  "%s %s %s\n  A's id:   %ld %s\n  unknown:  %ld %s", method, path, body, ra.status,
                  ra.body, ru.status, ru.body);
    ck_assert_msg(ra.status < 200 || ra.status >= 300 || strstr(ra.body, a_id) == NULL,
                  "%s %s: A's id in a success: %s", method, path, ra.body);
    if (path_id) {
        ck_assert_msg(ra.status == 404, "%s %s: %ld %s", method, path, ra.status, ra.body);
        ck_assert_str_eq(http_header(&ra, "Content-Type", type, sizeof(type)),
                         "application/problem+json");
    }
    free(seen_a);
    free(seen_unknown);
    free(unknown_path);
    free(unknown_body);
    http_response_free(&ra);
    http_response_free(&ru);
}

/* ---- every route with an id is probed ---------------------------------------------- */

/* The "METHOD template" of every Administration operation whose path has a {param}, with
 * each {param} written as %s; read from GET /_emulator/v1/parity, which the emulator renders
 * from its route table, so that a new route cannot be missed. */
static size_t routes_with_ids(char rows[][160], size_t cap)
{
    json_object *parity = control("GET", "/parity", NULL, 200), *ops = member(parity, "operations");
    size_t n = 0;

    for (size_t k = 0; k < json_object_array_length(ops) && n < cap; k++) {
        json_object *op = json_object_array_get_idx(ops, k);
        const char *path = jstr(op, "path") + strlen("/administration");
        size_t w;

        if (strchr(path, '{') == NULL)
            continue;
        w = (size_t)snprintf(rows[n], 160, "%s ", jstr(op, "method"));
        for (const char *c = path; *c != '\0' && w + 3 < 160; c++) {
            if (*c == '{') {
                memcpy(rows[n] + w, "%s", 2);
                w += 2;
                c = strchr(c, '}');
            } else {
                rows[n][w++] = *c;
            }
        }
        rows[n++][w] = '\0';
    }
    json_object_put(parity);
    return n;
}

static int probed(const char *row, const char *method, const char *path)
{
    size_t m = strlen(method);

    return strncmp(row, method, m) == 0 && row[m] == ' ' && strcmp(row + m + 1, path) == 0;
}

/* ---- the sweep ------------------------------------------------------------------------ */

/* Asserts that A's world reads as before (which it frees), then stops the emulator. */
static void expect_unchanged(struct world *w, char *before)
{
    char *after = snapshot(w);

    ck_assert_msg(strcmp(before, after) == 0, "A changed:\n--- before\n%s\n--- after\n%s", before,
                  after);
    free(before);
    free(after);
    ck_assert_int_eq(emu_stop(&emu), 0);
}

START_TEST(path_ids_of_another_system_are_404_and_change_nothing)
{
    static struct world w;
    static struct own b;
    char *before, patch[] = "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"mine\"}]";
    char put[512];

    start();
    make_world(&w, &b);
    before = snapshot(&w);
    snprintf(put, sizeof(put),
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2030-01-01T00:00:00Z\","
             "\"end\":\"2030-03-01T00:00:00Z\"}",
             b.user, b.lock);
    const struct {
        const char *method, *path, *body, *id;
    } probes[] = {
        {"GET", "/user/%s", NULL, w.user},
        {"GET", "/user/%s", NULL, w.t.admin_id},
        {"DELETE", "/user/%s", NULL, w.spare},
        {"DELETE", "/user/%s", NULL, w.user},
        {"DELETE", "/user/%s", NULL, w.t.admin_id},
        {"DELETE", "/operating-device-invitation/%s", NULL, w.invitation},
        {"DELETE", "/operating-device/%s", NULL, w.phone},
        {"GET", "/locking-device/%s", NULL, w.lock},
        {"GET", "/locking-device/%s", NULL, w.loose_lock},
        {"PATCH", "/locking-device/%s", patch, w.lock},
        {"PATCH", "/locking-device/%s", patch, w.loose_lock},
        {"DELETE", "/locking-device/%s", NULL, w.loose_lock},
        {"DELETE", "/locking-device/%s", NULL, w.lock},
        {"GET", "/permission/%s", NULL, w.permission},
        {"PUT", "/permission/%s", put, w.permission},
        {"DELETE", "/permission/%s", NULL, w.permission},
        {"GET", "/gateway-device/%s", NULL, w.gateway},
        {"GET", "/gateway-device/%s", NULL, w.pending_gateway},
        {"DELETE", "/gateway-device/%s", NULL, w.gateway},
        {"DELETE", "/gateway-device/%s", NULL, w.pending_gateway},
        {"GET", "/gateway-device-association/%s", NULL, w.association},
        {"DELETE", "/gateway-device-association/%s", NULL, w.association},
        {"GET", "/remote-command/%s", NULL, w.command},
        {"POST", "/remote-command/%s/cancel", NULL, w.command},
        {"POST", "/testing/locking-device/%s/re-key", NULL, w.lock},
        {"POST", "/testing/locking-device/%s/re-key", NULL, w.loose_lock},
    };
    char rows[64][160];
    size_t nrows = routes_with_ids(rows, 64);
    ck_assert_uint_ge(nrows, 17); /* as of API v2.13 */
    for (size_t r = 0; r < nrows; r++) {
        int found = 0;
        for (size_t i = 0; i < N(probes) && !found; i++)
            found = probed(rows[r], probes[i].method, probes[i].path);
        ck_assert_msg(found, "route '%s' takes an id but is not probed here", rows[r]);
    }
    for (size_t i = 0; i < N(probes); i++) {
        /* The body is a literal here: no id goes into it. */
        char body_fmt[600] = "";
        if (probes[i].body != NULL)
            snprintf(body_fmt, sizeof(body_fmt), "%s", probes[i].body);
        probe(&b, probes[i].method, probes[i].path, probes[i].body ? body_fmt : NULL, probes[i].id,
              1);
    }
    expect_unchanged(&w, before);
}
END_TEST

START_TEST(query_and_body_ids_of_another_system_leak_nothing)
{
    static struct world w;
    static struct own b;
    char *before, lock_body[600], gateway_body[600];

    start();
    make_world(&w, &b);
    before = snapshot(&w);
    const struct {
        const char *method, *path, *body, *id;
    } probes[] = {
        {"GET", "/operating-device?user-id=%s", NULL, w.user},
        {"GET", "/locking-device?serial-number=%s", NULL, w.serial},
        {"GET", "/locking-device-system-log?locking-device-id=%s", NULL, w.lock},
        {"GET", "/locking-device-audit-log?locking-device-id=%s", NULL, w.lock},
        {"GET", "/gateway-device-system-log?gateway-device-id=%s", NULL, w.gateway},
        {"GET", "/gateway-device-audit-log?gateway-device-id=%s", NULL, w.gateway},
        {"GET", "/gateway-device-association?gateway-device-id=%s", NULL, w.gateway},
        {"GET", "/remote-command?gateway-device-id=%s", NULL, w.gateway},
        {"POST", "/operating-device-invitation",
         "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\"}", w.spare},
        {"POST", "/permission",
         "{\"userId\":\"%s\",\"lockingDeviceId\":\"$LOCK\",\"operationType\":\"OPEN\","
         "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2030-01-01T00:00:00Z\","
         "\"end\":\"2030-02-01T00:00:00Z\"}",
         w.user},
        {"POST", "/permission",
         "{\"userId\":\"$USER\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
         "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2030-01-01T00:00:00Z\","
         "\"end\":\"2030-02-01T00:00:00Z\"}",
         w.lock},
        {"POST", "/offline-key",
         "{\"operatingDeviceId\":\"%s\",\"lockingDeviceId\":\"$LOCK\","
         "\"startDatetime\":\"2030-01-01T08:00:00Z\",\"endDatetime\":\"2030-01-01T09:00:00Z\","
         "\"deliveryMechanism\":\"NONE\"}",
         w.phone},
        {"POST", "/gateway-device-association",
         "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"$LOCK\"}", w.gateway},
        {"POST", "/remote-command",
         "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"$LOCK\",\"action\":\"OPEN\"}",
         w.gateway},
    };
    for (size_t i = 0; i < N(probes); i++) {
        char body[1024] = "", *with_lock, *with_user;
        if (probes[i].body != NULL) {
            /* $LOCK and $USER are B's own (valid) ids; only the %s is A's. */
            with_lock = strdup(probes[i].body);
            char *at = strstr(with_lock, "$LOCK");
            if (at != NULL)
                snprintf(body, sizeof(body), "%.*s%s%s", (int)(at - with_lock), with_lock, b.lock,
                         at + 5);
            else
                snprintf(body, sizeof(body), "%s", with_lock);
            free(with_lock);
            with_user = strdup(body);
            at = strstr(with_user, "$USER");
            if (at != NULL)
                snprintf(body, sizeof(body), "%.*s%s%s", (int)(at - with_user), with_user, b.user,
                         at + 5);
            free(with_user);
        }
        probe(&b, probes[i].method, probes[i].path, probes[i].body ? body : NULL, probes[i].id, 0);
    }
    /* Claiming A's gateway with its printed code (already claimed) must not move it to B. */
    snprintf(gateway_body, sizeof(gateway_body), "{\"claimingCode\":\"%s\"}", w.claiming_code);
    struct http_response r;
    admin_call(&emu, &b.t, "POST", "/gateway-device", gateway_body, &r);
    ck_assert_msg(r.status >= 400 && r.status < 500, "claim of A's gateway: %ld %s", r.status,
                  r.body);
    http_response_free(&r);
    /* A lock A claimed cannot be claimed again into B's placeholder. */
    snprintf(lock_body, sizeof(lock_body), "{\"lockingDeviceId\":\"%s\",\"serialNumber\":\"%s\"}",
             b.lock, w.serial);
    char path[160];
    snprintf(path, sizeof(path), "/operating-devices/%s/claim", w.phone);
    control_call(&emu, "POST", path, lock_body, &r);
    ck_assert_msg(r.status >= 400 && r.status < 500, "claim of A's lock: %ld %s", r.status, r.body);
    http_response_free(&r);
    expect_unchanged(&w, before);
}
END_TEST

static Suite *sweep_suite(void)
{
    Suite *s = suite_create("isolation_sweep");
    TCase *tc = tcase_create("sweep");

    tcase_set_timeout(tc, 180);
    tcase_add_checked_fixture(tc, NULL, stop);
    tcase_add_test(tc, path_ids_of_another_system_are_404_and_change_nothing);
    tcase_add_test(tc, query_and_body_ids_of_another_system_leak_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* No fork: the teardown then stops a failed test's server. */
    return run_suite_nofork(sweep_suite());
}
