/*
 * test_control.c — the emulator's own surface and process (DESIGN.md §8): /health, systems,
 * API keys, --control-token, command-line flags and their KEYLESS_EMULATOR_<FLAG> twins,
 * the JSON access log, and fixture files loaded with --fixtures.
 *
 * Test cases that need special flags run their own emulator; those that must stop it
 * (to read its log or exit status) assert only after it stopped, so no failure leaves a
 * process behind.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define X16 "xxxxxxxxxxxxxxxx"
#define X240 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16
#define NAME_255 X240 "xxxxxxxxxxxxxxx"
#define NAME_256 X240 X16
#define E16                                                                                        \
    "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"   \
    "\u00e9"
#define E240 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16
#define ACCENTED_255                                                                               \
    E240 "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"    \
         "\u00e9"
#define ACCENTED_256 E240 E16

/* ---- helpers ----------------------------------------------------------------------- */

/* r is a 400 for instance whose invalidParams name exactly the fields in names
 * (NULL-terminated), each with a reason. */
static void assert_invalid_request(const struct http_response *r, const char *instance,
                                   const char *const *names)
{
    assert_problem(r, 400, instance);
    assert_invalid_params(r, names);
}

static long int_member(const struct http_response *r, const char *key)
{
    json_object *v;

    ck_assert_msg(json_object_object_get_ex(r->json, key, &v) &&
                      json_object_is_type(v, json_type_int),
                  "'%s' missing or not an integer: %s", key, r->body);
    return (long)json_object_get_int64(v);
}

static int is_uuid(const char *s)
{
    static const char hex[] = "0123456789abcdefABCDEF";

    if (s == NULL || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++)
        if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' : !strchr(hex, s[i]))
            return 0;
    return 1;
}

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ", or -1 when s is not exactly that. */
static long long parse_datetime(const char *s)
{
    struct tm tm = {0};
    int used = 0;

    if (s == NULL || strlen(s) != 20 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &used) != 6 ||
        used != 20)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm);
}

/* A control API call with an Authorization header (NULL: none). */
static long control_with_auth(struct emu *e, const char *method, const char *path,
                              const char *authorization, const char *body, struct http_response *r)
{
    char url[512], auth[512];
    const char *headers[3] = {NULL};
    size_t n = 0;

    snprintf(url, sizeof(url), "%s/_emulator/v1%s", e->url, path);
    snprintf(auth, sizeof(auth), "Authorization: %s", authorization ? authorization : "");
    if (authorization != NULL)
        headers[n++] = auth;
    if (body != NULL)
        headers[n++] = "Content-Type: application/json";
    return http_call(method, url, headers, body, r);
}

/* A string member of a JSON object by "a.b" path (json_str reads only r->json). */
static const char *item_str(json_object *item, const char *path)
{
    struct http_response view = {.json = item};

    return json_str(&view, path);
}

/* Calls visit on each item of each page of a control list, limit items a page, until
 * visit returns nonzero or the last page (the one without nextPageToken) was read. */
static void walk_pages(const char *list, int limit, int (*visit)(json_object *, void *), void *ctx)
{
    char path[512], token[256] = "";
    struct http_response r;
    json_object *items, *next;
    int stop = 0;

    for (int page = 0; page < 1000 && !stop; page++) {
        snprintf(path, sizeof(path), "%s?limit=%d%s%s", list, limit,
                 token[0] ? "&next-page-token=" : "", token);
        ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 200);
        ck_assert(json_object_object_get_ex(r.json, "items", &items));
        ck_assert_int_le(json_object_array_length(items), limit);
        for (size_t i = 0; i < json_object_array_length(items) && !stop; i++)
            stop = visit(json_object_array_get_idx(items, i), ctx);
        if (!json_object_object_get_ex(r.json, "nextPageToken", &next))
            stop = 1;
        else
            snprintf(token, sizeof(token), "%s", json_object_get_string(next));
        http_response_free(&r);
    }
    ck_assert_msg(stop, "%s never reached its last page", list);
}

struct collect {
    const char *field;
    char (*out)[128];
    size_t n, cap;
};

static int collect_field(json_object *item, void *ctx)
{
    struct collect *c = ctx;

    ck_assert_ptr_nonnull(item_str(item, c->field));
    if (c->n < c->cap)
        snprintf(c->out[c->n++], 128, "%s", item_str(item, c->field));
    return 0;
}

/* Every item's field, in list order, into out (128 bytes an entry). Returns the count. */
static size_t read_all_pages(const char *list, int limit, const char *field, char (*out)[128],
                             size_t cap)
{
    struct collect c = {field, out, 0, cap};

    walk_pages(list, limit, collect_field, &c);
    return c.n;
}

struct find {
    const char *field, *value;
    json_object *found;
};

static int match_field(json_object *item, void *ctx)
{
    struct find *f = ctx;
    const char *v = item_str(item, f->field);

    if (v == NULL || strcmp(v, f->value) != 0)
        return 0;
    f->found = json_object_get(item);
    return 1;
}

/* The list item whose field is value (caller puts it), or NULL. */
static json_object *find_item(const char *list, const char *field, const char *value)
{
    struct find f = {field, value, NULL};

    walk_pages(list, 100, match_field, &f);
    return f.found;
}

static int listed(const char *list, const char *field, const char *value)
{
    json_object *item = find_item(list, field, value);

    json_object_put(item);
    return item != NULL;
}

/* POST /api-keys with body; copies the key. */
static void create_api_key(const char *body, char *key, size_t cap)
{
    struct http_response r;

    ck_assert_int_eq(control_call(&emu, "POST", "/api-keys", body, &r), 201);
    ck_assert_ptr_nonnull(json_str(&r, "key"));
    snprintf(key, cap, "%s", json_str(&r, "key"));
    http_response_free(&r);
}

