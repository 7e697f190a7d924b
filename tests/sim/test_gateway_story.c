/*
 * test_gateway_story.c — a gateway's life (DESIGN.md §5; reference: gateway devices,
 * associations, remote commands): claimed by its label's code (PENDING_ACTIVATION),
 * activated by power-on, woken by its lock 10 s after a command is issued, acknowledging
 * and running it (RemoteCommandAcknowledged, GatewayDeviceAuditLogEntryReceived and
 * LockingDeviceAuditLogEntryReceivedV2 — never V1), a cancelled command never run, a
 * command expiring unread, and the daily heartbeat that uploads a BOOT entry and the
 * associated locks' logs.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "scenario.h"

#define ACKNOWLEDGED "RemoteCommandAcknowledged"
#define GW_AUDIT "GatewayDeviceAuditLogEntryReceived"
#define GW_SYSTEM "GatewayDeviceSystemLogEntryReceived"

/* ---- helpers ------------------------------------------------------------------------- */

static void expect_advance(struct tenant *t, const char *body, int64_t jobs, int64_t events)
{
    json_object *o = advance_clock(t, body);

    ck_assert_int_eq(jint(o, "jobsRun"), jobs);
    ck_assert_int_eq(jint(o, "eventsEmitted"), events);
    ck_assert_int_eq(jbool(o, "truncated"), 0);
    json_object_put(o);
}

/* A claimed lock: a user's phone claims a factory-fresh padlock into a placeholder. */
static void make_lock(const struct tenant *t, char lock_id[64], char serial[64])
{
    char user[64], phone[64];

    make_phone(t, user, phone, NULL);
    new_lock(t, "Gate", lock_id);
    json_object_put(claim_new_lock(phone, lock_id, PADLOCK, serial));
}

/* A physical gateway claimed by the code on its label; not powered on yet. */
static void claim_gateway(const struct tenant *t, char gateway_id[64], char serial[64])
{
    char body[128];
    json_object *hw = control("POST", "/hardware/gateway-devices", NULL, 201), *g;

    ck_assert_pstr_eq(jstr(hw, "hardwareModel"), "BEAT_GW_A1");
    snprintf(serial, 64, "%s", jstr(hw, "serialNumber"));
    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", jstr(hw, "claimingCode"));
    json_object_put(hw);
    g = admin(t, "POST", "/gateway-device", body, 201);
    ck_assert_pstr_eq(jstr(g, "serialNumber"), serial);
    ck_assert_pstr_eq(jstr(g, "activationStatus"), "PENDING_ACTIVATION");
    snprintf(gateway_id, 64, "%s", jstr(g, "id"));
    json_object_put(g);
}

static json_object *power_on(const char *gateway_id)
{
    char path[128];

    snprintf(path, sizeof(path), "/gateway-devices/%s/power-on", gateway_id);
    return control("POST", path, NULL, 200);
}

static void associate(const struct tenant *t, const char *gateway, const char *lock, char id[64])
{
    char body[256];

    snprintf(body, sizeof(body), "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\"}", gateway,
             lock);
    post_id(t, "/gateway-device-association", body, id);
}

/* Issues an OPEN command; returns its id in id and checks its five-minute validity. */
static void command(const struct tenant *t, const char *gateway, const char *lock, const char *from,
                    const char *until, char id[64])
{
    char body[256];
    json_object *c;

    snprintf(body, sizeof(body),
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\",\"action\":\"OPEN\"}", gateway,
             lock);
    c = admin(t, "POST", "/remote-command", body, 201);
    assert_strings(c, (const char *const[]){"validityStartDatetime", from, "validityEndDatetime",
                                            until, "issuerUserId", t->admin_id, NULL});
    ck_assert_ptr_null(jget(c, "acknowledgementDatetime"));
    snprintf(id, 64, "%s", jstr(c, "id"));
    json_object_put(c);
}

static json_object *get(const struct tenant *t, const char *fmt, const char *id)
{
    char path[256];

    snprintf(path, sizeof(path), fmt, id);
    return admin(t, "GET", path, NULL, 200);
}

static json_object *wake(const char *gateway_id)
{
    char path[128];

    snprintf(path, sizeof(path), "/gateway-devices/%s/wake", gateway_id);
    return control("POST", path, NULL, 200);
}

/* An activated gateway associated with a claimed lock, in a new system. */
static void site(struct tenant *t, char gateway[64], char lock[64], char association[64])
{
    char serial[64], gateway_serial[64];

    new_system(t);
    make_lock(t, lock, serial);
    claim_gateway(t, gateway, gateway_serial);
    associate(t, gateway, lock, association);
    json_object_put(power_on(gateway));
}

