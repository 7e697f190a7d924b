/*
 * test_faults.c — injected faults (POST, GET /_emulator/v1/faults, DELETE /faults/{id}):
 * validation, matching by method, path prefix, route template and system, injected
 * statuses, latency and connection resets, count and probability, the seeded draw, the
 * log line and metrics of each firing, and that the control API is never faulted.
 *
 * One emulator serves the suite; every test removes the rules it made (the teardown of each
 * test deletes whatever is left), so rules of one test never reach another. Test cases that
 * need special flags or POST /reset run their own emulator.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

/* ---- helpers ----------------------------------------------------------------------- */

/* Deletes every rule of e. */
static void clear_rules(struct emu *e)
{
    struct http_response r, d;
    json_object *items;
    char path[128];

    ck_assert_int_eq(control_call(e, "GET", "/faults", NULL, &r), 200);
    items = member(r.json, "items");
    for (size_t i = 0; items != NULL && i < json_object_array_length(items); i++) {
        json_object *id = member(json_object_array_get_idx(items, i), "id");
        snprintf(path, sizeof(path), "/faults/%s", json_object_get_string(id));
        ck_assert_int_eq(control_call(e, "DELETE", path, NULL, &d), 204);
        http_response_free(&d);
    }
    http_response_free(&r);
}

static void test_setup(void)
{
    clear_rules(&emu);
}

/* POSTs a rule to e, expects 201, copies its id (64 bytes). */
static void add_rule_to(struct emu *e, const char *body, char *id)
{
    struct http_response r;

    ck_assert_msg(control_call(e, "POST", "/faults", body, &r) == 201, "%s -> %ld %s", body,
                  r.status, r.body);
    ck_assert_ptr_nonnull(json_str(&r, "id"));
    snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
}

static void add_rule(const char *body, char *id)
{
    add_rule_to(&emu, body, id);
}

/* The rule with id as GET /faults lists it (caller puts it); NULL if absent. */
static json_object *listed(const char *id)
{
    struct http_response r;
    json_object *items, *found = NULL;

    ck_assert_int_eq(control_call(&emu, "GET", "/faults", NULL, &r), 200);
    items = member(r.json, "items");
    ck_assert_ptr_nonnull(items);
    for (size_t i = 0; i < json_object_array_length(items); i++) {
        json_object *rule = json_object_array_get_idx(items, i);
        if (strcmp(json_object_get_string(member(rule, "id")), id) == 0)
            found = json_object_get(rule);
    }
    http_response_free(&r);
    return found;
}

static int64_t fired(const char *id)
{
    json_object *rule = listed(id);
    int64_t n;

    ck_assert_ptr_nonnull(rule);
    n = json_object_get_int64(member(rule, "fired"));
    json_object_put(rule);
    return n;
}

static void assert_injected(const struct http_response *r, long status, const char *title,
                            const char *rule_id, const char *instance)
{
    ck_assert_int_eq(r->status, status);
    ck_assert_str_eq(header(r, "Content-Type"), "application/problem+json");
    ck_assert_ptr_nonnull(header(r, "X-Request-Id"));
    ck_assert_str_eq(json_str(r, "type"), "about:blank");
    ck_assert_str_eq(json_str(r, "title"), title);
    ck_assert_int_eq(json_object_get_int(member(r->json, "status")), status);
    ck_assert_str_eq(json_str(r, "instance"), instance);
    ck_assert_ptr_nonnull(strstr(json_str(r, "detail"), "injected"));
    ck_assert_ptr_nonnull(strstr(json_str(r, "detail"), rule_id));
}

/* ---- the rules themselves ------------------------------------------------------------ */

