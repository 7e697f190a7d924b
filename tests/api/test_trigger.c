/*
 * test_trigger.c — POST /_emulator/v1/systems/{id}/trigger and `keyless-emulator trigger`.
 *
 * Each of the 17 vendor event types is triggered on a new system with a frozen clock
 * (three times in a row), on one with a real clock, on the demo fixture's system and under
 * --production: the type must be among the events the answer lists and in the system's
 * event log, every id the answer says was created must exist (through the Administration
 * API or the control API), what it deleted must be gone, and no story may move the clock.
 * Then the refusals (400 naming eventType, 404, nothing written), and the command line's
 * exit statuses against a running emulator.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define DEMO_SYSTEM "5d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10"
#define DEMO_API_KEY "demo-api-key-7f3c9a1e5b2d4c6a"
#define DEMO_ADMIN "0b1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c20"
#define DEMO_ADMIN_KEY "ZGVtby1hZG1pbi1hY2Nlc3Mta2V5LTAwMDAwMDA="
#define UNKNOWN "00000000-0000-4000-8000-000000000000"
#define CONTROL_TOKEN "trigger-test-control-token"
#define REPEATS 3
#define IDS_MAX 256

/* The vendor reference's webhook events. */
static const char *const event_types[] = {
    "UserCreated",
    "UserDeleted",
    "OperatingDeviceCreated",
    "OperatingDeviceActivated",
    "OperatingDeviceDeleted",
    "LockingDeviceClaimed",
    "LockingDeviceSystemLogEntryReceived",
    "LockingDeviceAuditLogEntryReceived",
    "LockingDeviceAuditLogEntryReceivedV2",
    "LockingDeviceCertificateEligibleForReKeying",
    "LockingDeviceCertificateSigningRequestCreated",
    "LockingDeviceCertificateIssued",
    "LockingDeviceCertificateReKeyingCompleted",
    "GatewayDeviceActivated",
    "GatewayDeviceSystemLogEntryReceived",
    "RemoteCommandAcknowledged",
    "GatewayDeviceAuditLogEntryReceived",
};

/* ---- calling and reading the trigger ---------------------------------------------------- */

static json_object *trigger(const char *system_id, const char *event_type)
{
    char path[128], body[128];

    snprintf(path, sizeof(path), "/systems/%s/trigger", system_id);
    snprintf(body, sizeof(body), "{\"eventType\":\"%s\"}", event_type);
    return control("POST", path, body, 200);
}

/* The id of the answer's first emitted event of type, or NULL. */
static const char *emitted_id(json_object *answer, const char *type)
{
    json_object *events = member(answer, "emitted");

    for (size_t i = 0; events != NULL && i < json_object_array_length(events); i++) {
        json_object *e = json_object_array_get_idx(events, i);
        if (strcmp(jstr(e, "eventType"), type) == 0)
            return jstr(e, "eventId");
    }
    return NULL;
}

/* Whether the system's event log holds event_id among its events of type (every page). */
static int in_event_log(const char *system_id, const char *type, const char *event_id)
{
    char path[1024], token[512] = "";
    int found = 0;

    for (int page = 0; page < 100 && !found; page++) {
        json_object *o;
        json_object *items;
        snprintf(path, sizeof(path), "/systems/%s/events?type=%s&limit=100%s%s", system_id, type,
                 token[0] ? "&next-page-token=" : "", token);
        o = control("GET", path, NULL, 200);
        items = member(o, "items");
        for (size_t i = 0; items != NULL && i < json_object_array_length(items) && !found; i++)
            found = strcmp(jstr(json_object_array_get_idx(items, i), "eventId"), event_id) == 0;
        snprintf(token, sizeof(token), "%s",
                 jstr(o, "nextPageToken") ? jstr(o, "nextPageToken") : "");
        json_object_put(o);
        if (token[0] == '\0')
            break;
    }
    return found;
}

