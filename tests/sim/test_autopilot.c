/*
 * test_autopilot.c — 700 days of a site left to itself (DESIGN.md §4, §5): phones of users
 * with permissions visiting their locks by day, locks reporting low batteries, gateways
 * waking daily, certificates re-keyed by the phones before they expire, all in ONE clock
 * advance. The advance's duration is a benchmark's business (tests/bench/bench_advance.c);
 * here only what happened is checked. The emulator runs with --seed 42, so the activity is
 * the same on every run.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "scenario.h"

#define MIDNIGHT_CLOCK "{\"clock\":{\"mode\":\"frozen\",\"time\":\"2030-01-01T00:00:00Z\"}}"
#define MIDNIGHT "2030-01-01T00:00:00Z"
#define END "2031-12-02T00:00:00Z" /* MIDNIGHT + 700 days */
#define LOCKS 4
#define GATEWAYS 2
/* Far above any lock's entries in 700 days. */
#define SEQ_MAX 20000
/* The harness's 30 s are too short for the advance in sanitizer builds. */
#define ADVANCE_TIMEOUT_S 600L

struct site {
    struct tenant t;
    char users[LOCKS][64], phones[LOCKS][64], locks[LOCKS][64], gateways[GATEWAYS][64];
};

/* ---- helpers ------------------------------------------------------------------------- */

static void new_site(struct tenant *t)
{
    new_tenant_from(t, MIDNIGHT_CLOCK);
}

/* POST .../clock/advance with a long timeout; returns the summary (caller puts) and logs
 * the admin in again. */
static json_object *advance_long(struct tenant *t, const char *body)
{
    return advance_clock_within(t, body, ADVANCE_TIMEOUT_S);
}

/* The seeded emulator every site here runs on. */
static void seeded_setup(void)
{
    const char *args[] = {"--seed", "42", NULL};

    emu_setup_with(args);
}

static json_object *autopilot(const struct tenant *t, const char *body)
{
    char path[128];

    snprintf(path, sizeof(path), "/systems/%s/autopilot", t->system_id);
    return control("POST", path, body, 200);
}

/* A user with an activated phone, who claims a new lock and may open it for three years. */
static void add_resident(struct site *s, size_t i)
{
    char body[512], path[128];

    make_phone(&s->t, s->users[i], s->phones[i], NULL);
    new_lock(&s->t, "Door", s->locks[i]);
    json_object_put(
        claim_new_lock(s->phones[i], s->locks[i], "{\"hardwareModel\":\"SWING_HANDLE\"}", NULL));
    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"" MIDNIGHT "\","
             "\"end\":\"2033-01-01T00:00:00Z\"}",
             s->users[i], s->locks[i]);
    post_id(&s->t, "/permission", body, path);
}

/* A powered gateway for locks [first, first + n). */
static void add_gateway(struct site *s, size_t g, size_t first, size_t n)
{
    char body[256], id[64];

    new_gateway(&s->t, s->gateways[g], NULL);
    for (size_t i = first; i < first + n; i++) {
        snprintf(body, sizeof(body), "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\"}",
                 s->gateways[g], s->locks[i]);
        post_id(&s->t, "/gateway-device-association", body, id);
    }
    snprintf(body, sizeof(body), "/gateway-devices/%s/power-on", s->gateways[g]);
    json_object_put(control("POST", body, NULL, 200));
}

static int lock_index(const struct site *s, const char *id)
{
    for (int i = 0; id != NULL && i < LOCKS; i++)
        if (strcmp(s->locks[i], id) == 0)
            return i;
    return -1;
}

/* What 700 days produced, counted per lock and gateway. */
struct tally {
    size_t eligible[LOCKS], csr[LOCKS], issued[LOCKS], completed[LOCKS];
    size_t heartbeats[GATEWAYS], v1, v2, battery, granted, daytime, after_end;
    unsigned char *seen[LOCKS]; /* sequence numbers uploaded, to find duplicates */
    size_t duplicates;
};