/* ---- the stories ---------------------------------------------------------------------- */

START_TEST(claim_power_on_and_acknowledged_command)
{
    static const char *const powered[] = {"GatewayDeviceActivated", GW_SYSTEM, NULL};
    static const char *const woken[] = {ACKNOWLEDGED, GW_AUDIT, V2, NULL};
    struct tenant t;
    char lock[64], serial[64], gateway[64], gateway_serial[64], association[64], cmd[64];
    char body[256], path[256];
    json_object *o, *list, *e;
    size_t before;

    new_system(&t);
    make_lock(&t, lock, serial);
    claim_gateway(&t, gateway, gateway_serial);
    associate(&t, gateway, lock, association); /* allowed before activation */
    snprintf(body, sizeof(body),
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\",\"action\":\"OPEN\"}", gateway,
             lock);
    json_object_put(admin(&t, "POST", "/remote-command", body, 409)); /* not activated */

    list = system_events(&t, NULL);
    before = json_object_array_length(list);
    json_object_put(list);
    o = power_on(gateway);
    ck_assert_pstr_eq(jstr(o, "activationStatus"), "ACTIVATED");
    ck_assert_pstr_eq(jstr(o, "activationDatetime"), T0);
    json_object_put(o);
    list = system_events(&t, NULL);
    expect_types(list, before, powered);
    e = json_object_array_get_idx(list, before);
    ck_assert_pstr_eq(jstr(e, "gatewayDeviceId"), gateway);
    e = json_object_array_get_idx(list, before + 1);
    assert_strings(e, (const char *const[]){"gatewayDeviceId", gateway, "logEntry.eventName",
                                            "BOOT", "logEntry.bootReason", "POWER_ON",
                                            "logEntry.hardwareModel", "BEAT_GW_A1", NULL});
    ck_assert_int_eq(jint(e, "logEntry.sequenceNumber"), 1);
    before = json_object_array_length(list);
    json_object_put(list);
    snprintf(path, sizeof(path), "/hardware/gateway-devices/%s", gateway_serial);
    o = control("GET", path, NULL, 200);
    ck_assert_pstr_eq(jstr(o, "claimedBy.gatewayDeviceId"), gateway);
    json_object_put(o);

    /* The lock wakes its gateway ten seconds after the command is issued. */
    expect_advance(&t, "{\"by\":\"PT1M\"}", 0, 0);
    command(&t, gateway, lock, "2030-01-01T08:01:00Z", "2030-01-01T08:06:00Z", cmd);
    expect_advance(&t, "{\"by\":\"PT9S\"}", 0, 0);
    expect_advance(&t, "{\"by\":\"PT1S\"}", 1, 3);
    list = system_events(&t, NULL);
    expect_types(list, before, woken);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, before), "remoteCommandId"), cmd);
    e = json_object_array_get_idx(list, before + 1);
    ck_assert_pstr_eq(jstr(e, "gatewayDeviceId"), gateway);
    ck_assert_int_eq(jint(e, "logEntry.sequenceNumber"), 2);
    assert_strings(e, (const char *const[]){"logEntry.datetime", "2030-01-01T08:01:10Z",
                                            "logEntry.conversationName", "open",
                                            "logEntry.lockingDeviceId", lock,
                                            "logEntry.remoteCommandId", cmd, NULL});
    e = json_object_array_get_idx(list, before + 2);
    assert_strings(e, (const char *const[]){"lockingDeviceId", lock, "client.type",
                                            "GATEWAY_DEVICE", "client.gatewayDeviceId", gateway,
                                            "client.remoteCommandId", cmd, NULL});
    ck_assert_int_eq(jbool(e, "granted"), 1);
    ck_assert_int_eq(jint(e, "logEntrySequenceNumber"), 2);
    ck_assert_pstr_eq(jstr(e, "logEntryDatetime"), "2030-01-01T08:01:10Z");
    json_object_put(list);
    list = system_events(&t, V1);
    ck_assert_uint_eq(json_object_array_length(list), 0); /* never V1 for a gateway */
    json_object_put(list);

    o = get(&t, "/remote-command/%s", cmd);
    ck_assert_pstr_eq(jstr(o, "acknowledgementDatetime"), "2030-01-01T08:01:10Z");
    json_object_put(o);
    snprintf(path, sizeof(path), "/remote-command/%s/cancel", cmd);
    json_object_put(admin(&t, "POST", path, NULL, 409));

    /* The log endpoints say the same. */
    o = get(&t, "/gateway-device-audit-log?gateway-device-id=%s", gateway);
    ck_assert_uint_eq(json_object_array_length(jget(o, "items")), 1);
    e = json_object_array_get_idx(jget(o, "items"), 0);
    ck_assert_pstr_eq(jstr(e, "conversationName"), "open");
    ck_assert_pstr_eq(jstr(e, "remoteCommandId"), cmd);
    json_object_put(o);
    o = get(&t, "/gateway-device-system-log?gateway-device-id=%s", gateway);
    ck_assert_uint_eq(json_object_array_length(jget(o, "items")), 1);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(jget(o, "items"), 0), "bootReason"),
                      "POWER_ON");
    json_object_put(o);
    o = get(&t, "/locking-device-audit-log?locking-device-id=%s", lock);
    ck_assert_uint_eq(json_object_array_length(jget(o, "items")), 1);
    e = json_object_array_get_idx(jget(o, "items"), 0);
    ck_assert_pstr_eq(jstr(e, "client.type"), "GATEWAY_DEVICE");
    ck_assert_pstr_eq(jstr(e, "client.remoteCommandId"), cmd);
    ck_assert_int_eq(jbool(e, "granted"), 1);
    json_object_put(o);
}
END_TEST