/* Where each kind of thing a story makes can be seen, and what it must show there. */
static const struct {
    const char *kind;
    int admin; /* through the Administration API, else the control API */
    const char *path;
    const char *field, *value; /* NULL: only that it exists */
} shown[] = {
    {"user", 1, "/user/%s", NULL, NULL},
    {"lockingDevice", 1, "/locking-device/%s", "claimingStatus", "CLAIMED"},
    {"permission", 1, "/permission/%s", "operationType", "OPEN"},
    {"gatewayDevice", 1, "/gateway-device/%s", "activationStatus", "ACTIVATED"},
    {"gatewayDeviceAssociation", 1, "/gateway-device-association/%s", NULL, NULL},
    {"remoteCommand", 1, "/remote-command/%s", "action", "OPEN"},
    {"hardwareLockingDevice", 0, "/hardware/locking-devices/%s", "hardwareModel", "PADLOCK"},
    {"hardwareGatewayDevice", 0, "/hardware/gateway-devices/%s", "hardwareModel", "BEAT_GW_A1"},
};

/* Whether the system lists the operating device (there is no GET of one). */
static int lists_device(const struct tenant *t, const char *id)
{
    static char ids[IDS_MAX][64];
    size_t n = admin_list_ids(t, "/operating-device", ids, IDS_MAX, NULL);

    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return 1;
    return 0;
}

static void assert_exists(const struct tenant *t, const char *kind, const char *id)
{
    char path[256];
    json_object *o;

    if (strcmp(kind, "operatingDevice") == 0) {
        ck_assert_msg(lists_device(t, id), "operating device %s is not listed", id);
        return;
    }
    if (strcmp(kind, "operatingDeviceInvitation") == 0) {
        /* No GET exists; revoking an invitation that was accepted is refused, not unknown. */
        snprintf(path, sizeof(path), "/operating-device-invitation/%s", id);
        json_object_put(admin(t, "DELETE", path, NULL, 409));
        return;
    }
    for (size_t i = 0; i < N(shown); i++) {
        if (strcmp(shown[i].kind, kind) != 0)
            continue;
        snprintf(path, sizeof(path), shown[i].path, id);
        o = shown[i].admin ? admin(t, "GET", path, NULL, 200) : control("GET", path, NULL, 200);
        if (shown[i].field != NULL)
            assert_strings(o, (const char *const[]){shown[i].field, shown[i].value, NULL});
        json_object_put(o);
        return;
    }
    ck_abort_msg("the answer names a kind the test does not know: %s", kind);
}

static void assert_gone(const struct tenant *t, const char *kind, const char *id)
{
    char path[256];

    if (strcmp(kind, "operatingDevice") == 0) {
        ck_assert_msg(!lists_device(t, id), "operating device %s is still listed", id);
        return;
    }
    ck_assert_str_eq(kind, "user");
    snprintf(path, sizeof(path), "/user/%s", id);
    json_object_put(admin(t, "GET", path, NULL, 404));
}

static const char *clock_now(const char *system_id, char *out, size_t cap)
{
    char path[128];
    json_object *o;

    snprintf(path, sizeof(path), "/systems/%s/clock", system_id);
    o = control("GET", path, NULL, 200);
    snprintf(out, cap, "%s", jstr(o, "now"));
    json_object_put(o);
    return out;
}

/* Triggers type on t's system and checks everything the answer claims. */
static void trigger_and_check(const struct tenant *t, const char *type)
{
    json_object *answer = trigger(t->system_id, type);
    json_object *created = member(answer, "created"), *deleted = member(answer, "deleted");
    const char *event_id = emitted_id(answer, type);

    ck_assert_str_eq(jstr(answer, "eventType"), type);
    ck_assert_msg(jstr(answer, "story") != NULL && strlen(jstr(answer, "story")) > 20,
                  "%s: no story", type);
    ck_assert_msg(event_id != NULL, "%s is not among the events emitted: %s", type,
                  json_object_to_json_string(member(answer, "emitted")));
    ck_assert_msg(in_event_log(t->system_id, type, event_id), "%s %s is not in the event log", type,
                  event_id);
    ck_assert_msg(member(answer, "clockAdvanced") == NULL, "%s moved the clock", type);
    ck_assert_msg(json_object_array_length(created) + json_object_array_length(deleted) > 0,
                  "%s made nothing", type);
    for (size_t i = 0; i < json_object_array_length(created); i++) {
        json_object *item = json_object_array_get_idx(created, i);
        assert_exists(t, jstr(item, "kind"), jstr(item, "id"));
    }
    for (size_t i = 0; i < json_object_array_length(deleted); i++) {
        json_object *item = json_object_array_get_idx(deleted, i);
        assert_gone(t, jstr(item, "kind"), jstr(item, "id"));
    }
    json_object_put(answer);
}

