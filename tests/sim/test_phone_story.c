/*
 * test_phone_story.c — a phone's whole life at a lock, told through the public surfaces
 * (DESIGN.md §5): invitation → activation → claim → permission → granted visit →
 * revocation → still granted offline with the cached operating key → denied once that key
 * expires; and an offline key that opens only within its window, for its own phone.
 *
 * One emulator serves the file; every test makes its own system on a frozen clock and
 * checks the visit answers, the events in order and the log endpoints.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "scenario.h"

/* ---- helpers ------------------------------------------------------------------------- */

/* A factory-fresh lock claimed by phone into a new placeholder; returns the claim answer. */
static json_object *make_lock(const struct tenant *t, const char *phone_id, char lock_id[64],
                              char serial[64])
{
    new_lock(t, "Front door", lock_id);
    return claim_new_lock(phone_id, lock_id, PADLOCK, serial);
}

/* A visit answer: granted or not, whose audit entry has this sequence number. */
static void expect_visit(json_object *v, int granted, int64_t sequence, const char *reason)
{
    ck_assert_int_eq(jbool(v, "granted"), granted);
    ck_assert_int_eq(jbool(v, "sessionRefused"), 0);
    ck_assert_int_eq(jbool(v, "auditLogEntry.granted"), granted);
    ck_assert_int_eq(jint(v, "auditLogEntry.sequenceNumber"), sequence);
    ck_assert_pstr_eq(jstr(v, "reason"), reason);
}

/* The V1 and V2 audit events of one entry, at index i and i + 1. */
static void expect_audit_pair(json_object *list, size_t i, int64_t sequence, const char *name,
                              int granted, const char *entry_at, const char *received_at,
                              const char *phone_id, const char *user_id, const char *lock_id)
{
    json_object *v1 = json_object_array_get_idx(list, i);
    json_object *v2 = json_object_array_get_idx(list, i + 1);

    ck_assert_pstr_eq(jstr(v1, "eventType"), "LockingDeviceAuditLogEntryReceived");
    ck_assert_pstr_eq(jstr(v2, "eventType"), "LockingDeviceAuditLogEntryReceivedV2");
    ck_assert_pstr_eq(jstr(v1, "logEntryId"), jstr(v2, "logEntryId"));
    ck_assert_int_eq(jint(v1, "logEntrySequenceNumber"), sequence);
    ck_assert_int_eq(jint(v2, "logEntrySequenceNumber"), sequence);
    ck_assert_pstr_eq(jstr(v1, "logEntryEventName"), name);
    ck_assert_pstr_eq(jstr(v2, "logEntryEventName"), name);
    ck_assert_int_eq(jbool(v1, "granted"), granted);
    ck_assert_int_eq(jbool(v2, "granted"), granted);
    ck_assert_pstr_eq(jstr(v1, "logEntryDatetime"), entry_at);
    ck_assert_pstr_eq(jstr(v2, "logEntryDatetime"), entry_at);
    assert_strings(v1, (const char *const[]){"occurredDatetime", received_at, "lockingDeviceId",
                                             lock_id, "operatingDeviceId", phone_id, "userId",
                                             user_id, NULL});
    assert_strings(v2, (const char *const[]){"client.type", "OPERATING_DEVICE",
                                             "client.operatingDeviceId", phone_id, "client.userId",
                                             user_id, NULL});
}

/* The audit log endpoint's entries of lock_id, oldest first: sequence numbers and granted. */
static void expect_audit_log(const struct tenant *t, const char *lock_id, const int64_t *seqs,
                             const int *granted, size_t n)
{
    char path[256];
    json_object *page, *items;

    snprintf(path, sizeof(path), "/locking-device-audit-log?locking-device-id=%s&limit=100",
             lock_id);
    page = admin(t, "GET", path, NULL, 200);
    items = jget(page, "items");
    ck_assert_uint_eq(json_object_array_length(items), n);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(items, i);
        ck_assert_int_eq(jint(e, "sequenceNumber"), seqs[i]);
        ck_assert_int_eq(jbool(e, "granted"), granted[i]);
        ck_assert_pstr_eq(jstr(e, "client.type"), "OPERATING_DEVICE");
    }
    json_object_put(page);
}

