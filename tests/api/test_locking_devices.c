/*
 * test_locking_devices.c — GET/POST /locking-device and GET/PATCH/DELETE
 * /locking-device/{locking-device-id} of the Administration API v2.
 *
 * One emulator serves the whole suite; every test makes its own system, so its device
 * list starts empty.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_DEVICES 64
#define SERIAL_64 "BPLAD01234567890123456789012345678901234567890123456789012345678"
#define E_ACUTE "\xc3\xa9"      /* "é": one character, two bytes */
#define GRIN "\xf0\x9f\x98\x80" /* U+1F600: one character, four bytes */
#define REPLACE_NAME_WITH "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\""

/* One character as written inside a JSON string, and as the server must give it back.
 * Names are counted in characters, whatever their bytes or escapes. */
static const struct {
    const char *json;
    const char *text;
} characters[] = {
    /* clang-format off */
    {"a", "a"},
    {E_ACUTE, E_ACUTE},
    {"\xe2\x82\xac", "\xe2\x82\xac"}, /* "€": three bytes */
    {GRIN, GRIN},
    {"\\u00e9", E_ACUTE},
    {"\\ud83d\\ude00", GRIN},
    /* clang-format on */
};
#define CHARACTERS (sizeof(characters) / sizeof(characters[0]))

/* ---- helpers ------------------------------------------------------------------------ */

/* prefix, unit repeated n times, suffix: in memory the caller frees. */
static char *repeat(const char *prefix, const char *unit, size_t n, const char *suffix)
{
    size_t len = strlen(unit), cap = strlen(prefix) + len * n + strlen(suffix) + 1;
    char *s = malloc(cap), *at;

    ck_assert_ptr_nonnull(s);
    at = s + snprintf(s, cap, "%s", prefix);
    for (size_t i = 0; i < n; i++, at += len)
        memcpy(at, unit, len);
    snprintf(at, cap - (size_t)(at - s), "%s", suffix);
    return s;
}

/* POST /locking-device {"name": "<json_name>"} (json_name as written inside the JSON
 * string); copies the id. */
static void create_device(const struct tenant *t, const char *json_name, char *id)
{
    struct http_response r;
    char *body = repeat("{\"name\":\"", json_name, 1, "\"}");

    admin_strict(t, "POST", "/locking-device", body, 201, &r);
    snprintf(id, 64, "%s", json_str(&r, "id") ? json_str(&r, "id") : "");
    http_response_free(&r);
    free(body);
}

static void device_path(char *out, size_t cap, const char *id)
{
    snprintf(out, cap, "/locking-device/%s", id);
}

/* Asserts that the name member of o is exactly the len bytes of name. */
static void assert_name(json_object *o, const char *name, size_t len)
{
    json_object *got = member(o, "name");

    ck_assert_msg(json_object_is_type(got, json_type_string), "no name");
    ck_assert_msg((size_t)json_object_get_string_len(got) == len &&
                      memcmp(json_object_get_string(got), name, len) == 0,
                  "name is '%s' (%d bytes), expected '%s' (%zu bytes)", json_object_get_string(got),
                  json_object_get_string_len(got), name, len);
}

/* Asserts GET /locking-device/{id} shows an unclaimed device called name (len bytes). */
static void assert_device_bytes(const struct tenant *t, const char *id, const char *name,
                                size_t len)
{
    struct http_response r;
    char path[128];

    device_path(path, sizeof(path), id);
    admin_strict(t, "GET", path, NULL, 200, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 3);
    ck_assert_str_eq(json_str(&r, "id"), id);
    assert_name(r.json, name, len);
    ck_assert_str_eq(json_str(&r, "claimingStatus"), "UNCLAIMED");
    http_response_free(&r);
}

static void assert_device(const struct tenant *t, const char *id, const char *name)
{
    assert_device_bytes(t, id, name, strlen(name));
}

/* Reads every page of GET /locking-device with query (may be ""); copies ids and names in
 * order and returns the count. */