/* ---- every type, everywhere ---------------------------------------------------------------- */

START_TEST(each_type_on_a_frozen_clock_three_times)
{
    struct tenant t;
    char before[64], after[64];

    new_tenant_from(&t, FROZEN);
    clock_now(t.system_id, before, sizeof(before));
    for (int i = 0; i < REPEATS; i++)
        trigger_and_check(&t, event_types[_i]);
    /* No story needs the clock to move, and none moves it. */
    ck_assert_str_eq(clock_now(t.system_id, after, sizeof(after)), before);
}
END_TEST

START_TEST(each_type_on_a_real_clock)
{
    struct tenant t;

    new_tenant(&t);
    trigger_and_check(&t, event_types[_i]);
}
END_TEST

static struct tenant demo;

static void demo_setup(void)
{
    const char *const args[] = {"--fixtures", "fixtures/demo.json", NULL};
    char fixtures[512];
    const char *const with_path[] = {"--fixtures", fixtures, NULL};

    source_path(args[1], fixtures, sizeof(fixtures));
    emu_setup_with(with_path);
    memset(&demo, 0, sizeof(demo));
    snprintf(demo.system_id, sizeof(demo.system_id), DEMO_SYSTEM);
    snprintf(demo.api_key, sizeof(demo.api_key), DEMO_API_KEY);
    snprintf(demo.admin_id, sizeof(demo.admin_id), DEMO_ADMIN);
    snprintf(demo.access_key, sizeof(demo.access_key), DEMO_ADMIN_KEY);
    if (emu_ok && tenant_login(&emu, &demo, DEMO_ADMIN, DEMO_ADMIN_KEY, demo.token,
                               sizeof(demo.token)) != 200)
        emu_ok = 0;
}

/* The demo site is real-clocked with its autopilot on: jobs due meanwhile run too. */
START_TEST(each_type_on_the_demo_system)
{
    ck_assert_msg(emu_ok, "the demo emulator did not start");
    trigger_and_check(&demo, event_types[_i]);
}
END_TEST

static void production_setup(void)
{
    const char *const args[] = {"--production", NULL};

    emu_setup_with(args);
}

/* --production refuses the testing re-key endpoint; the re-keying stories never use it. */
START_TEST(each_type_under_production)
{
    struct tenant t;

    new_tenant_from(&t, FROZEN);
    trigger_and_check(&t, event_types[_i]);
}
END_TEST

/* ---- refusals ------------------------------------------------------------------------------ */

static int64_t events_of(const char *system_id)
{
    char path[128];
    int64_t n = 0;
    json_object *o;

    snprintf(path, sizeof(path), "/systems/%s/events?limit=100", system_id);
    o = control("GET", path, NULL, 200);
    n = (int64_t)json_object_array_length(member(o, "items"));
    json_object_put(o);
    return n;
}

static const struct invalid_body bad_bodies[] = {
    {"{}", {"eventType"}},
    {"{\"eventType\":\"DoorOpened\"}", {"eventType"}},
    {"{\"eventType\":\"usercreated\"}", {"eventType"}},
    {"{\"eventType\":17}", {"eventType"}},
    {"{\"eventType\":\"UserCreated\",\"times\":3}", {"times"}},
};

START_TEST(bad_bodies_name_the_field_and_write_nothing)
{
    struct tenant t;
    char path[128];
    int64_t before;

    new_tenant_from(&t, FROZEN);
    snprintf(path, sizeof(path), "/systems/%s/trigger", t.system_id);
    before = events_of(t.system_id);
    expect_control_invalid_bodies(path, bad_bodies, N(bad_bodies));
    ck_assert_int_eq(events_of(t.system_id), before);
}
END_TEST

START_TEST(unknown_type_lists_the_valid_ones)
{
    struct tenant t;
    struct http_response r;
    char path[128];
    const char *reason;

    new_tenant_from(&t, FROZEN);
    snprintf(path, sizeof(path), "/systems/%s/trigger", t.system_id);
    control_expect("POST", path, "{\"eventType\":\"DoorOpened\"}", 400, &r);
    reason = invalid_reason(&r, "eventType");
    ck_assert_ptr_nonnull(reason);
    for (size_t i = 0; i < N(event_types); i++)
        ck_assert_msg(strstr(reason, event_types[i]) != NULL, "the reason omits %s: %s",
                      event_types[i], reason);
    http_response_free(&r);
}
END_TEST

