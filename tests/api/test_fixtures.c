/*
 * test_fixtures.c — fixture documents: POST /_emulator/v1/fixtures and --fixtures.
 *
 * fixtures/demo.json must describe a living site (claimed locks of every model, users with
 * activated phones, permissions of the three types, a gateway with associations, a week of
 * history with a completed re-keying), load the same way twice under one seed, and be left
 * alone on a restart. Bad documents answer 400 naming every bad value by JSON Pointer and
 * write nothing; where python3 has jsonschema, fixtures/schema.json is checked to accept
 * and refuse the same documents.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define DEMO_SYSTEM "5d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10"
#define DEMO_API_KEY "demo-api-key-7f3c9a1e5b2d4c6a"
#define DEMO_ADMIN "0b1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c20"
#define DEMO_ADMIN_KEY "ZGVtby1hZG1pbi1hY2Nlc3Mta2V5LTAwMDAwMDA="
#define DEMO_FRONT_GATE "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c51"
#define DEMO_GATEWAY "0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"
#define FROZEN_NOW "2030-01-08T12:00:00Z"
#define DAY 86400

#define BAD_SYS "b0000000-0000-4000-8000-000000000001"
#define BAD_ADMIN "b0000000-0000-4000-8000-0000000000a1"
#define BAD_USER "b0000000-0000-4000-8000-0000000000b1"
#define L1 "b0000000-0000-4000-8000-0000000000c1"
#define L2 "b0000000-0000-4000-8000-0000000000c2"
#define UNKNOWN "b0000000-0000-4000-8000-0000000000ff"
#define KEY1 "YmFkLWZpeHR1cmUta2V5LTAwMDAwMDAwMDAwMDAx"
#define KEY2 "YmFkLWZpeHR1cmUta2V5LTAwMDAwMDAwMDAwMDAy"

static struct tenant demo;
static char *demo_doc;
static json_object *loaded; /* the answer to POST /fixtures of demo.json */
static double load_ms;

/* ---- helpers --------------------------------------------------------------------------- */

static char *read_demo(void)
{
    char path[512];
    char *text;

    source_path("fixtures/demo.json", path, sizeof(path));
    text = read_text(path);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    return text;
}