/* The lock's entries not yet on the platform, as the hardware view shows them. */
static size_t pending_entries(const char *serial, const char *held_by)
{
    char path[128];
    json_object *hw, *pending;
    size_t n = 0;

    snprintf(path, sizeof(path), "/hardware/locking-devices/%s", serial);
    hw = control("GET", path, NULL, 200);
    pending = jget(hw, "pendingLogEntries");
    for (size_t i = 0; i < json_object_array_length(pending); i++)
        n += strcmp(jstr(json_object_array_get_idx(pending, i), "heldBy"), held_by) == 0;
    json_object_put(hw);
    return n;
}

/* ---- the story ------------------------------------------------------------------------ */

/* Invitation, activation, claim: the phone's and the lock's first events. */
static void story_begins(struct tenant *t, char user[64], char phone[64], char lock[64],
                         char serial[64])
{
    static const char *const types[] = {"UserCreated",
                                        "UserCreated",
                                        "OperatingDeviceCreated",
                                        "OperatingDeviceActivated",
                                        "LockingDeviceClaimed",
                                        "LockingDeviceSystemLogEntryReceived",
                                        NULL};
    char invitation[64], path[256];
    json_object *claimed, *list, *ev;

    make_phone(t, user, phone, invitation);
    claimed = make_lock(t, phone, lock, serial);
    ck_assert_pstr_eq(jstr(claimed, "claimingStatus"), "CLAIMED");
    ck_assert_pstr_eq(jstr(claimed, "serialNumber"), serial);
    /* The lock's certificates start when it is installed: a year on the system's clock. */
    ck_assert_pstr_eq(jstr(claimed, "operationalCertificate.expirationDatetime"),
                      "2031-01-01T08:00:00Z");
    json_object_put(claimed);

    snprintf(path, sizeof(path), "/operating-device?user-id=%s", user);
    list = admin(t, "GET", path, NULL, 200);
    ck_assert_uint_eq(json_object_array_length(jget(list, "items")), 1);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(jget(list, "items"), 0), "id"), phone);
    json_object_put(list);

    list = system_events(t, NULL);
    expect_types(list, 0, types);
    ev = json_object_array_get_idx(list, 1);
    ck_assert_pstr_eq(jstr(ev, "userId"), user);
    ck_assert_pstr_eq(jstr(ev, "role"), "USER");
    ev = json_object_array_get_idx(list, 2);
    assert_strings(ev, (const char *const[]){"operatingDeviceId", phone, "userId", user,
                                             "invitationId", invitation, NULL});
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, 3), "operatingDeviceId"), phone);
    ev = json_object_array_get_idx(list, 4);
    assert_strings(ev, (const char *const[]){"lockingDeviceId", lock, "userId", user,
                                             "serialNumber", serial, NULL});
    ev = json_object_array_get_idx(list, 5);
    ck_assert_pstr_eq(jstr(ev, "logEntryEventName"), "BOOT");
    ck_assert_int_eq(jint(ev, "logEntrySequenceNumber"), 1);
    ck_assert_pstr_eq(jstr(ev, "lockingDeviceId"), lock);
    ck_assert_pstr_eq(jstr(ev, "logEntryDatetime"), T0);
    json_object_put(list);
}

