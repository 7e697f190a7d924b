/*
 * test_rekeying_manufacturing.c — a lock's manufacturing certificate renewed through phones,
 * as the operational one is (reference: "A physical locking device has two key pairs and
 * certificates: operational and manufacturing ... This process is called re-keying of a
 * locking device certificate"): eligibility at expiry minus the re-keying window, online in
 * one visit, offline in two, both profiles in progress at once with every event naming its
 * profile, the completion's expiry equal to the installed certificate's notAfter, the
 * Administration API's manufacturingCertificate following along, the testing endpoint
 * re-keying the operational certificate only ("Initiates the re-key process for the
 * operational certificate"), and a lock whose manufacturing certificate lapsed no longer
 * operable ("If the certificate of the locking device is not re-keyed in time, the locking
 * device will stop being operable"): by phones, online or offline, and by its gateway.
 */
#include <check.h>
#include <json-c/json.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "scenario.h"

#define OP "OPERATIONAL"
#define MFG "MANUFACTURING"
#define OP_REKEYED "CERTIFICATE_REKEYED"
#define MFG_REKEYED "MANUFACTURING_CERTIFICATE_REKEYED"

/* Only the manufacturing certificate is short-lived: its window opens 2030-01-31T08:00:00Z. */
#define SHORT_MFG                                                                                  \
    "{\"hardwareModel\":\"PADLOCK\",\"manufacturingCertificateLifetime\":\"P40D\","                \
    "\"reKeyingWindow\":\"P10D\"}"
/* Both certificates live 40 days: both windows open at the same instant. */
#define SHORT_BOTH                                                                                 \
    "{\"hardwareModel\":\"SWING_HANDLE\",\"operationalCertificateLifetime\":\"P40D\","             \
    "\"manufacturingCertificateLifetime\":\"P40D\",\"reKeyingWindow\":\"P10D\"}"

/* ---- helpers ------------------------------------------------------------------------- */

/* One event expected from some index on: its type and, when not NULL, its profile. */
struct want {
    const char *type, *profile;
};

/* A new system where user's phone claimed a lock made from hardware and may open it. */
static void story_lock(struct tenant *t, char user[64], char phone[64], const char *hardware,
                       char lock[64], char serial[64])
{
    new_system(t);
    make_phone(t, user, phone, NULL);
    new_lock(t, "Gate", lock);
    json_object_put(claim_new_lock(phone, lock, hardware, serial));
    permit_open(t, user, lock);
}

static size_t event_count(const struct tenant *t)
{
    json_object *list = system_events(t, NULL);
    size_t n = json_object_array_length(list);

    json_object_put(list);
    return n;
}

/* The events from index from on are exactly want (ended by a NULL type); returns the list
 * (caller puts). */
static json_object *expect_events(const struct tenant *t, size_t from, const struct want *want)
{
    json_object *list = system_events(t, NULL);
    size_t n = 0;

    while (want[n].type != NULL)
        n++;
    if (json_object_array_length(list) != from + n)
        fprintf(stderr, "events: %s\n", json_object_to_json_string(list));
    ck_assert_uint_eq(json_object_array_length(list), from + n);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(list, from + i);
        ck_assert_pstr_eq(jstr(e, "eventType"), want[i].type);
        if (want[i].profile != NULL)
            ck_assert_pstr_eq(jstr(e, "certificateProfile"), want[i].profile);
    }
    return list;
}

/* The notAfter of a PEM certificate, as the API renders datetimes. */
static void pem_not_after(const char *pem, char out[32])
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    struct tm tm;

    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm), 1);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    X509_free(x);
    BIO_free(bio);
}

/* One profile's re-keying steps in a visit's answer (nested under reKeying.<name>). */
static void expect_steps(json_object *v, const char *name, int csr, int issued, int installed,
                         const char *stage)
{
    char path[64];

    snprintf(path, sizeof(path), "reKeying.%s.csrCreated", name);
    ck_assert_int_eq(jbool(v, path), csr);
    snprintf(path, sizeof(path), "reKeying.%s.certificateIssued", name);
    ck_assert_int_eq(jbool(v, path), issued);
    snprintf(path, sizeof(path), "reKeying.%s.certificateInstalled", name);
    ck_assert_int_eq(jbool(v, path), installed);
    snprintf(path, sizeof(path), "reKeying.%s.stage", name);
    ck_assert_pstr_eq(jstr(v, path), stage);
}