static size_t list_devices(const struct tenant *t, const char *query, char ids[][64],
                           char names[][64])
{
    char path[1024];
    json_object *all;
    size_t n;

    snprintf(path, sizeof(path), "/locking-device?limit=100%s", query);
    all = admin_list_all(t, path);
    n = json_object_array_length(all);
    ck_assert_uint_le(n, MAX_DEVICES);
    for (size_t i = 0; i < n; i++) {
        json_object *d = json_object_array_get_idx(all, i);
        snprintf(ids[i], 64, "%s", json_object_get_string(member(d, "id")));
        snprintf(names[i], 64, "%s", json_object_get_string(member(d, "name")));
        ck_assert_str_eq(json_object_get_string(member(d, "claimingStatus")), "UNCLAIMED");
        ck_assert_ptr_null(member(d, "serialNumber"));
    }
    json_object_put(all);
    return n;
}

static size_t count_devices(const struct tenant *t)
{
    char ids[MAX_DEVICES][64], names[MAX_DEVICES][64];

    return list_devices(t, "", ids, names);
}

/* PATCH /locking-device/{id} that must fail with status and leave the name as it was. */
static void expect_patch_refused(const struct tenant *t, const char *id, const char *patch,
                                 long status, const char *name)
{
    struct http_response r;
    char path[128];

    device_path(path, sizeof(path), id);
    admin_strict(t, "PATCH", path, patch, status, &r);
    http_response_free(&r);
    assert_device(t, id, name);
}

static void expect_patch_ok(const struct tenant *t, const char *id, const char *patch,
                            const char *name)
{
    struct http_response r;
    char path[128];

    device_path(path, sizeof(path), id);
    admin_strict(t, "PATCH", path, patch, 204, &r);
    http_response_free(&r);
    assert_device(t, id, name);
}

/* ---- create, get, delete ------------------------------------------------------------ */

START_TEST(create_makes_an_unclaimed_device)
{
    struct tenant t;
    struct http_response r;
    json_object *created;

    new_tenant(&t);
    admin_strict(&t, "POST", "/locking-device", "{\"name\":\"Front Gate\"}", 201, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 3); /* no serial number yet */
    ck_assert_int_eq((int)strlen(json_str(&r, "id")), 36);
    ck_assert_str_eq(json_str(&r, "name"), "Front Gate");
    ck_assert_str_eq(json_str(&r, "claimingStatus"), "UNCLAIMED");
    created = json_object_get(r.json);
    http_response_free(&r);

    assert_device(&t, json_object_get_string(member(created, "id")), "Front Gate");
    ck_assert_int_eq(count_devices(&t), 1);
    json_object_put(created);
}
END_TEST

START_TEST(create_accepts_names_of_1_to_255_characters)
{
    struct tenant t;
    char id[64];

    new_tenant(&t);
    create_device(&t, "a", id);
    assert_device(&t, id, "a");
    for (size_t i = 0; i < CHARACTERS; i++) {
        char *json = repeat("", characters[i].json, 255, "");
        char *text = repeat("", characters[i].text, 255, "");

        create_device(&t, json, id);
        assert_device(&t, id, text);
        free(json);
        free(text);
    }
}
END_TEST

START_TEST(names_are_kept_exactly)
{
    static const struct {
        const char *json; /* inside the JSON string */
        const char *text;
        size_t len; /* of text, which may hold a NUL */
    } names[] = {
        {" \\\"quoted\\\" \\\\ /slash ", " \"quoted\" \\ /slash ", 19},
        {"tab\\there", "tab\there", 8},
    };
    struct tenant t;

    new_tenant(&t);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char id[64], path[128], *patch;
        struct http_response r;

        create_device(&t, names[i].json, id);
        assert_device_bytes(&t, id, names[i].text, names[i].len);

        create_device(&t, "Before", id);
        device_path(path, sizeof(path), id);
        patch = repeat(REPLACE_NAME_WITH, names[i].json, 1, "\"}]");
        admin_strict(&t, "PATCH", path, patch, 204, &r);
        http_response_free(&r);
        free(patch);
        assert_device_bytes(&t, id, names[i].text, names[i].len);
    }
}
END_TEST

