/*
 * test_webhooks.c — webhook subscriptions, signed deliveries, retries on the system's clock,
 * dead letters and redelivery, ordering, filters, isolation, flush, and /events?wait=
 * (DESIGN.md §6).
 *
 * One emulator serves the suite (frozen clocks unless a test says otherwise). A receiver
 * runs inside each test's own process (libmicrohttpd, started by a checked fixture because
 * threads do not survive Check's fork): it records every POST, verifies its Standard
 * Webhooks signature with its own HMAC code, and answers with the status set for its path.
 */
#include <check.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "receiver.h"

#define T0 1893456000 /* 2030-01-01T00:00:00Z */
#define MAX_GOT 512
#define MAX_PATHS 16

/* ---- the receiver ------------------------------------------------------------------- */

struct got {
    char path[64], id[80], timestamp[32], signature[160], type[80], event_time[40];
    char *body;
    int verified; /* 1 good signature, 0 bad, -1 no secret known for the path */
};

struct path_rule {
    char path[64];
    char secret[300];
    unsigned status;
    unsigned delay_ms;
};

static struct {
    struct receiver server;
    pthread_mutex_t lock;
    struct got got[MAX_GOT];
    size_t n;
    struct path_rule rules[MAX_PATHS];
    size_t nrules;
} rx = {.lock = PTHREAD_MUTEX_INITIALIZER};

static struct path_rule *rule_of(const char *path)
{
    for (size_t i = 0; i < rx.nrules; i++)
        if (strcmp(rx.rules[i].path, path) == 0)
            return &rx.rules[i];
    return NULL;
}

static void copy_header(struct MHD_Connection *c, const char *name, char *out, size_t cap)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);

    snprintf(out, cap, "%s", v ? v : "");
}

/* The receiver's callback: records the delivery and answers as path's rule says. */
static unsigned record(struct MHD_Connection *c, const char *url, const char *body, size_t len,
                       unsigned *delay_ms)
{
    struct path_rule *rule;
    struct got *g;
    unsigned status = 204;

    pthread_mutex_lock(&rx.lock);
    rule = rule_of(url);
    if (rx.n < MAX_GOT) {
        g = &rx.got[rx.n++];
        snprintf(g->path, sizeof(g->path), "%s", url);
        copy_header(c, "webhook-id", g->id, sizeof(g->id));
        copy_header(c, "webhook-timestamp", g->timestamp, sizeof(g->timestamp));
        copy_header(c, "webhook-signature", g->signature, sizeof(g->signature));
        copy_header(c, "Content-Type", g->type, sizeof(g->type));
        copy_header(c, "X-Emulator-Event-Time", g->event_time, sizeof(g->event_time));
        g->body = strndup(body, len);
        g->verified =
            rule && rule->secret[0]
                ? webhook_signature_ok(rule->secret, g->id, g->timestamp, g->body, g->signature)
                : -1;
    }
    if (rule != NULL) {
        status = rule->status;
        *delay_ms = rule->delay_ms;
    }
    pthread_mutex_unlock(&rx.lock);
    return status;
}

static void rx_start(void)
{
    rx.n = 0;
    rx.nrules = 0;
    receiver_start(&rx.server, record);
}

static void rx_stop(void)
{
    receiver_stop(&rx.server);
    for (size_t i = 0; i < rx.n; i++)
        free(rx.got[i].body);
}

/* Sets what path answers (and the secret its signatures are checked with). */
static void rx_rule(const char *path, const char *secret, unsigned status, unsigned delay_ms)
{
    struct path_rule *r;

    pthread_mutex_lock(&rx.lock);
    r = rule_of(path);
    if (r == NULL && rx.nrules < MAX_PATHS)
        r = &rx.rules[rx.nrules++];
    ck_assert_ptr_nonnull(r);
    snprintf(r->path, sizeof(r->path), "%s", path);
    if (secret != NULL)
        snprintf(r->secret, sizeof(r->secret), "%s", secret);
    r->status = status;
    r->delay_ms = delay_ms;
    pthread_mutex_unlock(&rx.lock);
}

/* The requests path received, copied (bodies shared: do not free). */
static size_t rx_got(const char *path, struct got *out, size_t cap)
{
    size_t n = 0;

    pthread_mutex_lock(&rx.lock);
    for (size_t i = 0; i < rx.n; i++)
        if (strcmp(rx.got[i].path, path) == 0 && n < cap)
            out[n++] = rx.got[i];
    pthread_mutex_unlock(&rx.lock);
    return n;
}

static size_t rx_count(const char *path)
{
    static struct got scratch[MAX_GOT];

    return rx_got(path, scratch, MAX_GOT);
}

/* A string member of a received body. */
static const char *body_str(const struct got *g, const char *name, char *out, size_t cap)
{
    json_object *o = json_tokener_parse(g->body), *v;

    out[0] = '\0';
    if (o != NULL && json_object_object_get_ex(o, name, &v))
        snprintf(out, cap, "%s", json_object_get_string(v));
    json_object_put(o);
    return out;
}

static void fixture_setup(void)
{
    rx_start();
}

static void fixture_teardown(void)
{
    rx_stop();
}

/* ---- emulator helpers ----------------------------------------------------------------- */

static int64_t int_member(json_object *o, const char *name)
{
    return json_object_get_int64(member(o, name));
}

static const char *str_member(json_object *o, const char *name)
{
    return json_object_get_string(member(o, name));
}

/* A control call under the system's path; asserts the status. */
static void sys_call(const struct tenant *t, const char *method, const char *sub, const char *body,
                     long want, struct http_response *r)
{
    char path[1024];

    snprintf(path, sizeof(path), "/systems/%s%s", t->system_id, sub);
    control_call(&emu, method, path, body, r);
    ck_assert_msg(r->status == want, "%s %s: %ld, want %ld: %s", method, path, r->status, want,
                  r->body);
}

static void url_of(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "http://127.0.0.1:%u%s", rx.server.port, path);
}

/* Subscribes path of the receiver (extra: more members, "" for none) and tells the receiver
 * to answer status there. Copies the id when id is not NULL. */