/* The platform's view (Administration API) and the lock's own of one certificate. The lock's
 * certificate PEM must say the same notAfter as both. */
static void expect_certificate(const struct tenant *t, const char *lock, const char *serial,
                               const char *profile, const char *expiry, int eligible,
                               const char *stage)
{
    json_object *d = device_of(t, lock), *hw = hardware_of(serial);
    const char *field =
        strcmp(profile, OP) == 0 ? "operationalCertificate" : "manufacturingCertificate";
    char path[96], not_after[32];

    snprintf(path, sizeof(path), "%s.expirationDatetime", field);
    ck_assert_pstr_eq(jstr(d, path), expiry);
    ck_assert_pstr_eq(jstr(hw, path), expiry);
    snprintf(path, sizeof(path), "%s.eligibleForReKeying", field);
    ck_assert_int_eq(jbool(d, path), eligible);
    snprintf(path, sizeof(path), "%s.revoked", field);
    ck_assert_int_eq(jbool(d, path), 0);
    snprintf(path, sizeof(path), "%s.reKeyingStage", field);
    ck_assert_pstr_eq(jstr(hw, path), stage);
    snprintf(path, sizeof(path), "%s.certificatePem", field);
    pem_not_after(jstr(hw, path), not_after);
    ck_assert_str_eq(not_after, expiry);
    json_object_put(d);
    json_object_put(hw);
}

static const char *certificate_pem(const char *serial, const char *field, char *out, size_t cap)
{
    json_object *hw = hardware_of(serial);
    char path[96];

    snprintf(path, sizeof(path), "%s.certificatePem", field);
    snprintf(out, cap, "%s", jstr(hw, path));
    json_object_put(hw);
    return out;
}

/* The system log of lock in the lock's own order (its sequence numbers: entries logged in
 * one session share their datetime, and the log orders those by id): their event names must
 * be these. */
static void expect_system_log(const struct tenant *t, const char *lock, const char *const *names)
{
    char path[256];
    json_object *o, *items;
    size_t n = 0;
    int64_t last = -1;

    snprintf(path, sizeof(path), "/locking-device-system-log?locking-device-id=%s", lock);
    o = admin(t, "GET", path, NULL, 200);
    items = jget(o, "items");
    while (names[n] != NULL)
        n++;
    ck_assert_uint_eq(json_object_array_length(items), n);
    for (size_t want = 0; want < n; want++) {
        json_object *next = NULL;
        int64_t best = INT64_MAX;
        for (size_t i = 0; i < n; i++) {
            json_object *e = json_object_array_get_idx(items, i);
            int64_t seq = jint(e, "sequenceNumber");
            if (seq > last && seq < best) {
                best = seq;
                next = e;
            }
        }
        ck_assert_ptr_nonnull(next);
        ck_assert_pstr_eq(jstr(next, "eventName"), names[want]);
        last = best;
    }
    json_object_put(o);
}

/* ---- the stories ---------------------------------------------------------------------- */

