/*
 * test_failure_paths.c — the failure paths of the simulated world, reachable on purpose
 * through the control API (docs/simulated-world.md):
 *
 *   POST /gateway-devices/{id}/power-off   an unpowered gateway never wakes: its commands
 *                                          expire unread, no heartbeat, its locks' entries
 *                                          wait for a phone; power-on reboots it
 *   POST /locking-devices/{id}/state       battery EMPTY (nothing operates the lock), LOW
 *                                          (BATTERY_LOW, still works), out of gateway range
 *   POST /operating-devices/{id}/network   a phone without network visits offline only
 *   POST /systems/{id}/legacy-operating-devices, fixtures' users[].legacyOperatingDeviceId
 *                                          a legacy device: 409 alone, deleted with its user
 *
 * Every system runs on a frozen clock; the state survives a restart (a file database).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* A frozen system: a user with a phone and an OPEN permission for a claimed lock, which is
 * associated with a claimed, powered gateway. */
struct site {
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], gateway[64], gateway_serial[64];
};

static char db_path[320];

static void file_setup(void)
{
    emu_ok = emu_start_file(&emu, "failure.db", db_path, sizeof(db_path)) == 0;
}

/* ---- helpers ------------------------------------------------------------------------- */

static void site_init(struct site *s)
{
    char body[512], path[160], id[64];

    ck_assert_msg(emu_ok, "the emulator did not start");
    new_tenant_from(&s->t, FROZEN);
    make_phone(&s->t, s->user, s->phone, NULL);
    new_lock(&s->t, "Gate", s->lock);
    json_object_put(claim_new_lock(s->phone, s->lock, PADLOCK, s->serial));
    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2029-01-01T00:00:00Z\","
             "\"end\":\"2031-01-01T00:00:00Z\"}",
             s->user, s->lock);
    post_id(&s->t, "/permission", body, id);
    new_gateway(&s->t, s->gateway, s->gateway_serial);
    snprintf(body, sizeof(body), "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\"}",
             s->gateway, s->lock);
    post_id(&s->t, "/gateway-device-association", body, id);
    snprintf(path, sizeof(path), "/gateway-devices/%s/power-on", s->gateway);
    json_object_put(control("POST", path, NULL, 200));
}

/* Moves the frozen clock on; the admin logs in again (a token lasts an hour). */
static json_object *advance(struct site *s, const char *by)
{
    char path[160], body[64];
    json_object *o;

    snprintf(path, sizeof(path), "/systems/%s/clock/advance", s->t.system_id);
    snprintf(body, sizeof(body), "{\"by\":\"%s\"}", by);
    o = control("POST", path, body, 200);
    relogin_admin(&s->t);
    return o;
}

static void gateway_action(const struct site *s, const char *action, long want)
{
    char path[160];

    snprintf(path, sizeof(path), "/gateway-devices/%s/%s", s->gateway, action);
    json_object_put(control("POST", path, NULL, want));
}

/* POST /locking-devices/{lock}/state body; returns the answer (caller puts). */
static json_object *set_state(const struct site *s, const char *body, long want)
{
    char path[160];

    snprintf(path, sizeof(path), "/locking-devices/%s/state", s->lock);
    return control("POST", path, body, want);
}

/* What GET /systems/{id}/phones says of the site's phone: online (1 or 0). */
static int listed_online(const struct site *s)
{
    char path[160];
    json_object *o, *items;
    int online = -1;

    snprintf(path, sizeof(path), "/systems/%s/phones", s->t.system_id);
    o = control("GET", path, NULL, 200);
    items = member(o, "items");
    for (size_t i = 0; i < json_object_array_length(items); i++)
        if (strcmp(jstr(json_object_array_get_idx(items, i), "userId"), s->user) == 0)
            online = jbool(json_object_array_get_idx(items, i), "online");
    json_object_put(o);
    return online;
}

