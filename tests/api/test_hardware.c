/*
 * test_hardware.c — the control API's physical hardware: POST/GET
 * /_emulator/v1/hardware/gateway-devices and /_emulator/v1/hardware/locking-devices, the
 * formats of serial numbers and claiming codes, the claim a gateway shows, and that --seed
 * reproduces them.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define CODE_ALPHABET "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#define MANY 40

/* ---- helpers ------------------------------------------------------------------------ */

static void assert_gateway_serial(const char *s)
{
    ck_assert_msg(s != NULL && strlen(s) == 14 && strncmp(s, "BGWA1", 5) == 0 &&
                      strspn(s + 5, "0123456789ABCDEF") == 9,
                  "not a gateway serial: %s", s ? s : "(null)");
}

static void assert_claiming_code(const char *s)
{
    ck_assert_msg(s != NULL && strlen(s) == 9 && s[4] == '-' && strspn(s, CODE_ALPHABET) == 4 &&
                      strspn(s + 5, CODE_ALPHABET) == 4,
                  "not a claiming code: %s", s ? s : "(null)");
}

/* Asserts r is a physical gateway with the given versions and claim (NULL: unclaimed). */
static void assert_gateway(const struct http_response *r, const char *hardware,
                           const char *firmware, const char *system_id, const char *gateway_id)
{
    ck_assert_int_eq(json_object_object_length(r->json), system_id ? 7 : 6);
    ck_assert_int_eq(jbool(r->json, "poweredOff"), 0); /* nobody pulled its plug */
    assert_gateway_serial(json_str(r, "serialNumber"));
    assert_claiming_code(json_str(r, "claimingCode"));
    ck_assert_str_eq(json_str(r, "hardwareModel"), "BEAT_GW_A1");
    ck_assert_str_eq(json_str(r, "hardwareVersion"), hardware);
    ck_assert_str_eq(json_str(r, "firmwareVersion"), firmware);
    if (system_id == NULL) {
        ck_assert_ptr_null(member(r->json, "claimedBy"));
        return;
    }
    ck_assert_int_eq(json_object_object_length(member(r->json, "claimedBy")), 2);
    ck_assert_str_eq(json_str(r, "claimedBy.systemId"), system_id);
    ck_assert_str_eq(json_str(r, "claimedBy.gatewayDeviceId"), gateway_id);
}

/* POST a gateway (body may be NULL); copies its serial and code. */
static void make_gateway(const char *body, char serial[64], char code[16])
{
    struct http_response r;

    control_expect("POST", "/hardware/gateway-devices", body, 201, &r);
    snprintf(serial, 64, "%s", json_str(&r, "serialNumber") ? json_str(&r, "serialNumber") : "");
    snprintf(code, 16, "%s", json_str(&r, "claimingCode") ? json_str(&r, "claimingCode") : "");
    http_response_free(&r);
}

static void get_gateway(const char *serial, struct http_response *r)
{
    char path[128];

    snprintf(path, sizeof(path), "/hardware/gateway-devices/%s", serial);
    control_expect("GET", path, NULL, 200, r);
}

/* ---- gateways ----------------------------------------------------------------------- */

START_TEST(gateway_without_body_gets_defaults)
{
    struct http_response r;
    char serial[64], code[16];

    control_expect("POST", "/hardware/gateway-devices", NULL, 201, &r);
    assert_gateway(&r, "1.0.0", "1.0.0", NULL, NULL);
    snprintf(serial, sizeof(serial), "%s", json_str(&r, "serialNumber"));
    snprintf(code, sizeof(code), "%s", json_str(&r, "claimingCode"));
    http_response_free(&r);

    get_gateway(serial, &r);
    assert_gateway(&r, "1.0.0", "1.0.0", NULL, NULL);
    ck_assert_str_eq(json_str(&r, "serialNumber"), serial);
    ck_assert_str_eq(json_str(&r, "claimingCode"), code);
    http_response_free(&r);

    control_expect("POST", "/hardware/gateway-devices", "{}", 201, &r);
    assert_gateway(&r, "1.0.0", "1.0.0", NULL, NULL);
    http_response_free(&r);
}
END_TEST