START_TEST(manufacturing_certificate_rekeyed_online_in_one_visit)
{
    static const struct want visit_events[] = {
        {CSR_CREATED, MFG},   {ISSUED, MFG},    {V1, NULL},  {V2, NULL},
        {SYSTEM_ENTRY, NULL}, {COMPLETED, MFG}, {NULL, NULL}};
    static const char *const log[] = {"BOOT", MFG_REKEYED, NULL};
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], old_pem[4096], op_pem[4096], pem[4096];
    json_object *list, *v, *e;
    size_t before;

    story_lock(&t, user, phone, SHORT_MFG, lock, serial);
    expect_certificate(&t, lock, serial, MFG, "2030-02-10T08:00:00Z", 0, "NONE");
    certificate_pem(serial, "manufacturingCertificate", old_pem, sizeof(old_pem));
    certificate_pem(serial, "operationalCertificate", op_pem, sizeof(op_pem));

    /* Not a second early: the window opens 10 days before the 40-day certificate ends. */
    advance(&t, "{\"to\":\"2030-01-31T07:59:59Z\"}");
    list = system_events(&t, ELIGIBLE);
    ck_assert_uint_eq(json_object_array_length(list), 0);
    json_object_put(list);
    advance(&t, "{\"by\":\"PT1S\"}");
    list = system_events(&t, ELIGIBLE);
    ck_assert_uint_eq(json_object_array_length(list), 1);
    e = json_object_array_get_idx(list, 0);
    ck_assert_pstr_eq(jstr(e, "certificateProfile"), MFG);
    ck_assert_pstr_eq(jstr(e, "certificateExpirationDatetime"), "2030-02-10T08:00:00Z");
    ck_assert_pstr_eq(jstr(e, "occurredDatetime"), "2030-01-31T08:00:00Z");
    json_object_put(list);
    expect_certificate(&t, lock, serial, MFG, "2030-02-10T08:00:00Z", 1, "NONE");
    expect_certificate(&t, lock, serial, OP, "2031-01-01T08:00:00Z", 0, "NONE");

    advance(&t, "{\"by\":\"PT1H\"}");
    before = event_count(&t);
    v = visit(phone, lock, "unlock", 1, NULL);
    ck_assert_int_eq(jbool(v, "granted"), 1);
    expect_steps(v, "manufacturing", 1, 1, 1, "NONE");
    expect_steps(v, "operational", 0, 0, 0, "NONE");
    /* The top-level steps are the operational certificate's, as before. */
    ck_assert_int_eq(jbool(v, "reKeying.csrCreated"), 0);
    ck_assert_int_eq(jbool(v, "reKeying.certificateInstalled"), 0);
    json_object_put(v);

    list = expect_events(&t, before, visit_events);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, before + 4), "logEntryEventName"),
                      MFG_REKEYED);
    ck_assert_pstr_eq(
        jstr(json_object_array_get_idx(list, before + 5), "certificateExpirationDatetime"),
        "2030-03-12T09:00:00Z");
    json_object_put(list);
    /* The new certificate is the one installed, with the notAfter the completion named; the
     * operational certificate did not change. */
    expect_certificate(&t, lock, serial, MFG, "2030-03-12T09:00:00Z", 0, "NONE");
    expect_certificate(&t, lock, serial, OP, "2031-01-01T08:00:00Z", 0, "NONE");
    ck_assert_str_ne(certificate_pem(serial, "manufacturingCertificate", pem, sizeof(pem)),
                     old_pem);
    ck_assert_str_eq(certificate_pem(serial, "operationalCertificate", pem, sizeof(pem)), op_pem);
    expect_system_log(&t, lock, log);

    /* Done: the next visit re-keys nothing, and the new certificate has its own window. */
    v = visit(phone, lock, "lock", 1, NULL);
    expect_steps(v, "manufacturing", 0, 0, 0, "NONE");
    json_object_put(v);
    advance(&t, "{\"to\":\"2030-03-02T09:00:00Z\"}");
    list = system_events(&t, ELIGIBLE);
    ck_assert_uint_eq(json_object_array_length(list), 2);
    e = json_object_array_get_idx(list, 1);
    ck_assert_pstr_eq(jstr(e, "certificateProfile"), MFG);
    ck_assert_pstr_eq(jstr(e, "certificateExpirationDatetime"), "2030-03-12T09:00:00Z");
    ck_assert_pstr_eq(jstr(e, "occurredDatetime"), "2030-03-02T09:00:00Z");
    json_object_put(list);
}
END_TEST

/* Offline: visit 1 makes the CSR, the phone's next sync delivers it (the platform issues the
 * certificate), visit 2 installs it, and the sync after it completes the process. */