static void subscribe(const struct tenant *t, const char *path, const char *extra, unsigned status,
                      char *id)
{
    struct http_response r;
    char url[256], body[1024];

    url_of(path, url, sizeof(url));
    snprintf(body, sizeof(body), "{\"url\":\"%s\"%s}", url, extra);
    sys_call(t, "POST", "/webhook-subscriptions", body, 201, &r);
    rx_rule(path, json_str(&r, "secret"), status, 0);
    if (id != NULL)
        snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
}

static void create_user(const struct tenant *t, char *id)
{
    struct http_response r;

    ck_assert_int_eq(admin_call(&emu, t, "POST", "/user", "{\"role\":\"USER\"}", &r), 201);
    snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
}

struct counts {
    int64_t delivered, pending, dead;
    char next[32];
};

static struct counts flush(const struct tenant *t)
{
    struct http_response r;
    struct counts c = {0};

    sys_call(t, "POST", "/webhooks/flush", NULL, 200, &r);
    c.delivered = int_member(r.json, "delivered");
    c.pending = int_member(r.json, "pending");
    c.dead = int_member(r.json, "dead");
    if (json_str(&r, "nextAttemptDatetime") != NULL)
        snprintf(c.next, sizeof(c.next), "%s", json_str(&r, "nextAttemptDatetime"));
    http_response_free(&r);
    return c;
}

static void advance(const struct tenant *t, const char *by)
{
    struct http_response r;
    char body[64];

    snprintf(body, sizeof(body), "{\"by\":\"%s\"}", by);
    sys_call(t, "POST", "/clock/advance", body, 200, &r);
    http_response_free(&r);
}

/* GET webhook-deliveries?query; the caller frees r. */
static json_object *deliveries(const struct tenant *t, const char *query, struct http_response *r)
{
    char sub[512];

    snprintf(sub, sizeof(sub), "/webhook-deliveries%s%s", query[0] ? "?" : "", query);
    sys_call(t, "GET", sub, NULL, 200, r);
    return member(r->json, "items");
}

/* The only delivery of t (asserted), its attempts in *attempts. */
static json_object *only_delivery(const struct tenant *t, struct http_response *r,
                                  json_object **attempts)
{
    json_object *items = deliveries(t, "", r), *d;

    ck_assert_uint_eq(json_object_array_length(items), 1);
    d = json_object_array_get_idx(items, 0);
    *attempts = member(d, "attempts");
    return d;
}

/* ---- subscriptions -------------------------------------------------------------------- */

START_TEST(subscribe_makes_a_secret)
{
    struct tenant t;
    struct http_response r;
    unsigned char key[64];
    const char *secret;
    char url[256];

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    url_of("/hook", url, sizeof(url));
    sys_call(&t, "POST", "/webhook-subscriptions", "{\"url\":\"http://127.0.0.1:9/hook\"}", 201,
             &r);
    ck_assert_uint_eq(strlen(json_str(&r, "id")), 36);
    ck_assert_str_eq(json_str(&r, "url"), "http://127.0.0.1:9/hook");
    ck_assert_str_eq(json_str(&r, "creationDatetime"), "2030-01-01T00:00:00Z");
    ck_assert_ptr_null(member(r.json, "eventTypes"));
    secret = json_str(&r, "secret");
    ck_assert_ptr_nonnull(secret);
    ck_assert_msg(strncmp(secret, "whsec_", 6) == 0, "secret %s", secret);
    ck_assert_uint_eq(strlen(secret), 6 + 32); /* base64 of 24 bytes */
    ck_assert_int_eq(EVP_DecodeBlock(key, (const unsigned char *)secret + 6, 32), 24);
    http_response_free(&r);
}
END_TEST

START_TEST(subscribe_keeps_given_secret_and_types)
{
    struct tenant t;
    struct http_response r;
    json_object *types;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    sys_call(&t, "POST", "/webhook-subscriptions",
             "{\"url\":\"https://example.com/a?b=c\",\"eventTypes\":[\"UserDeleted\","
             "\"UserCreated\",\"UserDeleted\"]}",
             201, &r);
    ck_assert_str_eq(json_str(&r, "url"), "https://example.com/a?b=c");
    types = member(r.json, "eventTypes");
    ck_assert_uint_eq(json_object_array_length(types), 2); /* each type once */
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(types, 0)), "UserDeleted");
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(types, 1)), "UserCreated");
    http_response_free(&r);
    sys_call(&t, "POST", "/webhook-subscriptions",
             "{\"url\":\"http://h/\",\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}", 201,
             &r);
    ck_assert_str_eq(json_str(&r, "secret"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    http_response_free(&r);
}
END_TEST

#define A60 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define A27 "AAAAAAAAAAAAAAAAAAAAAAAAAAA"

static const struct {
    const char *body;
    const char *names[4];
} bad_subscriptions[] = {
    {"{}", {"url"}},
    {"{\"url\":\"ftp://example.com/\"}", {"url"}},
    {"{\"url\":\"example.com/hook\"}", {"url"}},
    {"{\"url\":42}", {"url"}},
    {"{\"url\":\"http://h/\",\"eventTypes\":\"UserCreated\"}", {"eventTypes"}},
    {"{\"url\":\"http://h/\",\"eventTypes\":[]}", {"eventTypes"}},
    {"{\"url\":\"http://h/\",\"eventTypes\":[\"UserCreated\",\"Nope\"]}", {"eventTypes/1"}},
    {"{\"url\":\"http://h/\",\"eventTypes\":[7]}", {"eventTypes/0"}},
    {"{\"url\":\"http://h/\",\"secret\":\"\"}", {"secret"}},
    {"{\"url\":\"http://h/\",\"secret\":\"whsec_!!!!\"}", {"secret"}},
    {"{\"url\":\"http://h/\",\"secret\":\"whsec_\"}", {"secret"}},
    /* Plain text was signed raw, which stock libraries cannot verify: refused since. */
    {"{\"url\":\"http://h/\",\"secret\":\"my plain secret\"}", {"secret"}},
    /* Standard Webhooks keys are 24 to 64 bytes: 23 and 65 are refused. */
    {"{\"url\":\"http://h/\",\"secret\":\"whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}", {"secret"}},
    {"{\"url\":\"http://h/\",\"secret\":\"whsec_" A60 A27 "=\"}", {"secret"}},
    {"{\"url\":\"http://h/\",\"colour\":\"red\"}", {"colour"}},
    {"{\"url\":\"gopher://h\",\"eventTypes\":[\"x\"],\"secret\":\"whsec_-\",\"a\":1}",
     {"url", "eventTypes/0", "secret", "a"}},
};

START_TEST(subscribe_validation_names_every_field)
{
    struct tenant t;
    struct http_response r;
    size_t n = 0;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    sys_call(&t, "POST", "/webhook-subscriptions", bad_subscriptions[_i].body, 400, &r);
    for (; n < 4 && bad_subscriptions[_i].names[n] != NULL; n++)
        ck_assert_msg(invalid_reason(&r, bad_subscriptions[_i].names[n]) != NULL,
                      "'%s' not named: %s", bad_subscriptions[_i].names[n], r.body);
    ck_assert_uint_eq(json_object_array_length(member(r.json, "invalidParams")), n);
    http_response_free(&r);
    sys_call(&t, "GET", "/webhook-subscriptions", NULL, 200, &r);
    ck_assert_uint_eq(json_object_array_length(member(r.json, "items")), 0); /* nothing written */
    http_response_free(&r);
}
END_TEST

START_TEST(unknown_system_is_404)
{
    static const char *const calls[][2] = {
        {"POST", "/webhook-subscriptions"},
        {"GET", "/webhook-subscriptions"},
        {"DELETE", "/webhook-subscriptions/" UNKNOWN_ID},
        {"GET", "/webhook-deliveries"},
        {"POST", "/webhook-deliveries/" UNKNOWN_ID "/redeliver"},
        {"POST", "/webhooks/flush"},
    };
    struct http_response r;
    char path[256];

    ck_assert(emu_ok);
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        snprintf(path, sizeof(path), "/systems/" UNKNOWN_ID "%s", calls[i][1]);
        control_call(&emu, calls[i][0], path,
                     strcmp(calls[i][0], "POST") == 0 ? "{\"url\":\"http://h/\"}" : NULL, &r);
        ck_assert_msg(r.status == 404, "%s %s: %ld", calls[i][0], path, r.status);
        http_response_free(&r);
    }
}
END_TEST