START_TEST(gateway_keeps_given_versions)
{
    struct http_response r;
    char serial[64];

    control_expect("POST", "/hardware/gateway-devices",
                   "{\"hardwareVersion\":\"2.1.0\",\"firmwareVersion\":\"0.7.0\"}", 201, &r);
    assert_gateway(&r, "2.1.0", "0.7.0", NULL, NULL);
    snprintf(serial, sizeof(serial), "%s", json_str(&r, "serialNumber"));
    http_response_free(&r);
    get_gateway(serial, &r);
    assert_gateway(&r, "2.1.0", "0.7.0", NULL, NULL);
    http_response_free(&r);

    control_expect("POST", "/hardware/gateway-devices", "{\"firmwareVersion\":\"3.0.0\"}", 201, &r);
    assert_gateway(&r, "1.0.0", "3.0.0", NULL, NULL);
    http_response_free(&r);
}
END_TEST

START_TEST(gateway_rejects_invalid_bodies)
{
    static const struct invalid_body cases[] = {
        {"{\"hardwareVersion\":\"\"}", {"hardwareVersion"}},
        {"{\"firmwareVersion\":7}", {"firmwareVersion"}},
        {"{\"hardwareVersion\":\"12345678901234567890123456789012\"}", {"hardwareVersion"}},
        {"{\"hardwareModel\":\"BEAT_GW_A1\"}", {"hardwareModel"}},
        {"{\"claimingCode\":\"2K7H-ASR3\",\"firmwareVersion\":\"\"}",
         {"claimingCode", "firmwareVersion"}},
    };

    expect_control_invalid_bodies("/hardware/gateway-devices", cases,
                                  sizeof(cases) / sizeof(cases[0]));
    expect_control_problem("POST", "/hardware/gateway-devices", "[]", 400);
    expect_control_problem("POST", "/hardware/gateway-devices", "{\"hardwareVersion\":", 400);
}
END_TEST

START_TEST(gateway_serials_and_codes_are_unique)
{
    static char serials[MANY][64], codes[MANY][16];

    for (int i = 0; i < MANY; i++) {
        make_gateway(NULL, serials[i], codes[i]);
        assert_gateway_serial(serials[i]);
        assert_claiming_code(codes[i]);
        for (int j = 0; j < i; j++) {
            ck_assert_str_ne(serials[i], serials[j]);
            ck_assert_str_ne(codes[i], codes[j]);
        }
    }
}
END_TEST

START_TEST(gateway_shows_its_claim)
{
    struct tenant t;
    struct http_response r;
    char serial[64], code[16], body[64], id[64], path[128];

    new_tenant(&t);
    make_gateway(NULL, serial, code);
    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", code);
    ck_assert_int_eq(admin_call(&emu, &t, "POST", "/gateway-device", body, &r), 201);
    snprintf(id, sizeof(id), "%s", json_str(&r, "id"));
    http_response_free(&r);

    get_gateway(serial, &r);
    assert_gateway(&r, "1.0.0", "1.0.0", t.system_id, id);
    ck_assert_str_eq(json_str(&r, "claimingCode"), code);
    http_response_free(&r);

    snprintf(path, sizeof(path), "/gateway-device/%s", id);
    ck_assert_int_eq(admin_call(&emu, &t, "DELETE", path, NULL, &r), 204);
    http_response_free(&r);
    get_gateway(serial, &r);
    assert_gateway(&r, "1.0.0", "1.0.0", NULL, NULL);
    http_response_free(&r);
}
END_TEST

START_TEST(deleting_the_system_frees_the_gateway)
{
    struct tenant t;
    struct http_response r;
    char serial[64], code[16], body[64], path[128];

    new_tenant(&t);
    make_gateway(NULL, serial, code);
    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", code);
    ck_assert_int_eq(admin_call(&emu, &t, "POST", "/gateway-device", body, &r), 201);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/systems/%s", t.system_id);
    control_expect("DELETE", path, NULL, 204, &r);
    http_response_free(&r);

    get_gateway(serial, &r);
    assert_gateway(&r, "1.0.0", "1.0.0", NULL, NULL);
    http_response_free(&r);
}
END_TEST

/* ---- locking devices ---------------------------------------------------------------- */