START_TEST(manufacturing_certificate_rekeyed_offline_in_two_visits)
{
    static const struct want sync1_events[] = {
        {CSR_CREATED, MFG}, {ISSUED, MFG}, {V1, NULL}, {V2, NULL}, {NULL, NULL}};
    static const struct want sync2_events[] = {
        {V1, NULL}, {V2, NULL}, {SYSTEM_ENTRY, NULL}, {COMPLETED, MFG}, {NULL, NULL}};
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64];
    json_object *o, *v, *list;
    size_t before;

    story_lock(&t, user, phone, SHORT_MFG, lock, serial);
    advance(&t, "{\"to\":\"2030-01-31T09:00:00Z\"}");
    json_object_put(sync_phone(phone)); /* fresh operating keys for the offline visits */

    before = event_count(&t);
    v = visit(phone, lock, "unlock", 0, NULL);
    ck_assert_int_eq(jbool(v, "granted"), 1);
    expect_steps(v, "manufacturing", 1, 0, 0, "CSR_CREATED");
    expect_steps(v, "operational", 0, 0, 0, "NONE");
    json_object_put(v);
    ck_assert_uint_eq(event_count(&t), before); /* the CSR is on the phone */
    o = hardware_of(serial);
    ck_assert_pstr_eq(jstr(o, "manufacturingCertificate.reKeyingStage"), "CSR_CREATED");
    ck_assert_pstr_eq(jstr(o, "reKeyingStage"), "NONE"); /* the operational certificate's */
    json_object_put(o);

    advance(&t, "{\"by\":\"PT1M\"}");
    o = sync_phone(phone);
    ck_assert_int_eq(jint(o, "certificatesIssued"), 1);
    json_object_put(o);
    json_object_put(expect_events(&t, before, sync1_events));
    before = event_count(&t);
    /* Issued, not installed: the platform and the lock still have the old certificate. */
    expect_certificate(&t, lock, serial, MFG, "2030-02-10T08:00:00Z", 1, "ISSUED");

    advance(&t, "{\"by\":\"PT1M\"}");
    v = visit(phone, lock, "lock", 0, NULL);
    expect_steps(v, "manufacturing", 0, 0, 1, "NONE");
    json_object_put(v);
    o = hardware_of(serial);
    ck_assert_pstr_eq(jstr(o, "manufacturingCertificate.expirationDatetime"),
                      "2030-03-12T09:01:00Z"); /* 40 days from its issuance */
    json_object_put(o);
    ck_assert_uint_eq(event_count(&t), before);

    advance(&t, "{\"by\":\"PT1M\"}");
    o = sync_phone(phone);
    ck_assert_int_eq(jint(o, "certificatesIssued"), 0);
    ck_assert_int_eq(jint(o, "entriesUploaded"), 2);
    json_object_put(o);
    list = expect_events(&t, before, sync2_events);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, before + 2), "logEntryEventName"),
                      MFG_REKEYED);
    ck_assert_pstr_eq(
        jstr(json_object_array_get_idx(list, before + 3), "certificateExpirationDatetime"),
        "2030-03-12T09:01:00Z");
    json_object_put(list);
    expect_certificate(&t, lock, serial, MFG, "2030-03-12T09:01:00Z", 0, "NONE");
}
END_TEST

/* Both certificates enter their windows at once: each is announced, and each runs through
 * the same steps in the same visits, every event naming its profile; each completes with its
 * own new expiry. Offline first (two visits), then, the next time, online (one visit). */