START_TEST(list_pages_and_delete)
{
    struct tenant t, other;
    struct http_response r;
    char ids[3][64], other_id[64], sub[256];
    json_object *items;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    new_tenant_from(&other, FROZEN_AT("2030-01-01T00:00:00Z"));
    for (int i = 0; i < 3; i++)
        subscribe(&t, "/list", "", 204, ids[i]);
    subscribe(&other, "/other", "", 204, other_id);
    sys_call(&t, "GET", "/webhook-subscriptions?limit=2", NULL, 200, &r);
    items = member(r.json, "items");
    ck_assert_uint_eq(json_object_array_length(items), 2);
    ck_assert_str_eq(str_member(json_object_array_get_idx(items, 0), "id"), ids[0]);
    ck_assert_str_eq(str_member(json_object_array_get_idx(items, 1), "id"), ids[1]);
    ck_assert_ptr_nonnull(str_member(json_object_array_get_idx(items, 0), "secret"));
    snprintf(sub, sizeof(sub), "/webhook-subscriptions?limit=2&next-page-token=%s",
             json_str(&r, "nextPageToken"));
    http_response_free(&r);
    sys_call(&t, "GET", sub, NULL, 200, &r);
    items = member(r.json, "items");
    ck_assert_uint_eq(json_object_array_length(items), 1);
    ck_assert_str_eq(str_member(json_object_array_get_idx(items, 0), "id"), ids[2]);
    ck_assert_ptr_null(json_str(&r, "nextPageToken"));
    http_response_free(&r);

    snprintf(sub, sizeof(sub), "/webhook-subscriptions/%s", ids[1]);
    sys_call(&t, "DELETE", sub, NULL, 204, &r);
    http_response_free(&r);
    sys_call(&t, "DELETE", sub, NULL, 404, &r);
    http_response_free(&r);
    snprintf(sub, sizeof(sub), "/webhook-subscriptions/%s", other_id);
    sys_call(&t, "DELETE", sub, NULL, 404, &r); /* another system's: unknown here */
    http_response_free(&r);
    sys_call(&t, "GET", "/webhook-subscriptions", NULL, 200, &r);
    ck_assert_uint_eq(json_object_array_length(member(r.json, "items")), 2);
    http_response_free(&r);
    sys_call(&other, "GET", "/webhook-subscriptions", NULL, 200, &r);
    ck_assert_uint_eq(json_object_array_length(member(r.json, "items")), 1);
    http_response_free(&r);
}
END_TEST

/* ---- delivery ------------------------------------------------------------------------- */

/* A webhook-timestamp is this machine's now, give or take the test's own duration. */
static void assert_wall_time(const char *timestamp)
{
    long long ts = strtoll(timestamp, NULL, 10), now = (long long)time(NULL);

    ck_assert_msg(ts > now - 60 && ts <= now + 1, "webhook-timestamp %s, wall clock %lld",
                  timestamp, now);
}