static void set_network(const struct site *s, int online)
{
    char path[160];
    json_object *o;

    snprintf(path, sizeof(path), "/operating-devices/%s/network", s->phone);
    o = control("POST", path, online ? "{\"online\":true}" : "{\"online\":false}", 200);
    ck_assert_str_eq(jstr(o, "operatingDeviceId"), s->phone);
    ck_assert_int_eq(jbool(o, "online"), online);
    json_object_put(o);
    ck_assert_int_eq(listed_online(s), online);
}

/* One visit of the phone at the lock; the answer (caller puts). */
static json_object *visit(const struct site *s, int online)
{
    char path[160], body[256];

    snprintf(path, sizeof(path), "/operating-devices/%s/visit", s->phone);
    snprintf(body, sizeof(body),
             "{\"lockingDeviceId\":\"%s\",\"operation\":\"unlock\",\"online\":%s}", s->lock,
             online ? "true" : "false");
    return control("POST", path, body, 200);
}

/* The remote command's id, issued OPEN for the site's gateway and lock. */
static void issue_command(const struct site *s, char id[64])
{
    char body[256];

    snprintf(body, sizeof(body),
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\",\"action\":\"OPEN\"}",
             s->gateway, s->lock);
    post_id(&s->t, "/remote-command", body, id);
}

static int command_acknowledged(const struct site *s, const char *id)
{
    char path[160];
    json_object *o;
    int acked;

    snprintf(path, sizeof(path), "/remote-command/%s", id);
    o = admin(&s->t, "GET", path, NULL, 200);
    acked = member(o, "acknowledgementDatetime") != NULL;
    json_object_put(o);
    return acked;
}

/* How many events of type the system emitted. */
static size_t count_events(const struct site *s, const char *type)
{
    char path[256];
    json_object *o;
    size_t n;

    snprintf(path, sizeof(path), "/systems/%s/events?type=%s&limit=100", s->t.system_id, type);
    o = control("GET", path, NULL, 200);
    n = json_object_array_length(member(o, "items"));
    json_object_put(o);
    return n;
}

static size_t count_log(const struct site *s, const char *log, const char *filter)
{
    char path[256];

    snprintf(path, sizeof(path), "/%s?%s", log, filter);
    return admin_count(&s->t, path);
}

static size_t lock_log(const struct site *s, const char *kind)
{
    char filter[128];

    snprintf(filter, sizeof(filter), "locking-device-id=%s", s->lock);
    return count_log(
        s, strcmp(kind, "audit") == 0 ? "locking-device-audit-log" : "locking-device-system-log",
        filter);
}

static size_t gateway_system_log(const struct site *s)
{
    char filter[128];

    snprintf(filter, sizeof(filter), "gateway-device-id=%s", s->gateway);
    return count_log(s, "gateway-device-system-log", filter);
}

/* The physical lock as GET /hardware/locking-devices/{serial} shows it (caller puts). */
static json_object *hardware_lock(const struct site *s)
{
    char path[160];

    snprintf(path, sizeof(path), "/hardware/locking-devices/%s", s->serial);
    return control("GET", path, NULL, 200);
}

static size_t pending_entries(const struct site *s)
{
    json_object *o = hardware_lock(s);
    size_t n = json_object_array_length(member(o, "pendingLogEntries"));

    json_object_put(o);
    return n;
}

/* ---- gateways ------------------------------------------------------------------------ */

START_TEST(an_unpowered_gateway_lets_commands_expire_unread)
{
    struct site s;
    char command[64], path[160];
    json_object *o;

    site_init(&s);
    gateway_action(&s, "power-off", 200);
    snprintf(path, sizeof(path), "/hardware/gateway-devices/%s", s.gateway_serial);
    o = control("GET", path, NULL, 200);
    ck_assert_int_eq(jbool(o, "poweredOff"), 1);
    json_object_put(o);
    /* The platform does not know: the command is issued, the lock's wake-up finds no gateway. */
    issue_command(&s, command);
    json_object_put(advance(&s, "PT10M"));
    ck_assert_int_eq(command_acknowledged(&s, command), 0);
    ck_assert_uint_eq(count_events(&s, "RemoteCommandAcknowledged"), 0);
    snprintf(path, sizeof(path), "/gateway-devices/%s/wake", s.gateway);
    json_object_put(control("POST", path, NULL, 409));
    /* Back on power the expired command stays unread. */
    gateway_action(&s, "power-on", 200);
    json_object_put(advance(&s, "PT10S"));
    ck_assert_int_eq(command_acknowledged(&s, command), 0);
}
END_TEST