START_TEST(cancelled_command_never_runs)
{
    struct tenant t;
    char lock[64], gateway[64], association[64], cmd[64], path[256];
    json_object *o, *list;

    site(&t, gateway, lock, association);
    command(&t, gateway, lock, T0, "2030-01-01T08:05:00Z", cmd);
    expect_advance(&t, "{\"by\":\"PT5S\"}", 0, 0);
    snprintf(path, sizeof(path), "/remote-command/%s/cancel", cmd);
    json_object_put(admin(&t, "POST", path, NULL, 204));
    json_object_put(admin(&t, "POST", path, NULL, 409)); /* cancelled already */
    o = get(&t, "/remote-command/%s", cmd);
    ck_assert_pstr_eq(jstr(o, "cancelerUserId"), t.admin_id);
    ck_assert_pstr_eq(jstr(o, "cancellationDatetime"), "2030-01-01T08:00:05Z");
    ck_assert_ptr_null(jget(o, "acknowledgementDatetime"));
    json_object_put(o);

    expect_advance(&t, "{\"by\":\"PT1M\"}", 1, 0); /* the lock's wake-up finds nothing */
    o = wake(gateway);
    ck_assert_int_eq(jint(o, "commandsRun"), 0);
    json_object_put(o);
    o = get(&t, "/remote-command/%s", cmd);
    ck_assert_ptr_null(jget(o, "acknowledgementDatetime"));
    json_object_put(o);
    list = system_events(&t, ACKNOWLEDGED);
    ck_assert_uint_eq(json_object_array_length(list), 0);
    json_object_put(list);
}
END_TEST

/* Associations define which locks a gateway controls, and only an associated lock wakes
 * it: a command whose lock was dissociated before the wake-up is never read, and once its
 * five minutes are over no wake-up runs it. */
START_TEST(command_expires_unread_when_its_lock_is_dissociated)
{
    struct tenant t;
    char lock[64], gateway[64], association[64], again[64], cmd[64], path[256];
    json_object *o, *list;

    site(&t, gateway, lock, association);
    command(&t, gateway, lock, T0, "2030-01-01T08:05:00Z", cmd);
    snprintf(path, sizeof(path), "/gateway-device-association/%s", association);
    json_object_put(admin(&t, "DELETE", path, NULL, 204));
    advance(&t, "{\"to\":\"2030-01-01T08:05:00Z\"}");
    o = get(&t, "/remote-command/%s", cmd);
    ck_assert_ptr_null(jget(o, "acknowledgementDatetime"));
    json_object_put(o);

    associate(&t, gateway, lock, again);
    o = wake(gateway); /* at the end of its validity: expired */
    ck_assert_int_eq(jint(o, "commandsRun"), 0);
    json_object_put(o);
    list = system_events(&t, ACKNOWLEDGED);
    ck_assert_uint_eq(json_object_array_length(list), 0);
    json_object_put(list);
    list = system_events(&t, GW_AUDIT);
    ck_assert_uint_eq(json_object_array_length(list), 0);
    json_object_put(list);
}
END_TEST

/* A command is run once: woken by hand at once, the gateway runs it, and the wake-up its
 * lock causes ten seconds later finds nothing left to do. */