START_TEST(create_renders_every_field)
{
    struct tenant t;
    struct http_response r;
    char body[512], path[128];
    json_object *rule;

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    snprintf(body, sizeof(body),
             "{\"method\":\"GET\",\"path\":\"/administration/user/{user-id}\",\"systemId\":\"%s\","
             "\"status\":503,\"latencyMs\":5,\"probability\":0.25,\"count\":3}",
             t.system_id);
    ck_assert_int_eq(control_call(&emu, "POST", "/faults", body, &r), 201);
    ck_assert_str_eq(header(&r, "Content-Type"), "application/json");
    ck_assert_int_eq(strlen(json_str(&r, "id")), 36);
    assert_strings(r.json,
                   (const char *const[]){"method", "GET", "path", "/administration/user/{user-id}",
                                         "systemId", t.system_id, NULL});
    ck_assert_int_eq(json_object_get_int(member(r.json, "status")), 503);
    ck_assert_int_eq(json_object_get_int(member(r.json, "latencyMs")), 5);
    ck_assert_int_eq(json_object_get_boolean(member(r.json, "reset")), 0);
    ck_assert(json_object_get_double(member(r.json, "probability")) == 0.25);
    ck_assert_int_eq(json_object_get_int(member(r.json, "count")), 3);
    ck_assert_int_eq(json_object_get_int(member(r.json, "fired")), 0);
    rule = listed(json_str(&r, "id"));
    ck_assert_ptr_nonnull(rule);
    ck_assert_str_eq(json_object_to_json_string(rule), json_object_to_json_string(r.json));
    json_object_put(rule);
    snprintf(path, sizeof(path), "/faults/%s", json_str(&r, "id"));
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "DELETE", path, NULL, &r), 204);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "DELETE", path, NULL, &r), 404);
    ck_assert_str_eq(header(&r, "Content-Type"), "application/problem+json");
    ck_assert_str_eq(json_str(&r, "detail"), "Resource not found");
    http_response_free(&r);
}
END_TEST

START_TEST(minimal_rule_has_defaults_and_rules_list_in_creation_order)
{
    struct http_response r;
    char a[64], b[64];
    json_object *items;

    add_rule("{\"reset\":true,\"probability\":0}", a);
    add_rule("{\"latencyMs\":1,\"probability\":1}", b);
    ck_assert_str_ne(a, b);
    ck_assert_int_eq(control_call(&emu, "GET", "/faults", NULL, &r), 200);
    items = member(r.json, "items");
    ck_assert_int_eq(json_object_array_length(items), 2);
    ck_assert_str_eq(json_object_get_string(member(json_object_array_get_idx(items, 0), "id")), a);
    ck_assert_str_eq(json_object_get_string(member(json_object_array_get_idx(items, 1), "id")), b);
    /* Absent criteria and effects are left out; reset and fired are always there. */
    ck_assert_int_eq(json_object_object_length(json_object_array_get_idx(items, 0)), 4);
    ck_assert_int_eq(json_object_get_boolean(member(json_object_array_get_idx(items, 0), "reset")),
                     1);
    ck_assert(json_object_get_double(member(json_object_array_get_idx(items, 0), "probability")) ==
              0);
    ck_assert_int_eq(json_object_object_length(json_object_array_get_idx(items, 1)), 5);
    ck_assert_int_eq(json_object_get_int(member(json_object_array_get_idx(items, 1), "latencyMs")),
                     1);
    ck_assert_int_eq(json_object_get_int(member(json_object_array_get_idx(items, 1), "fired")), 0);
    http_response_free(&r);
}
END_TEST