/* demo.json with the clock frozen at FROZEN_NOW: the same site, every time the same. */
static char *frozen_demo(void)
{
    char *demo = read_demo();
    json_object *doc = json_tokener_parse(demo), *sys, *clock = json_object_new_object();
    char *text;

    sys = json_object_array_get_idx(json_object_object_get(doc, "systems"), 0);
    json_object_object_add(clock, "mode", json_object_new_string("frozen"));
    json_object_object_add(clock, "time", json_object_new_string(FROZEN_NOW));
    json_object_object_add(sys, "clock", clock);
    text = strdup(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
    json_object_put(doc);
    free(demo);
    return text;
}

static void demo_login(struct emu *e, struct tenant *t)
{
    memset(t, 0, sizeof(*t));
    snprintf(t->system_id, sizeof(t->system_id), DEMO_SYSTEM);
    snprintf(t->api_key, sizeof(t->api_key), DEMO_API_KEY);
    ck_assert_int_eq(tenant_login(e, t, DEMO_ADMIN, DEMO_ADMIN_KEY, t->token, sizeof(t->token)),
                     200);
}

static json_object *items_of(struct emu *e, const struct tenant *t, const char *path)
{
    struct http_response r;
    json_object *items = NULL;

    ck_assert_msg(admin_call(e, t, "GET", path, NULL, &r) == 200, "%s: %ld %s", path, r.status,
                  r.body);
    ck_assert(json_object_object_get_ex(r.json, "items", &items));
    json_object_get(items);
    http_response_free(&r);
    return items;
}

static const char *str_of(json_object *o, const char *key)
{
    json_object *v = NULL;

    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static int has_invalid(const struct http_response *r, const char *name)
{
    json_object *list = NULL;

    if (r->json == NULL || !json_object_object_get_ex(r->json, "invalidParams", &list))
        return 0;
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (strcmp(str_of(json_object_array_get_idx(list, i), "name"), name) == 0)
            return 1;
    return 0;
}

/* ---- the demo site --------------------------------------------------------------------- */

static void demo_setup(void)
{
    struct http_response r;
    const char *args[] = {"--seed", "5", NULL};
    double t0;

    demo_doc = read_demo();
    ck_assert_int_eq(emu_start(&emu, args), 0);
    t0 = now_ms();
    ck_assert_msg(control_call(&emu, "POST", "/fixtures", demo_doc, &r) == 201, "%ld %s", r.status,
                  r.body);
    load_ms = now_ms() - t0;
    fprintf(stderr, "demo fixture load over HTTP: %.1f ms\n", load_ms);
    loaded = json_object_get(r.json);
    http_response_free(&r);
    demo_login(&emu, &demo);
}

static void demo_teardown(void)
{
    emu_stop(&emu);
    json_object_put(loaded);
    free(demo_doc);
}

START_TEST(post_answers_the_systems_with_their_credentials)
{
    json_object *systems = json_object_object_get(loaded, "systems"), *s, *admin;

    ck_assert_int_eq(json_object_array_length(systems), 1);
    s = json_object_array_get_idx(systems, 0);
    ck_assert_str_eq(str_of(s, "id"), DEMO_SYSTEM);
    ck_assert_str_eq(str_of(s, "name"), "Demo Site");
    ck_assert_str_eq(str_of(s, "apiKey"), DEMO_API_KEY);
    admin = json_object_object_get(s, "admin");
    ck_assert_str_eq(str_of(admin, "userId"), DEMO_ADMIN);
    ck_assert_str_eq(str_of(admin, "accessKey"), DEMO_ADMIN_KEY);
    ck_assert(!json_object_get_boolean(json_object_object_get(s, "existed")));
}
END_TEST

START_TEST(loading_again_keeps_the_existing_system)
{
    struct http_response r;
    json_object *before = items_of(&emu, &demo, "/locking-device-audit-log?limit=100"), *after;
    json_object *s;

    ck_assert_int_eq(control_call(&emu, "POST", "/fixtures", demo_doc, &r), 201);
    s = json_object_array_get_idx(json_object_object_get(r.json, "systems"), 0);
    ck_assert(json_object_get_boolean(json_object_object_get(s, "existed")));
    ck_assert_str_eq(str_of(s, "apiKey"), DEMO_API_KEY);
    http_response_free(&r);
    after = items_of(&emu, &demo, "/locking-device");
    ck_assert_int_eq(json_object_array_length(after), 6);
    json_object_put(after);
    after = items_of(&emu, &demo, "/locking-device-audit-log?limit=100");
    ck_assert_int_ge(json_object_array_length(after), json_object_array_length(before));
    json_object_put(before);
    json_object_put(after);
}
END_TEST

static const struct {
    const char *name, *model, *serial;
} demo_locks[] = {
    {"Front Gate", "CONTROLLER", "BCTAD100001"},
    {"Backyard Gate", "PADLOCK", "BPLAD100002"},
    {"Server Room", "SWING_HANDLE_CONNECTED", "BSCAD100003"},
    {"Key Deposit, Lobby", "KEY_DEPOSIT", "BKDAD100004"},
    {"Office Door", "SWING_HANDLE", "BSHAD100005"},
    {"Bike Shed Padlock", NULL, NULL},
};

START_TEST(demo_locks_are_claimed_with_five_models)
{
    json_object *items = items_of(&emu, &demo, "/locking-device");

    ck_assert_int_eq(json_object_array_length(items), N(demo_locks));
    for (size_t i = 0; i < N(demo_locks); i++) {
        json_object *d = json_object_array_get_idx(items, i);
        ck_assert_str_eq(str_of(d, "name"), demo_locks[i].name);
        ck_assert_str_eq(str_of(d, "claimingStatus"),
                         demo_locks[i].model ? "CLAIMED" : "UNCLAIMED");
        if (demo_locks[i].model == NULL)
            continue;
        ck_assert_str_eq(str_of(d, "hardwareModel"), demo_locks[i].model);
        ck_assert_str_eq(str_of(d, "serialNumber"), demo_locks[i].serial);
    }
    json_object_put(items);
}
END_TEST

START_TEST(demo_users_each_have_an_activated_phone)
{
    json_object *users = items_of(&emu, &demo, "/user");
    json_object *phones = items_of(&emu, &demo, "/operating-device");

    ck_assert_int_eq(json_object_array_length(users), 5);
    ck_assert_int_eq(json_object_array_length(phones), 5);
    for (size_t i = 0; i < json_object_array_length(users); i++) {
        const char *id = str_of(json_object_array_get_idx(users, i), "id");
        int found = 0;
        for (size_t j = 0; j < json_object_array_length(phones); j++)
            found += strcmp(str_of(json_object_array_get_idx(phones, j), "userId"), id) == 0;
        ck_assert_msg(found == 1, "user %s has %d phones", id, found);
    }
    json_object_put(users);
    json_object_put(phones);
}
END_TEST

START_TEST(demo_permissions_have_all_three_types)
{
    json_object *items = items_of(&emu, &demo, "/permission");
    int single = 0, multiple = 0, recurring = 0;

    ck_assert_int_eq(json_object_array_length(items), 10);
    for (size_t i = 0; i < json_object_array_length(items); i++) {
        const char *type = str_of(json_object_array_get_idx(items, i), "permissionType");
        single += strcmp(type, "SINGLE_INTERVAL") == 0;
        multiple += strcmp(type, "MULTIPLE_INTERVALS") == 0;
        recurring += strcmp(type, "RECURRING") == 0;
    }
    ck_assert_int_eq(single, 7);
    ck_assert_int_eq(multiple, 1);
    ck_assert_int_eq(recurring, 2);
    ck_assert_str_eq(str_of(json_object_array_get_idx(items, 2), "operatingKeyValidityDuration"),
                     "P2D");
    json_object_put(items);
}
END_TEST

START_TEST(demo_gateway_is_activated_with_associations)
{
    json_object *gateways = items_of(&emu, &demo, "/gateway-device");
    json_object *assoc =
        items_of(&emu, &demo, "/gateway-device-association?gateway-device-id=" DEMO_GATEWAY);
    json_object *g = json_object_array_get_idx(gateways, 0);

    ck_assert_int_eq(json_object_array_length(gateways), 1);
    ck_assert_str_eq(str_of(g, "id"), DEMO_GATEWAY);
    ck_assert_str_eq(str_of(g, "activationStatus"), "ACTIVATED");
    ck_assert_str_eq(str_of(g, "hardwareModel"), "BEAT_GW_A1");
    ck_assert_int_eq(json_object_array_length(assoc), 2);
    json_object_put(gateways);
    json_object_put(assoc);
}
END_TEST

/* "YYYY-MM-DDTHH:MM:SSZ" in seconds. */
static int64_t parse_time(const char *text)
{
    struct tm tm = {0};

    ck_assert_ptr_nonnull(strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm));
    return (int64_t)timegm(&tm);
}

START_TEST(demo_has_a_week_of_history)
{
    struct http_response r;
    json_object *audit = items_of(&emu, &demo, "/locking-device-audit-log?limit=100");
    int64_t now, created, first;

    ck_assert_int_eq(control_call(&emu, "GET", "/systems/" DEMO_SYSTEM, NULL, &r), 200);
    ck_assert_str_eq(json_str(&r, "clock.mode"), "real");
    now = parse_time(json_str(&r, "clock.now"));
    created = parse_time(json_str(&r, "creationDatetime"));
    http_response_free(&r);
    /* The week ends at the start of the current UTC day (a minute of slack for midnight). */
    ck_assert_msg(created == now - now % DAY - 7 * DAY ||
                      created == (now - 60) - (now - 60) % DAY - 7 * DAY,
                  "created %lld, now %lld", (long long)created, (long long)now);
    ck_assert_int_ge(json_object_array_length(audit), 40);
    first = parse_time(str_of(json_object_array_get_idx(audit, 0), "occurrenceDatetime"));
    ck_assert_int_lt(first, created + DAY);
    json_object_put(audit);
}
END_TEST

START_TEST(demo_history_has_a_completed_rekeying)
{
    struct http_response r;
    json_object *log = items_of(
        &emu, &demo, "/locking-device-system-log?locking-device-id=" DEMO_FRONT_GATE "&limit=100");
    int rekeyed = 0;

    for (size_t i = 0; i < json_object_array_length(log); i++)
        rekeyed += strcmp(str_of(json_object_array_get_idx(log, i), "eventName"),
                          "CERTIFICATE_REKEYED") == 0;
    ck_assert_int_eq(rekeyed, 1);
    json_object_put(log);
    ck_assert_int_eq(control_call(&emu, "GET",
                                  "/systems/" DEMO_SYSTEM
                                  "/events?type=LockingDeviceCertificateReKeyingCompleted",
                                  NULL, &r),
                     200);
    ck_assert_int_eq(json_object_array_length(json_object_object_get(r.json, "items")), 1);
    http_response_free(&r);
    ck_assert_int_eq(admin_call(&emu, &demo, "GET", "/locking-device/" DEMO_FRONT_GATE, NULL, &r),
                     200);
    ck_assert_ptr_nonnull(strstr(r.body, "\"claimingStatus\":\"CLAIMED\""));
    http_response_free(&r);
}
END_TEST

/* ---- determinism and a frozen clock -------------------------------------------------- */

static const char *const compared[] = {
    "/locking-device",
    "/locking-device-audit-log?limit=100",
    "/locking-device-system-log?limit=100",
    "/operating-device",
    "/gateway-device",
    "/gateway-device-association",
    "/permission",
    "/user",
};

START_TEST(frozen_demo_loads_identically_under_one_seed)
{
    const char *args[] = {"--seed", "11", NULL};
    char *doc = frozen_demo();
    struct emu e[2];
    struct tenant t[2];
    struct http_response r[2];

    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(emu_start(&e[i], args), 0);
        ck_assert_int_eq(control_call(&e[i], "POST", "/fixtures", doc, &r[i]), 201);
        http_response_free(&r[i]);
        demo_login(&e[i], &t[i]);
    }
    for (size_t k = 0; k < N(compared); k++) {
        for (int i = 0; i < 2; i++)
            ck_assert_int_eq(admin_call(&e[i], &t[i], "GET", compared[k], NULL, &r[i]), 200);
        ck_assert_msg(strcmp(r[0].body, r[1].body) == 0, "%s differs:\n%s\n%s", compared[k],
                      r[0].body, r[1].body);
        http_response_free(&r[0]);
        http_response_free(&r[1]);
    }
    ck_assert_int_eq(control_call(&e[0], "GET", "/systems/" DEMO_SYSTEM, NULL, &r[0]), 200);
    ck_assert_str_eq(json_str(&r[0], "clock.mode"), "frozen");
    ck_assert_str_eq(json_str(&r[0], "clock.now"), FROZEN_NOW);
    ck_assert_str_eq(json_str(&r[0], "creationDatetime"), "2030-01-01T12:00:00Z");
    http_response_free(&r[0]);
    emu_stop(&e[0]);
    emu_stop(&e[1]);
    free(doc);
}
END_TEST