START_TEST(command_runs_once)
{
    struct tenant t;
    char lock[64], gateway[64], association[64], cmd[64];
    json_object *o;

    site(&t, gateway, lock, association);
    command(&t, gateway, lock, T0, "2030-01-01T08:05:00Z", cmd);
    o = wake(gateway); /* woken by hand at once: it runs */
    ck_assert_int_eq(jint(o, "commandsRun"), 1);
    json_object_put(o);
    o = get(&t, "/remote-command/%s", cmd);
    ck_assert_pstr_eq(jstr(o, "acknowledgementDatetime"), T0);
    json_object_put(o);
    expect_advance(&t, "{\"by\":\"PT10S\"}", 1, 0); /* its lock's wake-up: nothing left */
}
END_TEST

START_TEST(daily_heartbeat_uploads_boot_and_lock_entries)
{
    struct tenant t;
    char lock[64], gateway[64], association[64], other[64], other_serial[64], path[256];
    json_object *o, *list, *e;

    site(&t, gateway, lock, association);
    make_lock(&t, other, other_serial); /* not associated: its entries wait for a phone */
    expect_advance(&t, "{\"by\":\"PT1H\"}", 0, 0);
    snprintf(path, sizeof(path), "/locking-devices/%s/system-events", lock);
    json_object_put(control("POST", path, "{\"eventName\":\"BATTERY_LOW\"}", 201));
    snprintf(path, sizeof(path), "/locking-devices/%s/system-events", other);
    json_object_put(control("POST", path, "{\"eventName\":\"BATTERY_LOW\"}", 201));

    expect_advance(&t, "{\"to\":\"2030-01-02T08:00:00Z\"}", 1, 2);
    list = system_events(&t, NULL);
    e = json_object_array_get_idx(list, json_object_array_length(list) - 2);
    ck_assert_pstr_eq(jstr(e, "eventType"), GW_SYSTEM);
    ck_assert_pstr_eq(jstr(e, "logEntry.bootReason"), "HEARTBEAT");
    ck_assert_int_eq(jint(e, "logEntry.sequenceNumber"), 2);
    ck_assert_pstr_eq(jstr(e, "logEntry.datetime"), "2030-01-02T08:00:00Z");
    e = json_object_array_get_idx(list, json_object_array_length(list) - 1);
    assert_strings(e,
                   (const char *const[]){"eventType", "LockingDeviceSystemLogEntryReceived",
                                         "lockingDeviceId", lock, "logEntryEventName",
                                         "BATTERY_LOW", "logEntryDatetime", "2030-01-01T09:00:00Z",
                                         "occurredDatetime", "2030-01-02T08:00:00Z", NULL});
    json_object_put(list);

    expect_advance(&t, "{\"by\":\"P2D\"}", 2, 2);
    o = get(&t, "/gateway-device-system-log?gateway-device-id=%s", gateway);
    ck_assert_uint_eq(json_object_array_length(jget(o, "items")), 4);
    for (size_t i = 1; i < 4; i++) {
        e = json_object_array_get_idx(jget(o, "items"), i);
        ck_assert_pstr_eq(jstr(e, "bootReason"), "HEARTBEAT");
        ck_assert_int_eq(jint(e, "sequenceNumber"), (int64_t)i + 1);
    }
    json_object_put(o);
    snprintf(path, sizeof(path), "/hardware/locking-devices/%s", other_serial);
    o = control("GET", path, NULL, 200);
    ck_assert_uint_eq(json_object_array_length(jget(o, "pendingLogEntries")), 1);
    json_object_put(o);

    /* Powered on again: a reboot, not a second activation. */
    o = power_on(gateway);
    json_object_put(o);
    list = system_events(&t, "GatewayDeviceActivated");
    ck_assert_uint_eq(json_object_array_length(list), 1);
    json_object_put(list);
    list = system_events(&t, GW_SYSTEM);
    ck_assert_uint_eq(json_object_array_length(list), 5);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, 4), "logEntry.bootReason"), "POWER_ON");
    json_object_put(list);
}
END_TEST

static Suite *gateway_story_suite(void)
{
    Suite *s = suite_create("sim_gateway_story");
    TCase *tc = tcase_create("gateway");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, claim_power_on_and_acknowledged_command);
    tcase_add_test(tc, cancelled_command_never_runs);
    tcase_add_test(tc, command_expires_unread_when_its_lock_is_dissociated);
    tcase_add_test(tc, command_runs_once);
    tcase_add_test(tc, daily_heartbeat_uploads_boot_and_lock_entries);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(gateway_story_suite());
}
