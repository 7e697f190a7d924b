/*
 * test_offline_keys.c — POST and GET /offline-key of the Administration API v2: every body
 * rule on the system's (frozen) clock, the devices a key names, the signed value (checked
 * here with OpenSSL alone, against the system key read from the database file), SMS
 * delivery, the alternative key of a lock eligible for re-keying, metadata paging, isolation,
 * and a simulated lock that accepts or refuses the key.
 *
 * One emulator on a database file serves the whole suite, so that the tests can read each
 * system's signing key; every test makes its own systems.
 */
#include <check.h>
#include <json-c/json.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define NOW INT64_C(1893456000) /* 2030-01-01T00:00:00Z */
#define BLOB_LEN 146
#define PAYLOAD_LEN 82
#define VALUE_LEN 196
#define DEFAULT_LINK "https://keyless.assaabloy.com"

static char db_dir[64] = "/tmp/ke-offline-XXXXXX", db_path[128];

static void file_db_setup(void)
{
    const char *args[] = {"--db", db_path, NULL};

    if (mkdtemp(db_dir) == NULL)
        return;
    snprintf(db_path, sizeof(db_path), "%s/offline.db", db_dir);
    emu_setup_with(args);
}

static void file_db_teardown(void)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char path[160];

    emu_stop(&emu);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", db_path, suffixes[i]);
        unlink(path);
    }
    rmdir(db_dir);
}

/* ---- HTTP helpers ------------------------------------------------------------------- */

/* A system whose clock stands still at NOW. */
static void frozen_tenant(struct tenant *t)
{
    new_tenant_from(t, FROZEN_AT("2030-01-01T00:00:00Z"));
}

static const char *string_of(json_object *o, const char *key)
{
    json_object *v = member(o, key);

    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* A user with an accepted (and so activated) operating device; the device id goes to phone. */
static void create_phone(const struct tenant *t, char *phone)
{
    char user[64];

    make_phone(t, user, phone, NULL);
}

static void create_lock(const struct tenant *t, char *lock)
{
    post_id(t, "/locking-device", "{\"name\":\"Gate\"}", lock);
}

/* A lock that phone claimed from factory-fresh hardware. */
static void create_claimed_lock(const struct tenant *t, const char *phone, char *lock)
{
    create_lock(t, lock);
    json_object_put(claim_new_lock(phone, lock, PADLOCK, NULL));
}

/* A key request body; extra members are appended (may be ""). */
static void key_body(char *out, size_t cap, const char *phone, const char *lock, const char *start,
                     const char *end, const char *mechanism, const char *extra)
{
    snprintf(out, cap,
             "{\"operatingDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\",\"startDatetime\":\"%s\","
             "\"endDatetime\":\"%s\",\"deliveryMechanism\":\"%s\"%s}",
             phone, lock, start, end, mechanism, extra);
}

/* Issues a NONE key for [2030-01-01T00:00Z, +1 h) and returns the response in r. */
static void issue(const struct tenant *t, const char *phone, const char *lock,
                  struct http_response *r)
{
    char body[512];

    key_body(body, sizeof(body), phone, lock, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
             "NONE", "");
    admin_strict(t, "POST", "/offline-key", body, 201, r);
}

/* Items of one page of a list at path (control API when t is NULL); caller frees r. */
static json_object *page(const struct tenant *t, const char *path, struct http_response *r)
{
    json_object *items;

    if (t != NULL)
        admin_strict(t, "GET", path, NULL, 200, r);
    else
        control_expect("GET", path, NULL, 200, r);
    items = member(r->json, "items");
    ck_assert_msg(json_object_is_type(items, json_type_array), "no items: %s", r->body);
    return items;
}

static size_t count_keys(const struct tenant *t)
{
    struct http_response r;
    size_t n = json_object_array_length(page(t, "/offline-key?limit=100", &r));

    http_response_free(&r);
    return n;
}

static size_t count_messages(const struct tenant *t)
{
    struct http_response r;
    char path[160];
    size_t n;

    snprintf(path, sizeof(path), "/systems/%s/outbox-messages?limit=100", t->system_id);
    n = json_object_array_length(page(NULL, path, &r));
    http_response_free(&r);
    return n;
}

/* ---- the database file and the signature ------------------------------------------- */

/* The system's signing key PEM (malloc'ed), or NULL when it has none. WAL lets this
 * process read while the emulator runs. */
static char *system_pem(const char *system_id)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    char *pem = NULL;

    ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT private_pem FROM system_keys"
                                        " WHERE system_id = ?",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, system_id, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        pem = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return pem;
}