START_TEST(create_rejects_invalid_bodies)
{
    static const struct invalid_body cases[] = {
        {"{\"name\":\"\"}", {"name"}},
        {"{}", {"name"}},
        {"{\"name\":5}", {"name"}},
        {"{\"name\":null}", {"name"}},
        {"{\"name\":[\"Gate\"]}", {"name"}},
        {"{\"name\":\"Gate\",\"serialNumber\":\"BPLAD123456\"}", {"serialNumber"}},
        {"{\"name\":\"\",\"colour\":\"red\"}", {"name", "colour"}},
        /* A NUL would be cut off by every C string behind the API: refused, not truncated. */
        {"{\"name\":\"a\\u0000b\"}", {"name"}},
    };
    static const char *const name_only[] = {"name", NULL};
    struct tenant t;
    struct http_response r;

    new_tenant(&t);
    expect_invalid_bodies(&t, "POST", "/locking-device", cases, sizeof(cases) / sizeof(cases[0]));
    for (size_t i = 0; i < CHARACTERS; i++) { /* 256 characters */
        char *body = repeat("{\"name\":\"", characters[i].json, 256, "\"}");

        expect_invalid(&t, "POST", "/locking-device", body, name_only);
        free(body);
    }
    admin_strict(&t, "POST", "/locking-device", "{\"name\":\"x\",\"colour\":1}", 400, &r);
    ck_assert_str_eq(invalid_reason(&r, "colour"), "unknown field 'colour'");
    http_response_free(&r);

    ck_assert_int_eq(count_devices(&t), 0);
}
END_TEST

START_TEST(unknown_device_is_not_found)
{
    static const char *const methods[] = {"GET", "DELETE", "PATCH"};
    struct tenant t;

    new_tenant(&t);
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        expect_not_found(&t, methods[i], "/locking-device/" UNKNOWN_ID,
                         strcmp(methods[i], "PATCH") == 0 ? REPLACE_NAME_WITH "X\"}]" : NULL);
    ck_assert_int_eq(count_devices(&t), 0);
}
END_TEST

START_TEST(delete_removes_the_device)
{
    char gone[64], kept[64], path[128], ids[MAX_DEVICES][64], names[MAX_DEVICES][64];
    struct tenant t;
    struct http_response r;

    new_tenant(&t);
    create_device(&t, "Gone", gone);
    create_device(&t, "Kept", kept);
    device_path(path, sizeof(path), gone);

    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    http_response_free(&r);
    expect_not_found(&t, "GET", path, NULL);
    expect_not_found(&t, "PATCH", path, REPLACE_NAME_WITH "Back\"}]");
    expect_not_found(&t, "DELETE", path, NULL);
    ck_assert_int_eq(list_devices(&t, "", ids, names), 1);
    ck_assert_str_eq(ids[0], kept);
    assert_device(&t, kept, "Kept");
}
END_TEST

/* ---- list filters ------------------------------------------------------------------- */

START_TEST(list_filters_by_claiming_status_and_serial_number)
{
    static const char *const made[] = {"North", "South", "East"};
    static const struct {
        const char *query;
        size_t count; /* 0 or all */
    } filters[] = {
        {"", 3},
        {"&claiming-status=UNCLAIMED", 3},
        {"&claiming-status=CLAIMED", 0},
        {"&serial-number=BPLAD123456", 0},
        {"&claiming-status=UNCLAIMED&serial-number=BPLAD123456", 0},
        /* the reference sets no length on the filter */
        {"&serial-number=" SERIAL_64, 0},
    };
    char created[3][64], ids[MAX_DEVICES][64], names[MAX_DEVICES][64];
    struct tenant t;

    new_tenant(&t);
    for (int i = 0; i < 3; i++)
        create_device(&t, made[i], created[i]);
    for (size_t f = 0; f < sizeof(filters) / sizeof(filters[0]); f++) {
        size_t n = list_devices(&t, filters[f].query, ids, names);

        ck_assert_msg(n == filters[f].count, "%s: %zu devices", filters[f].query, n);
        for (size_t i = 0; i < n; i++) {
            ck_assert_str_eq(ids[i], created[i]);
            ck_assert_str_eq(names[i], made[i]);
        }
    }
}
END_TEST