static const struct {
    const char *body;
    const char *names[5];
} bad_rules[] = {
    {"{}", {"probability", "status"}},
    {"{\"status\":503}", {"probability"}},
    {"{\"status\":399,\"probability\":1}", {"status"}},
    {"{\"status\":600,\"probability\":1}", {"status"}},
    {"{\"status\":\"503\",\"probability\":1}", {"status"}},
    {"{\"latencyMs\":10001,\"probability\":1}", {"latencyMs"}},
    {"{\"latencyMs\":-1,\"probability\":1}", {"latencyMs"}},
    {"{\"status\":503,\"probability\":1.5}", {"probability"}},
    {"{\"status\":503,\"probability\":-0.1}", {"probability"}},
    {"{\"status\":503,\"probability\":\"1\"}", {"probability"}},
    {"{\"status\":503,\"probability\":1,\"method\":\"FETCH\"}", {"method"}},
    {"{\"status\":503,\"probability\":1,\"path\":\"/_emulator/v1/health\"}", {"path"}},
    {"{\"status\":503,\"probability\":1,\"path\":\"/user\"}", {"path"}},
    {"{\"status\":503,\"probability\":1,\"path\":\"/administrationx\"}", {"path"}},
    {"{\"status\":503,\"probability\":1,\"path\":\"/administration/usr/{user-id}\"}", {"path"}},
    {"{\"status\":503,\"probability\":1,\"path\":\"\"}", {"path"}},
    {"{\"status\":503,\"probability\":1,\"systemId\":\"nope\"}", {"systemId"}},
    {"{\"status\":503,\"reset\":true,\"probability\":1}", {"reset"}},
    {"{\"reset\":false,\"probability\":1}", {"status"}},
    {"{\"reset\":\"yes\",\"status\":503,\"probability\":1}", {"reset"}},
    {"{\"status\":503,\"probability\":1,\"count\":0}", {"count"}},
    {"{\"status\":503,\"probability\":1,\"colour\":\"red\"}", {"colour"}},
    {"{\"method\":\"GET\",\"path\":\"/_emulator/v1\",\"systemId\":\"x\",\"count\":0,"
     "\"probability\":2}",
     {"path", "systemId", "count", "probability", "status"}},
};

/* True when r's invalidParams has an entry named name. */
static int names_param(const struct http_response *r, const char *name)
{
    json_object *params = member(r->json, "invalidParams");

    for (size_t i = 0; params != NULL && i < json_object_array_length(params); i++)
        if (strcmp(json_object_get_string(member(json_object_array_get_idx(params, i), "name")),
                   name) == 0)
            return 1;
    return 0;
}

START_TEST(create_rejects_bad_rules_naming_every_field)
{
    struct http_response r;
    size_t want = 0;

    ck_assert_int_eq(control_call(&emu, "POST", "/faults", bad_rules[_i].body, &r), 400);
    ck_assert_str_eq(header(&r, "Content-Type"), "application/problem+json");
    for (; want < N(bad_rules[_i].names) && bad_rules[_i].names[want] != NULL; want++)
        ck_assert_msg(names_param(&r, bad_rules[_i].names[want]), "%s: '%s' not named in %s",
                      bad_rules[_i].body, bad_rules[_i].names[want], r.body);
    ck_assert_int_eq(json_object_array_length(member(r.json, "invalidParams")), want);
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "GET", "/faults", NULL, &r), 200);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 0);
    http_response_free(&r);
}
END_TEST

START_TEST(create_needs_a_json_body)
{
    struct http_response r;
    char url[256];
    const char *text[] = {"Content-Type: text/plain", NULL};

    ck_assert_int_eq(control_call(&emu, "POST", "/faults", NULL, &r), 400);
    ck_assert_str_eq(json_str(&r, "detail"), "a JSON request body is required");
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "POST", "/faults", "[1]", &r), 400);
    http_response_free(&r);
    snprintf(url, sizeof(url), "%s/_emulator/v1/faults", emu.url);
    ck_assert_int_eq(http_call("POST", url, text, "{}", &r), 415);
    http_response_free(&r);
}
END_TEST

START_TEST(rules_are_capped)
{
    struct http_response r;
    char id[64];

    for (int i = 0; i < 64; i++)
        add_rule("{\"status\":503,\"probability\":0}", id);
    ck_assert_int_eq(
        control_call(&emu, "POST", "/faults", "{\"status\":503,\"probability\":0}", &r), 409);
    ck_assert_str_eq(json_str(&r, "detail"), "at most 64 fault rules; delete one first");
    http_response_free(&r);
}
END_TEST