START_TEST(an_unpowered_gateway_logs_no_heartbeat_and_power_on_reboots_it)
{
    struct site s;
    size_t boots;

    site_init(&s);
    boots = gateway_system_log(&s); /* the BOOT of activation */
    ck_assert_uint_eq(boots, 1);
    gateway_action(&s, "power-off", 200);
    json_object_put(advance(&s, "P3D"));
    ck_assert_uint_eq(gateway_system_log(&s), boots);
    /* Power-on again: a BOOT entry, no second activation, and the heartbeats resume. */
    gateway_action(&s, "power-on", 200);
    ck_assert_uint_eq(gateway_system_log(&s), boots + 1);
    ck_assert_uint_eq(count_events(&s, "GatewayDeviceActivated"), 1);
    json_object_put(advance(&s, "P1D"));
    ck_assert_uint_eq(gateway_system_log(&s), boots + 2);
    /* Powering off twice is no different from once. */
    gateway_action(&s, "power-off", 200);
    gateway_action(&s, "power-off", 200);
}
END_TEST

START_TEST(an_unpowered_gateways_locks_keep_their_entries_for_a_phone)
{
    struct site s;
    json_object *o;
    size_t before;

    site_init(&s);
    gateway_action(&s, "power-off", 200);
    before = lock_log(&s, "system");
    o = set_state(&s, "{\"battery\":\"LOW\"}", 200); /* logs BATTERY_LOW in the lock */
    json_object_put(o);
    json_object_put(advance(&s, "P2D"));
    ck_assert_uint_eq(lock_log(&s, "system"), before);
    ck_assert_uint_eq(pending_entries(&s), 1);
    o = visit(&s, 1);
    ck_assert_int_eq(jbool(o, "granted"), 1);
    json_object_put(o);
    ck_assert_uint_eq(lock_log(&s, "system"), before + 1);
    ck_assert_uint_eq(pending_entries(&s), 0);
}
END_TEST

START_TEST(power_off_of_an_unknown_gateway_is_not_found)
{
    struct site s;

    site_init(&s);
    expect_control_problem("POST", "/gateway-devices/" UNKNOWN_ID "/power-off", NULL, 404);
    /* Another system's gateway is powered off through its own id only. */
    gateway_action(&s, "power-off", 200);
}
END_TEST

/* ---- lock state ---------------------------------------------------------------------- */

START_TEST(state_answers_and_shows_the_lock)
{
    struct site s;
    json_object *o;

    site_init(&s);
    o = set_state(&s, "{\"inGatewayRange\":false}", 200);
    ck_assert_int_eq(json_object_object_length(o), 4);
    ck_assert_str_eq(jstr(o, "lockingDeviceId"), s.lock);
    ck_assert_str_eq(jstr(o, "serialNumber"), s.serial);
    ck_assert_str_eq(jstr(o, "battery"), "OK");
    ck_assert_int_eq(jbool(o, "inGatewayRange"), 0);
    json_object_put(o);
    o = set_state(&s, "{\"battery\":\"EMPTY\"}", 200);
    ck_assert_str_eq(jstr(o, "battery"), "EMPTY");
    ck_assert_int_eq(jbool(o, "inGatewayRange"), 0); /* not given: unchanged */
    json_object_put(o);
    o = hardware_lock(&s);
    ck_assert_str_eq(jstr(o, "battery"), "EMPTY");
    ck_assert_int_eq(jbool(o, "inGatewayRange"), 0);
    json_object_put(o);
}
END_TEST