START_TEST(invitation_to_denial_after_revocation)
{
    static const int64_t seqs[] = {2, 3, 4, 5, 6};
    static const int granted[] = {0, 1, 1, 0, 0};
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], permission[64], body[512], path[128];
    json_object *v, *list;

    new_system(&t);
    story_begins(&t, user, phone, lock, serial);

    /* Before any permission the lock says no, and the online phone reports it at once.
     * (Visits are a minute apart: the audit log sorts entries by time, then by id.) */
    advance(&t, "{\"by\":\"PT1M\"}");
    v = visit(phone, lock, "unlock", 1, NULL);
    expect_visit(v, 0, 2, "the phone holds no operating key for this lock and operation");
    ck_assert_int_eq(jint(v, "keysDownloaded"), 0);
    ck_assert_int_eq(jint(v, "uploaded"), 1);
    json_object_put(v);

    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2030-01-01T00:00:00Z\","
             "\"end\":\"2030-02-01T00:00:00Z\",\"operatingKeyValidityDuration\":\"P3D\"}",
             user, lock);
    post_id(&t, "/permission", body, permission);

    /* Online: the phone downloads its key first, then the lock grants. */
    advance(&t, "{\"by\":\"PT1M\"}");
    v = visit(phone, lock, "unlock", 1, NULL);
    expect_visit(v, 1, 3, NULL);
    ck_assert_pstr_eq(jstr(v, "auditLogEntry.eventName"), "unlock");
    ck_assert_pstr_eq(jstr(v, "auditLogEntry.occurrenceDatetime"), "2030-01-01T08:02:00Z");
    ck_assert_int_eq(jint(v, "keysDownloaded"), 1);
    ck_assert_int_eq(jint(v, "uploaded"), 1);
    ck_assert_int_eq(jbool(v, "reKeying.csrCreated"), 0);
    json_object_put(v);

    /* Revoked on the platform; the key on the phone stays valid for its three days. */
    snprintf(path, sizeof(path), "/permission/%s", permission);
    json_object_put(admin(&t, "DELETE", path, NULL, 204));
    json_object_put(admin(&t, "GET", path, NULL, 404));
    advance(&t, "{\"by\":\"PT1H\"}");
    v = visit(phone, lock, "unlock", 0, NULL);
    expect_visit(v, 1, 4, NULL);
    ck_assert_int_eq(jint(v, "keysDownloaded"), 0);
    ck_assert_int_eq(jint(v, "uploaded"), 0);
    json_object_put(v);
    ck_assert_uint_eq(pending_entries(serial, phone), 1); /* carried, not uploaded */

    /* Three days after the download the cached key has expired. */
    advance(&t, "{\"to\":\"2030-01-04T08:02:00Z\"}");
    v = visit(phone, lock, "unlock", 0, NULL);
    expect_visit(v, 0, 5, "the operating key expired; the phone must sync");
    json_object_put(v);
    ck_assert_uint_eq(pending_entries(serial, phone), 2);

    /* Online again: no key comes down for a revoked permission; the carried entries go up. */
    advance(&t, "{\"by\":\"PT1M\"}");
    v = visit(phone, lock, "lock", 1, NULL);
    expect_visit(v, 0, 6, "the phone holds no operating key for this lock and operation");
    ck_assert_int_eq(jint(v, "keysDownloaded"), 0);
    ck_assert_int_eq(jint(v, "uploaded"), 3);
    json_object_put(v);
    ck_assert_uint_eq(pending_entries(serial, phone), 0);

    list = system_events(&t, NULL);
    ck_assert_uint_eq(json_object_array_length(list), 16);
    expect_audit_pair(list, 6, 2, "unlock", 0, "2030-01-01T08:01:00Z", "2030-01-01T08:01:00Z",
                      phone, user, lock);
    expect_audit_pair(list, 8, 3, "unlock", 1, "2030-01-01T08:02:00Z", "2030-01-01T08:02:00Z",
                      phone, user, lock);
    expect_audit_pair(list, 10, 4, "unlock", 1, "2030-01-01T09:02:00Z", "2030-01-04T08:03:00Z",
                      phone, user, lock);
    expect_audit_pair(list, 12, 5, "unlock", 0, "2030-01-04T08:02:00Z", "2030-01-04T08:03:00Z",
                      phone, user, lock);
    expect_audit_pair(list, 14, 6, "lock", 0, "2030-01-04T08:03:00Z", "2030-01-04T08:03:00Z", phone,
                      user, lock);
    json_object_put(list);
    expect_audit_log(&t, lock, seqs, granted, 5);
}
END_TEST