/* ---- what fires and what it does ------------------------------------------------------- */

START_TEST(injected_status_replaces_the_answer_and_writes_nothing)
{
    struct tenant t;
    struct http_response r;
    char id[64];
    size_t users_before;

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    ck_assert_int_eq(admin_call(&emu, &t, "GET", "/user", NULL, &r), 200);
    users_before = json_object_array_length(member(r.json, "items"));
    http_response_free(&r);
    add_rule("{\"path\":\"/administration/user\",\"status\":503,\"probability\":1}", id);
    ck_assert_int_eq(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"USER\"}", &r), 503);
    assert_injected(&r, 503, "Service Unavailable", id, "/administration/user");
    ck_assert_str_eq(header(&r, "X-Emulator-Time"), "2030-01-01T00:00:00Z");
    http_response_free(&r);
    /* The prefix covers the user's sub-paths, not other resources. */
    ck_assert_int_eq(admin_call(&emu, &t, "GET", "/user/" UNKNOWN_ID, NULL, &r), 503);
    assert_injected(&r, 503, "Service Unavailable", id, "/administration/user/" UNKNOWN_ID);
    http_response_free(&r);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/locking-device", NULL), 200);
    ck_assert_int_eq(fired(id), 2);
    clear_rules(&emu);
    ck_assert_int_eq(admin_call(&emu, &t, "GET", "/user", NULL, &r), 200);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), users_before);
    http_response_free(&r);
}
END_TEST

static const struct {
    int status;
    const char *title;
} statuses[] = {
    {400, "Bad Request"}, {429, "Too Many Requests"}, {500, "Internal Server Error"},
    {502, "Bad Gateway"}, {504, "Gateway Timeout"},   {599, "Error"},
};

START_TEST(any_status_from_400_to_599)
{
    struct tenant t;
    struct http_response r;
    char id[64], body[128];

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    snprintf(body, sizeof(body), "{\"status\":%d,\"probability\":1}", statuses[_i].status);
    add_rule(body, id);
    ck_assert_int_eq(admin_call(&emu, &t, "GET", "/locking-device", NULL, &r), statuses[_i].status);
    assert_injected(&r, statuses[_i].status, statuses[_i].title, id,
                    "/administration/locking-device");
    if (statuses[_i].status == 429)
        ck_assert_str_eq(header(&r, "Retry-After"), "1");
    http_response_free(&r);
}
END_TEST

START_TEST(control_api_is_never_faulted)
{
    struct http_response r;
    char id[64];

    add_rule("{\"status\":500,\"probability\":1}", id);
    add_rule("{\"reset\":true,\"probability\":1}", id);
    ck_assert_int_eq(control_call(&emu, "GET", "/health", NULL, &r), 200);
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "POST", "/systems", "{}", &r), 201);
    http_response_free(&r);
    clear_rules(&emu);
}
END_TEST

START_TEST(method_must_match_exactly)
{
    struct tenant t;
    char id[64], path[128];

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    add_rule("{\"method\":\"DELETE\",\"status\":409,\"probability\":1}", id);
    snprintf(path, sizeof(path), "/user/%s", t.admin_id);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", path, NULL), 200);
    ck_assert_int_eq(admin_status(&emu, &t, "HEAD", path, NULL), 200);
    ck_assert_int_eq(admin_status(&emu, &t, "DELETE", path, NULL), 409);
    ck_assert_int_eq(fired(id), 1);
    clear_rules(&emu);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", path, NULL), 200);
}
END_TEST

START_TEST(template_matches_the_route_only)
{
    struct tenant t;
    char id[64], path[128];

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    add_rule("{\"path\":\"/administration/user/{user-id}\",\"status\":500,\"probability\":1}", id);
    snprintf(path, sizeof(path), "/user/%s", t.admin_id);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", path, NULL), 500);
    ck_assert_int_eq(admin_status(&emu, &t, "DELETE", "/user/" UNKNOWN_ID, NULL), 500);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 200);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/operating-device", NULL), 200);
    ck_assert_int_eq(fired(id), 2);
}
END_TEST