START_TEST(no_body_names_event_type)
{
    struct tenant t;
    struct http_response r;
    char path[128];

    new_tenant_from(&t, FROZEN);
    snprintf(path, sizeof(path), "/systems/%s/trigger", t.system_id);
    control_expect("POST", path, NULL, 400, &r);
    assert_control_problem(&r, 400, path);
    assert_invalid_params(&r, (const char *const[]){"eventType", NULL});
    http_response_free(&r);
}
END_TEST

START_TEST(unknown_system_is_not_found)
{
    expect_control_problem("POST", "/systems/" UNKNOWN "/trigger",
                           "{\"eventType\":\"UserCreated\"}", 404);
}
END_TEST

/* The story's events are the system's like any other: in its event log in order, right
 * after what came before, and each with a webhook delivery for a subscription. */
START_TEST(emitted_events_are_logged_in_order_and_delivered)
{
    struct tenant t;
    json_object *answer, *log, *page, *deliveries, *emitted, *items;
    char path[200];

    new_tenant_from(&t, FROZEN);
    snprintf(path, sizeof(path), "/systems/%s/webhook-subscriptions", t.system_id);
    json_object_put(control("POST", path, "{\"url\":\"http://127.0.0.1:9/hooks\"}", 201));
    answer = trigger(t.system_id, "RemoteCommandAcknowledged");
    emitted = member(answer, "emitted");
    snprintf(path, sizeof(path), "/systems/%s/events?limit=100", t.system_id);
    log = control("GET", path, NULL, 200);
    items = member(log, "items");
    /* The system's first event is its administrator's UserCreated; the story's follow. */
    ck_assert_uint_eq(json_object_array_length(items), json_object_array_length(emitted) + 1);
    snprintf(path, sizeof(path), "/systems/%s/webhook-deliveries?limit=100", t.system_id);
    page = control("GET", path, NULL, 200);
    deliveries = member(page, "items");
    ck_assert_uint_eq(json_object_array_length(deliveries), json_object_array_length(emitted));
    for (size_t i = 0; i < json_object_array_length(emitted); i++) {
        const char *id = jstr(json_object_array_get_idx(emitted, i), "eventId");
        ck_assert_str_eq(jstr(json_object_array_get_idx(items, i + 1), "eventId"), id);
        ck_assert_str_eq(jstr(json_object_array_get_idx(deliveries, i), "eventId"), id);
    }
    json_object_put(answer);
    json_object_put(log);
    json_object_put(page);
}
END_TEST

/* A remote command needs an administrator to issue it: a system left without one gets one,
 * and the answer says so. */
START_TEST(a_system_without_administrator_gets_one_to_issue_the_command)
{
    struct tenant t;
    json_object *answer, *created;
    char path[128];
    int users = 0;

    new_tenant_from(&t, FROZEN);
    snprintf(path, sizeof(path), "/user/%s", t.admin_id);
    expect_status(&t, "DELETE", path, NULL, 204);
    answer = trigger(t.system_id, "RemoteCommandAcknowledged");
    created = member(answer, "created");
    for (size_t i = 0; i < json_object_array_length(created); i++)
        users += strcmp(jstr(json_object_array_get_idx(created, i), "kind"), "user") == 0;
    ck_assert_int_eq(users, 2);
    ck_assert_msg(strstr(jstr(answer, "story"), "no administrator left") != NULL, "%s",
                  jstr(answer, "story"));
    ck_assert_ptr_nonnull(emitted_id(answer, "RemoteCommandAcknowledged"));
    json_object_put(answer);
}
END_TEST

/* ---- the command line ---------------------------------------------------------------------- */

START_TEST(cli_prints_the_story_and_exits_0)
{
    struct tenant t;
    struct command_run run;

    new_tenant_from(&t, FROZEN);
    emu_command((const char *const[]){"trigger", "LockingDeviceClaimed", "--url", emu.url,
                                      "--system", t.system_id, NULL},
                NULL, &run);
    ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err);
    ck_assert_msg(strstr(run.out, "LockingDeviceClaimed emitted by system") != NULL, "%s", run.out);
    ck_assert_msg(strstr(run.out, "The phone claimed padlock") != NULL, "no story: %s", run.out);
    ck_assert_msg(strstr(run.out, "emitted (") != NULL, "no events: %s", run.out);
}
END_TEST