START_TEST(restart_on_the_same_database_keeps_the_site)
{
    char path[512], db[320], log[400];
    const char *args[] = {"--db", db, "--fixtures", path, NULL};
    struct emu e;
    struct tenant t;
    json_object *before, *after;
    char *out;

    source_path("fixtures/demo.json", path, sizeof(path));
    ck_assert_int_eq(emu_start(&e, (const char *const[]){"--port", "0", NULL}), 0);
    emu_stop(&e);
    snprintf(db, sizeof(db), "%s/demo.db", e.dir);
    ck_assert_int_eq(emu_restart(&e, args), 0);
    demo_login(&e, &t);
    before = items_of(&e, &t, "/locking-device-audit-log?limit=100");
    emu_stop(&e);
    ck_assert_int_eq(emu_restart(&e, args), 0);
    demo_login(&e, &t);
    after = items_of(&e, &t, "/locking-device-audit-log?limit=100");
    /* The history was not made twice: the first page starts with the same entries. */
    ck_assert_str_eq(str_of(json_object_array_get_idx(after, 0), "id"),
                     str_of(json_object_array_get_idx(before, 0), "id"));
    emu_stop(&e);
    snprintf(log, sizeof(log), "%s/stdout.log", e.dir);
    out = read_text(log);
    ck_assert_ptr_nonnull(strstr(out, "[already in the database]"));
    free(out);
    json_object_put(before);
    json_object_put(after);
}
END_TEST

