/*
 * test_rekeying.c — a lock's operational certificate renewed through phones (DESIGN.md §5;
 * reference: "re-keying of a locking device certificate"): eligibility at expiry minus the
 * re-keying window, online re-keying in one visit, offline re-keying in two visits (the CSR
 * and the certificate travel with the phone's syncs), the four events
 * LockingDeviceCertificateEligibleForReKeying → ...SigningRequestCreated → ...Issued →
 * ...ReKeyingCompleted exactly once each and in order, and a lock whose certificate expired
 * refusing every session.
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

/* A physical lock made from hardware (the body of POST /hardware/locking-devices), claimed
 * by phone into a new placeholder; returns the claim answer (the locking device). */
static json_object *claim_lock(const struct tenant *t, const char *phone_id, const char *hardware,
                               char lock_id[64], char serial[64])
{
    new_lock(t, "Gate", lock_id);
    return claim_new_lock(phone_id, lock_id, hardware, serial);
}

/* The re-keying steps a visit reports. */
static void expect_rekey(json_object *v, int csr, int issued, int installed, const char *stage)
{
    ck_assert_int_eq(jbool(v, "granted"), 1);
    ck_assert_int_eq(jbool(v, "reKeying.csrCreated"), csr);
    if (issued >= 0)
        ck_assert_int_eq(jbool(v, "reKeying.certificateIssued"), issued);
    ck_assert_int_eq(jbool(v, "reKeying.certificateInstalled"), installed);
    ck_assert_pstr_eq(jstr(v, "reKeying.stage"), stage);
}

/* One session without an offline key whose answer must report these re-keying steps. */
static void visit_expecting(const char *phone_id, const char *lock_id, const char *operation,
                            int online, int csr, int issued, int installed, const char *stage)
{
    json_object *v = visit(phone_id, lock_id, operation, online, NULL);

    expect_rekey(v, csr, issued, installed, stage);
    json_object_put(v);
}

static size_t count_type(json_object *list, const char *type, size_t *first)
{
    size_t n = 0;

    for (size_t i = json_object_array_length(list); i-- > 0;)
        if (strcmp(jstr(json_object_array_get_idx(list, i), "eventType"), type) == 0) {
            n++;
            *first = i;
        }
    return n;
}

/* The four re-keying events of lock, each exactly once and in order; the completion names
 * the new certificate's expiration. */
static void expect_four_events(const struct tenant *t, const char *lock, const char *old_expiry,
                               const char *new_expiry)
{
    static const char *const order[] = {ELIGIBLE, CSR_CREATED, ISSUED, COMPLETED};
    json_object *list = system_events(t, NULL), *e;
    size_t at[4] = {0};

    for (size_t i = 0; i < 4; i++) {
        size_t n = count_type(list, order[i], &at[i]);
        if (n != 1) /* the whole log helps, but is too long for a Check message */
            fprintf(stderr, "events: %s\n", json_object_to_json_string(list));
        ck_assert_msg(n == 1, "%s: %zu times, want once (events on stderr)", order[i], n);
        e = json_object_array_get_idx(list, at[i]);
        ck_assert_pstr_eq(jstr(e, "lockingDeviceId"), lock);
        ck_assert_pstr_eq(jstr(e, "certificateProfile"), "OPERATIONAL");
        if (i > 0)
            ck_assert_msg(at[i - 1] < at[i], "%s before %s", order[i], order[i - 1]);
    }
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, at[0]), "certificateExpirationDatetime"),
                      old_expiry);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, at[3]), "certificateExpirationDatetime"),
                      new_expiry);
    json_object_put(list);
}

/* The platform's view and the lock's own agree on the installed certificate. */
static void expect_certificate(const struct tenant *t, const char *lock, const char *serial,
                               const char *expiry, int eligible)
{
    json_object *d = device_of(t, lock), *hw = hardware_of(serial);

    ck_assert_pstr_eq(jstr(d, "operationalCertificate.expirationDatetime"), expiry);
    ck_assert_int_eq(jbool(d, "operationalCertificate.eligibleForReKeying"), eligible);
    ck_assert_pstr_eq(jstr(hw, "operationalCertificate.expirationDatetime"), expiry);
    json_object_put(d);
    json_object_put(hw);
}