/* GET /administration/user with api_key and t's token. */
static long admin_get_users(const struct tenant *t, const char *api_key)
{
    struct tenant as = *t;
    struct http_response r;
    long status;

    snprintf(as.api_key, sizeof(as.api_key), "%s", api_key);
    status = admin_call(&emu, &as, "GET", "/user", NULL, &r);
    http_response_free(&r);
    return status;
}

/* ---- health ------------------------------------------------------------------------ */

START_TEST(health_reports_status_version_and_mode)
{
    struct http_response r;
    json_object *v;

    ck_assert_int_eq(control_call(&emu, "GET", "/health", NULL, &r), 200);
    ck_assert_str_eq(header(&r, "Content-Type"), "application/json");
    ck_assert_str_eq(json_str(&r, "status"), "ok");
    ck_assert_ptr_nonnull(json_str(&r, "version"));
    ck_assert_str_eq(json_str(&r, "version"), header(&r, "X-Emulator-Version"));
    ck_assert(json_object_object_get_ex(r.json, "uptimeSeconds", &v));
    ck_assert(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int));
    ck_assert(json_object_get_double(v) >= 0.0);
    ck_assert_int_ge(int_member(&r, "outboxEvents"), 0);
    ck_assert(json_object_object_get_ex(r.json, "production", &v));
    ck_assert(json_object_is_type(v, json_type_boolean));
    ck_assert(!json_object_get_boolean(v));
    http_response_free(&r);
}
END_TEST

/* ---- systems ----------------------------------------------------------------------- */

START_TEST(create_system_with_defaults)
{
    struct http_response r;
    struct tenant t = {0};
    long long now = (long long)time(NULL);

    ck_assert_int_eq(control_call(&emu, "POST", "/systems", "{}", &r), 201);
    ck_assert_str_eq(header(&r, "Content-Type"), "application/json");
    ck_assert_msg(is_uuid(json_str(&r, "id")), "id %s", json_str(&r, "id"));
    ck_assert_ptr_nonnull(json_str(&r, "name"));
    ck_assert_uint_gt(strlen(json_str(&r, "name")), 0);
    ck_assert_str_eq(json_str(&r, "clock.mode"), "real");
    ck_assert_msg(llabs(parse_datetime(json_str(&r, "clock.now")) - now) < 120, "clock.now %s",
                  json_str(&r, "clock.now"));
    ck_assert_int_ge(parse_datetime(json_str(&r, "creationDatetime")), 0);
    ck_assert_ptr_nonnull(json_str(&r, "apiKey"));
    ck_assert_uint_ge(strlen(json_str(&r, "apiKey")), 16);
    ck_assert(is_uuid(json_str(&r, "admin.userId")));
    ck_assert_uint_ge(strlen(json_str(&r, "admin.accessKey")), 16);
    snprintf(t.api_key, sizeof(t.api_key), "%s", json_str(&r, "apiKey"));
    ck_assert_int_eq(tenant_login(&emu, &t, json_str(&r, "admin.userId"),
                                  json_str(&r, "admin.accessKey"), NULL, 0),
                     200);
    http_response_free(&r);
}
END_TEST

static const struct {
    const char *body;
    const char *name, *mode;
    long long now_from, now_to; /* clock.now must fall in [from, to] */
} good_systems[] = {
    {"{\"name\":\"Acme Depot\",\"clock\":{\"mode\":\"frozen\",\"time\":\"2030-01-01T00:00:00Z\"}}",
     "Acme Depot", "frozen", 1893456000, 1893456000},
    {"{\"name\":\"Offset\",\"clock\":{\"mode\":\"frozen\",\"time\":\"2030-01-01T02:00:00+02:00\"}}",
     "Offset", "frozen", 1893456000, 1893456000},
    {"{\"name\":\"Running\",\"clock\":{\"mode\":\"real\",\"time\":\"2030-01-01T00:00:00Z\"}}",
     "Running", "real", 1893456000, 1893456000 + 120},
    {"{\"name\":\"" NAME_255 "\"}", NAME_255, "real", 0, 0},
    {"{\"name\":\"" ACCENTED_255 "\"}", ACCENTED_255, "real", 0, 0}, /* characters, not bytes */
    {"{\"name\":\"A\"}", "A", "real", 0, 0},
};

START_TEST(create_system_with_name_and_clock)
{
    struct http_response r;

    ck_assert_int_eq(control_call(&emu, "POST", "/systems", good_systems[_i].body, &r), 201);
    ck_assert_str_eq(json_str(&r, "name"), good_systems[_i].name);
    ck_assert_str_eq(json_str(&r, "clock.mode"), good_systems[_i].mode);
    if (good_systems[_i].now_to != 0) {
        long long now = parse_datetime(json_str(&r, "clock.now"));
        ck_assert_msg(now >= good_systems[_i].now_from && now <= good_systems[_i].now_to,
                      "clock.now %s", json_str(&r, "clock.now"));
    }
    http_response_free(&r);
}
END_TEST

static const struct {
    const char *body;
    const char *invalid[3];
} bad_systems[] = {
    {"{\"name\":\"\"}", {"name"}},
    {"{\"name\":\"" NAME_256 "\"}", {"name"}},
    {"{\"name\":\"" ACCENTED_256 "\"}", {"name"}},
    {"{\"name\":42}", {"name"}},
    {"{\"clock\":{\"mode\":\"sideways\"}}", {"clock/mode"}},
    {"{\"clock\":{}}", {"clock/mode"}},
    {"{\"clock\":{\"mode\":\"frozen\",\"time\":\"yesterday\"}}", {"clock/time"}},
    {"{\"clock\":\"real\"}", {"clock"}},
    {"{\"colour\":\"red\"}", {"colour"}},
    {"{\"name\":\"\",\"clock\":{\"mode\":\"sideways\"}}", {"name", "clock/mode"}},
};