/* A system log entry the lock makes between visits reaches the platform with the next
 * online visit, with its own sequence number and time. */
START_TEST(lock_events_travel_with_the_phone)
{
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], path[256];
    json_object *o, *list, *ev;

    new_system(&t);
    story_begins(&t, user, phone, lock, serial);
    advance(&t, "{\"by\":\"PT2H\"}");
    snprintf(path, sizeof(path), "/locking-devices/%s/system-events", lock);
    o = control("POST", path, "{\"eventName\":\"BATTERY_LOW\"}", 201);
    ck_assert_int_eq(jint(o, "sequenceNumber"), 2);
    json_object_put(o);
    ck_assert_uint_eq(pending_entries(serial, "LOCK"), 1);
    advance(&t, "{\"by\":\"PT1H\"}");

    json_object_put(visit(phone, lock, "unlock", 1, NULL));
    list = system_events(&t, "LockingDeviceSystemLogEntryReceived");
    ck_assert_uint_eq(json_object_array_length(list), 2);
    ev = json_object_array_get_idx(list, 1);
    ck_assert_pstr_eq(jstr(ev, "logEntryEventName"), "BATTERY_LOW");
    ck_assert_int_eq(jint(ev, "logEntrySequenceNumber"), 2);
    ck_assert_pstr_eq(jstr(ev, "logEntryDatetime"), "2030-01-01T10:00:00Z");
    ck_assert_pstr_eq(jstr(ev, "occurredDatetime"), "2030-01-01T11:00:00Z");
    json_object_put(list);

    snprintf(path, sizeof(path), "/locking-device-system-log?locking-device-id=%s", lock);
    o = admin(&t, "GET", path, NULL, 200);
    ck_assert_uint_eq(json_object_array_length(jget(o, "items")), 2);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(jget(o, "items"), 0), "eventName"), "BOOT");
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(jget(o, "items"), 1), "eventName"),
                      "BATTERY_LOW");
    json_object_put(o);
}
END_TEST

/* An offline key opens (and locks) for its own phone within its window, nothing else. */
START_TEST(offline_key_opens_only_within_its_window)
{
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], other_user[64], other[64], inv[64];
    char body[512], key[1400];
    json_object *o, *v;

    new_system(&t);
    story_begins(&t, user, phone, lock, serial);
    make_phone(&t, other_user, other, inv);
    snprintf(body, sizeof(body),
             "{\"operatingDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\",\"startDatetime\":\"" T0
             "\",\"endDatetime\":\"2030-01-01T10:00:00Z\",\"deliveryMechanism\":\"NONE\"}",
             phone, lock);
    o = admin(&t, "POST", "/offline-key", body, 201);
    ck_assert_ptr_nonnull(jstr(o, "primaryKey.value"));
    snprintf(key, sizeof(key), "%s", jstr(o, "primaryKey.value"));
    json_object_put(o);

    v = visit(phone, lock, "unlock", 0, key); /* no permission: the key alone opens */
    expect_visit(v, 1, 2, NULL);
    json_object_put(v);
    v = visit(phone, lock, "update-time", 0, key);
    expect_visit(v, 0, 3, "offline keys allow only unlock and lock");
    json_object_put(v);
    v = visit(other, lock, "unlock", 0, key);
    expect_visit(v, 0, 4, "offline key: wrong device");
    json_object_put(v);

    advance(&t, "{\"to\":\"2030-01-01T10:00:00Z\"}");
    v = visit(phone, lock, "lock", 1, key);
    expect_visit(v, 0, 5, "offline key: expired");
    ck_assert_int_eq(jint(v, "uploaded"), 3); /* its own two earlier entries and this one */
    json_object_put(v);
}
END_TEST

/* A visit's answer: granted or refused for reason, after a sync that left n keys (n < 0:
 * an offline visit, no sync). */
static void expect_keys_visit(json_object *v, int granted, const char *reason, int n)
{
    ck_assert_int_eq(jbool(v, "granted"), granted);
    ck_assert_pstr_eq(jstr(v, "reason"), reason);
    if (n >= 0)
        ck_assert_int_eq(jint(v, "keysDownloaded"), n);
    json_object_put(v);
}