START_TEST(delivers_signed_event)
{
    struct tenant t;
    struct http_response r;
    struct got g[4];
    json_object *d, *attempts, *a;
    char user[64], buf[128];
    struct counts c;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    subscribe(&t, "/signed", "", 204, NULL);
    create_user(&t, user);
    c = flush(&t);
    ck_assert_int_eq(c.delivered, 1);
    ck_assert_int_eq(c.pending, 0);
    ck_assert_int_eq(c.dead, 0);
    ck_assert_str_eq(c.next, "");
    ck_assert_uint_eq(rx_got("/signed", g, 4), 1); /* not the admin made before subscribing */
    ck_assert_int_eq(g[0].verified, 1);
    ck_assert_str_eq(g[0].type, "application/json");
    /* The attempt's wall-clock time, whatever the system's clock says; the event's own time
     * is in its header. */
    assert_wall_time(g[0].timestamp);
    ck_assert_str_eq(g[0].event_time, "2030-01-01T00:00:00Z");
    ck_assert_str_eq(body_str(&g[0], "eventId", buf, sizeof(buf)), g[0].id);
    ck_assert_str_eq(body_str(&g[0], "eventType", buf, sizeof(buf)), "UserCreated");
    ck_assert_str_eq(body_str(&g[0], "eventSystemId", buf, sizeof(buf)), t.system_id);
    ck_assert_str_eq(body_str(&g[0], "userId", buf, sizeof(buf)), user);
    ck_assert_str_eq(body_str(&g[0], "role", buf, sizeof(buf)), "USER");

    d = only_delivery(&t, &r, &attempts);
    assert_strings(d, (const char *const[]){"status", "delivered", "eventId", g[0].id, "eventType",
                                            "UserCreated", "eventDatetime", "2030-01-01T00:00:00Z",
                                            NULL});
    ck_assert_ptr_null(member(d, "nextAttemptDatetime"));
    ck_assert_uint_eq(json_object_array_length(attempts), 1);
    a = json_object_array_get_idx(attempts, 0);
    ck_assert_str_eq(str_member(a, "attemptDatetime"), "2030-01-01T00:00:00Z");
    ck_assert_int_eq(int_member(a, "statusCode"), 204);
    ck_assert_ptr_null(member(a, "error"));
    ck_assert(json_object_get_boolean(member(a, "succeeded")));
    ck_assert_int_ge(int_member(a, "latencyMs"), 0);
    http_response_free(&r);
    /* Nothing more goes out: a delivered event is done. */
    advance(&t, "PT10H");
    flush(&t);
    ck_assert_uint_eq(rx_count("/signed"), 1);
}
END_TEST

START_TEST(retries_wait_for_a_frozen_clock)
{
    struct tenant t;
    struct http_response r;
    json_object *d, *attempts, *a;
    char user[64];
    struct counts c;
    struct got g[4];

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    subscribe(&t, "/retry", "", 500, NULL);
    create_user(&t, user);
    c = flush(&t);
    ck_assert_int_eq(c.delivered, 0);
    ck_assert_int_eq(c.pending, 1);
    ck_assert_str_eq(c.next, "2030-01-01T00:00:30Z");
    ck_assert_uint_eq(rx_count("/retry"), 1);
    sleep_ms(1100); /* real time passes (a second: the next attempt's timestamp moves on);
                     * the frozen clock does not */
    flush(&t);
    ck_assert_uint_eq(rx_count("/retry"), 1);
    advance(&t, "PT29S");
    c = flush(&t);
    ck_assert_uint_eq(rx_count("/retry"), 1);
    ck_assert_str_eq(c.next, "2030-01-01T00:00:30Z");
    advance(&t, "PT1S");
    c = flush(&t);
    ck_assert_uint_eq(rx_count("/retry"), 2);
    ck_assert_str_eq(c.next, "2030-01-01T00:05:30Z"); /* then 5 minutes */

    d = only_delivery(&t, &r, &attempts);
    ck_assert_str_eq(str_member(d, "status"), "pending");
    ck_assert_str_eq(str_member(d, "nextAttemptDatetime"), "2030-01-01T00:05:30Z");
    ck_assert_uint_eq(json_object_array_length(attempts), 2);
    a = json_object_array_get_idx(attempts, 1);
    ck_assert_str_eq(str_member(a, "attemptDatetime"), "2030-01-01T00:00:30Z");
    ck_assert_int_eq(int_member(a, "statusCode"), 500);
    ck_assert_ptr_nonnull(str_member(a, "error"));
    ck_assert(!json_object_get_boolean(member(a, "succeeded")));
    http_response_free(&r);

    rx_rule("/retry", NULL, 200, 0);
    advance(&t, "PT5M");
    c = flush(&t);
    ck_assert_int_eq(c.delivered, 1);
    ck_assert_int_eq(c.pending, 0);
    ck_assert_uint_eq(rx_count("/retry"), 3);
    d = only_delivery(&t, &r, &attempts);
    ck_assert_str_eq(str_member(d, "status"), "delivered");
    ck_assert_uint_eq(json_object_array_length(attempts), 3);
    http_response_free(&r);
    /* Every attempt is signed anew at its own wall-clock time; the event's time stays. */
    ck_assert_uint_eq(rx_got("/retry", g, 4), 3);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(g[i].verified, 1);
        ck_assert_str_eq(g[i].id, g[0].id);
        ck_assert_str_eq(g[i].event_time, "2030-01-01T00:00:00Z");
        assert_wall_time(g[i].timestamp);
    }
    ck_assert_int_gt(strtoll(g[1].timestamp, NULL, 10), strtoll(g[0].timestamp, NULL, 10));
}
END_TEST