/* ---- bad documents --------------------------------------------------------------------- */

#define SYS_HEAD                                                                                   \
    "\"id\":\"" BAD_SYS "\",\"name\":\"Bad\",\"apiKey\":\"bad-fixture-api-key-0001\","             \
    "\"admin\":{\"userId\":\"" BAD_ADMIN "\",\"accessKey\":\"" KEY1 "\",\"phone\":true}"
#define DOC(rest) "{\"systems\":[{" SYS_HEAD rest "}]}"
#define USERS ",\"users\":[{\"id\":\"" BAD_USER "\",\"role\":\"USER\",\"accessKey\":\"" KEY2 "\"}]"
#define LOCKS_M(model, user)                                                                       \
    ",\"lockingDevices\":[{\"id\":\"" L1                                                           \
    "\",\"name\":\"Door\",\"claim\":{\"hardwareModel\":\"" model "\",\"userId\":\"" user           \
    "\"}},{\"id\":\"" L2 "\",\"name\":\"Shed\"}]"
#define LOCKS LOCKS_M("PADLOCK", BAD_ADMIN)
#define WINDOW "\"start\":\"2020-01-01T00:00:00Z\",\"end\":\"2035-01-01T00:00:00Z\""
#define PERM(lock, rest)                                                                           \
    ",\"permissions\":[{\"userId\":\"" BAD_ADMIN "\",\"lockingDeviceId\":\"" lock                  \
    "\",\"operationType\":\"OPEN\"," rest "}]"