START_TEST(locking_device_of_each_model)
{
    static const struct {
        const char *model, *prefix;
    } models[] = {
        {"PADLOCK", "BPLAD"},
        {"KEY_DEPOSIT", "BKDAD"},
        {"CONTROLLER", "BCTAD"},
        {"SWING_HANDLE", "BSHAD"},
        {"SWING_HANDLE_CONNECTED", "BSCAD"},
    };

    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
        struct http_response r;
        char body[96], path[128], serial[64];
        const char *s;

        snprintf(body, sizeof(body), "{\"hardwareModel\":\"%s\"}", models[i].model);
        control_expect("POST", "/hardware/locking-devices", body, 201, &r);
        /* The four label fields, plus what the factory put inside: two certificates, no
         * re-keying under way, an empty log, a good battery, within its gateway's range. */
        ck_assert_int_eq(json_object_object_length(r.json), 10);
        ck_assert_str_eq(json_str(&r, "battery"), "OK");
        ck_assert_int_eq(jbool(r.json, "inGatewayRange"), 1);
        ck_assert_ptr_nonnull(strstr(json_str(&r, "operationalCertificate.certificatePem"),
                                     "-----BEGIN CERTIFICATE-----"));
        ck_assert_ptr_nonnull(strstr(json_str(&r, "manufacturingCertificate.certificatePem"),
                                     "-----BEGIN CERTIFICATE-----"));
        ck_assert_str_eq(json_str(&r, "reKeyingStage"), "NONE");
        ck_assert_int_eq(
            json_object_array_length(json_object_object_get(r.json, "pendingLogEntries")), 0);
        s = json_str(&r, "serialNumber");
        ck_assert_msg(s != NULL && strlen(s) == 11 && strncmp(s, models[i].prefix, 5) == 0 &&
                          strspn(s + 5, "0123456789") == 6,
                      "serial of %s: %s", models[i].model, s ? s : "(null)");
        assert_strings(r.json,
                       (const char *const[]){"hardwareModel", models[i].model, "hardwareVersion",
                                             "1", "firmwareVersion", "1.0.0", NULL});
        snprintf(serial, sizeof(serial), "%s", s);
        http_response_free(&r);

        snprintf(path, sizeof(path), "/hardware/locking-devices/%s", serial);
        control_expect("GET", path, NULL, 200, &r);
        ck_assert_int_eq(json_object_object_length(r.json), 10);
        assert_strings(r.json, (const char *const[]){"serialNumber", serial, "hardwareModel",
                                                     models[i].model, "hardwareVersion", "1",
                                                     "firmwareVersion", "1.0.0", NULL});
        http_response_free(&r);
    }
}
END_TEST

START_TEST(locking_device_keeps_given_versions)
{
    struct http_response r;
    char path[128];

    control_expect("POST", "/hardware/locking-devices",
                   "{\"hardwareModel\":\"PADLOCK\",\"hardwareVersion\":\"3\","
                   "\"firmwareVersion\":\"2.4.1\"}",
                   201, &r);
    snprintf(path, sizeof(path), "/hardware/locking-devices/%s", json_str(&r, "serialNumber"));
    http_response_free(&r);
    control_expect("GET", path, NULL, 200, &r);
    assert_strings(r.json, (const char *const[]){"hardwareModel", "PADLOCK", "hardwareVersion", "3",
                                                 "firmwareVersion", "2.4.1", NULL});
    http_response_free(&r);
}
END_TEST

START_TEST(locking_device_window_may_be_its_whole_lifetime)
{
    json_object *o = control("POST", "/hardware/locking-devices",
                             "{\"hardwareModel\":\"PADLOCK\",\"operationalCertificateLifetime\":"
                             "\"P2D\",\"reKeyingWindow\":\"P2D\"}",
                             201);

    ck_assert_ptr_nonnull(jstr(o, "serialNumber"));
    json_object_put(o);
}
END_TEST

START_TEST(locking_device_rejects_invalid_bodies)
{
    static const struct invalid_body cases[] = {
        {"{}", {"hardwareModel"}},
        {"{\"hardwareModel\":\"padlock\"}", {"hardwareModel"}},
        {"{\"hardwareModel\":\"BEAT_GW_A1\"}", {"hardwareModel"}},
        {"{\"hardwareModel\":1}", {"hardwareModel"}},
        {"{\"hardwareModel\":\"PADLOCK\",\"hardwareVersion\":\"\"}", {"hardwareVersion"}},
        {"{\"hardwareModel\":\"PADLOCK\",\"serialNumber\":\"BPLAD123456\"}", {"serialNumber"}},
        {"{\"hardwareVersion\":[],\"firmwareVersion\":\"\"}",
         {"hardwareModel", "hardwareVersion", "firmwareVersion"}},
        /* As long as the lifetime is allowed (eligible at once); longer means nothing more. */
        {"{\"hardwareModel\":\"PADLOCK\",\"operationalCertificateLifetime\":\"P2D\","
         "\"reKeyingWindow\":\"PT49H\"}",
         {"reKeyingWindow"}},
        /* The window applies to the manufacturing certificate too. */
        {"{\"hardwareModel\":\"PADLOCK\",\"manufacturingCertificateLifetime\":\"P2D\","
         "\"reKeyingWindow\":\"P3D\"}",
         {"reKeyingWindow"}},
    };

    expect_control_invalid_bodies("/hardware/locking-devices", cases,
                                  sizeof(cases) / sizeof(cases[0]));
    /* The model is required. */
    expect_control_problem("POST", "/hardware/locking-devices", NULL, 400);
}
END_TEST

