/*
 * test_fleet.c — a generated fleet ("generate" in a fixture system, docs/fixtures.md) over
 * real HTTP: the counts the Administration API lists, every lock claimed with certificates
 * from the emulator CA, every model, at most six associations a gateway, permissions of the
 * three types; the same seed makes the same site, certificates included; a bad value is a
 * 400 naming the member, and nothing is written.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SYSTEM "6f0e7c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
#define API_KEY "fleet-api-key-0123456789"
#define ADMIN "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
#define ADMIN_KEY "ZmxlZXQtYWRtaW4tYWNjZXNzLWtleS0wMDAwMDA="
#define USERS 20
#define LOCKS 50
#define GATEWAYS 10
#define PER_USER 3

static char *fleet_doc(const char *generate)
{
    char *doc = malloc(2048);

    snprintf(doc, 2048,
             "{\"systems\": [{\"id\": \"" SYSTEM "\", \"name\": \"Fleet\", \"apiKey\": \"" API_KEY
             "\", \"admin\": {\"userId\": \"" ADMIN "\", \"accessKey\": \"" ADMIN_KEY "\"},"
             " \"clock\": {\"mode\": \"frozen\", \"time\": \"2025-06-01T00:00:00Z\"},"
             " \"generate\": %s}]}",
             generate);
    return doc;
}

static const char *small_fleet = "{\"users\": 20, \"lockingDevices\": 50, \"gatewayDevices\": 10,"
                                 " \"permissionsPerUser\": 3}";

static void load(struct emu *e, struct tenant *t, const char *generate)
{
    char *doc = fleet_doc(generate);
    struct http_response r;

    ck_assert_msg(control_call_within(e, 120, "POST", "/fixtures", doc, &r) == 201, "%ld %s",
                  r.status, r.body);
    http_response_free(&r);
    free(doc);
    memset(t, 0, sizeof(*t));
    snprintf(t->system_id, sizeof(t->system_id), SYSTEM);
    snprintf(t->api_key, sizeof(t->api_key), API_KEY);
    snprintf(t->admin_id, sizeof(t->admin_id), ADMIN);
    snprintf(t->access_key, sizeof(t->access_key), ADMIN_KEY);
    ck_assert_int_eq(tenant_login(e, t, ADMIN, ADMIN_KEY, t->token, sizeof(t->token)), 200);
}

/* Every item of a list, page after page (limit 100), as one array the caller puts. */
static json_object *all_items(struct emu *e, const struct tenant *t, const char *path)
{
    json_object *all = json_object_new_array();
    char url[512], token[256] = "";

    do {
        struct http_response r;
        json_object *items;
        snprintf(url, sizeof(url), "%s%slimit=100%s%s", path, strchr(path, '?') ? "&" : "?",
                 token[0] ? "&next-page-token=" : "", token);
        ck_assert_msg(admin_call(e, t, "GET", url, NULL, &r) == 200, "%s: %ld", url, r.status);
        items = json_object_object_get(r.json, "items");
        for (size_t i = 0; i < json_object_array_length(items); i++)
            json_object_array_add(all, json_object_get(json_object_array_get_idx(items, i)));
        snprintf(token, sizeof(token), "%s",
                 jstr(r.json, "nextPageToken") ? jstr(r.json, "nextPageToken") : "");
        http_response_free(&r);
    } while (token[0]);
    return all;
}

static struct tenant fleet;

static void start_loaded(void)
{
    const char *args[] = {"--seed", "5", NULL};

    ck_assert_int_eq(emu_start(&emu, args), 0);
    load(&emu, &fleet, small_fleet);
}

static void stop(void)
{
    emu_stop(&emu);
}

START_TEST(the_lists_hold_what_was_asked)
{
    json_object *users = all_items(&emu, &fleet, "/user");
    json_object *devices = all_items(&emu, &fleet, "/operating-device");
    json_object *perms = all_items(&emu, &fleet, "/permission");
    json_object *gateways = all_items(&emu, &fleet, "/gateway-device");

    ck_assert_int_eq(json_object_array_length(users), USERS + 1); /* and the admin */
    ck_assert_int_eq(json_object_array_length(devices), USERS);
    ck_assert_int_eq(json_object_array_length(perms), USERS * PER_USER);
    ck_assert_int_eq(json_object_array_length(gateways), GATEWAYS);
    for (size_t i = 0; i < json_object_array_length(gateways); i++)
        ck_assert_str_eq(jstr(json_object_array_get_idx(gateways, i), "activationStatus"),
                         "ACTIVATED");
    json_object_put(users);
    json_object_put(devices);
    json_object_put(perms);
    json_object_put(gateways);
}
END_TEST

START_TEST(every_lock_is_claimed_with_certificates_of_every_model)
{
    json_object *locks = all_items(&emu, &fleet, "/locking-device");
    const char *models[] = {"PADLOCK", "KEY_DEPOSIT", "CONTROLLER", "SWING_HANDLE",
                            "SWING_HANDLE_CONNECTED"};
    int seen[5] = {0};
    char first[32] = "", last[32] = "";

    ck_assert_int_eq(json_object_array_length(locks), LOCKS);
    for (size_t i = 0; i < json_object_array_length(locks); i++) {
        json_object *l = json_object_array_get_idx(locks, i);
        const char *expiry = jstr(l, "operationalCertificate.expirationDatetime");
        struct http_response r;
        char path[128];
        ck_assert_str_eq(jstr(l, "claimingStatus"), "CLAIMED");
        ck_assert_ptr_nonnull(expiry);
        for (int m = 0; m < 5; m++)
            seen[m] += strcmp(jstr(l, "hardwareModel"), models[m]) == 0;
        if (first[0] == '\0' || strcmp(expiry, first) < 0)
            snprintf(first, sizeof(first), "%s", expiry);
        if (strcmp(expiry, last) > 0)
            snprintf(last, sizeof(last), "%s", expiry);
        snprintf(path, sizeof(path), "/hardware/locking-devices/%s", jstr(l, "serialNumber"));
        ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 200);
        ck_assert_ptr_nonnull(strstr(r.body, "BEGIN CERTIFICATE"));
        http_response_free(&r);
    }
    for (int m = 0; m < 5; m++)
        ck_assert_int_eq(seen[m], LOCKS / 5);
    /* Four waves a lifetime apart: the expiries span months, not a day. */
    ck_assert_msg(strncmp(first, "2025-1", 6) < 0 || strncmp(first, "2026", 4) < 0, "%s", first);
    ck_assert_msg(strncmp(last, "2026-05", 7) >= 0, "%s", last);
    json_object_put(locks);
}
END_TEST