START_TEST(an_empty_battery_refuses_a_visit_and_logs_nothing)
{
    struct site s;
    json_object *o;
    size_t audit, system, pending;

    site_init(&s);
    json_object_put(visit(&s, 1)); /* the lock's own entries are uploaded */
    audit = lock_log(&s, "audit");
    system = lock_log(&s, "system");
    pending = pending_entries(&s);
    json_object_put(set_state(&s, "{\"battery\":\"EMPTY\"}", 200));
    for (int online = 0; online <= 1; online++) {
        o = visit(&s, online);
        ck_assert_int_eq(jbool(o, "granted"), 0);
        ck_assert_int_eq(jbool(o, "sessionRefused"), 1);
        ck_assert_ptr_nonnull(strstr(jstr(o, "reason"), "battery is empty"));
        ck_assert_ptr_null(member(o, "auditLogEntry"));
        json_object_put(o);
    }
    ck_assert_uint_eq(lock_log(&s, "audit"), audit);
    ck_assert_uint_eq(lock_log(&s, "system"), system);
    ck_assert_uint_eq(pending_entries(&s), pending);
    /* Nor does it log an internal event. */
    {
        char path[160];
        snprintf(path, sizeof(path), "/locking-devices/%s/system-events", s.lock);
        expect_control_problem("POST", path, "{\"eventName\":\"BATTERY_LOW\"}", 409);
    }
    /* A new battery: the lock starts again (BOOT) and opens. */
    json_object_put(set_state(&s, "{\"battery\":\"OK\"}", 200));
    o = visit(&s, 1);
    ck_assert_int_eq(jbool(o, "granted"), 1);
    json_object_put(o);
    ck_assert_uint_eq(lock_log(&s, "system"), system + 1);
    ck_assert_uint_eq(lock_log(&s, "audit"), audit + 1);
}
END_TEST

START_TEST(an_empty_battery_leaves_a_remote_command_unrun)
{
    struct site s;
    char command[64], path[160];
    size_t audit;

    site_init(&s);
    audit = lock_log(&s, "audit");
    json_object_put(set_state(&s, "{\"battery\":\"EMPTY\"}", 200));
    issue_command(&s, command);
    json_object_put(advance(&s, "PT10S"));
    /* Even a wake-up by hand leaves it: the gateway cannot reach the lock. */
    snprintf(path, sizeof(path), "/gateway-devices/%s/wake", s.gateway);
    json_object_put(control("POST", path, NULL, 200));
    ck_assert_int_eq(command_acknowledged(&s, command), 0);
    json_object_put(advance(&s, "PT6M"));
    ck_assert_int_eq(command_acknowledged(&s, command), 0);
    ck_assert_uint_eq(lock_log(&s, "audit"), audit);
}
END_TEST

START_TEST(a_low_battery_logs_battery_low_once_and_still_works)
{
    struct site s;
    char command[64];
    json_object *o;
    size_t system;

    site_init(&s);
    json_object_put(visit(&s, 1));
    system = lock_log(&s, "system");
    json_object_put(set_state(&s, "{\"battery\":\"LOW\"}", 200));
    json_object_put(set_state(&s, "{\"battery\":\"LOW\",\"inGatewayRange\":true}", 200));
    ck_assert_uint_eq(pending_entries(&s), 1);
    o = visit(&s, 1);
    ck_assert_int_eq(jbool(o, "granted"), 1);
    json_object_put(o);
    ck_assert_uint_eq(lock_log(&s, "system"), system + 1);
    /* The gateway still runs commands. */
    issue_command(&s, command);
    json_object_put(advance(&s, "PT10S"));
    ck_assert_int_eq(command_acknowledged(&s, command), 1);
}
END_TEST

START_TEST(out_of_range_a_lock_does_not_wake_its_gateway)
{
    struct site s;
    char command[64];
    json_object *o;

    site_init(&s);
    json_object_put(set_state(&s, "{\"inGatewayRange\":false}", 200));
    issue_command(&s, command);
    json_object_put(advance(&s, "PT10M"));
    ck_assert_int_eq(command_acknowledged(&s, command), 0);
    /* A phone still opens it; back in range, the next command runs. */
    o = visit(&s, 1);
    ck_assert_int_eq(jbool(o, "granted"), 1);
    json_object_put(o);
    json_object_put(set_state(&s, "{\"inGatewayRange\":true}", 200));
    issue_command(&s, command);
    json_object_put(advance(&s, "PT10S"));
    ck_assert_int_eq(command_acknowledged(&s, command), 1);
}
END_TEST