START_TEST(create_system_rejects_bad_fields_and_writes_nothing)
{
    static char before[512][128], after[512][128];
    size_t n_before = read_all_pages("/systems", 100, "id", before, N(before));
    struct http_response r;

    control_call(&emu, "POST", "/systems", bad_systems[_i].body, &r);
    assert_invalid_request(&r, "/_emulator/v1/systems", bad_systems[_i].invalid);
    http_response_free(&r);
    ck_assert_uint_eq(read_all_pages("/systems", 100, "id", after, N(after)), n_before);
}
END_TEST

START_TEST(list_systems_pages_in_creation_order)
{
    char created[3][128], seen[512][128];
    size_t n, at = 0;
    struct http_response r;

    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(control_call(&emu, "POST", "/systems", "{\"name\":\"paged\"}", &r), 201);
        snprintf(created[i], sizeof(created[i]), "%s", json_str(&r, "id"));
        http_response_free(&r);
    }
    for (int limit = 1; limit <= 2; limit++) {
        n = read_all_pages("/systems", limit, "id", seen, N(seen));
        for (size_t i = 0; i < n; i++) {
            for (size_t j = i + 1; j < n; j++)
                ck_assert_msg(strcmp(seen[i], seen[j]) != 0, "%s listed twice", seen[i]);
            if (at < 3 && strcmp(seen[i], created[at]) == 0)
                at++;
        }
        ck_assert_msg(at == 3, "limit %d: created systems missing or out of order", limit);
        at = 0;
    }
}
END_TEST

START_TEST(list_items_have_the_system_fields)
{
    struct tenant t;
    json_object *item;

    ck_assert_int_eq(tenant_create(&emu, &t, "{\"name\":\"Listed\"}"), 0);
    item = find_item("/systems", "id", t.system_id);
    ck_assert_msg(item != NULL, "system %s not listed", t.system_id);
    ck_assert_str_eq(item_str(item, "name"), "Listed");
    ck_assert_str_eq(item_str(item, "clock.mode"), "real");
    ck_assert_int_ge(parse_datetime(item_str(item, "clock.now")), 0);
    ck_assert_int_ge(parse_datetime(item_str(item, "creationDatetime")), 0);
    json_object_put(item);
}
END_TEST

static const char *const bad_limits[] = {"0", "101", "-1", "abc", "1.5"};

START_TEST(list_rejects_bad_limits)
{
    const char *lists[] = {"/systems", "/api-keys"};
    const char *const names[] = {"limit", NULL};
    char path[128], instance[128];
    struct http_response r;

    for (size_t i = 0; i < N(lists); i++) {
        snprintf(path, sizeof(path), "%s?limit=%s", lists[i], bad_limits[_i]);
        snprintf(instance, sizeof(instance), "/_emulator/v1%s", lists[i]);
        control_call(&emu, "GET", path, NULL, &r);
        assert_invalid_request(&r, instance, names);
        http_response_free(&r);
    }
}
END_TEST

START_TEST(get_system_by_id)
{
    struct tenant t;
    char path[128];
    struct http_response r;

    ck_assert_int_eq(tenant_create(&emu, &t,
                                   "{\"name\":\"Fetched\",\"clock\":{\"mode\":"
                                   "\"frozen\",\"time\":\"2031-05-06T07:08:09Z\"}}"),
                     0);
    snprintf(path, sizeof(path), "/systems/%s", t.system_id);
    ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 200);
    assert_strings(r.json,
                   (const char *const[]){"id", t.system_id, "name", "Fetched", "clock.mode",
                                         "frozen", "clock.now", "2031-05-06T07:08:09Z", NULL});
    http_response_free(&r);

    control_call(&emu, "GET", "/systems/" UNKNOWN_ID, NULL, &r);
    assert_problem(&r, 404, "/_emulator/v1/systems/" UNKNOWN_ID);
    http_response_free(&r);
}
END_TEST

START_TEST(delete_system_revokes_its_key_and_tokens)
{
    struct tenant doomed, bystander;
    char path[128], instance[160], spare_key[128];
    struct http_response r;

    ck_assert_int_eq(tenant_create(&emu, &doomed, NULL), 0);
    ck_assert_int_eq(tenant_create(&emu, &bystander, NULL), 0);
    create_api_key("{\"name\":\"spare\"}", spare_key, sizeof(spare_key));
    ck_assert_int_eq(admin_get_users(&doomed, spare_key), 200);

    snprintf(path, sizeof(path), "/systems/%s", doomed.system_id);
    snprintf(instance, sizeof(instance), "/_emulator/v1%s", path);
    ck_assert_int_eq(control_call(&emu, "DELETE", path, NULL, &r), 204);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);

    control_call(&emu, "GET", path, NULL, &r);
    assert_problem(&r, 404, instance);
    http_response_free(&r);
    control_call(&emu, "DELETE", path, NULL, &r);
    assert_problem(&r, 404, instance);
    http_response_free(&r);
    ck_assert(!listed("/systems", "id", doomed.system_id));
    ck_assert(!listed("/api-keys", "key", doomed.api_key));

    ck_assert_int_eq(admin_get_users(&doomed, doomed.api_key), 403);
    ck_assert_int_eq(tenant_login(&emu, &doomed, doomed.admin_id, doomed.access_key, NULL, 0), 403);
    ck_assert_int_eq(admin_get_users(&doomed, spare_key), 401);
    ck_assert_int_eq(admin_get_users(&bystander, bystander.api_key), 200);
}
END_TEST

/* ---- API keys ---------------------------------------------------------------------- */