START_TEST(no_gateway_holds_more_than_six_locks)
{
    json_object *gateways = all_items(&emu, &fleet, "/gateway-device");
    size_t total = 0;

    for (size_t i = 0; i < json_object_array_length(gateways); i++) {
        char path[160];
        json_object *links;
        snprintf(path, sizeof(path), "/gateway-device-association?gateway-device-id=%s",
                 jstr(json_object_array_get_idx(gateways, i), "id"));
        links = all_items(&emu, &fleet, path);
        ck_assert_int_ge(json_object_array_length(links), 1);
        ck_assert_int_le(json_object_array_length(links), 6);
        total += json_object_array_length(links);
        json_object_put(links);
    }
    ck_assert_int_le(total, LOCKS);
    json_object_put(gateways);
}
END_TEST

START_TEST(permissions_have_all_three_types)
{
    json_object *perms = all_items(&emu, &fleet, "/permission");
    const char *types[] = {"SINGLE_INTERVAL", "MULTIPLE_INTERVALS", "RECURRING"};

    for (int k = 0; k < 3; k++) {
        int n = 0;
        for (size_t i = 0; i < json_object_array_length(perms); i++)
            n += strcmp(jstr(json_object_array_get_idx(perms, i), "permissionType"), types[k]) == 0;
        ck_assert_int_eq(n, USERS * PER_USER / 3);
    }
    json_object_put(perms);
}
END_TEST

/* The lock list and the first lock's certificates, as one text. */
static char *site_text(struct emu *e, const struct tenant *t)
{
    json_object *locks = all_items(e, t, "/locking-device");
    struct http_response r;
    char path[128], *text;
    size_t len;

    snprintf(path, sizeof(path), "/hardware/locking-devices/%s",
             jstr(json_object_array_get_idx(locks, 0), "serialNumber"));
    ck_assert_int_eq(control_call(e, "GET", path, NULL, &r), 200);
    len = strlen(json_object_to_json_string(locks)) + strlen(r.body) + 2;
    text = malloc(len);
    snprintf(text, len, "%s\n%s", json_object_to_json_string(locks), r.body);
    http_response_free(&r);
    json_object_put(locks);
    return text;
}

START_TEST(the_same_seed_makes_the_same_site)
{
    const char *args[] = {"--seed", "5", NULL};
    struct emu other;
    struct tenant t;
    char *a, *b;

    ck_assert_int_eq(emu_start(&other, args), 0);
    load(&other, &t, small_fleet);
    a = site_text(&emu, &fleet);
    b = site_text(&other, &t);
    ck_assert_msg(strcmp(a, b) == 0, "the sites differ:\n%.600s\n%.600s", a, b);
    free(a);
    free(b);
    emu_stop(&other);
}
END_TEST

START_TEST(a_bad_value_names_the_member_and_writes_nothing)
{
    const char *args[] = {NULL};
    struct emu e;
    struct http_response r;
    char *doc = fleet_doc("{\"users\": 0, \"lockingDevices\": 99999, \"reKeyingWaves\": 0,"
                          " \"colour\": 1}");

    ck_assert_int_eq(emu_start(&e, args), 0);
    ck_assert_int_eq(control_call(&e, "POST", "/fixtures", doc, &r), 400);
    ck_assert_msg(strstr(r.body, "/systems/0/generate/lockingDevices") != NULL, "%s", r.body);
    ck_assert_msg(strstr(r.body, "/systems/0/generate/reKeyingWaves") != NULL, "%s", r.body);
    ck_assert_msg(strstr(r.body, "colour") != NULL, "%s", r.body);
    http_response_free(&r);
    ck_assert_int_eq(control_call(&e, "GET", "/systems/" SYSTEM, NULL, &r), 404);
    http_response_free(&r);
    free(doc);
    doc = fleet_doc("{\"users\": 0, \"lockingDevices\": 5}");
    ck_assert_int_eq(control_call(&e, "POST", "/fixtures", doc, &r), 400);
    ck_assert_msg(strstr(r.body, "/systems/0/generate/users") != NULL, "%s", r.body);
    http_response_free(&r);
    free(doc);
    emu_stop(&e);
}
END_TEST

static Suite *fleet_suite(void)
{
    Suite *s = suite_create("fleet");
    TCase *tc = tcase_create("site");

    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, start_loaded, stop);
    tcase_add_test(tc, the_lists_hold_what_was_asked);
    tcase_add_test(tc, every_lock_is_claimed_with_certificates_of_every_model);
    tcase_add_test(tc, no_gateway_holds_more_than_six_locks);
    tcase_add_test(tc, permissions_have_all_three_types);
    tcase_add_test(tc, the_same_seed_makes_the_same_site);
    suite_add_tcase(s, tc);
    tc = tcase_create("refusals");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_bad_value_names_the_member_and_writes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(fleet_suite());
}