START_TEST(list_rejects_unknown_claiming_status)
{
    static const char *const values[] = {"claimed", "UNKNOWN", "UNCLAIMED,CLAIMED", "1", ""};
    static const char *const names[] = {"claiming-status", NULL};
    struct tenant t;

    new_tenant(&t);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        char path[128];

        snprintf(path, sizeof(path), "/locking-device?claiming-status=%s", values[i]);
        expect_invalid(&t, "GET", path, NULL, names);
    }
}
END_TEST

/* ---- PATCH ---------------------------------------------------------------------------- */

START_TEST(patch_replaces_the_name)
{
    struct tenant t;
    char id[64], ids[MAX_DEVICES][64], listed[MAX_DEVICES][64];

    new_tenant(&t);
    create_device(&t, "Old", id);
    for (size_t i = 0; i < CHARACTERS; i++) {
        char *patch = repeat(REPLACE_NAME_WITH, characters[i].json, 255, "\"}]");
        char *text = repeat("", characters[i].text, 255, "");

        expect_patch_ok(&t, id, patch, text);
        free(patch);
        free(text);
    }
    expect_patch_ok(&t, id, REPLACE_NAME_WITH "New\"}]", "New");
    ck_assert_int_eq(list_devices(&t, "", ids, listed), 1);
    ck_assert_str_eq(ids[0], id);
    ck_assert_str_eq(listed[0], "New");
}
END_TEST

START_TEST(patch_honours_test_operations)
{
    static const struct {
        const char *patch;
        long status;
        const char *name_after; /* the name GET shows afterwards */
    } cases[] = {
        {"[{\"op\":\"test\",\"path\":\"/name\",\"value\":\"Wrong\"},"
         "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"}]",
         409, "Old"},
        {"[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"},"
         "{\"op\":\"test\",\"path\":\"/name\",\"value\":\"Old\"}]",
         409, "Old"}, /* a failing test after a replace undoes it */
        {"[{\"op\":\"test\",\"path\":\"/claimingStatus\",\"value\":\"CLAIMED\"},"
         "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"}]",
         409, "Old"},
        {"[{\"op\":\"test\",\"path\":\"/name\",\"value\":\"Old\"},"
         "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"B\"}]",
         204, "B"},
        {"[{\"op\":\"test\",\"path\":\"/claimingStatus\",\"value\":\"UNCLAIMED\"},"
         "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"C\"}]",
         204, "C"},
        {"[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"D\"},"
         "{\"op\":\"test\",\"path\":\"/name\",\"value\":\"D\"}]",
         204, "D"},
    };
    struct tenant t;
    char id[64];

    new_tenant(&t);
    create_device(&t, "Old", id);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (cases[i].status == 204)
            expect_patch_ok(&t, id, cases[i].patch, cases[i].name_after);
        else
            expect_patch_refused(&t, id, cases[i].patch, cases[i].status, cases[i].name_after);
    }
}
END_TEST