static void decode_value(const char *value, unsigned char blob[BLOB_LEN])
{
    unsigned char buf[VALUE_LEN];

    ck_assert_msg(value != NULL && strlen(value) == VALUE_LEN, "value of %zu characters",
                  value ? strlen(value) : 0);
    ck_assert_int_eq(EVP_DecodeBlock(buf, (const unsigned char *)value, VALUE_LEN), BLOB_LEN + 1);
    ck_assert_int_eq(value[VALUE_LEN - 1], '=');
    memcpy(blob, buf, BLOB_LEN);
}

/* 1 when blob's r || s signs its payload under the key of private_pem. */
static int signature_ok(const char *private_pem, const unsigned char blob[BLOB_LEN])
{
    BIO *bio = BIO_new_mem_buf(private_pem, -1);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    ECDSA_SIG *sig = ECDSA_SIG_new();
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *der = NULL;
    int len, ok;

    ck_assert_ptr_nonnull(key);
    ck_assert_int_eq(EVP_PKEY_get_bits(key), 256);
    ECDSA_SIG_set0(sig, BN_bin2bn(blob + PAYLOAD_LEN, 32, NULL),
                   BN_bin2bn(blob + PAYLOAD_LEN + 32, 32, NULL));
    len = i2d_ECDSA_SIG(sig, &der);
    ck_assert_int_gt(len, 0);
    ck_assert_int_eq(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key), 1);
    ok = EVP_DigestVerify(md, der, (size_t)len, blob, PAYLOAD_LEN) == 1;
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    ECDSA_SIG_free(sig);
    EVP_PKEY_free(key);
    BIO_free(bio);
    return ok;
}

static void uuid_at(const unsigned char *p, char out[37])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", p[0],
             p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13],
             p[14], p[15]);
}

static int64_t i64_at(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return (int64_t)v;
}

struct expected_key {
    const char *key_id, *system_id, *phone, *lock;
    int64_t start, end;
    int slot;
};

/* Checks every payload field of value and its signature with the system's key; then that
 * altering any byte breaks the signature. */
static void assert_signed_key(const char *pem, const char *value, const struct expected_key *x)
{
    unsigned char blob[BLOB_LEN];
    char id[37];

    decode_value(value, blob);
    ck_assert_int_eq(blob[0], 1);
    ck_assert_int_eq(blob[1], x->slot);
    uuid_at(blob + 2, id);
    ck_assert_str_eq(id, x->key_id);
    uuid_at(blob + 18, id);
    ck_assert_str_eq(id, x->system_id);
    uuid_at(blob + 34, id);
    ck_assert_str_eq(id, x->phone);
    uuid_at(blob + 50, id);
    ck_assert_str_eq(id, x->lock);
    ck_assert_int_eq(i64_at(blob + 66), x->start);
    ck_assert_int_eq(i64_at(blob + 74), x->end);
    ck_assert_msg(signature_ok(pem, blob), "the signature does not verify");
    for (int i = 0; i < BLOB_LEN; i += 9) {
        blob[i] ^= 0x01;
        ck_assert_msg(!signature_ok(pem, blob), "a blob altered at byte %d still verifies", i);
        blob[i] ^= 0x01;
    }
}

/* RFC 3986 percent-encoding of everything but unreserved characters. */
static void percent_encode(const char *in, char *out, size_t cap)
{
    size_t o = 0;

    for (; *in != '\0' && o + 4 < cap; in++) {
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", *in))
            out[o++] = *in;
        else
            o += (size_t)snprintf(out + o, cap - o, "%%%02X", (unsigned char)*in);
    }
    out[o] = '\0';
}

/* ---- issuing ------------------------------------------------------------------------ */