static void count_rekeying(const struct site *s, json_object *e, const char *type, struct tally *c)
{
    int i = lock_index(s, jstr(e, "lockingDeviceId"));

    if (i < 0)
        return;
    c->eligible[i] += strcmp(type, "LockingDeviceCertificateEligibleForReKeying") == 0;
    c->csr[i] += strcmp(type, "LockingDeviceCertificateSigningRequestCreated") == 0;
    c->issued[i] += strcmp(type, "LockingDeviceCertificateIssued") == 0;
    /* Each completion must follow an eligibility of its own. */
    if (strcmp(type, "LockingDeviceCertificateReKeyingCompleted") == 0) {
        ck_assert_uint_gt(c->eligible[i], c->completed[i]);
        c->completed[i]++;
    }
}

/* A lock entry: once per (lock, sequence number); audit entries made by day. */
static void count_entry(const struct site *s, json_object *e, const char *type, struct tally *c)
{
    int i = lock_index(s, jstr(e, "lockingDeviceId"));
    int64_t seq = jint(e, "logEntrySequenceNumber");
    const char *at = jstr(e, "logEntryDatetime");
    int hour;

    ck_assert_int_ge(i, 0);
    ck_assert_msg(at != NULL && strlen(at) == 20, "logEntryDatetime %s", at ? at : "missing");
    hour = (at[11] - '0') * 10 + (at[12] - '0');
    ck_assert(seq > 0 && seq < SEQ_MAX);
    if (strcmp(type, "LockingDeviceAuditLogEntryReceived") == 0) {
        c->v1++;
        return; /* its V2 twin is the one counted below */
    }
    c->duplicates += c->seen[i][seq]++ != 0;
    if (strcmp(type, "LockingDeviceSystemLogEntryReceived") == 0) {
        c->battery += strcmp(jstr(e, "logEntryEventName"), "BATTERY_LOW") == 0;
        return;
    }
    c->v2++;
    c->granted += jbool(e, "granted") == 1;
    c->daytime += hour >= 7 && hour < 20;
    ck_assert_pstr_eq(jstr(e, "client.type"), "OPERATING_DEVICE");
}

static void count_event(const struct site *s, json_object *e, struct tally *c)
{
    const char *type = jstr(e, "eventType");

    c->after_end += strcmp(jstr(e, "occurredDatetime"), END) > 0;
    if (strncmp(type, "LockingDeviceCertificate", 24) == 0)
        count_rekeying(s, e, type, c);
    else if (strncmp(type, "LockingDevice", 13) == 0 && strstr(type, "LogEntryReceived"))
        count_entry(s, e, type, c);
    else if (strcmp(type, "GatewayDeviceSystemLogEntryReceived") == 0 &&
             strcmp(jstr(e, "logEntry.bootReason"), "HEARTBEAT") == 0)
        for (int g = 0; g < GATEWAYS; g++)
            c->heartbeats[g] += strcmp(jstr(e, "gatewayDeviceId"), s->gateways[g]) == 0;
    else
        ck_assert_msg(strcmp(type, "RemoteCommandAcknowledged") != 0, "no command was issued");
}

/* ---- the stories ---------------------------------------------------------------------- */