START_TEST(cli_reads_url_and_system_from_the_environment)
{
    struct tenant t;
    struct command_run run;
    char url[200], system[120];

    new_tenant_from(&t, FROZEN);
    snprintf(url, sizeof(url), "KEYLESS_EMULATOR_URL=%s/", emu.url); /* a slash is fine */
    snprintf(system, sizeof(system), "KEYLESS_EMULATOR_SYSTEM_ID=%s", t.system_id);
    emu_command((const char *const[]){"trigger", "UserDeleted", NULL},
                (const char *const[]){url, system, NULL}, &run);
    ck_assert_msg(run.status == 0, "exit %d: %s", run.status, run.err);
    ck_assert_msg(strstr(run.out, "UserDeleted") != NULL, "%s", run.out);
}
END_TEST

/* Refusals exit 1 with the problem on stderr. */
static const struct {
    const char *event_type;
    int known_system;
    const char *on_stderr;
} refusals[] = {
    {"DoorOpened", 1, "eventType: must be one of"},
    {"UserCreated", 0, "404"},
};

START_TEST(cli_refused_exits_1)
{
    struct tenant t;
    struct command_run run;

    new_tenant_from(&t, FROZEN);
    emu_command((const char *const[]){"trigger", refusals[_i].event_type, "--url", emu.url,
                                      "--system", refusals[_i].known_system ? t.system_id : UNKNOWN,
                                      NULL},
                NULL, &run);
    ck_assert_msg(run.status == 1, "exit %d: %s", run.status, run.err);
    ck_assert_msg(strstr(run.err, refusals[_i].on_stderr) != NULL, "stderr: %s", run.err);
}
END_TEST

/* Bad usage exits 2 with the usage on stderr. */
static const struct {
    const char *args[8]; /* NULL-terminated */
} misuses[] = {
    {{"trigger", "--url", "http://127.0.0.1:9", "--system", UNKNOWN}},
    {{"trigger", "UserCreated", "UserDeleted", "--url", "http://127.0.0.1:9"}},
    {{"trigger", "UserCreated", "--system", UNKNOWN}},
    {{"trigger", "UserCreated", "--url", "http://127.0.0.1:9"}},
    {{"trigger", "UserCreated", "--colour", "red"}},
    {{"trigger", "UserCreated", "--url"}},
    {{"trigger", "UserCreated", "--url", "http://127.0.0.1:9", "--system", "../../reset"}},
};

START_TEST(cli_bad_usage_exits_2)
{
    static const char *const no_env[] = {"KEYLESS_EMULATOR_URL", "KEYLESS_EMULATOR_SYSTEM_ID",
                                         NULL};
    struct command_run run;

    emu_command(misuses[_i].args, no_env, &run);
    ck_assert_msg(run.status == 2, "row %d: exit %d: %s", _i, run.status, run.err);
    ck_assert_msg(strstr(run.err, "usage: keyless-emulator trigger") != NULL, "%s", run.err);
}
END_TEST

START_TEST(cli_help_exits_0)
{
    struct command_run run;

    emu_command((const char *const[]){"trigger", "--help", NULL}, NULL, &run);
    ck_assert_int_eq(run.status, 0);
    ck_assert_msg(strstr(run.out, "--control-token") != NULL, "%s", run.out);
}
END_TEST

START_TEST(cli_unreachable_exits_125)
{
    struct command_run run;
    char url[160];

    /* The emulator's own address once it has stopped: nothing listens there. */
    snprintf(url, sizeof(url), "%s", emu.url);
    emu_stop(&emu);
    emu_command(
        (const char *const[]){"trigger", "UserCreated", "--url", url, "--system", UNKNOWN, NULL},
        NULL, &run);
    ck_assert_msg(run.status == 125, "exit %d: %s", run.status, run.err);
    ck_assert_msg(strstr(run.err, "cannot reach") != NULL, "%s", run.err);
}
END_TEST

static void guarded_setup(void)
{
    const char *const args[] = {"--control-token", CONTROL_TOKEN, NULL};

    emu_setup_with(args);
}