START_TEST(issue_returns_a_signed_primary_key)
{
    struct tenant t;
    struct http_response r;
    char phone[64], lock[64], body[512], *pem;
    json_object *primary;

    frozen_tenant(&t);
    create_phone(&t, phone);
    create_lock(&t, lock);
    ck_assert_ptr_null(system_pem(t.system_id)); /* made on first use */
    key_body(body, sizeof(body), phone, lock, "2030-01-02T10:00:00+02:00",
             "2030-01-02T16:30:00.999Z", "NONE", "");
    admin_strict(&t, "POST", "/offline-key", body, 201, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 3);
    ck_assert_str_eq(json_str(&r, "startDatetime"), "2030-01-02T08:00:00Z");
    ck_assert_str_eq(json_str(&r, "endDatetime"), "2030-01-02T16:30:00Z");
    primary = member(r.json, "primaryKey");
    ck_assert_int_eq(json_object_object_length(primary), 2);
    ck_assert_int_eq(strlen(string_of(primary, "id")), 36);

    pem = system_pem(t.system_id);
    ck_assert_ptr_nonnull(pem);
    assert_signed_key(pem, string_of(primary, "value"),
                      &(struct expected_key){string_of(primary, "id"), t.system_id, phone, lock,
                                             NOW + 86400 + 8 * 3600, NOW + 86400 + 16 * 3600 + 1800,
                                             0});
    free(pem);
    http_response_free(&r);
    ck_assert_int_eq(count_messages(&t), 0); /* NONE: only the response */
}
END_TEST

START_TEST(each_system_signs_with_its_own_key)
{
    struct tenant a, b;
    struct http_response r1, r2, rb;
    char phone_a[64], lock_a[64], phone_b[64], lock_b[64], *pem_a, *pem_b;
    unsigned char blob[BLOB_LEN];

    frozen_tenant(&a);
    frozen_tenant(&b);
    create_phone(&a, phone_a);
    create_lock(&a, lock_a);
    create_phone(&b, phone_b);
    create_lock(&b, lock_b);
    issue(&a, phone_a, lock_a, &r1);
    pem_a = system_pem(a.system_id);
    issue(&a, phone_a, lock_a, &r2);
    issue(&b, phone_b, lock_b, &rb);
    pem_b = system_pem(b.system_id);
    ck_assert_ptr_nonnull(pem_a);
    ck_assert_ptr_nonnull(pem_b);
    ck_assert_str_ne(pem_a, pem_b);

    /* Both of A's keys verify with A's key, which the second issuance reused. */
    decode_value(json_str(&r1, "primaryKey.value"), blob);
    ck_assert(signature_ok(pem_a, blob));
    ck_assert(!signature_ok(pem_b, blob));
    decode_value(json_str(&r2, "primaryKey.value"), blob);
    ck_assert(signature_ok(pem_a, blob));
    ck_assert_str_ne(json_str(&r1, "primaryKey.id"), json_str(&r2, "primaryKey.id"));
    decode_value(json_str(&rb, "primaryKey.value"), blob);
    ck_assert(signature_ok(pem_b, blob));
    ck_assert(!signature_ok(pem_a, blob));
    free(pem_a);
    free(pem_b);
    http_response_free(&r1);
    http_response_free(&r2);
    http_response_free(&rb);
}
END_TEST