START_TEST(dead_letter_and_redelivery)
{
    static const char *const waits[] = {"PT30S", "PT5M", "PT30M", "PT2H", "PT8H"};
    struct tenant t, other;
    struct http_response r;
    json_object *d, *attempts;
    struct got g[16];
    char user[64], id[64], sub[256];
    struct counts c;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    new_tenant_from(&other, FROZEN_AT("2030-01-01T00:00:00Z"));
    subscribe(&t, "/dead", "", 503, NULL);
    create_user(&t, user);
    flush(&t);
    for (size_t i = 0; i < 5; i++) {
        advance(&t, waits[i]);
        c = flush(&t);
        ck_assert_uint_eq(rx_count("/dead"), i + 2);
    }
    ck_assert_int_eq(c.dead, 1);
    ck_assert_int_eq(c.pending, 0);
    ck_assert_str_eq(c.next, "");
    advance(&t, "P30D");
    flush(&t);
    ck_assert_uint_eq(rx_count("/dead"), 6); /* dead: no seventh attempt */

    d = only_delivery(&t, &r, &attempts);
    ck_assert_str_eq(str_member(d, "status"), "dead");
    ck_assert_uint_eq(json_object_array_length(attempts), 6);
    ck_assert_str_eq(str_member(json_object_array_get_idx(attempts, 5), "attemptDatetime"),
                     "2030-01-01T10:35:30Z"); /* 30s + 5m + 30m + 2h + 8h */
    snprintf(id, sizeof(id), "%s", str_member(d, "id"));
    http_response_free(&r);

    /* Redelivery: unknown and foreign ids are 404, a dead one goes again. */
    sys_call(&t, "POST", "/webhook-deliveries/" UNKNOWN_ID "/redeliver", NULL, 404, &r);
    http_response_free(&r);
    snprintf(sub, sizeof(sub), "/webhook-deliveries/%s/redeliver", id);
    sys_call(&other, "POST", sub, NULL, 404, &r);
    http_response_free(&r);
    rx_rule("/dead", NULL, 200, 0);
    sys_call(&t, "POST", sub, NULL, 202, &r);
    ck_assert_str_eq(json_str(&r, "status"), "pending");
    ck_assert_str_eq(json_str(&r, "nextAttemptDatetime"), "2030-01-31T10:35:30Z");
    http_response_free(&r);
    c = flush(&t);
    ck_assert_int_eq(c.delivered, 1);
    ck_assert_int_eq(c.dead, 0);
    ck_assert_uint_eq(rx_got("/dead", g, 16), 7);
    ck_assert_str_eq(g[6].id, g[0].id); /* the same event, so receivers can dedupe */
    ck_assert_int_eq(g[6].verified, 1);

    /* A delivered one can be sent again too. */
    sys_call(&t, "POST", sub, NULL, 202, &r);
    http_response_free(&r);
    flush(&t);
    ck_assert_uint_eq(rx_count("/dead"), 8);
    d = only_delivery(&t, &r, &attempts);
    ck_assert_uint_eq(json_object_array_length(attempts), 8);
    http_response_free(&r);
}
END_TEST

START_TEST(failing_event_holds_back_its_subscription_only)
{
    struct tenant t;
    struct got g[16];
    char users[3][64], buf[64];

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    subscribe(&t, "/stuck", "", 500, NULL);
    subscribe(&t, "/fine", "", 204, NULL);
    for (int i = 0; i < 3; i++)
        create_user(&t, users[i]);
    flush(&t);
    ck_assert_uint_eq(rx_got("/fine", g, 16), 3);
    for (int i = 0; i < 3; i++)
        ck_assert_str_eq(body_str(&g[i], "userId", buf, sizeof(buf)), users[i]);
    ck_assert_uint_eq(rx_got("/stuck", g, 16), 1);
    ck_assert_str_eq(body_str(&g[0], "userId", buf, sizeof(buf)), users[0]);

    rx_rule("/stuck", NULL, 204, 0);
    advance(&t, "PT30S");
    flush(&t);
    ck_assert_uint_eq(rx_got("/stuck", g, 16), 4);
    for (int i = 0; i < 3; i++)
        ck_assert_str_eq(body_str(&g[i + 1], "userId", buf, sizeof(buf)), users[i]);
    ck_assert_uint_eq(rx_count("/fine"), 3);
}
END_TEST

START_TEST(filter_by_event_type)
{
    struct tenant t;
    struct http_response r;
    struct got g[8];
    char user[64], path[128], buf[64];
    json_object *items;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    subscribe(&t, "/deleted", ",\"eventTypes\":[\"UserDeleted\"]", 204, NULL);
    subscribe(&t, "/all", "", 204, NULL);
    create_user(&t, user);
    snprintf(path, sizeof(path), "/user/%s", user);
    ck_assert_int_eq(admin_call(&emu, &t, "DELETE", path, NULL, &r), 204);
    http_response_free(&r);
    flush(&t);
    ck_assert_uint_eq(rx_got("/deleted", g, 8), 1);
    ck_assert_str_eq(body_str(&g[0], "eventType", buf, sizeof(buf)), "UserDeleted");
    ck_assert_str_eq(body_str(&g[0], "userId", buf, sizeof(buf)), user);
    ck_assert_int_eq(g[0].verified, 1);
    ck_assert_uint_eq(rx_got("/all", g, 8), 2);
    ck_assert_str_eq(body_str(&g[0], "eventType", buf, sizeof(buf)), "UserCreated");
    ck_assert_str_eq(body_str(&g[1], "eventType", buf, sizeof(buf)), "UserDeleted");
    items = deliveries(&t, "", &r);
    ck_assert_uint_eq(json_object_array_length(items), 3);
    http_response_free(&r);
}
END_TEST

START_TEST(systems_never_see_each_other)
{
    struct tenant a, b;
    struct http_response r;
    struct got g[8];
    char user[64], buf[64], b_sub[64], query[128];
    json_object *items;

    new_tenant_from(&a, FROZEN_AT("2030-01-01T00:00:00Z"));
    new_tenant_from(&b, FROZEN_AT("2030-01-01T00:00:00Z"));
    subscribe(&a, "/a", "", 204, NULL);
    subscribe(&b, "/b", "", 204, b_sub);
    create_user(&a, user);
    create_user(&b, user);
    create_user(&b, user);
    flush(&a);
    flush(&b);
    ck_assert_uint_eq(rx_got("/a", g, 8), 1);
    ck_assert_str_eq(body_str(&g[0], "eventSystemId", buf, sizeof(buf)), a.system_id);
    ck_assert_uint_eq(rx_got("/b", g, 8), 2);
    for (int i = 0; i < 2; i++)
        ck_assert_str_eq(body_str(&g[i], "eventSystemId", buf, sizeof(buf)), b.system_id);
    items = deliveries(&a, "", &r);
    ck_assert_uint_eq(json_object_array_length(items), 1);
    http_response_free(&r);
    snprintf(query, sizeof(query), "subscription-id=%s", b_sub);
    items = deliveries(&a, query, &r);
    ck_assert_uint_eq(json_object_array_length(items), 0);
    http_response_free(&r);
}
END_TEST

START_TEST(unsubscribed_url_gets_nothing_more)
{
    struct tenant t;
    struct http_response r;
    char user[64], id[64], sub[128];

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    subscribe(&t, "/gone", "", 204, id);
    create_user(&t, user);
    flush(&t);
    ck_assert_uint_eq(rx_count("/gone"), 1);
    snprintf(sub, sizeof(sub), "/webhook-subscriptions/%s", id);
    sys_call(&t, "DELETE", sub, NULL, 204, &r);
    http_response_free(&r);
    create_user(&t, user);
    flush(&t);
    sleep_ms(200);
    ck_assert_uint_eq(rx_count("/gone"), 1);
    deliveries(&t, "", &r); /* its deliveries went with it */
    ck_assert_uint_eq(json_object_array_length(member(r.json, "items")), 0);
    http_response_free(&r);
}
END_TEST