START_TEST(unknown_serials_are_not_found)
{
    struct http_response r;
    char serial[64], code[16], path[128];

    control_expect("GET", "/hardware/gateway-devices/BGWA1000000000", NULL, 404, &r);
    assert_control_problem(&r, 404, "/hardware/gateway-devices/BGWA1000000000");
    http_response_free(&r);
    control_expect("GET", "/hardware/locking-devices/BPLAD000000", NULL, 404, &r);
    assert_control_problem(&r, 404, "/hardware/locking-devices/BPLAD000000");
    http_response_free(&r);

    /* A gateway is no locking device, and a claiming code is no serial. */
    make_gateway(NULL, serial, code);
    snprintf(path, sizeof(path), "/hardware/locking-devices/%s", serial);
    control_expect("GET", path, NULL, 404, &r);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/hardware/gateway-devices/%s", code);
    control_expect("GET", path, NULL, 404, &r);
    http_response_free(&r);
}
END_TEST

/* ---- determinism -------------------------------------------------------------------- */

/* Starts an emulator with --seed seed, makes one gateway and one padlock, and copies what
 * they were given. */
static void seeded_run(const char *seed, char serial[64], char code[16], char lock[64])
{
    const char *const args[] = {"--seed", seed, NULL};
    struct emu e;
    struct http_response r;

    ck_assert_int_eq(emu_start(&e, args), 0);
    ck_assert_int_eq(control_call(&e, "POST", "/hardware/gateway-devices", NULL, &r), 201);
    snprintf(serial, 64, "%s", json_str(&r, "serialNumber"));
    snprintf(code, 16, "%s", json_str(&r, "claimingCode"));
    http_response_free(&r);
    ck_assert_int_eq(control_call(&e, "POST", "/hardware/locking-devices",
                                  "{\"hardwareModel\":\"PADLOCK\"}", &r),
                     201);
    snprintf(lock, 64, "%s", json_str(&r, "serialNumber"));
    http_response_free(&r);
    emu_stop(&e);
}

START_TEST(seed_reproduces_serials_and_codes)
{
    char serial[3][64], code[3][16], lock[3][64];

    seeded_run("7", serial[0], code[0], lock[0]);
    seeded_run("7", serial[1], code[1], lock[1]);
    seeded_run("8", serial[2], code[2], lock[2]);
    assert_gateway_serial(serial[0]);
    assert_claiming_code(code[0]);
    ck_assert_str_eq(serial[0], serial[1]);
    ck_assert_str_eq(code[0], code[1]);
    ck_assert_str_eq(lock[0], lock[1]);
    ck_assert_str_ne(serial[0], serial[2]);
    ck_assert_str_ne(code[0], code[2]);
}
END_TEST

static Suite *hardware_suite(void)
{
    Suite *s = suite_create("hardware");
    TCase *gw = tcase_create("gateway devices"), *ld = tcase_create("locking devices");
    TCase *seed = tcase_create("determinism");

    tcase_add_unchecked_fixture(gw, emu_setup, emu_teardown);
    tcase_add_unchecked_fixture(ld, emu_setup, emu_teardown);
    tcase_set_timeout(gw, 120);
    tcase_set_timeout(ld, 120);
    tcase_set_timeout(seed, 120);
    tcase_add_test(gw, gateway_without_body_gets_defaults);
    tcase_add_test(gw, gateway_keeps_given_versions);
    tcase_add_test(gw, gateway_rejects_invalid_bodies);
    tcase_add_test(gw, gateway_serials_and_codes_are_unique);
    tcase_add_test(gw, gateway_shows_its_claim);
    tcase_add_test(gw, deleting_the_system_frees_the_gateway);
    tcase_add_test(ld, locking_device_of_each_model);
    tcase_add_test(ld, locking_device_keeps_given_versions);
    tcase_add_test(ld, locking_device_window_may_be_its_whole_lifetime);
    tcase_add_test(ld, locking_device_rejects_invalid_bodies);
    tcase_add_test(ld, unknown_serials_are_not_found);
    tcase_add_test(seed, seed_reproduces_serials_and_codes);
    suite_add_tcase(s, gw);
    suite_add_tcase(s, ld);
    suite_add_tcase(s, seed);
    return s;
}

int main(void)
{
    return run_suite(hardware_suite());
}