START_TEST(window_rules_follow_the_system_clock)
{
    static const struct {
        const char *start, *end;
        long status;
        const char *names[3];
    } cases[] = {
        {"2030-01-31T00:00:00Z", "2030-02-01T00:00:00Z", 201, {NULL}}, /* now + 30 d, 24 h */
        {"2030-01-31T00:00:01Z", "2030-01-31T01:00:00Z", 400, {"startDatetime"}},
        {"2030-01-01T00:00:00Z", "2030-01-02T00:00:01Z", 400, {"endDatetime"}},
        {"2030-01-01T05:00:00Z", "2030-01-01T05:00:00Z", 400, {"endDatetime"}},
        {"2030-01-01T05:00:00Z", "2030-01-01T04:00:00Z", 400, {"endDatetime"}},
        {"2030-03-01T00:00:00Z", "2030-03-03T00:00:00Z", 400, {"startDatetime", "endDatetime"}},
        {"2029-12-31T22:00:00Z", "2029-12-31T23:00:00Z", 201, {NULL}},           /* past: allowed */
        {"2030-01-01T10:00:00+10:00", "2029-12-31T23:00:00-10:00", 201, {NULL}}, /* 9 h */
    };
    struct tenant t;
    char phone[64], lock[64];
    size_t created = 0;

    frozen_tenant(&t);
    create_phone(&t, phone);
    create_lock(&t, lock);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_response r;
        char body[512];

        key_body(body, sizeof(body), phone, lock, cases[i].start, cases[i].end, "NONE", "");
        admin_strict(&t, "POST", "/offline-key", body, cases[i].status, &r);
        if (cases[i].status == 400)
            assert_invalid_params(&r, cases[i].names);
        else
            created++;
        http_response_free(&r);
    }
    ck_assert_int_eq(count_keys(&t), created);
}
END_TEST

START_TEST(body_rules_name_every_bad_field)
{
    static const char link43[] = "https://example.com/aaaaaaaaaaaaaaaaaaaaaaa";
    static const struct {
        const char *mechanism, *extra;
        const char *names[3];
    } cases[] = {
        {"SMS", "", {"deliveryMechanism"}},
        {"SMS_WITHOUT_APP_LINK", "", {"phoneNumber"}},
        {"SMS_WITH_APP_LINK", "", {"phoneNumber"}},
        {"SMS_WITH_APP_LINK", ",\"phoneNumber\":null", {"phoneNumber"}},
        {"NONE", ",\"phoneNumber\":\"+358506722871\"", {"phoneNumber"}},
        {"NONE", ",\"phoneNumber\":\"0506722871\"", {"phoneNumber"}},
        {"SMS_WITHOUT_APP_LINK", ",\"phoneNumber\":\"0506722871\"", {"phoneNumber"}},
        {"SMS_WITHOUT_APP_LINK", ",\"phoneNumber\":358506722871", {"phoneNumber"}},
        {"SMS_WITH_APP_LINK",
         ",\"phoneNumber\":\"+358506722871\",\"appLinkBaseUrl\":\"%s\"",
         {"appLinkBaseUrl"}},
        {"SMS_WITH_APP_LINK",
         ",\"phoneNumber\":\"+358506722871\",\"appLinkBaseUrl\":\"ftp://example.com\"",
         {"appLinkBaseUrl"}},
        {"SMS_WITH_APP_LINK",
         ",\"phoneNumber\":\"+358506722871\",\"appLinkBaseUrl\":\"keyless\"",
         {"appLinkBaseUrl"}},
        {"NONE", ",\"value\":\"x\"", {"value"}},
        {"NOPE", ",\"phoneNumber\":\"1\"", {"deliveryMechanism", "phoneNumber"}},
    };
    struct tenant t;
    struct http_response r;
    char phone[64], lock[64];

    frozen_tenant(&t);
    create_phone(&t, phone);
    create_lock(&t, lock);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char body[1024], extra[256];

        snprintf(extra, sizeof(extra), cases[i].extra, link43);
        key_body(body, sizeof(body), phone, lock, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
                 cases[i].mechanism, extra);
        expect_invalid(&t, "POST", "/offline-key", body, cases[i].names);
    }
    expect_invalid(&t, "POST", "/offline-key", "{}",
                   (const char *const[]){"operatingDeviceId", "lockingDeviceId", "startDatetime",
                                         "endDatetime", "deliveryMechanism", NULL});
    admin_strict(
        &t, "POST", "/offline-key",
        "{\"operatingDeviceId\":\"x\",\"lockingDeviceId\":\"\",\"startDatetime\":\"today\","
        "\"endDatetime\":1,\"deliveryMechanism\":\"NONE\"}",
        400, &r);
    assert_invalid_params(&r, (const char *const[]){"operatingDeviceId", "lockingDeviceId",
                                                    "startDatetime", "endDatetime", NULL});
    http_response_free(&r);
    ck_assert_int_eq(count_keys(&t), 0);
    ck_assert_int_eq(count_messages(&t), 0);
}
END_TEST