/* A new system where user's phone claimed a lock made from hardware (as claim_lock) and may
 * open it (permit); returns the claim answer (caller puts). */
static json_object *story_lock(struct tenant *t, char user[64], char phone[64],
                               const char *hardware, char lock[64], char serial[64])
{
    json_object *claimed;

    new_system(t);
    make_phone(t, user, phone, NULL);
    claimed = claim_lock(t, phone, hardware, lock, serial);
    permit_open(t, user, lock);
    return claimed;
}

/* ---- the stories ---------------------------------------------------------------------- */

START_TEST(eligible_at_expiry_minus_window_and_rekeyed_online_in_one_visit)
{
    static const char *const visit_events[] = {CSR_CREATED,  ISSUED,    V1,  V2,
                                               SYSTEM_ENTRY, COMPLETED, NULL};
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], old_pem[4096], path[256];
    json_object *o, *list, *v;
    size_t before;

    o = story_lock(&t, user, phone,
                   "{\"hardwareModel\":\"PADLOCK\",\"operationalCertificateLifetime\":\"P40D\","
                   "\"reKeyingWindow\":\"P10D\"}",
                   lock, serial);
    ck_assert_pstr_eq(jstr(o, "operationalCertificate.expirationDatetime"), "2030-02-10T08:00:00Z");
    ck_assert_int_eq(jbool(o, "operationalCertificate.eligibleForReKeying"), 0);
    json_object_put(o);
    o = hardware_of(serial);
    snprintf(old_pem, sizeof(old_pem), "%s", jstr(o, "operationalCertificate.certificatePem"));
    json_object_put(o);

    /* Not a second early: the window opens 10 days before the 40-day certificate ends. */
    advance(&t, "{\"to\":\"2030-01-31T07:59:59Z\"}");
    list = system_events(&t, ELIGIBLE);
    ck_assert_uint_eq(json_object_array_length(list), 0);
    json_object_put(list);
    advance(&t, "{\"by\":\"PT1S\"}");
    list = system_events(&t, ELIGIBLE);
    ck_assert_uint_eq(json_object_array_length(list), 1);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, 0), "occurredDatetime"),
                      "2030-01-31T08:00:00Z");
    json_object_put(list);
    expect_certificate(&t, lock, serial, "2030-02-10T08:00:00Z", 1);

    advance(&t, "{\"by\":\"PT1H\"}");
    list = system_events(&t, NULL);
    before = json_object_array_length(list);
    json_object_put(list);
    v = visit(phone, lock, "unlock", 1, NULL);
    expect_rekey(v, 1, 1, 1, "NONE");
    ck_assert_int_eq(jint(v, "auditLogEntry.sequenceNumber"), 2);
    json_object_put(v);
    list = system_events(&t, NULL);
    expect_types(list, before, visit_events);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, before + 4), "logEntryEventName"),
                      "CERTIFICATE_REKEYED");
    ck_assert_int_eq(jint(json_object_array_get_idx(list, before + 4), "logEntrySequenceNumber"),
                     3);
    json_object_put(list);
    expect_four_events(&t, lock, "2030-02-10T08:00:00Z", "2030-03-12T09:00:00Z");
    expect_certificate(&t, lock, serial, "2030-03-12T09:00:00Z", 0);
    o = hardware_of(serial);
    ck_assert_str_ne(jstr(o, "operationalCertificate.certificatePem"), old_pem);
    ck_assert_pstr_eq(jstr(o, "reKeyingStage"), "NONE");
    json_object_put(o);

    snprintf(path, sizeof(path), "/locking-device-system-log?locking-device-id=%s", lock);
    o = admin(&t, "GET", path, NULL, 200);
    ck_assert_uint_eq(json_object_array_length(jget(o, "items")), 2);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(jget(o, "items"), 1), "eventName"),
                      "CERTIFICATE_REKEYED");
    json_object_put(o);

    /* Done: the next visit re-keys nothing, and the new certificate has its own window. */
    visit_expecting(phone, lock, "lock", 1, 0, 0, 0, "NONE");
    advance(&t, "{\"to\":\"2030-03-02T09:00:00Z\"}");
    list = system_events(&t, ELIGIBLE);
    ck_assert_uint_eq(json_object_array_length(list), 2);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, 1), "certificateExpirationDatetime"),
                      "2030-03-12T09:00:00Z");
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, 1), "occurredDatetime"),
                      "2030-03-02T09:00:00Z");
    json_object_put(list);
}
END_TEST