START_TEST(seven_hundred_days_with_gateways_and_autopilot)
{
    struct site s;
    struct tally c = {0};
    json_object *o, *list, *page;
    size_t before;

    new_site(&s.t);
    for (size_t i = 0; i < LOCKS; i++)
        add_resident(&s, i);
    add_gateway(&s, 0, 0, 2);
    add_gateway(&s, 1, 2, 2);
    o = autopilot(&s.t, "{\"enabled\":true,\"opensPerUserPerDay\":2,\"batteryEventsPerMonth\":2}");
    ck_assert_int_eq(jbool(o, "enabled"), 1);
    json_object_put(o);
    list = system_events(&s.t, NULL);
    before = json_object_array_length(list);
    json_object_put(list);

    o = advance_long(&s.t, "{\"by\":\"P700D\"}");
    ck_assert_pstr_eq(jstr(o, "now"), END);
    ck_assert_int_eq(jbool(o, "truncated"), 0);
    /* At least a planning job a day and a heartbeat a day for each gateway, plus visits. */
    ck_assert_int_gt(jint(o, "jobsRun"), 700 * (1 + GATEWAYS) + 700 * LOCKS);
    list = system_events(&s.t, NULL);
    ck_assert_int_eq(jint(o, "eventsEmitted"), (int64_t)(json_object_array_length(list) - before));
    json_object_put(o);

    for (size_t i = 0; i < LOCKS; i++)
        c.seen[i] = calloc(SEQ_MAX, 1);
    for (size_t i = before; i < json_object_array_length(list); i++)
        count_event(&s, json_object_array_get_idx(list, i), &c);
    json_object_put(list);

    ck_assert_uint_eq(c.after_end, 0);
    for (size_t g = 0; g < GATEWAYS; g++)
        ck_assert_uint_eq(c.heartbeats[g], 700);
    /* A year's certificate, re-keyed in each window: twice in 700 days, once per step. */
    for (size_t i = 0; i < LOCKS; i++) {
        ck_assert_uint_eq(c.eligible[i], 2);
        ck_assert_uint_eq(c.completed[i], 2);
        ck_assert_uint_eq(c.csr[i], 2);
        ck_assert_uint_eq(c.issued[i], 2);
        free(c.seen[i]);
    }
    ck_assert_uint_eq(c.duplicates, 0);
    ck_assert_uint_gt(c.battery, 0);
    ck_assert_uint_eq(c.v1, c.v2); /* phones only: every entry has both versions */
    ck_assert_uint_gt(c.v2, 700 * LOCKS);
    ck_assert_uint_eq(c.daytime, c.v2);
    ck_assert_uint_eq(c.granted, c.v2);

    /* Every lock is still in service: its certificate outlives the 700 days. */
    page = admin(&s.t, "GET", "/locking-device?claiming-status=CLAIMED", NULL, 200);
    ck_assert_uint_eq(json_object_array_length(jget(page, "items")), LOCKS);
    for (size_t i = 0; i < LOCKS; i++) {
        json_object *d = json_object_array_get_idx(jget(page, "items"), i);
        ck_assert_str_gt(jstr(d, "operationalCertificate.expirationDatetime"), END);
    }
    json_object_put(page);
}
END_TEST

START_TEST(switched_off_the_site_falls_quiet)
{
    struct site s;
    json_object *o, *list;
    size_t visits;

    new_site(&s.t);
    add_resident(&s, 0);
    o = autopilot(&s.t, "{\"enabled\":true,\"opensPerUserPerDay\":6,\"batteryEventsPerMonth\":0}");
    json_object_put(o);
    json_object_put(advance_long(&s.t, "{\"by\":\"P3D\"}"));
    list = system_events(&s.t, "LockingDeviceAuditLogEntryReceivedV2");
    visits = json_object_array_length(list);
    ck_assert_uint_gt(visits, 0);
    json_object_put(list);

    o = autopilot(&s.t, "{\"enabled\":false}");
    ck_assert_int_eq(jbool(o, "enabled"), 0);
    json_object_put(o);
    o = advance_long(&s.t, "{\"by\":\"P10D\"}");
    ck_assert_int_eq(jint(o, "jobsRun"), 0);
    ck_assert_int_eq(jint(o, "eventsEmitted"), 0);
    json_object_put(o);

    json_object_put(autopilot(&s.t, "{\"enabled\":true,\"opensPerUserPerDay\":6}"));
    json_object_put(advance_long(&s.t, "{\"by\":\"P3D\"}"));
    list = system_events(&s.t, "LockingDeviceAuditLogEntryReceivedV2");
    ck_assert_uint_gt(json_object_array_length(list), visits);
    json_object_put(list);
}
END_TEST

static Suite *autopilot_suite(void)
{
    Suite *s = suite_create("sim_autopilot");
    TCase *tc = tcase_create("autopilot");

    tcase_add_unchecked_fixture(tc, seeded_setup, emu_teardown);
    tcase_set_timeout(tc, 280);
    tcase_add_test(tc, seven_hundred_days_with_gateways_and_autopilot);
    tcase_add_test(tc, switched_off_the_site_falls_quiet);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(autopilot_suite());
}