#define SINGLE "\"permissionType\":\"SINGLE_INTERVAL\","
#define RECURRING(intervals)                                                                       \
    "\"permissionType\":\"RECURRING\",\"weekdays\":[\"MONDAY\"],\"intervals\":[" intervals "],"
#define GOOD_PERM PERM(L1, SINGLE WINDOW)
#define GATEWAY(assoc) ",\"gatewayDevices\":[{\"id\":\"" UNKNOWN "\",\"associations\":[" assoc "]}]"
#define Q(id) "\"" id "\""

static const char good_doc[] =
    DOC(USERS LOCKS GOOD_PERM GATEWAY(Q(L1) "," Q(L2)) ",\"autopilot\":{\"enabled\":false},"
                                                       "\"history\":{\"days\":2,\"reKeying\":[\"" L1
                                                       "\"]}");

static const struct {
    const char *doc;
    const char *pointer; /* an invalidParams name the answer must hold */
    int schema_refuses;  /* 0: only the emulator can tell (references, order, database) */
} bad_docs[] = {
    {DOC(USERS LOCKS_M("PADLOCK", BAD_USER)), "/systems/0/lockingDevices/0/claim/userId", 0},
    {DOC(LOCKS_M("DOORBELL", BAD_ADMIN)), "/systems/0/lockingDevices/0/claim/hardwareModel", 1},
    {DOC(LOCKS PERM(UNKNOWN, SINGLE WINDOW)), "/systems/0/permissions/0/lockingDeviceId", 0},
    {DOC(LOCKS PERM(L1, SINGLE "\"weekdays\":[\"MONDAY\"]," WINDOW)),
     "/systems/0/permissions/0/weekdays", 1},
    {DOC(LOCKS PERM(L1, "\"permissionType\":\"RECURRING\",\"weekdays\":[\"MONDAY\"]," WINDOW)),
     "/systems/0/permissions/0/intervals", 1},
    {DOC(LOCKS PERM(L1,
                    SINGLE "\"start\":\"2030-01-01T00:00:00Z\",\"end\":\"2020-01-01T00:00:00Z\"")),
     "/systems/0/permissions/0/end", 0},
    {DOC(LOCKS PERM(L1, RECURRING("\"18:00-08:00\"") WINDOW)), "/systems/0/permissions/0/intervals",
     0},
    {DOC(LOCKS PERM(L1, RECURRING("\"25:00-26:00\"") WINDOW)), "/systems/0/permissions/0/intervals",
     1},
    {DOC(LOCKS PERM(L1, SINGLE "\"operatingKeyValidityDuration\":\"P40D\"," WINDOW)),
     "/systems/0/permissions/0/operatingKeyValidityDuration", 0},
    {DOC(LOCKS GATEWAY(Q(L1) "," Q(L1) "," Q(L1) "," Q(L1) "," Q(L1) "," Q(L1) "," Q(L1))),
     "/systems/0/gatewayDevices/0/associations", 1},
    {DOC(LOCKS GATEWAY(Q(UNKNOWN))), "/systems/0/gatewayDevices/0/associations/0", 0},
    {DOC(LOCKS ",\"history\":{\"days\":0}"), "/systems/0/history/days", 1},
    {DOC(LOCKS ",\"history\":{\"days\":1,\"reKeying\":[\"" L2 "\"]}"),
     "/systems/0/history/reKeying/0", 0},
    /* Valid as a document; the admin's phone has no permission for the re-keying visit. */
    {DOC(LOCKS ",\"history\":{\"days\":1,\"reKeying\":[\"" L1 "\"]}"),
     "/systems/0/history/reKeying/0", 0},
    {DOC(",\"lockingDevices\":[{\"id\":\"" L1 "\",\"name\":\"A\",\"claim\":{\"hardwareModel\":"
         "\"PADLOCK\",\"serialNumber\":\"BPLAD999999\",\"userId\":\"" BAD_ADMIN "\"}},"
         "{\"id\":\"" L2 "\",\"name\":\"B\",\"claim\":{\"hardwareModel\":\"PADLOCK\","
         "\"serialNumber\":\"BPLAD999999\",\"userId\":\"" BAD_ADMIN "\"}}]"),
     "/systems/0/lockingDevices/1/claim/serialNumber", 0},
    {DOC(",\"colour\":\"red\""), "/systems/0/colour", 1},
    {"{\"systems\":[],\"colour\":\"red\"}", "/colour", 1},
    {DOC(",\"users\":[{\"id\":\"" BAD_ADMIN "\",\"role\":\"USER\",\"accessKey\":\"" KEY2 "\"}]"),
     "/systems/0/users/0/id", 0},
    {DOC(",\"autopilot\":{\"enabled\":true,\"opensPerUserPerDay\":1000}"),
     "/systems/0/autopilot/opensPerUserPerDay", 1},
    {DOC(",\"clock\":{\"mode\":\"sideways\"}"), "/systems/0/clock/mode", 1},
    {"{\"systems\":{}}", "/systems", 1},
    {"{\"$schema\":5,\"systems\":[]}", "/$schema", 1},
    {"{\"systems\":[{\"id\":\"" BAD_SYS
     "\",\"name\":\"Bad\",\"apiKey\":\"bad-fixture-api-key-0001\","
     "\"admin\":{\"userId\":\"" BAD_ADMIN "\",\"accessKey\":\"" KEY1 "\",\"phone\":\"yes\"}}]}",
     "/systems/0/admin/phone", 1},
};