START_TEST(prefix_ends_at_a_segment_boundary)
{
    struct tenant t;
    char id[64];

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    add_rule("{\"path\":\"/administration/locking-device\",\"status\":507,\"probability\":1}", id);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/locking-device", NULL), 507);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/locking-device/" UNKNOWN_ID, NULL), 507);
    ck_assert_int_ne(admin_status(&emu, &t, "GET", "/locking-device-audit-log", NULL), 507);
    ck_assert_int_ne(admin_status(&emu, &t, "GET", "/locking-device-system-log", NULL), 507);
    ck_assert_int_eq(fired(id), 2);
    clear_rules(&emu);
    /* Half a segment matches nothing... */
    add_rule("{\"path\":\"/administration/locking-device-\",\"status\":507,\"probability\":1}", id);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/locking-device", NULL), 200);
    ck_assert_int_ne(admin_status(&emu, &t, "GET", "/locking-device-audit-log", NULL), 507);
    ck_assert_int_eq(fired(id), 0);
    clear_rules(&emu);
    /* ...but a path ending in '/' is a plain prefix, and the bare prefix matches all. */
    add_rule("{\"path\":\"/administration/\",\"status\":507,\"probability\":1}", id);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/operating-device", NULL), 507);
    clear_rules(&emu);
    add_rule("{\"path\":\"/administration\",\"status\":507,\"probability\":1}", id);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 507);
}
END_TEST

START_TEST(system_id_isolates_one_tenant)
{
    struct tenant a, b;
    char id[64], body[256], token[4096];

    ck_assert_int_eq(tenant_create(&emu, &a, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    ck_assert_int_eq(tenant_create(&emu, &b, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    snprintf(body, sizeof(body), "{\"systemId\":\"%s\",\"status\":503,\"probability\":1}",
             a.system_id);
    add_rule(body, id);
    ck_assert_int_eq(admin_status(&emu, &a, "GET", "/user", NULL), 503);
    ck_assert_int_eq(admin_status(&emu, &b, "GET", "/user", NULL), 200);
    ck_assert_int_eq(admin_status(&emu, &b, "POST", "/user", "{\"role\":\"USER\"}"), 201);
    /* Login has no token yet, so no system to match. */
    ck_assert_int_eq(tenant_login(&emu, &a, a.admin_id, a.access_key, token, sizeof(token)), 200);
    ck_assert_int_eq(fired(id), 1);
}
END_TEST

START_TEST(count_limits_the_firings)
{
    struct tenant t;
    char id[64];
    json_object *rule;

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    add_rule("{\"status\":503,\"probability\":1,\"count\":2}", id);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 503);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 503);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 200);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 200);
    rule = listed(id);
    ck_assert_int_eq(json_object_get_int(member(rule, "fired")), 2);
    ck_assert_int_eq(json_object_get_int(member(rule, "count")), 2);
    json_object_put(rule);
}
END_TEST

START_TEST(first_firing_rule_wins)
{
    struct tenant t;
    char never[64], first[64], second[64];

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    add_rule("{\"status\":500,\"probability\":0}", never);
    add_rule("{\"status\":502,\"probability\":1,\"count\":1}", first);
    add_rule("{\"status\":504,\"probability\":1}", second);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 502);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 504);
    ck_assert_int_eq(fired(never), 0);
    ck_assert_int_eq(fired(first), 1);
    ck_assert_int_eq(fired(second), 1);
}
END_TEST

START_TEST(latency_delays_the_real_answer)
{
    struct tenant t;
    struct http_response r;
    char id[64];
    double start;

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    add_rule("{\"path\":\"/administration/user\",\"latencyMs\":300,\"probability\":1}", id);
    start = now_s();
    ck_assert_int_eq(admin_call(&emu, &t, "GET", "/user", NULL, &r), 200);
    ck_assert_double_ge(now_s() - start, 0.3);
    ck_assert_ptr_nonnull(member(r.json, "items"));
    http_response_free(&r);
    clear_rules(&emu);
    add_rule("{\"latencyMs\":200,\"status\":503,\"probability\":1}", id);
    start = now_s();
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 503);
    ck_assert_double_ge(now_s() - start, 0.2);
}
END_TEST