START_TEST(create_api_key_with_limits)
{
    struct tenant t;
    struct http_response r;
    char key[128];

    ck_assert_int_eq(tenant_create(&emu, &t, NULL), 0);
    ck_assert_int_eq(control_call(&emu, "POST", "/api-keys",
                                  "{\"name\":\"ci\",\"requestsPerSecond\":5,\"burst\":10}", &r),
                     201);
    ck_assert_str_eq(header(&r, "Content-Type"), "application/json");
    ck_assert_ptr_nonnull(json_str(&r, "key"));
    ck_assert_uint_ge(strlen(json_str(&r, "key")), 16);
    ck_assert_str_eq(json_str(&r, "name"), "ci");
    ck_assert_int_eq(int_member(&r, "requestsPerSecond"), 5);
    ck_assert_int_eq(int_member(&r, "burst"), 10);
    ck_assert_int_ge(parse_datetime(json_str(&r, "creationDatetime")), 0);
    snprintf(key, sizeof(key), "%s", json_str(&r, "key"));
    http_response_free(&r);

    ck_assert(listed("/api-keys", "key", key));
    ck_assert_int_eq(admin_get_users(&t, key), 200);
    snprintf(t.api_key, sizeof(t.api_key), "%s", key);
    ck_assert_int_eq(tenant_login(&emu, &t, t.admin_id, t.access_key, NULL, 0), 200);
}
END_TEST

START_TEST(api_key_limits_have_defaults)
{
    struct http_response r;

    ck_assert_int_eq(control_call(&emu, "POST", "/api-keys", "{\"name\":\"plain\"}", &r), 201);
    ck_assert_str_eq(json_str(&r, "name"), "plain");
    ck_assert_int_ge(int_member(&r, "requestsPerSecond"), 1);
    ck_assert_int_ge(int_member(&r, "burst"), 1);
    http_response_free(&r);
}
END_TEST

static const struct {
    const char *body;
    const char *invalid[4];
} bad_keys[] = {
    {"{}", {"name"}},
    {"{\"name\":\"\"}", {"name"}},
    {"{\"name\":7}", {"name"}},
    {"{\"name\":\"x\",\"requestsPerSecond\":0}", {"requestsPerSecond"}},
    {"{\"name\":\"x\",\"requestsPerSecond\":\"fast\"}", {"requestsPerSecond"}},
    {"{\"name\":\"x\",\"burst\":-1}", {"burst"}},
    {"{\"name\":\"x\",\"burst\":\"3\"}", {"burst"}},
    {"{\"name\":\"\",\"requestsPerSecond\":0,\"burst\":0}", {"name", "requestsPerSecond", "burst"}},
};

START_TEST(create_api_key_rejects_bad_fields)
{
    struct http_response r;

    control_call(&emu, "POST", "/api-keys", bad_keys[_i].body, &r);
    assert_invalid_request(&r, "/_emulator/v1/api-keys", bad_keys[_i].invalid);
    http_response_free(&r);
}
END_TEST

START_TEST(delete_api_key_rejects_it_afterwards)
{
    struct tenant t;
    struct http_response r;
    char key[128], path[256], instance[300];

    ck_assert_int_eq(tenant_create(&emu, &t, NULL), 0);
    create_api_key("{\"name\":\"short-lived\"}", key, sizeof(key));
    ck_assert_int_eq(admin_get_users(&t, key), 200);
    snprintf(path, sizeof(path), "/api-keys/%s", key);
    snprintf(instance, sizeof(instance), "/_emulator/v1%s", path);
    ck_assert_int_eq(control_call(&emu, "DELETE", path, NULL, &r), 204);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);

    ck_assert_int_eq(admin_get_users(&t, key), 403);
    snprintf(t.api_key, sizeof(t.api_key), "%s", key);
    ck_assert_int_eq(tenant_login(&emu, &t, t.admin_id, t.access_key, NULL, 0), 403);
    ck_assert(!listed("/api-keys", "key", key));
    control_call(&emu, "DELETE", path, NULL, &r);
    assert_problem(&r, 404, instance);
    http_response_free(&r);
}
END_TEST

/* ---- --control-token --------------------------------------------------------------- */

static struct emu guarded;

static void guarded_setup(void)
{
    const char *args[] = {"--control-token", "s3cret", NULL};

    ck_assert_int_eq(emu_start(&guarded, args), 0);
}

static void guarded_teardown(void)
{
    emu_stop(&guarded);
}

static const struct {
    const char *method, *path, *authorization, *body;
    long want;
} token_gate[] = {
    {"GET", "/health", NULL, NULL, 200},
    {"GET", "/jwks.json", NULL, NULL, 200},
    {"GET", "/systems", NULL, NULL, 401},
    {"GET", "/systems", "Bearer wrong", NULL, 401},
    {"GET", "/systems", "Bearer s3cre", NULL, 401},
    {"GET", "/systems", "Bearer s3cret2", NULL, 401},
    {"GET", "/systems", "Basic s3cret", NULL, 401},
    {"GET", "/systems", "s3cret", NULL, 401},
    {"GET", "/systems", "Bearer s3cret", NULL, 200},
    {"POST", "/systems", NULL, "{}", 401},
    {"POST", "/systems", "Bearer s3cret", "{}", 201},
    {"GET", "/systems/" UNKNOWN_ID, NULL, NULL, 401},
    {"GET", "/systems/" UNKNOWN_ID, "Bearer s3cret", NULL, 404},
    {"DELETE", "/systems/" UNKNOWN_ID, NULL, NULL, 401},
    {"GET", "/api-keys", NULL, NULL, 401},
    {"POST", "/api-keys", NULL, "{\"name\":\"k\"}", 401},
    {"POST", "/api-keys", "Bearer s3cret", "{\"name\":\"k\"}", 201},
    {"DELETE", "/api-keys/some-key", NULL, NULL, 401},
};

START_TEST(control_token_guards_all_but_health_and_jwks)
{
    struct http_response r;
    char instance[128];

    snprintf(instance, sizeof(instance), "/_emulator/v1%s", token_gate[_i].path);
    control_with_auth(&guarded, token_gate[_i].method, token_gate[_i].path,
                      token_gate[_i].authorization, token_gate[_i].body, &r);
    if (token_gate[_i].want == 401 || token_gate[_i].want == 404)
        assert_problem(&r, token_gate[_i].want, instance);
    if (token_gate[_i].want == 401)
        ck_assert_str_eq(header(&r, "WWW-Authenticate"),
                         token_gate[_i].authorization
                             ? "Bearer realm=\"control\", error=\"invalid_token\""
                             : "Bearer realm=\"control\"");
    else
        ck_assert_msg(r.status == token_gate[_i].want, "%s %s: %ld %s", token_gate[_i].method,
                      token_gate[_i].path, r.status, r.body);
    http_response_free(&r);
}
END_TEST