START_TEST(transport_error_and_timeout_are_failures)
{
    struct tenant t;
    struct http_response r;
    json_object *d, *attempts, *a;
    char user[64];
    double started;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    /* Port 9 (discard) on loopback: nothing listens, the connection is refused. */
    sys_call(&t, "POST", "/webhook-subscriptions", "{\"url\":\"http://127.0.0.1:9/x\"}", 201, &r);
    http_response_free(&r);
    create_user(&t, user);
    ck_assert_int_eq(flush(&t).pending, 1);
    d = only_delivery(&t, &r, &attempts);
    a = json_object_array_get_idx(attempts, 0);
    ck_assert_ptr_null(member(a, "statusCode"));
    ck_assert_ptr_nonnull(str_member(a, "error"));
    ck_assert(!json_object_get_boolean(member(a, "succeeded")));
    ck_assert_str_eq(str_member(d, "status"), "pending");
    http_response_free(&r);

    /* An answer slower than the 5 s timeout fails even when it is a 2xx. */
    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    subscribe(&t, "/slow", "", 204, NULL);
    rx_rule("/slow", NULL, 204, 6500);
    create_user(&t, user);
    started = now_s();
    ck_assert_int_eq(flush(&t).pending, 1);
    ck_assert_double_ge(now_s() - started, 4.5);
    d = only_delivery(&t, &r, &attempts);
    a = json_object_array_get_idx(attempts, 0);
    ck_assert_ptr_nonnull(str_member(a, "error"));
    ck_assert_int_ge(int_member(a, "latencyMs"), 4500);
    http_response_free(&r);
}
END_TEST

START_TEST(real_clock_retries_in_real_time)
{
    struct tenant t;
    struct http_response r;
    json_object *attempts;
    char user[64];
    double started;
    size_t n = 0;

    new_tenant_from(&t, NULL);
    subscribe(&t, "/real", "", 500, NULL);
    create_user(&t, user);
    started = now_s();
    ck_assert_int_eq(flush(&t).pending, 1);
    sleep_ms(1500);
    ck_assert_uint_eq(rx_count("/real"), 1);
    while ((n = rx_count("/real")) < 2 && now_s() - started < 45)
        sleep_ms(250);
    ck_assert_uint_eq(n, 2);
    ck_assert_double_ge(now_s() - started, 28.0);
    only_delivery(&t, &r, &attempts);
    ck_assert_uint_eq(json_object_array_length(attempts), 2);
    http_response_free(&r);
}
END_TEST

/* ---- inspection --------------------------------------------------------------------- */

START_TEST(deliveries_page_and_filter)
{
    struct tenant t;
    struct http_response r;
    json_object *items;
    char user[64], ok_sub[64], query[256], event[64];

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    subscribe(&t, "/p-ok", "", 204, ok_sub);
    subscribe(&t, "/p-bad", "", 500, NULL);
    create_user(&t, user);
    create_user(&t, user);
    flush(&t);
    /* /p-ok: two delivered; /p-bad: one pending (holding the second back, also pending). */
    items = deliveries(&t, "limit=3", &r);
    ck_assert_uint_eq(json_object_array_length(items), 3);
    snprintf(query, sizeof(query), "limit=3&next-page-token=%s", json_str(&r, "nextPageToken"));
    http_response_free(&r);
    items = deliveries(&t, query, &r);
    ck_assert_uint_eq(json_object_array_length(items), 1);
    ck_assert_ptr_null(json_str(&r, "nextPageToken"));
    http_response_free(&r);

    items = deliveries(&t, "status=delivered", &r);
    ck_assert_uint_eq(json_object_array_length(items), 2);
    snprintf(event, sizeof(event), "%s",
             str_member(json_object_array_get_idx(items, 1), "eventId"));
    http_response_free(&r);
    items = deliveries(&t, "status=pending", &r);
    ck_assert_uint_eq(json_object_array_length(items), 2);
    ck_assert_uint_eq(
        json_object_array_length(member(json_object_array_get_idx(items, 1), "attempts")), 0);
    http_response_free(&r);
    snprintf(query, sizeof(query), "subscription-id=%s", ok_sub);
    items = deliveries(&t, query, &r);
    ck_assert_uint_eq(json_object_array_length(items), 2);
    http_response_free(&r);
    snprintf(query, sizeof(query), "event-id=%s", event);
    items = deliveries(&t, query, &r);
    ck_assert_uint_eq(json_object_array_length(items), 2); /* one per subscription */
    http_response_free(&r);

    sys_call(&t, "GET", "/webhook-deliveries?status=lost&event-id=x&subscription-id=y&limit=0",
             NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "status"));
    ck_assert_ptr_nonnull(invalid_reason(&r, "event-id"));
    ck_assert_ptr_nonnull(invalid_reason(&r, "subscription-id"));
    ck_assert_ptr_nonnull(invalid_reason(&r, "limit"));
    http_response_free(&r);
}
END_TEST

START_TEST(flush_without_subscriptions)
{
    struct tenant t;
    char user[64];
    struct counts c;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    create_user(&t, user);
    c = flush(&t);
    ck_assert_int_eq(c.delivered + c.pending + c.dead, 0);
    ck_assert_str_eq(c.next, "");
}
END_TEST

struct later_user {
    const struct tenant *t;
    long delay_ms;
    char id[64];
};

static void *create_later(void *arg)
{
    struct later_user *l = arg;
    struct http_response r;

    sleep_ms(l->delay_ms);
    admin_call(&emu, l->t, "POST", "/user", "{\"role\":\"USER\"}", &r);
    snprintf(l->id, sizeof(l->id), "%s", json_str(&r, "id") ? json_str(&r, "id") : "");
    http_response_free(&r);
    return NULL;
}

/* A type filter names types the platform emits: anything else is a 400 naming `type`, for the
 * log and the stream alike (a misspelt type would otherwise match nothing, silently). */