/* The one message of t about key_id; asserts its channel and recipient, returns its text
 * in text (cap bytes). */
static void message_for(const struct tenant *t, const char *key_id, const char *recipient,
                        char *text, size_t cap)
{
    struct http_response r;
    char path[160];
    json_object *items;
    int found = 0;

    snprintf(path, sizeof(path), "/systems/%s/outbox-messages?limit=100", t->system_id);
    items = page(NULL, path, &r);
    for (size_t i = 0; i < json_object_array_length(items); i++) {
        json_object *m = json_object_array_get_idx(items, i);
        if (strcmp(string_of(m, "subjectId"), key_id) != 0)
            continue;
        found++;
        ck_assert_str_eq(string_of(m, "channel"), "SMS");
        ck_assert_str_eq(string_of(m, "recipient"), recipient);
        snprintf(text, cap, "%s", string_of(m, "text"));
    }
    ck_assert_int_eq(found, 1);
    http_response_free(&r);
}

START_TEST(sms_without_app_link_sends_the_raw_value)
{
    struct tenant t;
    struct http_response r;
    char phone[64], lock[64], body[512], text[1024];

    frozen_tenant(&t);
    create_phone(&t, phone);
    create_lock(&t, lock);
    key_body(body, sizeof(body), phone, lock, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
             "SMS_WITHOUT_APP_LINK", ",\"phoneNumber\":\"+358506722871\"");
    admin_strict(&t, "POST", "/offline-key", body, 201, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 3);
    message_for(&t, json_str(&r, "primaryKey.id"), "+358506722871", text, sizeof(text));
    ck_assert_str_eq(text, json_str(&r, "primaryKey.value"));
    http_response_free(&r);
    ck_assert_int_eq(count_messages(&t), 1);
}
END_TEST

START_TEST(sms_with_app_link_sends_a_link)
{
    static const char base42[] = "https://example.com/offline-keys/open/abcd";
    struct tenant t;
    char phone[64], lock[64];
    const char *extras[] = {",\"phoneNumber\":\"+12025550123\"",
                            ",\"phoneNumber\":\"+12025550123\",\"appLinkBaseUrl\":\"https://"
                            "example.com/offline-keys/open/abcd\""};
    const char *bases[] = {DEFAULT_LINK, base42};

    ck_assert_int_eq(strlen(base42), 42);
    frozen_tenant(&t);
    create_phone(&t, phone);
    create_lock(&t, lock);
    for (int i = 0; i < 2; i++) {
        struct http_response r;
        char body[512], text[1024], encoded[700], want[1024];

        key_body(body, sizeof(body), phone, lock, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
                 "SMS_WITH_APP_LINK", extras[i]);
        admin_strict(&t, "POST", "/offline-key", body, 201, &r);
        message_for(&t, json_str(&r, "primaryKey.id"), "+12025550123", text, sizeof(text));
        percent_encode(json_str(&r, "primaryKey.value"), encoded, sizeof(encoded));
        snprintf(want, sizeof(want), "%s?eo=%s", bases[i], encoded);
        ck_assert_str_eq(text, want);
        ck_assert_ptr_null(strpbrk(text + strlen(bases[i]) + 4, "+/="));
        http_response_free(&r);
    }
    /* The base URL means nothing to NONE delivery: accepted, nothing sent. */
    {
        struct http_response r;
        char body[512];

        key_body(body, sizeof(body), phone, lock, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
                 "NONE", ",\"appLinkBaseUrl\":\"https://example.com\"");
        admin_strict(&t, "POST", "/offline-key", body, 201, &r);
        http_response_free(&r);
    }
    ck_assert_int_eq(count_messages(&t), 2);
}
END_TEST