START_TEST(state_refuses_bad_bodies_and_unknown_or_unclaimed_locks)
{
    static const struct invalid_body cases[] = {
        {"{}", {"battery", "inGatewayRange", NULL}},
        {"{\"battery\":\"FULL\"}", {"battery", NULL}},
        {"{\"inGatewayRange\":\"yes\"}", {"inGatewayRange", NULL}},
        {"{\"battery\":\"OK\",\"colour\":\"red\"}", {"colour", NULL}},
    };
    struct site s;
    char path[160], spare[64];
    json_object *o;

    site_init(&s);
    snprintf(path, sizeof(path), "/locking-devices/%s/state", s.lock);
    expect_control_invalid_bodies(path, cases, N(cases));
    o = hardware_lock(&s); /* nothing was written */
    ck_assert_str_eq(jstr(o, "battery"), "OK");
    ck_assert_int_eq(jbool(o, "inGatewayRange"), 1);
    json_object_put(o);
    expect_control_problem("POST", "/locking-devices/" UNKNOWN_ID "/state", "{\"battery\":\"OK\"}",
                           404);
    new_lock(&s.t, "Unclaimed", spare);
    snprintf(path, sizeof(path), "/locking-devices/%s/state", spare);
    expect_control_problem("POST", path, "{\"battery\":\"OK\"}", 409);
}
END_TEST

/* ---- phones without network ---------------------------------------------------------- */

START_TEST(a_phone_without_network_visits_offline)
{
    struct site s;
    json_object *o;
    size_t audit;
    char path[160];

    site_init(&s);
    json_object_put(visit(&s, 1)); /* the phone downloads its key */
    audit = lock_log(&s, "audit");
    set_network(&s, 0);
    o = visit(&s, 1);
    ck_assert_int_eq(jbool(o, "granted"), 1); /* the keys it downloaded still open */
    ck_assert_int_eq(jbool(o, "online"), 0);
    ck_assert_int_eq(jint(o, "uploaded"), 0);
    json_object_put(o);
    ck_assert_uint_eq(lock_log(&s, "audit"), audit); /* carried, not uploaded */
    snprintf(path, sizeof(path), "/operating-devices/%s/sync", s.phone);
    expect_control_problem("POST", path, NULL, 409);
    set_network(&s, 1);
    o = control("POST", path, NULL, 200);
    ck_assert_int_ge(jint(o, "entriesUploaded"), 1);
    json_object_put(o);
    ck_assert_uint_eq(lock_log(&s, "audit"), audit + 1);
    o = visit(&s, 1);
    ck_assert_int_eq(jbool(o, "online"), 1);
    json_object_put(o);
}
END_TEST

START_TEST(a_phone_without_network_cannot_claim)
{
    struct site s;
    char path[160], body[256], spare[64];
    json_object *o;

    site_init(&s);
    new_lock(&s.t, "Spare", spare);
    o = control("POST", "/hardware/locking-devices", PADLOCK, 201);
    snprintf(body, sizeof(body), "{\"lockingDeviceId\":\"%s\",\"serialNumber\":\"%s\"}", spare,
             jstr(o, "serialNumber"));
    json_object_put(o);
    set_network(&s, 0);
    snprintf(path, sizeof(path), "/operating-devices/%s/claim", s.phone);
    expect_control_problem("POST", path, body, 409);
    set_network(&s, 1);
    json_object_put(control("POST", path, body, 200));
}
END_TEST