START_TEST(both_profiles_rekeyed_at_once)
{
    static const struct want eligible_events[] = {{ELIGIBLE, OP}, {ELIGIBLE, MFG}, {NULL, NULL}};
    static const struct want sync1_events[] = {{CSR_CREATED, OP}, {ISSUED, OP}, {CSR_CREATED, MFG},
                                               {ISSUED, MFG},     {V1, NULL},   {V2, NULL},
                                               {NULL, NULL}};
    static const struct want sync2_events[] = {
        {V1, NULL},           {V2, NULL},       {SYSTEM_ENTRY, NULL}, {COMPLETED, OP},
        {SYSTEM_ENTRY, NULL}, {COMPLETED, MFG}, {NULL, NULL}};
    static const struct want online_events[] = {
        {CSR_CREATED, OP},    {ISSUED, OP},     {CSR_CREATED, MFG},   {ISSUED, MFG},
        {V1, NULL},           {V2, NULL},       {SYSTEM_ENTRY, NULL}, {COMPLETED, OP},
        {SYSTEM_ENTRY, NULL}, {COMPLETED, MFG}, {NULL, NULL}};
    static const char *const log[] = {"BOOT",     OP_REKEYED,  MFG_REKEYED,
                                      OP_REKEYED, MFG_REKEYED, NULL};
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64];
    json_object *o, *v, *list;
    size_t before;

    story_lock(&t, user, phone, SHORT_BOTH, lock, serial);
    before = event_count(&t);
    advance(&t, "{\"to\":\"2030-01-31T08:00:00Z\"}");
    json_object_put(expect_events(&t, before, eligible_events));
    expect_certificate(&t, lock, serial, OP, "2030-02-10T08:00:00Z", 1, "NONE");
    expect_certificate(&t, lock, serial, MFG, "2030-02-10T08:00:00Z", 1, "NONE");

    advance(&t, "{\"by\":\"PT1H\"}");
    json_object_put(sync_phone(phone)); /* fresh operating keys for the offline visits */
    before = event_count(&t);
    v = visit(phone, lock, "unlock", 0, NULL);
    expect_steps(v, "operational", 1, 0, 0, "CSR_CREATED");
    expect_steps(v, "manufacturing", 1, 0, 0, "CSR_CREATED");
    ck_assert_pstr_eq(jstr(v, "reKeying.stage"), "CSR_CREATED");
    json_object_put(v);
    o = hardware_of(serial);
    ck_assert_pstr_eq(jstr(o, "reKeyingStage"), "CSR_CREATED");
    ck_assert_pstr_eq(jstr(o, "operationalCertificate.reKeyingStage"), "CSR_CREATED");
    ck_assert_pstr_eq(jstr(o, "manufacturingCertificate.reKeyingStage"), "CSR_CREATED");
    json_object_put(o);

    advance(&t, "{\"by\":\"PT1M\"}");
    o = sync_phone(phone);
    ck_assert_int_eq(jint(o, "certificatesIssued"), 2);
    json_object_put(o);
    json_object_put(expect_events(&t, before, sync1_events));
    before = event_count(&t);

    advance(&t, "{\"by\":\"PT1M\"}");
    v = visit(phone, lock, "lock", 0, NULL);
    expect_steps(v, "operational", 0, 0, 1, "NONE");
    expect_steps(v, "manufacturing", 0, 0, 1, "NONE");
    json_object_put(v);
    advance(&t, "{\"by\":\"PT1M\"}");
    json_object_put(sync_phone(phone));
    list = expect_events(&t, before, sync2_events);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, before + 2), "logEntryEventName"),
                      OP_REKEYED);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, before + 4), "logEntryEventName"),
                      MFG_REKEYED);
    for (size_t i = 3; i <= 5; i += 2)
        ck_assert_pstr_eq(
            jstr(json_object_array_get_idx(list, before + i), "certificateExpirationDatetime"),
            "2030-03-12T09:01:00Z");
    json_object_put(list);
    expect_certificate(&t, lock, serial, OP, "2030-03-12T09:01:00Z", 0, "NONE");
    expect_certificate(&t, lock, serial, MFG, "2030-03-12T09:01:00Z", 0, "NONE");

    /* Both windows open again together; this time an online visit does everything. */
    advance(&t, "{\"to\":\"2030-03-02T09:01:00Z\"}");
    before = event_count(&t);
    advance(&t, "{\"by\":\"PT1M\"}");
    v = visit(phone, lock, "unlock", 1, NULL);
    expect_steps(v, "operational", 1, 1, 1, "NONE");
    expect_steps(v, "manufacturing", 1, 1, 1, "NONE");
    json_object_put(v);
    list = expect_events(&t, before, online_events);
    ck_assert_pstr_eq(
        jstr(json_object_array_get_idx(list, before + 9), "certificateExpirationDatetime"),
        "2030-04-11T09:02:00Z");
    json_object_put(list);
    expect_certificate(&t, lock, serial, OP, "2030-04-11T09:02:00Z", 0, "NONE");
    expect_certificate(&t, lock, serial, MFG, "2030-04-11T09:02:00Z", 0, "NONE");
    expect_system_log(&t, lock, log);
}
END_TEST

/* The testing endpoint does what the reference says: the operational certificate only. */
START_TEST(testing_endpoint_rekeys_the_operational_certificate_only)
{
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], path[256];
    json_object *list, *v;

    story_lock(&t, user, phone, SHORT_MFG, lock, serial);
    snprintf(path, sizeof(path), "/testing/locking-device/%s/re-key", lock);
    json_object_put(admin(&t, "POST", path, NULL, 204));
    list = system_events(&t, ELIGIBLE);
    ck_assert_uint_eq(json_object_array_length(list), 1);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, 0), "certificateProfile"), OP);
    json_object_put(list);
    expect_certificate(&t, lock, serial, MFG, "2030-02-10T08:00:00Z", 0, "NONE");

    advance(&t, "{\"by\":\"PT1M\"}");
    v = visit(phone, lock, "unlock", 1, NULL);
    expect_steps(v, "operational", 1, 1, 1, "NONE");
    expect_steps(v, "manufacturing", 0, 0, 0, "NONE");
    json_object_put(v);
    expect_certificate(&t, lock, serial, MFG, "2030-02-10T08:00:00Z", 0, "NONE");
}
END_TEST

/* Nobody visited while the manufacturing certificate was eligible: from the instant it
 * expires the lock is not operable any more, by phones (online or offline, every operation:
 * refused, nothing logged) or by its gateway (the command runs, the lock refuses it). */