/* ---- the command line -------------------------------------------------------------- */

struct run {
    int exit_code; /* -1: killed by a signal, or killed by us (see started) */
    int started;   /* it wrote its ready file: it began serving instead of exiting */
    char out[16384], err[16384];
};

/* Runs the binary with "--db :memory: --ready-file F" and args (NULL-terminated), with env
 * ("NAME=value", or NULL) added to the environment, until it exits. If it starts serving
 * instead (F appears) or is still running after 20 s, it is killed. */
static void run_binary(const char *const *args, const char *env, struct run *out)
{
    const char *bin = getenv("KEYLESS_EMULATOR_BIN") ? getenv("KEYLESS_EMULATOR_BIN")
                                                     : "build/keyless-emulator"; /* as harness.c */
    char dir[] = "/tmp/ke-cli-XXXXXX", out_path[64], err_path[64], ready[64];
    const char *argv[24] = {bin, "--db", ":memory:", "--ready-file", ready};
    size_t argc = 5;
    int status = 0;
    pid_t pid;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
    snprintf(err_path, sizeof(err_path), "%s/stderr", dir);
    snprintf(ready, sizeof(ready), "%s/ready", dir);
    for (size_t i = 0; args[i] != NULL && argc < N(argv) - 1; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (env != NULL)
            putenv((char *)env);
        dup2(fo, 1);
        dup2(fe, 2);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    out->exit_code = -1;
    out->started = 0;
    for (int i = 0; i < 2000 && !out->started; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            out->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            pid = 0;
            break;
        }
        out->started = access(ready, F_OK) == 0;
        usleep(10000);
    }
    if (pid != 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    slurp(out_path, out->out, sizeof(out->out));
    slurp(err_path, out->err, sizeof(out->err));
    unlink(out_path);
    unlink(err_path);
    unlink(ready);
    rmdir(dir);
}

static const struct {
    const char *env;
    const char *args[4];
} bad_invocations[] = {
    {NULL, {"--port", "0", "--port", "70000"}},
    {NULL, {"--port", "-1"}},
    {NULL, {"--port", "http"}},
    {NULL, {"--port", "0", "--log-format", "xml"}},
    {NULL, {"--port", "0", "--bogus"}},
    {NULL, {"--port", "0", "--threads", "0"}},
    {NULL, {"--port", "0", "--threads", "many"}},
    {NULL, {"--port", "0", "--production=maybe"}},
    {NULL, {"--port", "0", "stray-argument"}},
    {NULL, {"--port", "0", "--port"}},
    {"KEYLESS_EMULATOR_PORT=70000", {NULL}},
    {"KEYLESS_EMULATOR_LOG_FORMAT=xml", {"--port", "0"}},
    {"KEYLESS_EMULATOR_THREADS=0", {"--port", "0"}},
};

START_TEST(bad_flag_exits_2_with_usage)
{
    struct run run;

    run_binary(bad_invocations[_i].args, bad_invocations[_i].env, &run);
    ck_assert_msg(run.exit_code == 2, "row %d: exit %d, stderr: %s", _i, run.exit_code, run.err);
    ck_assert_msg(strstr(run.err, "usage") != NULL, "no usage on stderr: %s", run.err);
    ck_assert_msg(strstr(run.err, "--port") != NULL, "usage lists no flags: %s", run.err);
}
END_TEST

static const char *const documented_flags[] = {
    "--host",       "--port",          "--db",         "--fixtures", "--seed", "--ready-file",
    "--production", "--control-token", "--log-format", "--threads",
};

START_TEST(help_exits_0_with_usage)
{
    const char *args[] = {"--help", NULL};
    struct run run;

    run_binary(args, NULL, &run);
    ck_assert_int_eq(run.exit_code, 0);
    ck_assert_msg(strstr(run.out, "usage") != NULL, "no usage on stdout: %s", run.out);
    for (size_t i = 0; i < N(documented_flags); i++)
        ck_assert_msg(strstr(run.out, documented_flags[i]) != NULL, "usage lacks %s",
                      documented_flags[i]);
}
END_TEST

/* ---- flags and environment variables on a running emulator ------------------------- */

struct probe {
    int started, stopped;
    long status;
    json_object *body;
    char log[65536];
};

/* Starts an emulator with args and env ("NAME=value" or NULL), makes one GET of a control
 * path (X-Request-Id: probe-1, Authorization when given), stops it and keeps its stderr. */
static void probe(const char *const *args, const char *env, const char *path,
                  const char *authorization, struct probe *p)
{
    char name[64], url[512], auth[256], log_path[300];
    const char *headers[] = {"X-Request-Id: probe-1", authorization ? auth : NULL, NULL};
    const char *value = env ? strchr(env, '=') + 1 : NULL;
    struct emu own;
    struct http_response r;

    memset(p, 0, sizeof(*p));
    p->stopped = -1;
    snprintf(name, sizeof(name), "%.*s", env ? (int)(value - env - 1) : 0, env ? env : "");
    if (env != NULL)
        setenv(name, value, 1);
    p->started = emu_start(&own, args);
    if (env != NULL)
        unsetenv(name);
    if (p->started != 0)
        return;
    snprintf(url, sizeof(url), "%s/_emulator/v1%s", own.url, path);
    snprintf(auth, sizeof(auth), "Authorization: %s", authorization ? authorization : "");
    p->status = http_call("GET", url, headers, NULL, &r);
    p->body = json_object_get(r.json);
    http_response_free(&r);
    p->stopped = emu_stop(&own);
    snprintf(log_path, sizeof(log_path), "%s/stderr.log", own.dir);
    slurp(log_path, p->log, sizeof(p->log));
}

static int production_of(const struct probe *p)
{
    json_object *v;

    return p->body && json_object_object_get_ex(p->body, "production", &v) &&
                   json_object_is_type(v, json_type_boolean)
               ? json_object_get_boolean(v)
               : -1;
}

static const struct {
    const char *env;
    const char *args[3];
    int production;
} production_modes[] = {
    {NULL, {NULL}, 0},
    {NULL, {"--production", NULL}, 1},
    {"KEYLESS_EMULATOR_PRODUCTION=1", {NULL}, 1},
};

START_TEST(production_from_flag_or_environment)
{
    struct probe p;

    probe(production_modes[_i].args, production_modes[_i].env, "/health", NULL, &p);
    ck_assert_int_eq(p.started, 0);
    ck_assert_int_eq(p.stopped, 0);
    ck_assert_int_eq(p.status, 200);
    ck_assert_int_eq(production_of(&p), production_modes[_i].production);
    json_object_put(p.body);
}
END_TEST

static const struct {
    const char *authorization;
    long want;
} env_token_rows[] = {{NULL, 401}, {"Bearer from-env", 200}, {"Bearer other", 401}};

START_TEST(control_token_from_environment)
{
    struct probe p;

    probe(NULL, "KEYLESS_EMULATOR_CONTROL_TOKEN=from-env", "/systems",
          env_token_rows[_i].authorization, &p);
    ck_assert_int_eq(p.started, 0);
    ck_assert_int_eq(p.stopped, 0);
    ck_assert_int_eq(p.status, env_token_rows[_i].want);
    json_object_put(p.body);
}
END_TEST

/* The JSON access log line of request_id in log, parsed (caller puts it); NULL if none. */
static json_object *log_line_of(const char *log, const char *request_id)
{
    const char *line = log;

    while (*line != '\0') {
        size_t len = strcspn(line, "\n");
        char text[2048];
        json_object *o, *id;

        snprintf(text, sizeof(text), "%.*s", (int)len, line);
        o = text[0] == '{' ? json_tokener_parse(text) : NULL;
        if (o && json_object_object_get_ex(o, "requestId", &id) &&
            strcmp(json_object_get_string(id), request_id) == 0)
            return o;
        json_object_put(o);
        line += len + (line[len] == '\n');
    }
    return NULL;
}

static const struct {
    const char *env;
    const char *args[3];
    const char *path;
    long status;
} json_logs[] = {
    {NULL, {"--log-format", "json", NULL}, "/health", 200},
    {NULL, {"--log-format", "json", NULL}, "/systems/" UNKNOWN_ID, 404},
    {"KEYLESS_EMULATOR_LOG_FORMAT=json", {NULL}, "/health", 200},
};

START_TEST(json_access_log_on_stderr)
{
    char path[128];
    struct probe p;
    json_object *line, *v;

    probe(json_logs[_i].args, json_logs[_i].env, json_logs[_i].path, NULL, &p);
    ck_assert_int_eq(p.started, 0);
    ck_assert_int_eq(p.stopped, 0);
    ck_assert_int_eq(p.status, json_logs[_i].status);
    line = log_line_of(p.log, "probe-1");
    ck_assert_msg(line != NULL, "no JSON access log line with requestId probe-1 in: %s", p.log);
    snprintf(path, sizeof(path), "/_emulator/v1%s", json_logs[_i].path);
    ck_assert(json_object_object_get_ex(line, "method", &v));
    ck_assert_str_eq(json_object_get_string(v), "GET");
    ck_assert(json_object_object_get_ex(line, "path", &v));
    ck_assert_str_eq(json_object_get_string(v), path);
    ck_assert(json_object_object_get_ex(line, "status", &v));
    ck_assert(json_object_is_type(v, json_type_int));
    ck_assert_int_eq(json_object_get_int(v), json_logs[_i].status);
    json_object_put(line);
    json_object_put(p.body);
}
END_TEST

/* ---- fixtures ---------------------------------------------------------------------- */

#define FX_SYSTEM "5d3a1f0e-7c1b-4a8e-9f00-000000000001"
#define FX_ADMIN "5d3a1f0e-7c1b-4a8e-9f00-0000000000a1"
#define FX_USER "5d3a1f0e-7c1b-4a8e-9f00-0000000000b1"
#define FX_ADMIN2 "5d3a1f0e-7c1b-4a8e-9f00-0000000000b2"
#define FX_LOCK1 "5d3a1f0e-7c1b-4a8e-9f00-0000000000c1"
#define FX_LOCK2 "5d3a1f0e-7c1b-4a8e-9f00-0000000000c2"
#define FX_SYSTEM2 "5d3a1f0e-7c1b-4a8e-9f00-000000000002"
#define FX_ADMIN_OF2 "5d3a1f0e-7c1b-4a8e-9f00-0000000000a2"
#define FX_API_KEY "fixture-one-api-key-0000000000000001"
#define FX_API_KEY2 "fixture-two-api-key-0000000000000002"
#define FX_KEY_ADMIN "mA4OKvw59GXsivxQ0TSfg0BISsr94jyYVbNlFVr0Nn4="
#define FX_KEY_USER "8tHva1/oMwJ7F18K4ko3L167QgNzHohsk5PlGY6cYAc="
#define FX_KEY_ADMIN2 "STuxlO1cTLYfmhK+9KfLHWu+hPExfS/RqVLe0fvbBR0="
#define FX_KEY_OF2 "oj4t4CYOkYoX9uVimKmNrvsMlHZcZCZwFGY6IL2v5kk="

#define FX_ADMIN_JSON "\"admin\":{\"userId\":\"" FX_ADMIN "\",\"accessKey\":\"" FX_KEY_ADMIN "\"}"
#define FX_HEAD "\"id\":\"" FX_SYSTEM "\",\"name\":\"Fixture One\",\"apiKey\":\"" FX_API_KEY "\","

static const char fixture_doc[] =
    "{\"systems\":[{" FX_HEAD FX_ADMIN_JSON ","
    "\"clock\":{\"mode\":\"frozen\",\"time\":\"2030-01-01T00:00:00Z\"},"
    "\"users\":[{\"id\":\"" FX_USER "\",\"role\":\"USER\",\"accessKey\":\"" FX_KEY_USER "\"},"
    "{\"id\":\"" FX_ADMIN2 "\",\"role\":\"ADMIN\",\"accessKey\":\"" FX_KEY_ADMIN2 "\"}],"
    "\"lockingDevices\":[{\"id\":\"" FX_LOCK1 "\",\"name\":\"Front Gate\"},"
    "{\"id\":\"" FX_LOCK2 "\",\"name\":\"Backyard Gate\"}]},"
    "{\"id\":\"" FX_SYSTEM2 "\",\"name\":\"Fixture Two\",\"apiKey\":\"" FX_API_KEY2 "\","
    "\"admin\":{\"userId\":\"" FX_ADMIN_OF2 "\",\"accessKey\":\"" FX_KEY_OF2 "\"}}]}";

static struct emu fixtured;
static char fixture_dir[] = "/tmp/ke-fixture-XXXXXX";
static char fixture_path[64];

/* Writes text to dir/name; copies the path into path (64 bytes). */
static void write_file(const char *dir, const char *name, const char *text, char *path)
{
    FILE *f;

    snprintf(path, 64, "%s/%s", dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

static void fixtured_setup(void)
{
    const char *args[] = {"--fixtures", fixture_path, NULL};

    ck_assert_ptr_nonnull(mkdtemp(fixture_dir));
    write_file(fixture_dir, "fixture.json", fixture_doc, fixture_path);
    ck_assert_int_eq(emu_start(&fixtured, args), 0);
}

static void fixtured_teardown(void)
{
    emu_stop(&fixtured);
    unlink(fixture_path);
    rmdir(fixture_dir);
}

/* Logs user_id in with the fixture's fixed credentials into t. */
static void fixture_login(struct tenant *t, const char *api_key, const char *user_id,
                          const char *access_key)
{
    memset(t, 0, sizeof(*t));
    snprintf(t->api_key, sizeof(t->api_key), "%s", api_key);
    ck_assert_int_eq(tenant_login(&fixtured, t, user_id, access_key, t->token, sizeof(t->token)),
                     200);
}

START_TEST(fixture_system_has_its_fixed_id_and_clock)
{
    struct http_response r;

    ck_assert_int_eq(control_call(&fixtured, "GET", "/systems/" FX_SYSTEM, NULL, &r), 200);
    assert_strings(r.json, (const char *const[]){"name", "Fixture One", "clock.mode", "frozen",
                                                 "clock.now", "2030-01-01T00:00:00Z", NULL});
    http_response_free(&r);
    ck_assert_int_eq(control_call(&fixtured, "GET", "/systems/" FX_SYSTEM2, NULL, &r), 200);
    ck_assert_str_eq(json_str(&r, "name"), "Fixture Two");
    http_response_free(&r);
}
END_TEST

static const struct {
    const char *api_key, *user_id, *access_key;
    long get_users; /* what GET /user answers with the token */
} fixture_logins[] = {
    {FX_API_KEY, FX_ADMIN, FX_KEY_ADMIN, 200},
    {FX_API_KEY, FX_ADMIN2, FX_KEY_ADMIN2, 200},
    {FX_API_KEY, FX_USER, FX_KEY_USER, 403},
    {FX_API_KEY2, FX_ADMIN_OF2, FX_KEY_OF2, 200},
};

START_TEST(fixture_credentials_log_in)
{
    struct tenant t;
    struct http_response r;

    fixture_login(&t, fixture_logins[_i].api_key, fixture_logins[_i].user_id,
                  fixture_logins[_i].access_key);
    ck_assert_int_eq(admin_call(&fixtured, &t, "GET", "/user", NULL, &r),
                     fixture_logins[_i].get_users);
    http_response_free(&r);
}
END_TEST

START_TEST(fixture_users_and_locking_devices_exist)
{
    const struct {
        const char *path, *field, *value;
    } expect[] = {
        {"/user/" FX_ADMIN, "role", "ADMIN"},
        {"/user/" FX_USER, "role", "USER"},
        {"/user/" FX_ADMIN2, "role", "ADMIN"},
        {"/locking-device/" FX_LOCK1, "name", "Front Gate"},
        {"/locking-device/" FX_LOCK2, "name", "Backyard Gate"},
    };
    struct tenant t;
    struct http_response r;

    fixture_login(&t, FX_API_KEY, FX_ADMIN, FX_KEY_ADMIN);
    for (size_t i = 0; i < N(expect); i++) {
        ck_assert_msg(admin_call(&fixtured, &t, "GET", expect[i].path, NULL, &r) == 200,
                      "%s: %ld %s", expect[i].path, r.status, r.body);
        ck_assert_str_eq(json_str(&r, "id"), strrchr(expect[i].path, '/') + 1);
        ck_assert_str_eq(json_str(&r, expect[i].field), expect[i].value);
        http_response_free(&r);
    }
}
END_TEST

/* The pieces of a fixture document; each bad one breaks one value. */
#define FX_DOC(system) "{\"systems\":[{" system "}]}"
#define FX_USERS(role)                                                                             \
    "\"users\":[{\"id\":\"" FX_USER "\",\"role\":\"" role "\",\"accessKey\":\"" FX_KEY_USER "\"}]"

static const struct {
    const char *doc;
    const char *pointer; /* NULL: only the file name is promised */
} bad_fixtures[] = {
    {FX_DOC(FX_HEAD FX_ADMIN_JSON "," FX_USERS("KING")), "/systems/0/users/0/role"},
    {FX_DOC("\"name\":\"No Id\",\"apiKey\":\"" FX_API_KEY "\"," FX_ADMIN_JSON), "/systems/0/id"},
    {FX_DOC(FX_HEAD "\"admin\":{\"userId\":\"nope\",\"accessKey\":\"" FX_KEY_ADMIN "\"}"),
     "/systems/0/admin/userId"},
    {FX_DOC(FX_HEAD FX_ADMIN_JSON ",\"lockingDevices\":[{\"id\":\"" FX_LOCK1 "\"}]"),
     "/systems/0/lockingDevices/0/name"},
    {FX_DOC(FX_HEAD FX_ADMIN_JSON ",\"clock\":{\"mode\":\"sideways\"}"), "/systems/0/clock/mode"},
    {"{\"systems\":[{" FX_HEAD FX_ADMIN_JSON "},{\"id\":\"" FX_SYSTEM2 "\",\"name\":\"Two\","
     "\"apiKey\":\"short\",\"admin\":{\"userId\":\"" FX_ADMIN_OF2 "\",\"accessKey\":\"" FX_KEY_OF2
     "\"}}]}",
     "/systems/1/apiKey"},
    {"{\"systems\":[{" FX_HEAD FX_ADMIN_JSON "},{\"id\":\"" FX_SYSTEM "\",\"name\":\"Same Id\","
     "\"apiKey\":\"" FX_API_KEY2 "\",\"admin\":{\"userId\":\"" FX_ADMIN_OF2
     "\",\"accessKey\":\"" FX_KEY_OF2 "\"}}]}",
     "/systems/1"},
    {"{\"systems\":5}", "/systems"},
    {"{\"systems\":[", NULL},
};

START_TEST(bad_fixture_exits_naming_file_and_pointer)
{
    char dir[] = "/tmp/ke-badfx-XXXXXX", path[64];
    const char *args[] = {"--port", "0", "--fixtures", path, NULL};
    struct run run;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    write_file(dir, "bad.json", bad_fixtures[_i].doc, path);
    run_binary(args, NULL, &run);
    unlink(path);
    rmdir(dir);
    ck_assert_msg(!run.started, "it started serving with %s; stdout: %s", bad_fixtures[_i].doc,
                  run.out);
    ck_assert_msg(run.exit_code > 0, "exit %d for %s", run.exit_code, bad_fixtures[_i].doc);
    ck_assert_msg(strstr(run.err, path) != NULL, "stderr does not name %s: %s", path, run.err);
    if (bad_fixtures[_i].pointer != NULL)
        ck_assert_msg(strstr(run.err, bad_fixtures[_i].pointer) != NULL,
                      "stderr does not name %s: %s", bad_fixtures[_i].pointer, run.err);
}
END_TEST

START_TEST(missing_fixture_file_exits_naming_it)
{
    const char *args[] = {"--port", "0", "--fixtures", "/nonexistent/ke-fixture.json", NULL};
    struct run run;

    run_binary(args, NULL, &run);
    ck_assert_msg(run.exit_code > 0, "exit %d", run.exit_code);
    ck_assert_ptr_nonnull(strstr(run.err, "/nonexistent/ke-fixture.json"));
}
END_TEST

static TCase *tcase_with(const char *name, void (*setup)(void), void (*teardown)(void))
{
    TCase *tc = tcase_create(name);

    if (setup != NULL)
        tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    return tc;
}

static Suite *control_suite(void)
{
    Suite *s = suite_create("control");
    TCase *api = tcase_with("control_api", emu_must_start, emu_teardown);
    TCase *token = tcase_with("control_token", guarded_setup, guarded_teardown);
    TCase *cli = tcase_with("command_line", NULL, NULL);
    TCase *fx = tcase_with("fixtures", fixtured_setup, fixtured_teardown);

    tcase_add_test(api, health_reports_status_version_and_mode);
    tcase_add_test(api, create_system_with_defaults);
    tcase_add_loop_test(api, create_system_with_name_and_clock, 0, N(good_systems));
    tcase_add_loop_test(api, create_system_rejects_bad_fields_and_writes_nothing, 0,
                        N(bad_systems));
    tcase_add_test(api, list_systems_pages_in_creation_order);
    tcase_add_test(api, list_items_have_the_system_fields);
    tcase_add_loop_test(api, list_rejects_bad_limits, 0, N(bad_limits));
    tcase_add_test(api, get_system_by_id);
    tcase_add_test(api, delete_system_revokes_its_key_and_tokens);
    tcase_add_test(api, create_api_key_with_limits);
    tcase_add_test(api, api_key_limits_have_defaults);
    tcase_add_loop_test(api, create_api_key_rejects_bad_fields, 0, N(bad_keys));
    tcase_add_test(api, delete_api_key_rejects_it_afterwards);
    suite_add_tcase(s, api);

    tcase_add_loop_test(token, control_token_guards_all_but_health_and_jwks, 0, N(token_gate));
    suite_add_tcase(s, token);

    tcase_add_loop_test(cli, bad_flag_exits_2_with_usage, 0, N(bad_invocations));
    tcase_add_test(cli, help_exits_0_with_usage);
    tcase_add_loop_test(cli, production_from_flag_or_environment, 0, N(production_modes));
    tcase_add_loop_test(cli, control_token_from_environment, 0, N(env_token_rows));
    tcase_add_loop_test(cli, json_access_log_on_stderr, 0, N(json_logs));
    tcase_add_loop_test(cli, bad_fixture_exits_naming_file_and_pointer, 0, N(bad_fixtures));
    tcase_add_test(cli, missing_fixture_file_exits_naming_it);
    suite_add_tcase(s, cli);

    tcase_add_test(fx, fixture_system_has_its_fixed_id_and_clock);
    tcase_add_loop_test(fx, fixture_credentials_log_in, 0, N(fixture_logins));
    tcase_add_test(fx, fixture_users_and_locking_devices_exist);
    suite_add_tcase(s, fx);
    return s;
}

int main(void)
{
    return run_suite(control_suite());
}