START_TEST(unknown_devices_are_named_in_404)
{
    struct tenant t, other;
    struct http_response r;
    char phone[64], lock[64], other_phone[64], other_lock[64], body[512], detail[256];

    frozen_tenant(&t);
    frozen_tenant(&other);
    create_phone(&t, phone);
    create_lock(&t, lock);
    create_phone(&other, other_phone);
    create_lock(&other, other_lock);

    key_body(body, sizeof(body), UNKNOWN_ID, lock, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
             "NONE", "");
    expect_problem(&t, "POST", "/offline-key", body, 404,
                   "unknown operating device '" UNKNOWN_ID "'");
    key_body(body, sizeof(body), phone, UNKNOWN_ID, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
             "NONE", "");
    expect_problem(&t, "POST", "/offline-key", body, 404,
                   "unknown locking device '" UNKNOWN_ID "'");
    /* Ids swapped, and another system's devices: unknown here. */
    key_body(body, sizeof(body), lock, phone, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
             "NONE", "");
    admin_strict(&t, "POST", "/offline-key", body, 404, &r);
    snprintf(detail, sizeof(detail), "unknown operating device '%s' and locking device '%s'", lock,
             phone);
    ck_assert_str_eq(json_str(&r, "detail"), detail);
    http_response_free(&r);
    key_body(body, sizeof(body), other_phone, lock, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
             "SMS_WITHOUT_APP_LINK", ",\"phoneNumber\":\"+4930123456\"");
    admin_strict(&t, "POST", "/offline-key", body, 404, &r);
    http_response_free(&r);
    key_body(body, sizeof(body), phone, other_lock, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
             "NONE", "");
    admin_strict(&t, "POST", "/offline-key", body, 404, &r);
    http_response_free(&r);

    ck_assert_int_eq(count_keys(&t), 0);
    ck_assert_int_eq(count_messages(&t), 0);
    ck_assert_ptr_null(system_pem(t.system_id)); /* nothing written, not even the key */
}
END_TEST

START_TEST(eligible_lock_gets_an_alternative_key)
{
    struct tenant t;
    struct http_response r;
    char phone[64], lock[64], plain_lock[64], path[160], body[512], text[1024], *pem;
    json_object *primary, *alternative;

    frozen_tenant(&t);
    create_phone(&t, phone);
    create_claimed_lock(&t, phone, lock);
    create_lock(&t, plain_lock);

    /* Claimed but not eligible: the primary key alone. */
    issue(&t, phone, lock, &r);
    ck_assert_ptr_null(member(r.json, "alternativeKey"));
    http_response_free(&r);

    snprintf(path, sizeof(path), "/testing/locking-device/%s/re-key", lock);
    admin_strict(&t, "POST", path, NULL, 204, &r);
    http_response_free(&r);
    key_body(body, sizeof(body), phone, lock, "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
             "SMS_WITHOUT_APP_LINK", ",\"phoneNumber\":\"+358506722871\"");
    admin_strict(&t, "POST", "/offline-key", body, 201, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 4);
    primary = member(r.json, "primaryKey");
    alternative = member(r.json, "alternativeKey");
    ck_assert_int_eq(json_object_object_length(alternative), 2);
    ck_assert_str_ne(string_of(primary, "id"), string_of(alternative, "id"));
    ck_assert_str_ne(string_of(primary, "value"), string_of(alternative, "value"));
    pem = system_pem(t.system_id);
    assert_signed_key(pem, string_of(primary, "value"),
                      &(struct expected_key){string_of(primary, "id"), t.system_id, phone, lock,
                                             NOW, NOW + 3600, 0});
    assert_signed_key(pem, string_of(alternative, "value"),
                      &(struct expected_key){string_of(alternative, "id"), t.system_id, phone, lock,
                                             NOW, NOW + 3600, 1});
    free(pem);
    /* One SMS per key; one metadata item per issuance, named by the primary key. */
    message_for(&t, string_of(primary, "id"), "+358506722871", text, sizeof(text));
    ck_assert_str_eq(text, string_of(primary, "value"));
    message_for(&t, string_of(alternative, "id"), "+358506722871", text, sizeof(text));
    ck_assert_str_eq(text, string_of(alternative, "value"));
    ck_assert_int_eq(count_messages(&t), 2);
    ck_assert_int_eq(count_keys(&t), 2);
    http_response_free(&r);

    /* Another lock of the system is not affected. */
    issue(&t, phone, plain_lock, &r);
    ck_assert_ptr_null(member(r.json, "alternativeKey"));
    http_response_free(&r);
}
END_TEST