static void permission_body(const char *user, const char *lock, const char *end,
                            const char *validity, char *body, size_t cap)
{
    snprintf(body, cap,
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2030-01-01T00:00:00Z\","
             "\"end\":\"%s\",\"operatingKeyValidityDuration\":\"%s\"}",
             user, lock, end, validity);
}

/* A sync where no permission changed only renews the phone's keys; any change to the
 * system's permissions (a replacement, a cascade from a deleted lock) and any permission that
 * ended since make it download them again. */
START_TEST(keys_follow_every_permission_change)
{
    struct tenant t;
    char user[64], phone[64], lock_a[64], serial_a[64], lock_b[64], serial_b[64];
    char p1[64], p2[64], body[512], path[128];

    new_system(&t);
    story_begins(&t, user, phone, lock_a, serial_a);
    json_object_put(make_lock(&t, phone, lock_b, serial_b));
    permission_body(user, lock_a, "2030-01-10T00:00:00Z", "P2D", body, sizeof(body));
    post_id(&t, "/permission", body, p1);
    permission_body(user, lock_b, "2030-02-01T00:00:00Z", "P2D", body, sizeof(body));
    post_id(&t, "/permission", body, p2);

    advance(&t, "{\"by\":\"PT1M\"}"); /* Jan 1 08:01: both keys, valid until Jan 3 08:01 */
    expect_keys_visit(visit(phone, lock_a, "unlock", 1, NULL), 1, NULL, 2);
    advance(&t, "{\"by\":\"P1D\"}"); /* nothing changed: the keys now run to Jan 4 08:01 */
    expect_keys_visit(visit(phone, lock_b, "unlock", 1, NULL), 1, NULL, 2);
    advance(&t, "{\"by\":\"P1DT12H\"}"); /* Jan 3 20:01, past the first download's two days */
    expect_keys_visit(visit(phone, lock_a, "unlock", 0, NULL), 1, NULL, -1);

    /* Replaced: the next sync copies the new validity. */
    permission_body(user, lock_b, "2030-02-01T00:00:00Z", "P1D", body, sizeof(body));
    snprintf(path, sizeof(path), "/permission/%s", p2);
    json_object_put(admin(&t, "PUT", path, body, 204));
    advance(&t, "{\"by\":\"PT1M\"}"); /* Jan 3 20:02: valid until Jan 4 20:02 */
    expect_keys_visit(visit(phone, lock_b, "unlock", 1, NULL), 1, NULL, 2);
    advance(&t, "{\"by\":\"P1DT1H\"}");
    expect_keys_visit(visit(phone, lock_b, "unlock", 0, NULL), 0,
                      "the operating key expired; the phone must sync", -1);

    /* P1 ended on Jan 10: the platform hands out no key for it, the phone holds none. */
    advance(&t, "{\"to\":\"2030-01-10T01:00:00Z\"}");
    expect_keys_visit(visit(phone, lock_a, "unlock", 1, NULL), 0,
                      "the phone holds no operating key for this lock and operation", 1);

    /* Deleting lock B deletes P2 by cascade: its key goes at the next sync. */
    snprintf(path, sizeof(path), "/locking-device/%s", lock_b);
    json_object_put(admin(&t, "DELETE", path, NULL, 204));
    advance(&t, "{\"by\":\"PT1M\"}");
    expect_keys_visit(visit(phone, lock_a, "unlock", 1, NULL), 0,
                      "the phone holds no operating key for this lock and operation", 0);
    (void)p1;
}
END_TEST

static Suite *phone_story_suite(void)
{
    Suite *s = suite_create("sim_phone_story");
    TCase *tc = tcase_create("story");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, invitation_to_denial_after_revocation);
    tcase_add_test(tc, lock_events_travel_with_the_phone);
    tcase_add_test(tc, offline_key_opens_only_within_its_window);
    tcase_add_test(tc, keys_follow_every_permission_change);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(phone_story_suite());
}