/* Offline: visit 1 makes the CSR, which the phone's next sync delivers (the platform issues
 * the certificate); visit 2 installs it, and the sync after it completes the process. */
START_TEST(offline_rekeying_takes_two_visits)
{
    static const char *const sync1_events[] = {CSR_CREATED, ISSUED, V1, V2, NULL};
    static const char *const sync2_events[] = {V1, V2, SYSTEM_ENTRY, COMPLETED, NULL};
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], path[256];
    json_object *o, *list;
    size_t before;

    json_object_put(
        story_lock(&t, user, phone, "{\"hardwareModel\":\"SWING_HANDLE\"}", lock, serial));
    json_object_put(sync_phone(phone));
    snprintf(path, sizeof(path), "/testing/locking-device/%s/re-key", lock);
    json_object_put(admin(&t, "POST", path, NULL, 204));
    expect_certificate(&t, lock, serial, "2031-01-01T08:00:00Z", 1);

    advance(&t, "{\"by\":\"PT1M\"}");
    list = system_events(&t, NULL);
    before = json_object_array_length(list);
    json_object_put(list);
    visit_expecting(phone, lock, "unlock", 0, 1, 0, 0, "CSR_CREATED");
    list = system_events(&t, NULL);
    ck_assert_uint_eq(json_object_array_length(list), before); /* the CSR is on the phone */
    json_object_put(list);
    o = hardware_of(serial);
    ck_assert_pstr_eq(jstr(o, "reKeyingStage"), "CSR_CREATED");
    json_object_put(o);

    advance(&t, "{\"by\":\"PT1M\"}");
    o = sync_phone(phone);
    ck_assert_int_eq(jint(o, "certificatesIssued"), 1);
    ck_assert_int_eq(jint(o, "entriesUploaded"), 1);
    json_object_put(o);
    list = system_events(&t, NULL);
    expect_types(list, before, sync1_events);
    before = json_object_array_length(list);
    json_object_put(list);
    o = hardware_of(serial);
    ck_assert_pstr_eq(jstr(o, "reKeyingStage"), "ISSUED");
    json_object_put(o);
    expect_certificate(&t, lock, serial, "2031-01-01T08:00:00Z", 1); /* not installed yet */

    advance(&t, "{\"by\":\"PT1M\"}");
    visit_expecting(phone, lock, "lock", 0, 0, 0, 1, "NONE");
    o = hardware_of(serial);
    ck_assert_pstr_eq(jstr(o, "operationalCertificate.expirationDatetime"),
                      "2031-01-01T08:02:00Z"); /* a year from its issuance */
    json_object_put(o);

    advance(&t, "{\"by\":\"PT1M\"}");
    o = sync_phone(phone);
    ck_assert_int_eq(jint(o, "certificatesIssued"), 0);
    ck_assert_int_eq(jint(o, "entriesUploaded"), 2);
    json_object_put(o);
    list = system_events(&t, NULL);
    expect_types(list, before, sync2_events);
    json_object_put(list);
    expect_four_events(&t, lock, "2031-01-01T08:00:00Z", "2031-01-01T08:02:00Z");
    expect_certificate(&t, lock, serial, "2031-01-01T08:02:00Z", 0);
}
END_TEST

/* The CSR made offline reaches the platform with the next online visit's sync, and that
 * same visit installs the certificate: one CSR event and one certificate, not two. */
START_TEST(offline_csr_then_online_visit_installs_once)
{
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], path[256];

    json_object_put(
        story_lock(&t, user, phone, "{\"hardwareModel\":\"KEY_DEPOSIT\"}", lock, serial));
    json_object_put(sync_phone(phone));
    snprintf(path, sizeof(path), "/testing/locking-device/%s/re-key", lock);
    json_object_put(admin(&t, "POST", path, NULL, 204));

    advance(&t, "{\"by\":\"PT1M\"}");
    visit_expecting(phone, lock, "unlock", 0, 1, 0, 0, "CSR_CREATED");
    advance(&t, "{\"by\":\"PT1M\"}");
    visit_expecting(phone, lock, "unlock", 1, 0, -1, 1, "NONE");
    expect_four_events(&t, lock, "2031-01-01T08:00:00Z", "2031-01-01T08:02:00Z");
    expect_certificate(&t, lock, serial, "2031-01-01T08:02:00Z", 0);
}
END_TEST