/* ---- listing ------------------------------------------------------------------------ */

START_TEST(list_shows_metadata_only_in_pages)
{
    static const char *const mechanisms[] = {"NONE", "SMS_WITHOUT_APP_LINK", "SMS_WITH_APP_LINK",
                                             "NONE", "SMS_WITH_APP_LINK"};
    enum { N = 5 };
    struct tenant t, other;
    struct http_response r;
    char phone[64], lock[64], ids[N][64], values[N][VALUE_LEN + 1], path[1024];
    size_t seen = 0;

    frozen_tenant(&t);
    frozen_tenant(&other);
    create_phone(&t, phone);
    create_lock(&t, lock);
    for (int i = 0; i < N; i++) {
        char body[512], start[32], end[32];

        snprintf(start, sizeof(start), "2030-01-0%dT00:00:00Z", i + 1);
        snprintf(end, sizeof(end), "2030-01-0%dT12:00:00Z", i + 1);
        key_body(body, sizeof(body), phone, lock, start, end, mechanisms[i],
                 strcmp(mechanisms[i], "NONE") ? ",\"phoneNumber\":\"+358506722871\"" : "");
        admin_strict(&t, "POST", "/offline-key", body, 201, &r);
        snprintf(ids[i], 64, "%s", json_str(&r, "primaryKey.id"));
        snprintf(values[i], sizeof(values[i]), "%s", json_str(&r, "primaryKey.value"));
        http_response_free(&r);
    }

    snprintf(path, sizeof(path), "/offline-key?limit=2");
    for (int pages = 1;; pages++) {
        json_object *items = page(&t, path, &r);
        const char *next = json_str(&r, "nextPageToken");

        ck_assert_int_eq(json_object_array_length(items), pages < 3 ? 2 : 1);
        for (size_t i = 0; i < json_object_array_length(items); i++, seen++) {
            json_object *k = json_object_array_get_idx(items, i);
            char start[32];
            snprintf(start, sizeof(start), "2030-01-0%zuT00:00:00Z", seen + 1);
            ck_assert_int_eq(json_object_object_length(k), 8);
            ck_assert_str_eq(string_of(k, "id"), ids[seen]);
            ck_assert_str_eq(string_of(k, "issuerUserId"), t.admin_id);
            ck_assert_str_eq(string_of(k, "operatingDeviceId"), phone);
            ck_assert_str_eq(string_of(k, "lockingDeviceId"), lock);
            ck_assert_str_eq(string_of(k, "startDatetime"), start);
            ck_assert_str_eq(string_of(k, "issuanceDatetime"), "2030-01-01T00:00:00Z");
            ck_assert_str_eq(string_of(k, "deliveryMechanism"),
                             strcmp(mechanisms[seen], "NONE") ? "SMS" : "NONE");
            ck_assert_ptr_null(strstr(r.body, values[seen]));
        }
        if (next == NULL) {
            ck_assert_int_eq(pages, 3);
            http_response_free(&r);
            break;
        }
        snprintf(path, sizeof(path), "/offline-key?limit=2&next-page-token=%s", next);
        http_response_free(&r);
    }
    ck_assert_int_eq(seen, N);

    /* This list's token means nothing to another system, nor garbage to this one. */
    admin_strict(&other, "GET", path, NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "next-page-token"));
    http_response_free(&r);
    admin_strict(&t, "GET", "/offline-key?next-page-token=garbage", NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "next-page-token"));
    http_response_free(&r);
    admin_strict(&t, "GET", "/offline-key?limit=0", NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "limit"));
    http_response_free(&r);
    ck_assert_int_eq(count_keys(&other), 0);
}
END_TEST