START_TEST(the_autopilots_visits_of_a_phone_without_network_are_offline)
{
    struct site s;
    char path[160];
    size_t audit;

    site_init(&s);
    gateway_action(&s, "power-off", 200); /* only the phone could upload */
    audit = lock_log(&s, "audit");
    set_network(&s, 0);
    snprintf(path, sizeof(path), "/systems/%s/autopilot", s.t.system_id);
    json_object_put(control("POST", path, "{\"enabled\":true,\"opensPerUserPerDay\":6}", 200));
    json_object_put(advance(&s, "P3D"));
    ck_assert_uint_eq(lock_log(&s, "audit"), audit);
    ck_assert_uint_gt(pending_entries(&s), 0); /* carried by the phone */
    set_network(&s, 1);
    json_object_put(advance(&s, "P2D"));
    ck_assert_uint_gt(lock_log(&s, "audit"), audit);
}
END_TEST

START_TEST(network_refuses_bad_bodies_and_unknown_phones)
{
    static const struct invalid_body cases[] = {
        {"{}", {"online", NULL}},
        {"{\"online\":1}", {"online", NULL}},
        {"{\"online\":true,\"wifi\":true}", {"wifi", NULL}},
    };
    struct site s;
    char path[160];

    site_init(&s);
    snprintf(path, sizeof(path), "/operating-devices/%s/network", s.phone);
    expect_control_invalid_bodies(path, cases, N(cases));
    expect_control_problem("POST", "/operating-devices/" UNKNOWN_ID "/network",
                           "{\"online\":false}", 404);
}
END_TEST

/* ---- legacy operating devices -------------------------------------------------------- */

START_TEST(a_legacy_device_is_deleted_only_with_its_user)
{
    struct site s;
    char user[64], path[160], body[128], device[64];
    struct http_response r;
    json_object *o;

    site_init(&s);
    new_user(&s.t, user);
    snprintf(path, sizeof(path), "/systems/%s/legacy-operating-devices", s.t.system_id);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\"}", user);
    o = control("POST", path, body, 201);
    snprintf(device, sizeof(device), "%s", jstr(o, "operatingDeviceId"));
    ck_assert_str_eq(jstr(o, "userId"), user);
    ck_assert_int_eq(jbool(o, "legacy"), 1);
    json_object_put(o);
    /* No event: the platform made it long ago. */
    ck_assert_uint_eq(count_events(&s, "OperatingDeviceCreated"), 1);
    ck_assert_uint_eq(count_events(&s, "OperatingDeviceActivated"), 1);
    /* One device per user. */
    json_object_put(control("POST", path, body, 409));

    snprintf(path, sizeof(path), "/operating-device/%s", device);
    admin_strict(&s.t, "DELETE", path, NULL, 409, &r);
    ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), "legacy operating device"));
    ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), "delete its user"));
    http_response_free(&r);
    snprintf(path, sizeof(path), "/operating-device?user-id=%s", user);
    ck_assert_uint_eq(admin_count(&s.t, path), 1);
    ck_assert_uint_eq(count_events(&s, "OperatingDeviceDeleted"), 0);

    /* Deleting the user deletes it, announced like any other. */
    snprintf(path, sizeof(path), "/user/%s", user);
    expect_status(&s.t, "DELETE", path, NULL, 204);
    snprintf(path, sizeof(path), "/operating-device?user-id=%s", user);
    ck_assert_uint_eq(admin_count(&s.t, path), 0);
    ck_assert_uint_eq(count_events(&s, "OperatingDeviceDeleted"), 1);
}
END_TEST

START_TEST(a_legacy_phone_opens_locks_like_any_other)
{
    struct site s;
    char user[64], path[160], body[512], device[64], id[64];
    json_object *o;

    site_init(&s);
    new_user(&s.t, user);
    snprintf(path, sizeof(path), "/systems/%s/legacy-operating-devices", s.t.system_id);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\"}", user);
    o = control("POST", path, body, 201);
    snprintf(device, sizeof(device), "%s", jstr(o, "operatingDeviceId"));
    json_object_put(o);
    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2029-01-01T00:00:00Z\","
             "\"end\":\"2031-01-01T00:00:00Z\"}",
             user, s.lock);
    post_id(&s.t, "/permission", body, id);
    snprintf(path, sizeof(path), "/operating-devices/%s/visit", device);
    snprintf(body, sizeof(body),
             "{\"lockingDeviceId\":\"%s\",\"operation\":\"unlock\",\"online\":true}", s.lock);
    o = control("POST", path, body, 200);
    ck_assert_int_eq(jbool(o, "granted"), 1);
    json_object_put(o);
}
END_TEST