/* Re-keying started too late: the lock refuses every session from the instant its
 * certificate expires, online or offline, and logs nothing. */
START_TEST(expired_certificate_refuses_sessions)
{
    static const char *const late_events[] = {CSR_CREATED, ISSUED, V1, V2, NULL};
    static const char *const operations[] = {"unlock", "lock", "update-time", "update-firmware"};
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], path[256];
    json_object *o, *list, *v;
    size_t before;

    o = story_lock(&t, user, phone,
                   "{\"hardwareModel\":\"CONTROLLER\",\"operationalCertificateLifetime\":\"P1D\","
                   "\"reKeyingWindow\":\"PT1H\"}",
                   lock, serial);
    ck_assert_pstr_eq(jstr(o, "operationalCertificate.expirationDatetime"), "2030-01-02T08:00:00Z");
    json_object_put(o);
    visit_expecting(phone, lock, "unlock", 1, 0, 0, 0, "NONE");

    advance(&t, "{\"to\":\"2030-01-02T07:00:00Z\"}");
    list = system_events(&t, ELIGIBLE);
    ck_assert_uint_eq(json_object_array_length(list), 1);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, 0), "certificateExpirationDatetime"),
                      "2030-01-02T08:00:00Z");
    json_object_put(list);

    /* One second before the end an offline visit is still served and starts re-keying. */
    advance(&t, "{\"to\":\"2030-01-02T07:59:59Z\"}");
    v = visit(phone, lock, "unlock", 0, NULL);
    expect_rekey(v, 1, 0, 0, "CSR_CREATED");
    ck_assert_int_eq(jint(v, "auditLogEntry.sequenceNumber"), 3);
    json_object_put(v);

    advance(&t, "{\"by\":\"PT1S\"}");
    list = system_events(&t, NULL);
    before = json_object_array_length(list);
    json_object_put(list);
    for (size_t i = 0; i < 4; i++) {
        for (int online = 1; online >= 0; online--) {
            v = visit(phone, lock, operations[i], online, NULL);
            ck_assert_int_eq(jbool(v, "sessionRefused"), 1);
            ck_assert_int_eq(jbool(v, "granted"), 0);
            ck_assert_pstr_eq(jstr(v, "reason"), "the lock refused the session: its operational "
                                                 "certificate expired at 2030-01-02T08:00:00Z");
            ck_assert_ptr_null(jget(v, "auditLogEntry"));
            ck_assert_ptr_null(jget(v, "reKeying"));
            json_object_put(v);
        }
    }
    /* The phone's own syncs still happened: the carried CSR and entry went up; the lock
     * logged nothing new and installed nothing. */
    list = system_events(&t, NULL);
    expect_types(list, before, late_events);
    ck_assert_int_eq(jint(json_object_array_get_idx(list, before + 3), "logEntrySequenceNumber"),
                     3);
    json_object_put(list);
    o = hardware_of(serial);
    ck_assert_uint_eq(json_object_array_length(jget(o, "pendingLogEntries")), 0);
    ck_assert_pstr_eq(jstr(o, "reKeyingStage"), "ISSUED");
    ck_assert_pstr_eq(jstr(o, "operationalCertificate.expirationDatetime"), "2030-01-02T08:00:00Z");
    json_object_put(o);
    snprintf(path, sizeof(path), "/locking-device-audit-log?locking-device-id=%s", lock);
    o = admin(&t, "GET", path, NULL, 200);
    ck_assert_uint_eq(json_object_array_length(jget(o, "items")), 2);
    json_object_put(o);
}
END_TEST

static Suite *rekeying_suite(void)
{
    Suite *s = suite_create("sim_rekeying");
    TCase *tc = tcase_create("rekeying");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, eligible_at_expiry_minus_window_and_rekeyed_online_in_one_visit);
    tcase_add_test(tc, offline_rekeying_takes_two_visits);
    tcase_add_test(tc, offline_csr_then_online_visit_installs_once);
    tcase_add_test(tc, expired_certificate_refuses_sessions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(rekeying_suite());
}