START_TEST(issuer_is_the_calling_admin)
{
    struct tenant t, admin2;
    struct http_response r;
    char phone[64], lock[64];

    frozen_tenant(&t);
    create_phone(&t, phone);
    create_lock(&t, lock);
    admin_strict(&t, "POST", "/user", "{\"role\":\"ADMIN\"}", 201, &r);
    admin2 = t;
    snprintf(admin2.admin_id, sizeof(admin2.admin_id), "%s", json_str(&r, "id"));
    ck_assert_int_eq(tenant_login(&emu, &t, json_str(&r, "id"), json_str(&r, "accessKey"),
                                  admin2.token, sizeof(admin2.token)),
                     200);
    http_response_free(&r);
    issue(&admin2, phone, lock, &r);
    http_response_free(&r);
    admin_strict(&t, "GET", "/offline-key", NULL, 200, &r);
    ck_assert_str_eq(
        string_of(json_object_array_get_idx(member(r.json, "items"), 0), "issuerUserId"),
        admin2.admin_id);
    http_response_free(&r);
}
END_TEST

/* ---- a simulated lock judges the key -------------------------------------------------- */

/* A visit of phone at lock, offline, presenting value; returns granted and copies reason. */
static int visit(const char *phone, const char *lock, const char *value, char *reason, size_t cap)
{
    struct http_response r;
    char path[160], body[1024];
    int granted;

    snprintf(path, sizeof(path), "/operating-devices/%s/visit", phone);
    snprintf(body, sizeof(body),
             "{\"lockingDeviceId\":\"%s\",\"operation\":\"unlock\",\"online\":false,"
             "\"offlineKey\":\"%s\"}",
             lock, value);
    control_expect("POST", path, body, 200, &r);
    granted = json_object_get_boolean(member(r.json, "granted"));
    snprintf(reason, cap, "%s", json_str(&r, "reason") ? json_str(&r, "reason") : "");
    http_response_free(&r);
    return granted;
}

START_TEST(simulated_lock_checks_devices_and_window)
{
    struct tenant t;
    struct http_response r;
    char phone[64], other_phone[64], lock[64], path[160], value[VALUE_LEN + 1], reason[256];
    char original;

    frozen_tenant(&t);
    create_phone(&t, phone);
    create_phone(&t, other_phone);
    create_claimed_lock(&t, phone, lock);
    issue(&t, phone, lock, &r);
    snprintf(value, sizeof(value), "%s", json_str(&r, "primaryKey.value"));
    http_response_free(&r);

    ck_assert_msg(visit(phone, lock, value, reason, sizeof(reason)), "refused: %s", reason);
    ck_assert(!visit(other_phone, lock, value, reason, sizeof(reason)));
    ck_assert_str_eq(reason, "offline key: wrong device");
    original = value[10];
    value[10] = original == 'A' ? 'B' : 'A';
    ck_assert(!visit(phone, lock, value, reason, sizeof(reason)));
    ck_assert_str_eq(reason, "offline key: bad signature");
    value[10] = original;
    ck_assert(visit(phone, lock, value, reason, sizeof(reason)));

    snprintf(path, sizeof(path), "/systems/%s/clock/advance", t.system_id);
    control_expect("POST", path, "{\"by\":\"PT1H\"}", 200, &r);
    http_response_free(&r);
    ck_assert(!visit(phone, lock, value, reason, sizeof(reason)));
    ck_assert_str_eq(reason, "offline key: expired");
}
END_TEST

static Suite *offline_keys_suite(void)
{
    Suite *s = suite_create("offline_keys");
    TCase *tc = tcase_create("api");

    tcase_add_unchecked_fixture(tc, file_db_setup, file_db_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, issue_returns_a_signed_primary_key);
    tcase_add_test(tc, each_system_signs_with_its_own_key);
    tcase_add_test(tc, window_rules_follow_the_system_clock);
    tcase_add_test(tc, body_rules_name_every_bad_field);
    tcase_add_test(tc, sms_without_app_link_sends_the_raw_value);
    tcase_add_test(tc, sms_with_app_link_sends_a_link);
    tcase_add_test(tc, unknown_devices_are_named_in_404);
    tcase_add_test(tc, eligible_lock_gets_an_alternative_key);
    tcase_add_test(tc, list_shows_metadata_only_in_pages);
    tcase_add_test(tc, issuer_is_the_calling_admin);
    tcase_add_test(tc, simulated_lock_checks_devices_and_window);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(offline_keys_suite());
}