#define FX_SYSTEM "7d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10"
#define FX_ADMIN "7b1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c20"
#define FX_ADMIN_KEY "Zml4dHVyZS1hZG1pbi1hY2Nlc3Mta2V5LTA="
#define FX_USER "7c1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c21"
#define FX_LEGACY "7e1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c22"

/* A fixture document with one user; user_extra is its members after id, role, accessKey. */
static void fixture_doc(char *out, size_t cap, const char *user_extra)
{
    snprintf(out, cap,
             "{\"systems\":[{\"id\":\"" FX_SYSTEM "\",\"name\":\"Legacy\","
             "\"apiKey\":\"legacy-fixture-api-key-01\",\"admin\":{\"userId\":\"" FX_ADMIN
             "\",\"accessKey\":\"" FX_ADMIN_KEY "\"},\"clock\":{\"mode\":\"frozen\","
             "\"time\":\"2030-01-01T08:00:00Z\"},\"users\":[{\"id\":\"" FX_USER "\","
             "\"role\":\"USER\",\"accessKey\":\"Zml4dHVyZS11c2VyLWFjY2Vzcy1rZXktMDA=\"%s}]}]}",
             user_extra);
}

START_TEST(a_fixture_makes_a_legacy_device)
{
    /* A user has one device: not a phone and a legacy one. */
    struct invalid_body bad = {NULL, {"/systems/0/users/0/legacyOperatingDeviceId", NULL}};
    char doc[2048];
    struct tenant t = {0};
    struct http_response r;

    ck_assert_msg(emu_ok, "the emulator did not start");
    fixture_doc(doc, sizeof(doc), ",\"phone\":true,\"legacyOperatingDeviceId\":\"" FX_LEGACY "\"");
    bad.body = doc;
    expect_control_invalid_bodies("/fixtures", &bad, 1);
    fixture_doc(doc, sizeof(doc), ",\"legacyOperatingDeviceId\":\"" FX_LEGACY "\"");
    json_object_put(control("POST", "/fixtures", doc, 201));
    snprintf(t.system_id, sizeof(t.system_id), FX_SYSTEM);
    snprintf(t.api_key, sizeof(t.api_key), "legacy-fixture-api-key-01");
    ck_assert_int_eq(tenant_login(&emu, &t, FX_ADMIN, FX_ADMIN_KEY, t.token, sizeof(t.token)), 200);
    admin_strict(&t, "DELETE", "/operating-device/" FX_LEGACY, NULL, 409, &r);
    ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), "legacy"));
    http_response_free(&r);
    expect_status(&t, "DELETE", "/user/" FX_USER, NULL, 204);
    ck_assert_uint_eq(admin_count(&t, "/operating-device"), 0);
}
END_TEST

START_TEST(legacy_refuses_bad_bodies_and_unknown_systems_or_users)
{
    static const struct invalid_body cases[] = {
        {"{}", {"userId", NULL}},
        {"{\"userId\":\"nope\"}", {"userId", NULL}},
    };
    struct site s;
    char path[160];

    site_init(&s);
    snprintf(path, sizeof(path), "/systems/%s/legacy-operating-devices", s.t.system_id);
    expect_control_invalid_bodies(path, cases, N(cases));
    expect_control_problem("POST", path, "{\"userId\":\"" UNKNOWN_ID "\"}", 404);
    expect_control_problem("POST", "/systems/" UNKNOWN_ID "/legacy-operating-devices",
                           "{\"userId\":\"" UNKNOWN_ID "\"}", 404);
}
END_TEST

/* ---- persistence --------------------------------------------------------------------- */