START_TEST(event_type_filter_names_real_types)
{
    static const char *const bad[] = {
        "NoSuchEvent",   "usercreated", "UserCreated,", ",UserCreated", "UserCreated,,UserDeleted",
        "User%20Created"};
    static const char *const paths[] = {"/events?type=%s", "/events/stream?type=%s"};
    struct tenant t;
    struct http_response r;
    char query[160];

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            snprintf(query, sizeof(query), paths[p], bad[i]);
            sys_call(&t, "GET", query, NULL, 400, &r);
            ck_assert_msg(invalid_reason(&r, "type") != NULL, "%s: no reason for type", query);
            http_response_free(&r);
        }
    sys_call(&t, "GET", "/events?type=UserCreated,UserDeleted", NULL, 200, &r);
    ck_assert_uint_eq(json_object_array_length(member(r.json, "items")), 1);
    http_response_free(&r);
}
END_TEST

START_TEST(events_wait_long_polls)
{
    struct tenant t;
    struct http_response r;
    struct later_user later;
    pthread_t thread;
    json_object *items;
    char query[256], last[64];
    double started;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    sys_call(&t, "GET", "/events", NULL, 200, &r);
    items = member(r.json, "items");
    ck_assert_uint_eq(json_object_array_length(items), 1); /* the admin's UserCreated */
    snprintf(last, sizeof(last), "%s", str_member(json_object_array_get_idx(items, 0), "eventId"));
    http_response_free(&r);

    /* Nothing new: the call waits the seconds out, then answers an empty page. */
    snprintf(query, sizeof(query), "/events?after=%s&wait=1", last);
    started = now_s();
    sys_call(&t, "GET", query, NULL, 200, &r);
    ck_assert_double_ge(now_s() - started, 0.9);
    ck_assert_uint_eq(json_object_array_length(member(r.json, "items")), 0);
    http_response_free(&r);

    /* An event arriving during the wait ends it at once. */
    later = (struct later_user){.t = &t, .delay_ms = 300};
    pthread_create(&thread, NULL, create_later, &later);
    snprintf(query, sizeof(query), "/events?after=%s&type=UserCreated&wait=20", last);
    started = now_s();
    sys_call(&t, "GET", query, NULL, 200, &r);
    pthread_join(thread, NULL);
    ck_assert_double_lt(now_s() - started, 5.0);
    items = member(r.json, "items");
    ck_assert_uint_eq(json_object_array_length(items), 1);
    ck_assert_str_eq(str_member(json_object_array_get_idx(items, 0), "userId"), later.id);
    http_response_free(&r);

    /* Already there: no wait at all. */
    started = now_s();
    sys_call(&t, "GET", "/events?type=UserCreated&wait=30", NULL, 200, &r);
    ck_assert_double_lt(now_s() - started, 1.0);
    ck_assert_uint_eq(json_object_array_length(member(r.json, "items")), 2);
    http_response_free(&r);

    sys_call(&t, "GET", "/events?wait=31", NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "wait"));
    http_response_free(&r);
    sys_call(&t, "GET", "/events?wait=soon", NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "wait"));
    http_response_free(&r);
}
END_TEST

/* ---- secrets across processes ---------------------------------------------------------- */