START_TEST(reset_drops_the_connection)
{
    struct tenant t;
    struct http_response r;
    char id[64];

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    add_rule("{\"method\":\"POST\",\"reset\":true,\"probability\":1}", id);
    ck_assert_int_eq(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"USER\"}", &r), 0);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 200);
    ck_assert_int_eq(fired(id), 1);
    clear_rules(&emu);
    ck_assert_int_eq(admin_status(&emu, &t, "POST", "/user", "{\"role\":\"USER\"}"), 201);
}
END_TEST

START_TEST(unauthenticated_requests_get_their_real_answer)
{
    struct tenant t;
    struct http_response r;
    char url[256], id[64];
    const char *no_key[] = {"Accept: " VENDOR_TYPE, NULL};

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    add_rule("{\"status\":503,\"probability\":1}", id);
    snprintf(url, sizeof(url), "%s/administration/user", emu.url);
    ck_assert_int_eq(http_call("GET", url, no_key, NULL, &r), 403);
    http_response_free(&r);
    snprintf(url, sizeof(url), "%s/administration/no-such-thing", emu.url);
    ck_assert_int_eq(http_call("GET", url, no_key, NULL, &r), 404);
    http_response_free(&r);
    ck_assert_int_eq(fired(id), 0);
}
END_TEST

/* The statuses of 40 GET /user under a rule of probability 0.5 on a seeded emulator. */
static void seeded_pattern(char out[41], int *fired_total)
{
    struct emu own;
    struct tenant t;
    struct http_response r;
    const char *args[] = {"--seed", "7", NULL};
    char id[64];
    int ok;

    ck_assert_int_eq(emu_start(&own, args), 0);
    ok = tenant_create(&own, &t, FROZEN_AT("2030-01-01T00:00:00Z")) == 0;
    if (ok)
        add_rule_to(&own, "{\"status\":503,\"probability\":0.5}", id);
    for (int i = 0; ok && i < 40; i++) {
        long status = admin_call(&own, &t, "GET", "/user", NULL, &r);
        out[i] = status == 503 ? 'x' : status == 200 ? '.' : '?';
        http_response_free(&r);
    }
    out[40] = '\0';
    emu_stop(&own);
    ck_assert(ok);
    *fired_total = 0;
    for (int i = 0; i < 40; i++)
        *fired_total += out[i] == 'x';
}

START_TEST(probability_is_drawn_from_the_seed)
{
    char first[41], second[41];
    int n1, n2;

    seeded_pattern(first, &n1);
    seeded_pattern(second, &n2);
    ck_assert_ptr_null(strchr(first, '?'));
    ck_assert_str_eq(first, second);
    ck_assert_msg(n1 > 5 && n1 < 35, "fired %d of 40: %s", n1, first);
}
END_TEST

START_TEST(probability_zero_never_fires)
{
    struct tenant t;
    char id[64];

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    add_rule("{\"status\":503,\"probability\":0}", id);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 200);
    ck_assert_int_eq(fired(id), 0);
}
END_TEST

/* ---- bookkeeping: metrics, logs, reset ------------------------------------------------- */

static double sample(const char *text, const char *series)
{
    size_t n = strlen(series);

    for (const char *line = text; line != NULL && *line != '\0';
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, series, n) == 0 && line[n] == ' ')
            return strtod(line + n + 1, NULL);
    return 0;
}