START_TEST(lapsed_manufacturing_certificate_stops_the_lock)
{
    static const char *const operations[] = {"unlock", "lock", "update-time", "update-firmware"};
    static const char *const late_events[] = {"RemoteCommandAcknowledged",
                                              "GatewayDeviceAuditLogEntryReceived", V2, NULL};
    struct tenant t;
    char user[64], phone[64], lock[64], serial[64], gateway[64], assoc[64], body[256], path[128];
    json_object *o, *v, *list;
    size_t before;

    story_lock(&t, user, phone,
               "{\"hardwareModel\":\"CONTROLLER\",\"manufacturingCertificateLifetime\":\"P1D\","
               "\"reKeyingWindow\":\"PT1H\"}",
               lock, serial);
    new_gateway(&t, gateway, NULL);
    snprintf(body, sizeof(body), "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\"}", gateway,
             lock);
    post_id(&t, "/gateway-device-association", body, assoc);
    snprintf(path, sizeof(path), "/gateway-devices/%s/power-on", gateway);
    json_object_put(control("POST", path, NULL, 200));

    v = visit(phone, lock, "unlock", 1, NULL);
    ck_assert_int_eq(jbool(v, "granted"), 1);
    json_object_put(v);
    advance(&t, "{\"to\":\"2030-01-02T07:00:00Z\"}");
    list = system_events(&t, ELIGIBLE);
    ck_assert_uint_eq(json_object_array_length(list), 1);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, 0), "certificateProfile"), MFG);
    json_object_put(list);

    /* One second before the end the lock still serves a session. */
    advance(&t, "{\"to\":\"2030-01-02T07:59:59Z\"}");
    v = visit(phone, lock, "update-time", 0, NULL);
    ck_assert_int_eq(jbool(v, "sessionRefused"), 0);
    ck_assert_int_eq(jbool(v, "granted"), 0); /* an OPEN permission: no key for update-time */
    json_object_put(v);
    json_object_put(sync_phone(phone));

    advance(&t, "{\"by\":\"PT1S\"}");
    before = event_count(&t);
    for (size_t i = 0; i < 4; i++)
        for (int online = 1; online >= 0; online--) {
            v = visit(phone, lock, operations[i], online, NULL);
            ck_assert_int_eq(jbool(v, "sessionRefused"), 1);
            ck_assert_int_eq(jbool(v, "granted"), 0);
            ck_assert_pstr_eq(jstr(v, "reason"), "the lock refused the session: its manufacturing "
                                                 "certificate expired at 2030-01-02T08:00:00Z");
            ck_assert_ptr_null(jget(v, "auditLogEntry"));
            ck_assert_ptr_null(jget(v, "reKeying"));
            json_object_put(v);
        }
    ck_assert_uint_eq(event_count(&t), before);
    o = hardware_of(serial);
    ck_assert_uint_eq(json_object_array_length(jget(o, "pendingLogEntries")), 0);
    json_object_put(o);
    /* The platform still shows the lapsed certificate, eligible and never re-keyed. */
    expect_certificate(&t, lock, serial, MFG, "2030-01-02T08:00:00Z", 1, "NONE");

    /* The gateway reads and acknowledges the command; the lock does not open. */
    snprintf(body, sizeof(body),
             "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\",\"action\":\"OPEN\"}", gateway,
             lock);
    json_object_put(admin(&t, "POST", "/remote-command", body, 201));
    advance(&t, "{\"by\":\"PT10S\"}");
    list = system_events(&t, NULL);
    expect_types(list, before, late_events);
    ck_assert_int_eq(jbool(json_object_array_get_idx(list, before + 2), "granted"), 0);
    json_object_put(list);
}
END_TEST

static Suite *rekeying_manufacturing_suite(void)
{
    Suite *s = suite_create("sim_rekeying_manufacturing");
    TCase *tc = tcase_create("rekeying_manufacturing");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, manufacturing_certificate_rekeyed_online_in_one_visit);
    tcase_add_test(tc, manufacturing_certificate_rekeyed_offline_in_two_visits);
    tcase_add_test(tc, both_profiles_rekeyed_at_once);
    tcase_add_test(tc, testing_endpoint_rekeys_the_operational_certificate_only);
    tcase_add_test(tc, lapsed_manufacturing_certificate_stops_the_lock);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(rekeying_manufacturing_suite());
}