static void assert_conditions(const struct site *s, int failing)
{
    char path[160];
    json_object *o = hardware_lock(s);

    ck_assert_str_eq(jstr(o, "battery"), failing ? "EMPTY" : "OK");
    ck_assert_int_eq(jbool(o, "inGatewayRange"), !failing);
    json_object_put(o);
    snprintf(path, sizeof(path), "/hardware/gateway-devices/%s", s->gateway_serial);
    o = control("GET", path, NULL, 200);
    ck_assert_int_eq(jbool(o, "poweredOff"), failing);
    json_object_put(o);
    o = visit(s, 1);
    ck_assert_int_eq(jbool(o, "online"), !failing);
    json_object_put(o);
}

START_TEST(the_failure_paths_survive_a_restart_and_a_snapshot)
{
    const char *args[] = {"--db", db_path, NULL};
    struct site s;

    site_init(&s);
    json_object_put(control("POST", "/snapshots", "{\"name\":\"working\"}", 201));
    gateway_action(&s, "power-off", 200);
    json_object_put(set_state(&s, "{\"battery\":\"EMPTY\",\"inGatewayRange\":false}", 200));
    set_network(&s, 0);
    ck_assert_int_eq(emu_stop(&emu), 0);
    ck_assert_int_eq(emu_restart(&emu, args), 0);
    assert_conditions(&s, 1);
    json_object_put(control("POST", "/snapshots", "{\"name\":\"failing\"}", 201));
    json_object_put(control("POST", "/snapshots/working/restore", NULL, 200));
    assert_conditions(&s, 0);
    json_object_put(control("POST", "/snapshots/failing/restore", NULL, 200));
    assert_conditions(&s, 1);
}
END_TEST

static Suite *failure_paths_suite(void)
{
    Suite *s = suite_create("failure_paths");
    TCase *gateways = tcase_create("gateways"), *locks = tcase_create("locks");
    TCase *phones = tcase_create("phones"), *legacy = tcase_create("legacy");
    TCase *all[] = {gateways, locks, phones, legacy};
    TCase *files = tcase_create("persistence");

    tcase_add_test(gateways, an_unpowered_gateway_lets_commands_expire_unread);
    tcase_add_test(gateways, an_unpowered_gateway_logs_no_heartbeat_and_power_on_reboots_it);
    tcase_add_test(gateways, an_unpowered_gateways_locks_keep_their_entries_for_a_phone);
    tcase_add_test(gateways, power_off_of_an_unknown_gateway_is_not_found);
    tcase_add_test(locks, state_answers_and_shows_the_lock);
    tcase_add_test(locks, an_empty_battery_refuses_a_visit_and_logs_nothing);
    tcase_add_test(locks, an_empty_battery_leaves_a_remote_command_unrun);
    tcase_add_test(locks, a_low_battery_logs_battery_low_once_and_still_works);
    tcase_add_test(locks, out_of_range_a_lock_does_not_wake_its_gateway);
    tcase_add_test(locks, state_refuses_bad_bodies_and_unknown_or_unclaimed_locks);
    tcase_add_test(phones, a_phone_without_network_visits_offline);
    tcase_add_test(phones, a_phone_without_network_cannot_claim);
    tcase_add_test(phones, the_autopilots_visits_of_a_phone_without_network_are_offline);
    tcase_add_test(phones, network_refuses_bad_bodies_and_unknown_phones);
    tcase_add_test(legacy, a_legacy_device_is_deleted_only_with_its_user);
    tcase_add_test(legacy, a_legacy_phone_opens_locks_like_any_other);
    tcase_add_test(legacy, legacy_refuses_bad_bodies_and_unknown_systems_or_users);
    tcase_add_test(legacy, a_fixture_makes_a_legacy_device);
    for (size_t i = 0; i < N(all); i++) {
        tcase_add_unchecked_fixture(all[i], emu_setup, emu_teardown);
        tcase_set_timeout(all[i], 120);
        suite_add_tcase(s, all[i]);
    }
    /* The fixture follows the restart, so this case runs in the runner's own process. */
    tcase_add_unchecked_fixture(files, file_setup, emu_teardown);
    tcase_set_timeout(files, 120);
    tcase_add_test(files, the_failure_paths_survive_a_restart_and_a_snapshot);
    suite_add_tcase(s, files);
    return s;
}

int main(void)
{
    return run_suite_nofork(failure_paths_suite());
}