START_TEST(firings_are_counted_in_metrics)
{
    struct tenant t;
    struct http_response before, after;
    char id[64];
    const char *status = "keyless_emulator_faults_injected_total{effect=\"status\"}";
    const char *latency = "keyless_emulator_faults_injected_total{effect=\"latency\"}";
    const char *reset = "keyless_emulator_faults_injected_total{effect=\"reset\"}";
    const char *route = "keyless_emulator_http_requests_total{method=\"GET\","
                        "route=\"/administration/user\",status=\"503\"}";

    ck_assert_int_eq(tenant_create(&emu, &t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    ck_assert_int_eq(control_call(&emu, "GET", "/metrics", NULL, &before), 200);
    add_rule("{\"method\":\"GET\",\"status\":503,\"latencyMs\":1,\"probability\":1,\"count\":1}",
             id);
    add_rule("{\"method\":\"POST\",\"reset\":true,\"probability\":1,\"count\":1}", id);
    ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 503);
    ck_assert_int_eq(admin_status(&emu, &t, "POST", "/user", "{\"role\":\"USER\"}"), 0);
    ck_assert_int_eq(control_call(&emu, "GET", "/metrics", NULL, &after), 200);
    ck_assert(sample(after.body, status) - sample(before.body, status) == 1);
    ck_assert(sample(after.body, latency) - sample(before.body, latency) == 1);
    ck_assert(sample(after.body, reset) - sample(before.body, reset) == 1);
    ck_assert_msg(sample(after.body, route) - sample(before.body, route) == 1, "%f %f",
                  sample(after.body, route), sample(before.body, route));
    ck_assert(sample(after.body, "keyless_emulator_fault_rules") == 2);
    http_response_free(&before);
    http_response_free(&after);
}
END_TEST

/* Fires one rule with request id rid on an emulator logging as format; returns its log
 * (caller frees) and the rule's id. */
static char *fire_logged(const char *format, const char *rid, char *id)
{
    struct emu own;
    struct tenant t;
    struct http_response r;
    const char *args[] = {"--log-format", format, NULL};
    char url[256], key[256], auth[4200], rid_header[128], path[300], *log = calloc(1, 1 << 20);
    const char *headers[] = {key, auth, rid_header, "Accept: " VENDOR_TYPE, NULL};
    long status = 0;
    FILE *f;

    ck_assert_int_eq(emu_start(&own, args), 0);
    if (tenant_create(&own, &t, FROZEN_AT("2030-01-01T00:00:00Z")) == 0) {
        add_rule_to(&own, "{\"status\":503,\"latencyMs\":2,\"probability\":1}", id);
        snprintf(url, sizeof(url), "%s/administration/user", own.url);
        snprintf(key, sizeof(key), "X-Api-Key: %s", t.api_key);
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t.token);
        snprintf(rid_header, sizeof(rid_header), "X-Request-Id: %s", rid);
        status = http_call("GET", url, headers, NULL, &r);
        http_response_free(&r);
    }
    emu_stop(&own);
    ck_assert_int_eq(status, 503);
    snprintf(path, sizeof(path), "%s/stderr.log", own.dir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_gt(fread(log, 1, (1 << 20) - 1, f), 0);
    fclose(f);
    return log;
}

START_TEST(firing_is_logged_with_request_id_as_json)
{
    char id[64], *log = fire_logged("json", "fault-probe-1", id), *line;
    int found = 0;

    for (line = log; line != NULL && *line != '\0'; line = strchr(line, '\n')) {
        json_object *o, *v;
        char text[4096];
        if (*line == '\n')
            line++;
        snprintf(text, sizeof(text), "%.*s", (int)strcspn(line, "\n"), line);
        o = text[0] == '{' ? json_tokener_parse(text) : NULL;
        if (o != NULL && json_object_object_get_ex(o, "level", &v) &&
            strcmp(json_object_get_string(v), "warn") == 0) {
            ck_assert_str_eq(json_object_get_string(member(o, "requestId")), "fault-probe-1");
            ck_assert_str_eq(json_object_get_string(member(o, "method")), "GET");
            ck_assert_str_eq(json_object_get_string(member(o, "path")), "/administration/user");
            ck_assert_ptr_nonnull(member(o, "systemId"));
            ck_assert_ptr_nonnull(strstr(json_object_get_string(member(o, "message")), id));
            ck_assert_ptr_nonnull(
                strstr(json_object_get_string(member(o, "message")), "latency 2 ms, status 503"));
            found++;
        }
        json_object_put(o);
    }
    ck_assert_int_eq(found, 1);
    free(log);
}
END_TEST

START_TEST(firing_is_logged_with_request_id_as_text)
{
    char id[64], want[256], *log = fire_logged("text", "fault-probe-2", id);

    snprintf(want, sizeof(want),
             "keyless-emulator: GET /administration/user: fault %s fired: latency 2 ms, status "
             "503 id=fault-probe-2\n",
             id);
    ck_assert_msg(strstr(log, want) != NULL, "no '%s' in: %s", want, log);
    free(log);
}
END_TEST

START_TEST(rules_survive_a_reset)
{
    struct emu own;
    struct http_response r;
    char id[64];
    long reset_status, list_status;
    size_t n = 0;

    ck_assert_int_eq(emu_start(&own, NULL), 0);
    add_rule_to(&own, "{\"status\":503,\"probability\":1}", id);
    reset_status = control_call(&own, "POST", "/reset", NULL, &r);
    http_response_free(&r);
    list_status = control_call(&own, "GET", "/faults", NULL, &r);
    if (list_status == 200)
        n = json_object_array_length(member(r.json, "items"));
    http_response_free(&r);
    emu_stop(&own);
    ck_assert_int_eq(reset_status, 200);
    ck_assert_int_eq(list_status, 200);
    ck_assert_int_eq(n, 1);
}
END_TEST

static Suite *faults_suite(void)
{
    Suite *s = suite_create("faults");
    TCase *rules = tcase_create("rules");
    TCase *own = tcase_create("own_emulator");

    tcase_add_unchecked_fixture(rules, emu_must_start, emu_teardown);
    tcase_add_checked_fixture(rules, test_setup, NULL);
    tcase_set_timeout(rules, 120);
    tcase_add_test(rules, create_renders_every_field);
    tcase_add_test(rules, minimal_rule_has_defaults_and_rules_list_in_creation_order);
    tcase_add_loop_test(rules, create_rejects_bad_rules_naming_every_field, 0, N(bad_rules));
    tcase_add_test(rules, create_needs_a_json_body);
    tcase_add_test(rules, rules_are_capped);
    tcase_add_test(rules, injected_status_replaces_the_answer_and_writes_nothing);
    tcase_add_loop_test(rules, any_status_from_400_to_599, 0, N(statuses));
    tcase_add_test(rules, control_api_is_never_faulted);
    tcase_add_test(rules, method_must_match_exactly);
    tcase_add_test(rules, template_matches_the_route_only);
    tcase_add_test(rules, prefix_ends_at_a_segment_boundary);
    tcase_add_test(rules, system_id_isolates_one_tenant);
    tcase_add_test(rules, count_limits_the_firings);
    tcase_add_test(rules, first_firing_rule_wins);
    tcase_add_test(rules, latency_delays_the_real_answer);
    tcase_add_test(rules, reset_drops_the_connection);
    tcase_add_test(rules, unauthenticated_requests_get_their_real_answer);
    tcase_add_test(rules, probability_zero_never_fires);
    tcase_add_test(rules, firings_are_counted_in_metrics);
    suite_add_tcase(s, rules);

    tcase_set_timeout(own, 120);
    tcase_add_test(own, probability_is_drawn_from_the_seed);
    tcase_add_test(own, firing_is_logged_with_request_id_as_json);
    tcase_add_test(own, firing_is_logged_with_request_id_as_text);
    tcase_add_test(own, rules_survive_a_reset);
    suite_add_tcase(s, own);
    return s;
}

int main(void)
{
    return run_suite(faults_suite());
}