static void seeded_secret(const char *dir_db, char *sub_id, char *secret)
{
    const char *args_mem[] = {"--seed", "7", NULL};
    const char *args_db[] = {"--seed", "7", "--db", dir_db, NULL};
    struct emu e;
    struct tenant t;
    struct http_response r;
    char path[256];

    ck_assert_int_eq(emu_start(&e, dir_db ? args_db : args_mem), 0);
    ck_assert_int_eq(tenant_create(&e, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    snprintf(path, sizeof(path), "/systems/%s/webhook-subscriptions", t.system_id);
    control_call(&e, "POST", path, "{\"url\":\"http://h/\"}", &r);
    emu_stop(&e);
    ck_assert_int_eq(r.status, 201);
    snprintf(sub_id, 64, "%s", json_str(&r, "id"));
    snprintf(secret, 128, "%s", json_str(&r, "secret"));
    http_response_free(&r);
}

START_TEST(secret_is_reproducible_under_seed)
{
    char id1[64], id2[64], s1[128], s2[128];

    seeded_secret(NULL, id1, s1);
    seeded_secret(NULL, id2, s2);
    ck_assert_str_eq(id1, id2);
    ck_assert_str_eq(s1, s2);
    ck_assert_uint_eq(strlen(s1), 38);
}
END_TEST

START_TEST(secret_survives_restart)
{
    struct emu e;
    struct tenant t;
    struct http_response r;
    const char *args[] = {"--db", NULL, NULL};
    char db[300], path[256], secret[128];
    struct got g[4];
    char user[64];

    ck_assert_int_eq(emu_start(&e, NULL), 0);
    emu_stop(&e);
    snprintf(db, sizeof(db), "%s/hooks.db", e.dir);
    args[1] = db;
    ck_assert_int_eq(emu_restart(&e, args), 0);
    ck_assert_int_eq(tenant_create(&e, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    snprintf(path, sizeof(path), "/systems/%s/webhook-subscriptions", t.system_id);
    snprintf(secret, sizeof(secret), "{\"url\":\"http://127.0.0.1:%u/restart\"}", rx.server.port);
    control_call(&e, "POST", path, secret, &r);
    ck_assert_int_eq(r.status, 201);
    snprintf(secret, sizeof(secret), "%s", json_str(&r, "secret"));
    rx_rule("/restart", secret, 204, 0);
    http_response_free(&r);
    ck_assert_int_eq(emu_stop(&e), 0);

    ck_assert_int_eq(emu_restart(&e, args), 0);
    control_call(&e, "GET", path, NULL, &r);
    ck_assert_str_eq(str_member(json_object_array_get_idx(member(r.json, "items"), 0), "secret"),
                     secret);
    http_response_free(&r);
    ck_assert_int_eq(admin_call(&e, &t, "POST", "/user", "{\"role\":\"USER\"}", &r), 201);
    snprintf(user, sizeof(user), "%s", json_str(&r, "id"));
    http_response_free(&r);
    snprintf(path, sizeof(path), "/systems/%s/webhooks/flush", t.system_id);
    control_call(&e, "POST", path, NULL, &r);
    http_response_free(&r);
    emu_stop(&e);
    ck_assert_uint_eq(rx_got("/restart", g, 4), 1);
    ck_assert_int_eq(g[0].verified, 1); /* signed with the same secret after the restart */
}
END_TEST

/* A subscription stored with a plain secret (accepted before new ones had to be whsec_)
 * is still signed with the secret's own characters after an upgrade. */
START_TEST(stored_plain_secret_still_signs)
{
    struct emu e;
    struct tenant t;
    struct http_response r;
    const char *args[] = {"--db", NULL, NULL};
    char db_path[300], path[256], body[256];
    struct got g[4];
    sqlite3 *db;

    ck_assert_int_eq(emu_start(&e, NULL), 0);
    emu_stop(&e);
    snprintf(db_path, sizeof(db_path), "%s/plain.db", e.dir);
    args[1] = db_path;
    ck_assert_int_eq(emu_restart(&e, args), 0);
    ck_assert_int_eq(tenant_create(&e, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    snprintf(path, sizeof(path), "/systems/%s/webhook-subscriptions", t.system_id);
    snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%u/plain\"}", rx.server.port);
    control_call(&e, "POST", path, body, &r);
    ck_assert_int_eq(r.status, 201);
    http_response_free(&r);
    ck_assert_int_eq(emu_stop(&e), 0);
    /* What a database of an older version holds. */
    ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "UPDATE webhook_subscriptions SET secret = 'my plain secret'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    rx_rule("/plain", "my plain secret", 204, 0);

    ck_assert_int_eq(emu_restart(&e, args), 0);
    ck_assert_int_eq(admin_call(&e, &t, "POST", "/user", "{\"role\":\"USER\"}", &r), 201);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/systems/%s/webhooks/flush", t.system_id);
    control_call(&e, "POST", path, NULL, &r);
    http_response_free(&r);
    emu_stop(&e);
    ck_assert_uint_eq(rx_got("/plain", g, 4), 1);
    ck_assert_int_eq(g[0].verified, 1); /* receiver.c signs a plain secret's own bytes */
}
END_TEST

/* With one worker thread, the thread that found the system without any subscription (and
 * may remember it) is the one that must see a new subscription, and a restored one. */
START_TEST(one_thread_sees_subscriptions_come_and_go)
{
    struct tenant t;
    struct http_response r;
    char user[64], id[64], sub[128];

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    create_user(&t, user); /* nobody subscribed: no delivery */
    subscribe(&t, "/one", "", 204, id);
    create_user(&t, user);
    ck_assert_int_eq(flush(&t).delivered, 1);
    ck_assert_int_eq(control_call(&emu, "POST", "/snapshots", "{\"name\":\"subscribed\"}", &r),
                     201);
    http_response_free(&r);
    snprintf(sub, sizeof(sub), "/webhook-subscriptions/%s", id);
    sys_call(&t, "DELETE", sub, NULL, 204, &r);
    http_response_free(&r);
    create_user(&t, user); /* nobody subscribed again */
    ck_assert_int_eq(control_call(&emu, "POST", "/snapshots/subscribed/restore", NULL, &r), 200);
    http_response_free(&r);
    create_user(&t, user);
    ck_assert_int_eq(flush(&t).delivered, 2); /* the restored delivery and the new one */
    ck_assert_uint_eq(rx_count("/one"), 2);
}
END_TEST

static void one_worker_setup(void)
{
    emu_setup_with((const char *const[]){"--threads", "1", NULL});
}

static Suite *webhooks_suite(void)
{
    Suite *s = suite_create("webhooks");
    TCase *tc = tcase_create("webhooks");
    TCase *slow = tcase_create("slow");
    TCase *procs = tcase_create("processes");
    TCase *one = tcase_create("one worker");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, subscribe_makes_a_secret);
    tcase_add_test(tc, subscribe_keeps_given_secret_and_types);
    tcase_add_loop_test(tc, subscribe_validation_names_every_field, 0,
                        sizeof(bad_subscriptions) / sizeof(bad_subscriptions[0]));
    tcase_add_test(tc, unknown_system_is_404);
    tcase_add_test(tc, list_pages_and_delete);
    tcase_add_test(tc, delivers_signed_event);
    tcase_add_test(tc, retries_wait_for_a_frozen_clock);
    tcase_add_test(tc, dead_letter_and_redelivery);
    tcase_add_test(tc, failing_event_holds_back_its_subscription_only);
    tcase_add_test(tc, filter_by_event_type);
    tcase_add_test(tc, systems_never_see_each_other);
    tcase_add_test(tc, unsubscribed_url_gets_nothing_more);
    tcase_add_test(tc, deliveries_page_and_filter);
    tcase_add_test(tc, flush_without_subscriptions);
    tcase_add_test(tc, events_wait_long_polls);
    tcase_add_test(tc, event_type_filter_names_real_types);
    suite_add_tcase(s, tc);

    tcase_add_unchecked_fixture(slow, emu_setup, emu_teardown);
    tcase_add_checked_fixture(slow, fixture_setup, fixture_teardown);
    tcase_set_timeout(slow, 120);
    tcase_add_test(slow, transport_error_and_timeout_are_failures);
    tcase_add_test(slow, real_clock_retries_in_real_time);
    suite_add_tcase(s, slow);

    tcase_add_unchecked_fixture(one, one_worker_setup, emu_teardown);
    tcase_add_checked_fixture(one, fixture_setup, fixture_teardown);
    tcase_set_timeout(one, 60);
    tcase_add_test(one, one_thread_sees_subscriptions_come_and_go);
    suite_add_tcase(s, one);

    tcase_add_checked_fixture(procs, fixture_setup, fixture_teardown);
    tcase_set_timeout(procs, 120);
    tcase_add_test(procs, secret_is_reproducible_under_seed);
    tcase_add_test(procs, secret_survives_restart);
    tcase_add_test(procs, stored_plain_secret_still_signs);
    suite_add_tcase(s, procs);
    return s;
}

int main(void)
{
    return run_suite(webhooks_suite());
}