START_TEST(bad_document_is_refused_naming_the_value)
{
    struct http_response r;

    ck_assert_int_eq(control_call(&emu, "POST", "/fixtures", bad_docs[_i].doc, &r), 400);
    ck_assert_msg(has_invalid(&r, bad_docs[_i].pointer), "row %d: no %s in %s", _i,
                  bad_docs[_i].pointer, r.body);
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "GET", "/systems/" BAD_SYS, NULL, &r), 404);
    http_response_free(&r);
}
END_TEST

START_TEST(every_bad_value_is_named_at_once)
{
    const char *doc =
        DOC(",\"users\":[{\"id\":\"" BAD_USER "\",\"role\":\"KING\",\"accessKey\":\"" KEY2 "\"}],"
            "\"lockingDevices\":[{\"id\":\"" L1 "\"}],\"history\":{\"days\":100}");
    struct http_response r;

    ck_assert_int_eq(control_call(&emu, "POST", "/fixtures", doc, &r), 400);
    ck_assert(has_invalid(&r, "/systems/0/users/0/role"));
    ck_assert(has_invalid(&r, "/systems/0/lockingDevices/0/name"));
    ck_assert(has_invalid(&r, "/systems/0/history/days"));
    http_response_free(&r);
}
END_TEST

START_TEST(good_document_loads_and_another_system_cannot_take_its_key)
{
    struct http_response r;
    struct tenant t;
    char conflict[2048];

    ck_assert_int_eq(control_call(&emu, "POST", "/fixtures", good_doc, &r), 201);
    http_response_free(&r);
    memset(&t, 0, sizeof(t));
    snprintf(t.api_key, sizeof(t.api_key), "bad-fixture-api-key-0001");
    ck_assert_int_eq(tenant_login(&emu, &t, BAD_ADMIN, KEY1, t.token, sizeof(t.token)), 200);
    ck_assert_int_eq(admin_call(&emu, &t, "GET", "/locking-device/" L1, NULL, &r), 200);
    ck_assert_str_eq(json_str(&r, "claimingStatus"), "CLAIMED");
    ck_assert_ptr_nonnull(strstr(json_str(&r, "serialNumber"), "BPLAD"));
    http_response_free(&r);
    /* The demo's API key under another id: a conflict, and nothing is written. */
    snprintf(conflict, sizeof(conflict),
             "{\"systems\":[{\"id\":\"%s\",\"name\":\"Thief\",\"apiKey\":\"%s\","
             "\"admin\":{\"userId\":\"%s\",\"accessKey\":\"%s\"}}]}",
             UNKNOWN, DEMO_API_KEY, L2, KEY2);
    ck_assert_int_eq(control_call(&emu, "POST", "/fixtures", conflict, &r), 409);
    ck_assert(has_invalid(&r, "/systems/0"));
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "GET", "/systems/" UNKNOWN, NULL, &r), 404);
    http_response_free(&r);
    ck_assert_int_eq(control_call(&emu, "DELETE", "/systems/" BAD_SYS, NULL, &r), 204);
    http_response_free(&r);
}
END_TEST

