/*
 * test_id_order.c — within one instant of a system's clock, sorting by id gives the order in
 * which the platform recorded things (the reference sorts logs by datetime, then id). Events
 * and lock log entries carry version-7 ids whose time prefix is the instant and whose next
 * bits are the row's place: tested for a burst at one frozen instant, a story whose events
 * share an instant, a restart and a snapshot's restore, with the prefix never ahead of the
 * clock.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define INSTANT_PREFIX "01b8dac5-b400-7" /* 2030-01-01T00:00:00Z in milliseconds */
#define BURST 400

static char db_path[256];

static void file_setup(void)
{
    emu_ok = emu_start_file(&emu, "order.db", db_path, sizeof(db_path)) == 0;
}

/* The log's ids strictly increase, every one at the frozen instant, from index `from`. */
static void assert_ids_in_log_order(json_object *events, size_t from)
{
    const char *previous = "";

    for (size_t i = from; i < json_object_array_length(events); i++) {
        const char *id = jstr(json_object_array_get_idx(events, i), "eventId");
        ck_assert_msg(strncmp(id, INSTANT_PREFIX, strlen(INSTANT_PREFIX)) == 0,
                      "event %zu (%s) is not at the frozen instant", i, id);
        ck_assert_msg(strcmp(previous, id) < 0, "event %zu: %s sorts before %s", i, id, previous);
        previous = id;
    }
}

START_TEST(a_burst_at_one_instant_sorts_as_recorded)
{
    struct tenant t;
    char user[64];
    json_object *events;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    for (int i = 0; i < BURST; i++)
        new_user(&t, user);
    events = system_events(&t, NULL);
    ck_assert_uint_eq(json_object_array_length(events), BURST + 1);
    assert_ids_in_log_order(events, 0);
    json_object_put(events);
}
END_TEST

/* Accepting an invitation records OperatingDeviceCreated, then ...Activated, in one instant. */
START_TEST(a_story_sorts_as_it_happened)
{
    struct tenant t;
    char user[64], phone[64];
    json_object *events;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    make_phone(&t, user, phone, NULL);
    events = system_events(&t, NULL);
    assert_ids_in_log_order(events, 0);
    ck_assert_str_eq(
        jstr(json_object_array_get_idx(events, json_object_array_length(events) - 2), "eventType"),
        "OperatingDeviceCreated");
    ck_assert_str_eq(
        jstr(json_object_array_get_idx(events, json_object_array_length(events) - 1), "eventType"),
        "OperatingDeviceActivated");
    json_object_put(events);
}
END_TEST

/* Lock log entries of one instant, too: an online visit at a frozen instant, several times. */
START_TEST(lock_entries_of_one_instant_sort_as_recorded)
{
    struct tenant t;
    char user[64], phone[64], lock[64], body[512], path[256];
    json_object *claimed, *log;
    const char *previous = "";
    int64_t last_sequence = 0;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    make_phone(&t, user, phone, NULL);
    new_lock(&t, "Order Gate", lock);
    claimed = claim_new_lock(phone, lock, PADLOCK, NULL);
    json_object_put(claimed);
    snprintf(body, sizeof(body),
             "{\"permissionType\":\"SINGLE_INTERVAL\",\"userId\":\"%s\",\"lockingDeviceId\":\"%s\","
             "\"operationType\":\"OPEN\",\"start\":\"2020-01-01T00:00:00Z\",\"end\":\"2040-01-"
             "01T00:00:00Z\"}",
             user, lock);
    json_object_put(admin(&t, "POST", "/permission", body, 201));
    snprintf(path, sizeof(path), "/operating-devices/%s/visit", phone);
    snprintf(body, sizeof(body),
             "{\"lockingDeviceId\":\"%s\",\"operation\":\"unlock\",\"online\":true}", lock);
    for (int i = 0; i < 5; i++)
        json_object_put(control("POST", path, body, 200));
    snprintf(path, sizeof(path), "/locking-device-audit-log?locking-device-id=%s&limit=100", lock);
    log = admin(&t, "GET", path, NULL, 200);
    ck_assert_uint_eq(json_object_array_length(member(log, "items")), 5);
    for (size_t i = 0; i < 5; i++) {
        json_object *e = json_object_array_get_idx(member(log, "items"), i);
        ck_assert_msg(strcmp(previous, jstr(e, "id")) < 0, "entry %zu sorts before the one before",
                      i);
        ck_assert_int_gt(jint(e, "sequenceNumber"), last_sequence);
        previous = jstr(e, "id");
        last_sequence = jint(e, "sequenceNumber");
    }
    json_object_put(log);
}
END_TEST

/* After a restart, and after a restore, new ids of the same instant still sort last. */
START_TEST(order_survives_restart_and_restore)
{
    static const char *const args[] = {"--db", db_path, NULL};
    struct tenant t;
    char user[64];
    json_object *events;
    size_t before;

    new_tenant_from(&t, FROZEN_AT("2030-01-01T00:00:00Z"));
    for (int i = 0; i < 20; i++)
        new_user(&t, user);
    ck_assert_int_eq(emu_stop(&emu), 0);
    ck_assert_int_eq(emu_restart(&emu, args), 0);
    relogin_admin(&t);
    new_user(&t, user);
    events = system_events(&t, NULL);
    assert_ids_in_log_order(events, 0);
    before = json_object_array_length(events);
    json_object_put(events);

    json_object_put(control("POST", "/snapshots", "{\"name\":\"order\"}", 201));
    for (int i = 0; i < 30; i++)
        new_user(&t, user); /* these go with the restore */
    json_object_put(control("POST", "/snapshots/order/restore", NULL, 200));
    relogin_admin(&t);
    new_user(&t, user);
    events = system_events(&t, NULL);
    ck_assert_uint_eq(json_object_array_length(events), before + 1);
    assert_ids_in_log_order(events, 0);
    json_object_put(events);
}
END_TEST

static Suite *id_order_suite(void)
{
    Suite *s = suite_create("id_order");
    TCase *tc = tcase_create("id_order");

    tcase_add_unchecked_fixture(tc, file_setup, emu_teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, a_burst_at_one_instant_sorts_as_recorded);
    tcase_add_test(tc, a_story_sorts_as_it_happened);
    tcase_add_test(tc, lock_entries_of_one_instant_sort_as_recorded);
    tcase_add_test(tc, order_survives_restart_and_restore);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite_nofork(id_order_suite());
}