START_TEST(patch_rejects_invalid_patches)
{
    static const char *const patches[] = {
        "[{\"op\":\"replace\",\"path\":\"/claimingStatus\",\"value\":\"CLAIMED\"}]",
        "[{\"op\":\"replace\",\"path\":\"/id\",\"value\":\"" UNKNOWN_ID "\"}]",
        "[{\"op\":\"replace\",\"path\":\"/serialNumber\",\"value\":\"BPLAD123456\"}]",
        "[{\"op\":\"replace\",\"path\":\"/Name\",\"value\":\"A\"}]",
        "[{\"op\":\"add\",\"path\":\"/name\",\"value\":\"A\"}]",
        "[{\"op\":\"remove\",\"path\":\"/name\"}]",
        "[{\"op\":\"move\",\"from\":\"/claimingStatus\",\"path\":\"/name\"}]",
        "[{\"op\":\"copy\",\"from\":\"/claimingStatus\",\"path\":\"/name\"}]",
        "[{\"op\":\"rename\",\"path\":\"/name\",\"value\":\"A\"}]",
        "[{\"op\":\"replace\",\"path\":\"/name\"}]",
        "[{\"op\":\"test\",\"path\":\"/name\"}]",
        "[{\"path\":\"/name\",\"value\":\"A\"}]",
        "[{\"op\":\"replace\",\"value\":\"A\"}]",
        "[\"replace\"]",
        "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"}",
        "\"A\"",
        "[{\"op\":",
        REPLACE_NAME_WITH "\"}]",
        "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":42}]",
        "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":null}]",
        "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":[\"A\"]}]",
        /* a valid operation does not save an invalid one */
        REPLACE_NAME_WITH "A\"},{\"op\":\"remove\",\"path\":\"/name\"}]",
    };
    struct tenant t;
    char id[64];

    new_tenant(&t);
    create_device(&t, "Old", id);
    for (size_t i = 0; i < sizeof(patches) / sizeof(patches[0]); i++)
        expect_patch_refused(&t, id, patches[i], 400, "Old");
    for (size_t i = 0; i < CHARACTERS; i++) { /* 256 characters */
        char *patch = repeat(REPLACE_NAME_WITH, characters[i].json, 256, "\"}]");

        expect_patch_refused(&t, id, patch, 400, "Old");
        free(patch);
    }
}
END_TEST

/* RFC 6902: a patch of no operations is valid and changes nothing; the device must exist. */
START_TEST(empty_patch_is_a_no_op)
{
    struct tenant t;
    struct http_response r;
    char id[64];

    new_tenant(&t);
    create_device(&t, "Old", id);

    expect_patch_ok(&t, id, "[]", "Old");
    admin_strict(&t, "PATCH", "/locking-device/00000000-0000-4000-8000-000000000000", "[]", 404,
                 &r);
    http_response_free(&r);
}
END_TEST

START_TEST(patch_requires_the_json_patch_media_type)
{
    static const char *const types[] = {"Content-Type: application/json",
                                        "Content-Type: text/plain"};
    struct tenant t;
    char id[64], url[512], key[256], auth[4200], path[128];

    new_tenant(&t);
    create_device(&t, "Old", id);
    device_path(path, sizeof(path), id);
    snprintf(url, sizeof(url), "%s/administration%s", emu.url, path);
    snprintf(key, sizeof(key), "X-Api-Key: %s", t.api_key);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t.token);
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        const char *headers[] = {key, "Accept: " VENDOR_TYPE, auth, types[i], NULL};
        struct http_response r;

        ck_assert_int_eq(http_call("PATCH", url, headers,
                                   "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"New\"}]",
                                   &r),
                         415);
        assert_admin_problem(&r, 415, path);
        http_response_free(&r);
    }
    assert_device(&t, id, "Old");
}
END_TEST

static Suite *locking_devices_suite(void)
{
    Suite *s = suite_create("locking_devices");
    TCase *tc = tcase_create("locking_devices");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_makes_an_unclaimed_device);
    tcase_add_test(tc, create_accepts_names_of_1_to_255_characters);
    tcase_add_test(tc, names_are_kept_exactly);
    tcase_add_test(tc, create_rejects_invalid_bodies);
    tcase_add_test(tc, unknown_device_is_not_found);
    tcase_add_test(tc, delete_removes_the_device);
    tcase_add_test(tc, list_filters_by_claiming_status_and_serial_number);
    tcase_add_test(tc, list_rejects_unknown_claiming_status);
    tcase_add_test(tc, patch_replaces_the_name);
    tcase_add_test(tc, patch_honours_test_operations);
    tcase_add_test(tc, patch_rejects_invalid_patches);
    tcase_add_test(tc, empty_patch_is_a_no_op);
    tcase_add_test(tc, patch_requires_the_json_patch_media_type);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(locking_devices_suite());
}