/* ---- the JSON Schema agrees ----------------------------------------------------------- */

static int python_has_jsonschema(void)
{
    return system("python3 -c 'import jsonschema' >/dev/null 2>&1") == 0;
}

/* Writes docs[i] to dir/i.json. */
static void write_docs(const char *dir, const char *const *docs, size_t n)
{
    char file[96];

    for (size_t i = 0; i < n; i++) {
        FILE *f;
        snprintf(file, sizeof(file), "%s/%zu.json", dir, i);
        f = fopen(file, "w");
        ck_assert_ptr_nonnull(f);
        fputs(docs[i], f);
        fclose(f);
    }
}

/* One python3 run (importing jsonschema takes a second): verdict[i] is 1 when
 * fixtures/schema.json accepts docs[i]. */
static void schema_verdicts(const char *const *docs, size_t n, int *verdict)
{
    char schema[512], dir[] = "/tmp/ke-schema-XXXXXX", cmd[1600], line[64];
    FILE *out;
    size_t got = 0;

    source_path("fixtures/schema.json", schema, sizeof(schema));
    ck_assert_ptr_nonnull(mkdtemp(dir));
    write_docs(dir, docs, n);
    snprintf(
        cmd, sizeof(cmd),
        "python3 -c 'import json,sys,jsonschema as j\n"
        "v=j.Draft202012Validator(json.load(open(sys.argv[1])),format_checker=j.FormatChecker())\n"
        "for i in range(int(sys.argv[3])):\n"
        "  d=json.load(open(\"%%s/%%d.json\" %% (sys.argv[2], i)))\n"
        "  print(0 if list(v.iter_errors(d)) else 1)' %s %s %zu; rm -rf %s",
        schema, dir, n, dir);
    out = popen(cmd, "r");
    ck_assert_ptr_nonnull(out);
    while (got < n && fgets(line, sizeof(line), out) != NULL)
        verdict[got++] = line[0] == '1';
    ck_assert_int_eq(pclose(out), 0);
    ck_assert_uint_eq(got, n);
}