/* A system made with the token, straight over HTTP (the checked helpers send none). */
static void guarded_system(char id[64])
{
    const char *const headers[] = {"Authorization: Bearer " CONTROL_TOKEN,
                                   "Content-Type: application/json", NULL};
    char url[200];
    struct http_response r;

    snprintf(url, sizeof(url), "%s/_emulator/v1/systems", emu.url);
    ck_assert_int_eq(http_call("POST", url, headers, FROZEN, &r), 201);
    snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
}

/* The control token from the flag or the environment; without it the emulator refuses. */
static const struct {
    const char *flag, *env;
    int status;
} tokens[] = {
    {NULL, NULL, 1},
    {CONTROL_TOKEN, NULL, 0},
    {NULL, "KEYLESS_EMULATOR_CONTROL_TOKEN=" CONTROL_TOKEN, 0},
    {"wrong-token", NULL, 1},
};

START_TEST(cli_sends_the_control_token)
{
    struct command_run run;
    char system[64];
    const char *args[10] = {"trigger", "UserCreated", "--url", emu.url, "--system", system};

    ck_assert_msg(emu_ok, "the guarded emulator did not start");
    guarded_system(system);
    if (tokens[_i].flag != NULL) {
        args[6] = "--control-token";
        args[7] = tokens[_i].flag;
    }
    emu_command(args,
                (const char *const[]){
                    tokens[_i].env ? tokens[_i].env : "KEYLESS_EMULATOR_CONTROL_TOKEN", NULL},
                &run);
    ck_assert_msg(run.status == tokens[_i].status, "row %d: exit %d: %s", _i, run.status, run.err);
    if (tokens[_i].status == 1)
        ck_assert_msg(strstr(run.err, "401") != NULL, "%s", run.err);
}
END_TEST

/* ---- the suite ----------------------------------------------------------------------------- */

static Suite *trigger_suite(void)
{
    Suite *s = suite_create("trigger");
    TCase *types = tcase_create("every type"), *fixture = tcase_create("demo fixture");
    TCase *production = tcase_create("production"), *refused = tcase_create("details");
    TCase *cli = tcase_create("command line"), *guarded = tcase_create("control token");
    TCase *down = tcase_create("unreachable");

    tcase_add_unchecked_fixture(types, emu_setup, emu_teardown);
    tcase_add_unchecked_fixture(fixture, demo_setup, emu_teardown);
    tcase_add_unchecked_fixture(production, production_setup, emu_teardown);
    tcase_add_unchecked_fixture(refused, emu_setup, emu_teardown);
    tcase_add_unchecked_fixture(cli, emu_setup, emu_teardown);
    tcase_add_unchecked_fixture(guarded, guarded_setup, emu_teardown);
    tcase_add_checked_fixture(down, emu_must_start, emu_teardown);
    TCase *all[] = {types, fixture, production, refused, cli, guarded, down};
    for (size_t i = 0; i < N(all); i++)
        tcase_set_timeout(all[i], 120);
    tcase_add_loop_test(types, each_type_on_a_frozen_clock_three_times, 0, N(event_types));
    tcase_add_loop_test(types, each_type_on_a_real_clock, 0, N(event_types));
    tcase_add_loop_test(fixture, each_type_on_the_demo_system, 0, N(event_types));
    tcase_add_loop_test(production, each_type_under_production, 0, N(event_types));
    tcase_add_test(refused, bad_bodies_name_the_field_and_write_nothing);
    tcase_add_test(refused, unknown_type_lists_the_valid_ones);
    tcase_add_test(refused, no_body_names_event_type);
    tcase_add_test(refused, unknown_system_is_not_found);
    tcase_add_test(refused, emitted_events_are_logged_in_order_and_delivered);
    tcase_add_test(refused, a_system_without_administrator_gets_one_to_issue_the_command);
    tcase_add_test(cli, cli_prints_the_story_and_exits_0);
    tcase_add_test(cli, cli_reads_url_and_system_from_the_environment);
    tcase_add_loop_test(cli, cli_refused_exits_1, 0, N(refusals));
    tcase_add_loop_test(cli, cli_bad_usage_exits_2, 0, N(misuses));
    tcase_add_test(cli, cli_help_exits_0);
    tcase_add_loop_test(guarded, cli_sends_the_control_token, 0, N(tokens));
    tcase_add_test(down, cli_unreachable_exits_125);
    for (size_t i = 0; i < N(all); i++)
        suite_add_tcase(s, all[i]);
    return s;
}

int main(void)
{
    return run_suite(trigger_suite());
}