START_TEST(schema_accepts_and_refuses_what_the_emulator_does)
{
    const char *docs[N(bad_docs) + 2];
    int verdict[N(bad_docs) + 2];

    if (!python_has_jsonschema()) {
        fprintf(stderr, "schema check skipped: python3 has no jsonschema module\n");
        return;
    }
    docs[0] = demo_doc;
    docs[1] = good_doc;
    for (size_t i = 0; i < N(bad_docs); i++)
        docs[i + 2] = bad_docs[i].doc;
    schema_verdicts(docs, N(docs), verdict);
    ck_assert_msg(verdict[0], "the schema refuses fixtures/demo.json");
    ck_assert_msg(verdict[1], "the schema refuses the good document");
    for (size_t i = 0; i < N(bad_docs); i++)
        ck_assert_msg(verdict[i + 2] == !bad_docs[i].schema_refuses,
                      "row %zu (%s): the schema %s it", i, bad_docs[i].pointer,
                      bad_docs[i].schema_refuses ? "accepts" : "refuses");
}
END_TEST

static Suite *fixtures_suite(void)
{
    Suite *s = suite_create("fixtures");
    TCase *tc = tcase_create("demo");

    tcase_add_unchecked_fixture(tc, demo_setup, demo_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, post_answers_the_systems_with_their_credentials);
    tcase_add_test(tc, demo_locks_are_claimed_with_five_models);
    tcase_add_test(tc, demo_users_each_have_an_activated_phone);
    tcase_add_test(tc, demo_permissions_have_all_three_types);
    tcase_add_test(tc, demo_gateway_is_activated_with_associations);
    tcase_add_test(tc, demo_has_a_week_of_history);
    tcase_add_test(tc, demo_history_has_a_completed_rekeying);
    tcase_add_test(tc, loading_again_keeps_the_existing_system);
    tcase_add_loop_test(tc, bad_document_is_refused_naming_the_value, 0, N(bad_docs));
    tcase_add_test(tc, every_bad_value_is_named_at_once);
    tcase_add_test(tc, good_document_loads_and_another_system_cannot_take_its_key);
    tcase_add_test(tc, schema_accepts_and_refuses_what_the_emulator_does);
    suite_add_tcase(s, tc);
    tc = tcase_create("determinism");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, frozen_demo_loads_identically_under_one_seed);
    tcase_add_test(tc, restart_on_the_same_database_keeps_the_site);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(fixtures_suite());
}
