/*
 * test_permissions.c — POST and GET /permission, GET, PUT and DELETE /permission/{id} of the
 * Administration API v2: every body rule, the references to users and locking devices,
 * replacement, deletion (also by cascade), isolation between systems, and paging.
 *
 * One emulator serves the whole suite; every test makes its own system.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define START "2030-01-01T08:00:00Z"
#define END "2030-01-08T18:00:00Z"

/* ---- helpers ------------------------------------------------------------------------ */

static void create_device(const struct tenant *t, char *id)
{
    post_id(t, "/locking-device", "{\"name\":\"Front door\"}", id);
}

/* A new system with a user and a locking device to name in permissions. */
static void tenant_with_user_and_device(struct tenant *t, char user[64], char device[64])
{
    new_tenant(t);
    new_user(t, user);
    create_device(t, device);
}

/* A new system with two users, then two locking devices. */
static void tenant_with_two_users_and_devices(struct tenant *t, char user[64], char user2[64],
                                              char device[64], char device2[64])
{
    new_tenant(t);
    new_user(t, user);
    new_user(t, user2);
    create_device(t, device);
    create_device(t, device2);
}

/* A SINGLE_INTERVAL body for user and device, with extra members appended (may be ""). */
static void single_body(char *out, size_t cap, const char *user, const char *device,
                        const char *extra)
{
    snprintf(out, cap,
             "{\"permissionType\":\"SINGLE_INTERVAL\",\"userId\":\"%s\",\"lockingDeviceId\":"
             "\"%s\",\"operationType\":\"OPEN\",\"start\":\"" START "\",\"end\":\"" END "\"%s}",
             user, device, extra);
}

static void create_single(const struct tenant *t, const char *user, const char *device, char *id)
{
    char body[1024];

    single_body(body, sizeof(body), user, device, "");
    post_id(t, "/permission", body, id);
}

static void get_permission(const struct tenant *t, const char *id, struct http_response *r)
{
    char path[128];

    snprintf(path, sizeof(path), "/permission/%s", id);
    admin_strict(t, "GET", path, NULL, 200, r);
}

/* The JSON text of member key of r's body, for comparing arrays. */
static const char *array_text(const struct http_response *r, const char *key)
{
    json_object *v = member(r->json, key);

    ck_assert_msg(json_object_is_type(v, json_type_array), "no array '%s': %s", key, r->body);
    return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

/* Reads every page of GET /permission with limit; copies ids and returns the count. */
static size_t list_ids(const struct tenant *t, int limit, char ids[][64], size_t cap, size_t *pages)
{
    char path[64];
    json_object *all;
    size_t n;

    snprintf(path, sizeof(path), "/permission?limit=%d", limit);
    all = admin_list_pages(t, path, pages);
    n = json_object_array_length(all);
    ck_assert_uint_le(n, cap);
    for (size_t i = 0; i < n; i++)
        snprintf(ids[i], 64, "%s",
                 json_object_get_string(member(json_object_array_get_idx(all, i), "id")));
    json_object_put(all);
    return n;
}

static size_t count_permissions(const struct tenant *t)
{
    return admin_count(t, "/permission?limit=100");
}

/* ---- creation and reading ----------------------------------------------------------- */

START_TEST(create_single_interval_and_read_it_back)
{
    struct tenant t;
    struct http_response r;
    char user[64], device[64], id[64], body[1024];

    tenant_with_user_and_device(&t, user, device);
    snprintf(body, sizeof(body),
             "{\"permissionType\":\"SINGLE_INTERVAL\",\"userId\":\"%s\",\"lockingDeviceId\":\"%s\","
             "\"operationType\":\"UPDATE_TIME\",\"operatingKeyValidityDuration\":\"P8D\","
             "\"start\":\"2023-09-02T17:00:00.750+02:00\",\"end\":\"2023-09-02T18:00:00Z\"}",
             user, device);
    admin_strict(&t, "POST", "/permission", body, 201, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 1);
    ck_assert_int_eq(strlen(json_str(&r, "id")), 36);
    snprintf(id, sizeof(id), "%s", json_str(&r, "id"));
    http_response_free(&r);

    get_permission(&t, id, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 8);
    assert_strings(
        r.json, (const char *const[]){"id", id, "permissionType", "SINGLE_INTERVAL", "userId", user,
                                      "lockingDeviceId", device, "operationType", "UPDATE_TIME",
                                      "operatingKeyValidityDuration", "P8D", "start",
                                      "2023-09-02T15:00:00Z", "end", "2023-09-02T18:00:00Z", NULL});
    http_response_free(&r);
}
END_TEST

START_TEST(validity_defaults_to_p8d_and_renders_as_written)
{
    static const char *const given[] = {NULL, "P1D", "PT24H", "P31D", "P4W", "PT744H", "P2DT12H"};
    struct tenant t;
    char user[64], device[64];

    tenant_with_user_and_device(&t, user, device);
    for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
        struct http_response r;
        char body[1024], extra[128] = "", id[64];

        if (given[i] != NULL)
            snprintf(extra, sizeof(extra), ",\"operatingKeyValidityDuration\":\"%s\"", given[i]);
        single_body(body, sizeof(body), user, device, extra);
        post_id(&t, "/permission", body, id);
        get_permission(&t, id, &r);
        ck_assert_str_eq(json_str(&r, "operatingKeyValidityDuration"),
                         given[i] != NULL ? given[i] : "P8D");
        http_response_free(&r);
    }
}
END_TEST

START_TEST(recurring_and_multiple_intervals_keep_weekdays_and_intervals)
{
    static const char *const types[] = {"RECURRING", "MULTIPLE_INTERVALS"};
    struct tenant t;
    char user[64], device[64];

    tenant_with_user_and_device(&t, user, device);
    for (int i = 0; i < 2; i++) {
        struct http_response r;
        char body[1024], id[64];

        snprintf(body, sizeof(body),
                 "{\"permissionType\":\"%s\",\"userId\":\"%s\",\"lockingDeviceId\":\"%s\","
                 "\"operationType\":\"UPDATE_FIRMWARE\",\"start\":\"" START "\",\"end\":\"" END
                 "\",\"weekdays\":[\"SUNDAY\",\"MONDAY\",\"FRIDAY\"],"
                 "\"intervals\":[\"13:00-24:00\",\"00:00-00:01\",\"08:00-12:30\"]}",
                 types[i], user, device);
        post_id(&t, "/permission", body, id);
        get_permission(&t, id, &r);
        ck_assert_int_eq(json_object_object_length(r.json), 10);
        ck_assert_str_eq(json_str(&r, "permissionType"), types[i]);
        ck_assert_str_eq(json_str(&r, "operationType"), "UPDATE_FIRMWARE");
        ck_assert_str_eq(array_text(&r, "weekdays"), "[\"SUNDAY\",\"MONDAY\",\"FRIDAY\"]");
        ck_assert_str_eq(array_text(&r, "intervals"),
                         "[\"13:00-24:00\",\"00:00-00:01\",\"08:00-12:30\"]");
        ck_assert_str_eq(json_str(&r, "operatingKeyValidityDuration"), "P8D");
        http_response_free(&r);
    }
}
END_TEST

/* ---- validation --------------------------------------------------------------------- */

#define U "\"userId\":\"$U\",\"lockingDeviceId\":\"$D\",\"operationType\":\"OPEN\""
#define W "\"start\":\"" START "\",\"end\":\"" END "\""
#define SINGLE "\"permissionType\":\"SINGLE_INTERVAL\""
#define RECUR "\"permissionType\":\"RECURRING\""
#define DAYS "\"weekdays\":[\"MONDAY\"]"
#define TIMES "\"intervals\":[\"08:00-12:00\"]"

static const struct {
    const char *body; /* $U stands for the user id, $D for the locking device id */
    const char *names[8];
} bad_bodies[] = {
    {"{}", {"userId", "lockingDeviceId", "operationType", "permissionType", "start", "end"}},
    {"{\"userId\":\"nope\",\"lockingDeviceId\":\"$D\",\"operationType\":\"OPEN\"," SINGLE "," W "}",
     {"userId"}},
    {"{\"userId\":\"$U\",\"lockingDeviceId\":7,\"operationType\":\"OPEN\"," SINGLE "," W "}",
     {"lockingDeviceId"}},
    {"{\"userId\":\"$U\",\"lockingDeviceId\":\"$D\",\"operationType\":\"CLOSE\"," SINGLE "," W "}",
     {"operationType"}},
    {"{" U ",\"permissionType\":\"WEEKLY\"," W "}", {"permissionType"}},
    {"{" U "," SINGLE ",\"start\":\"2030-01-01 08:00\",\"end\":\"" END "\"}", {"start"}},
    {"{" U "," SINGLE ",\"start\":\"" START "\",\"end\":\"" START "\"}", {"end"}},
    {"{" U "," SINGLE ",\"start\":\"" END "\",\"end\":\"" START "\"}", {"end"}},
    {"{" U "," SINGLE "," W ",\"operatingKeyValidityDuration\":\"PT23H59M59S\"}",
     {"operatingKeyValidityDuration"}},
    {"{" U "," SINGLE "," W ",\"operatingKeyValidityDuration\":\"P31DT1S\"}",
     {"operatingKeyValidityDuration"}},
    {"{" U "," SINGLE "," W ",\"operatingKeyValidityDuration\":\"PT0S\"}",
     {"operatingKeyValidityDuration"}},
    {"{" U "," SINGLE "," W ",\"operatingKeyValidityDuration\":\"P1M\"}",
     {"operatingKeyValidityDuration"}},
    {"{" U "," SINGLE "," W ",\"operatingKeyValidityDuration\":8}",
     {"operatingKeyValidityDuration"}},
    {"{" U "," SINGLE "," W ",\"colour\":\"red\"}", {"colour"}},
    {"{" U "," SINGLE "," W "," DAYS "}", {"weekdays"}},
    {"{" U "," SINGLE "," W "," TIMES "}", {"intervals"}},
    {"{" U "," SINGLE "," W "," DAYS "," TIMES "}", {"weekdays", "intervals"}},
    {"{" U "," RECUR "," W "," TIMES "}", {"weekdays"}},
    {"{" U ",\"permissionType\":\"MULTIPLE_INTERVALS\"," W "," DAYS "}", {"intervals"}},
    {"{" U "," RECUR "," W "}", {"weekdays", "intervals"}},
    {"{" U "," RECUR "," W ",\"weekdays\":[]," TIMES "}", {"weekdays"}},
    {"{" U "," RECUR "," W ",\"weekdays\":[\"MONDAY\",\"MONDAY\"]," TIMES "}", {"weekdays"}},
    {"{" U "," RECUR "," W ",\"weekdays\":[\"monday\"]," TIMES "}", {"weekdays"}},
    {"{" U "," RECUR "," W ",\"weekdays\":[1]," TIMES "}", {"weekdays"}},
    {"{" U "," RECUR "," W ",\"weekdays\":\"MONDAY\"," TIMES "}", {"weekdays"}},
    {"{" U "," RECUR "," W "," DAYS ",\"intervals\":[]}", {"intervals"}},
    {"{" U "," RECUR "," W "," DAYS ",\"intervals\":[\"08:00-08:00\"]}", {"intervals"}},
    {"{" U "," RECUR "," W "," DAYS ",\"intervals\":[\"12:00-08:00\"]}", {"intervals"}},
    {"{" U "," RECUR "," W "," DAYS ",\"intervals\":[\"8:00-12:00\"]}", {"intervals"}},
    {"{" U "," RECUR "," W "," DAYS ",\"intervals\":[\"08:00-24:01\"]}", {"intervals"}},
    {"{" U "," RECUR "," W "," DAYS ",\"intervals\":[\"24:00-24:00\"]}", {"intervals"}},
    {"{" U "," RECUR "," W "," DAYS ",\"intervals\":[\"08:60-09:00\"]}", {"intervals"}},
    {"{" U "," RECUR "," W "," DAYS ",\"intervals\":[\"08:00-12:00\",\"x\"]}", {"intervals"}},
    {"{" U "," RECUR "," W "," DAYS ",\"intervals\":[\"08:00 12:00\"]}", {"intervals"}},
    {"{" U ",\"permissionType\":\"NOPE\"," W ",\"weekdays\":[]}", {"permissionType", "weekdays"}},
    {"{\"userId\":\"$U\",\"lockingDeviceId\":\"$D\",\"operationType\":\"SHUT\"," RECUR
     ",\"start\":\"" END "\",\"end\":\"" START "\",\"weekdays\":[\"X\"]," TIMES "}",
     {"operationType", "end", "weekdays"}},
};

/* Copies tmpl into out with $U replaced by user and $D by device. */
static void expand(const char *tmpl, const char *user, const char *device, char *out, size_t cap)
{
    size_t o = 0;

    for (const char *c = tmpl; *c != '\0' && o + 1 < cap; c++) {
        const char *with = c[0] == '$' && c[1] == 'U'   ? user
                           : c[0] == '$' && c[1] == 'D' ? device
                                                        : NULL;
        if (with == NULL) {
            out[o++] = *c;
            continue;
        }
        o += (size_t)snprintf(out + o, cap - o, "%s", with);
        if (o >= cap)
            o = cap - 1;
        c++;
    }
    out[o] = '\0';
}

/* Every bad body of bad_bodies, sent with method to path: 400 naming exactly its fields. */
static void check_bad_bodies(const struct tenant *t, const char *method, const char *path,
                             const char *user, const char *device)
{
    for (size_t i = 0; i < sizeof(bad_bodies) / sizeof(bad_bodies[0]); i++) {
        struct http_response r;
        char body[2048];

        expand(bad_bodies[i].body, user, device, body, sizeof(body));
        admin_strict(t, method, path, body, 400, &r);
        ck_assert_str_eq(json_str(&r, "title"), "Bad Request");
        assert_invalid_params(&r, bad_bodies[i].names);
        http_response_free(&r);
    }
}

START_TEST(create_rejects_every_bad_field)
{
    struct tenant t;
    struct http_response r;
    char user[64], device[64];

    tenant_with_user_and_device(&t, user, device);
    check_bad_bodies(&t, "POST", "/permission", user, device);
    admin_strict(&t, "POST", "/permission", "[]", 400, &r);
    http_response_free(&r);
    ck_assert_int_eq(count_permissions(&t), 0); /* nothing was written */
}
END_TEST

START_TEST(interval_count_is_capped)
{
    struct tenant t;
    struct http_response r;
    char user[64], device[64], tmpl[4096], body[4096], list[2048] = "", id[64];

    tenant_with_user_and_device(&t, user, device);
    for (int i = 0; i < 33; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof(list) - len, "%s\"%02d:00-%02d:30\"", i ? "," : "", i % 24,
                 i % 24);
        snprintf(tmpl, sizeof(tmpl), "{" U "," RECUR "," W "," DAYS ",\"intervals\":[%s]}", list);
        expand(tmpl, user, device, body, sizeof(body));
        if (i == 31) /* 32 intervals are accepted */
            post_id(&t, "/permission", body, id);
    }
    admin_strict(&t, "POST", "/permission", body, 400, &r); /* 33 are not */
    ck_assert_ptr_nonnull(invalid_reason(&r, "intervals"));
    http_response_free(&r);
}
END_TEST

START_TEST(unknown_references_are_named_in_404)
{
    struct tenant t;
    struct http_response r;
    char user[64], device[64], body[1024], detail[512];

    tenant_with_user_and_device(&t, user, device);

    single_body(body, sizeof(body), UNKNOWN_ID, device, "");
    expect_problem(&t, "POST", "/permission", body, 404, "unknown user '" UNKNOWN_ID "'");

    single_body(body, sizeof(body), user, UNKNOWN_ID, "");
    expect_problem(&t, "POST", "/permission", body, 404, "unknown locking device '" UNKNOWN_ID "'");

    /* A locking device id used as a user id is still an unknown user. */
    single_body(body, sizeof(body), device, user, "");
    admin_strict(&t, "POST", "/permission", body, 404, &r);
    snprintf(detail, sizeof(detail), "unknown user '%s' and locking device '%s'", device, user);
    ck_assert_str_eq(json_str(&r, "detail"), detail);
    http_response_free(&r);
    ck_assert_int_eq(count_permissions(&t), 0);
}
END_TEST

/* ---- replacement and deletion -------------------------------------------------------- */

START_TEST(put_replaces_every_field_and_keeps_the_id)
{
    struct tenant t;
    struct http_response r;
    char user[64], user2[64], device[64], device2[64], id[64], body[1024], path[128];
    char ids[4][64];
    size_t pages;

    tenant_with_two_users_and_devices(&t, user, user2, device, device2);
    expand("{" U "," RECUR "," W "," DAYS "," TIMES ",\"operatingKeyValidityDuration\":\"P2D\"}",
           user, device, body, sizeof(body));
    post_id(&t, "/permission", body, id);
    snprintf(path, sizeof(path), "/permission/%s", id);

    snprintf(body, sizeof(body),
             "{\"permissionType\":\"SINGLE_INTERVAL\",\"userId\":\"%s\",\"lockingDeviceId\":\"%s\","
             "\"operationType\":\"UPDATE_FIRMWARE\",\"start\":\"2031-02-03T04:05:06Z\","
             "\"end\":\"2031-02-04T00:00:00-01:00\"}",
             user2, device2);
    admin_strict(&t, "PUT", path, body, 204, &r);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);

    get_permission(&t, id, &r);
    ck_assert_int_eq(json_object_object_length(r.json), 8); /* weekdays and intervals gone */
    assert_strings(r.json, (const char *const[]){"id", id, "permissionType", "SINGLE_INTERVAL",
                                                 "userId", user2, "lockingDeviceId", device2,
                                                 "operationType", "UPDATE_FIRMWARE", NULL});
    ck_assert_str_eq(json_str(&r, "operatingKeyValidityDuration"), "P8D"); /* the default */
    ck_assert_str_eq(json_str(&r, "start"), "2031-02-03T04:05:06Z");
    ck_assert_str_eq(json_str(&r, "end"), "2031-02-04T01:00:00Z");
    http_response_free(&r);

    /* And back to RECURRING, which brings weekdays and intervals again. */
    expand("{" U "," RECUR "," W ",\"weekdays\":[\"SATURDAY\"],\"intervals\":[\"22:00-24:00\"],"
           "\"operatingKeyValidityDuration\":\"PT48H\"}",
           user, device, body, sizeof(body));
    expect_status(&t, "PUT", path, body, 204);
    get_permission(&t, id, &r);
    ck_assert_str_eq(array_text(&r, "weekdays"), "[\"SATURDAY\"]");
    ck_assert_str_eq(array_text(&r, "intervals"), "[\"22:00-24:00\"]");
    ck_assert_str_eq(json_str(&r, "operatingKeyValidityDuration"), "PT48H");
    ck_assert_str_eq(json_str(&r, "userId"), user);
    http_response_free(&r);
    ck_assert_int_eq(list_ids(&t, 10, ids, 4, &pages), 1);
    ck_assert_str_eq(ids[0], id);
}
END_TEST

START_TEST(put_validates_like_post_and_changes_nothing_on_failure)
{
    struct tenant t;
    struct http_response r;
    char user[64], device[64], id[64], body[1024], path[128], before[2048];

    tenant_with_user_and_device(&t, user, device);
    create_single(&t, user, device, id);
    snprintf(path, sizeof(path), "/permission/%s", id);
    get_permission(&t, id, &r);
    snprintf(before, sizeof(before), "%s", r.body);
    http_response_free(&r);

    check_bad_bodies(&t, "PUT", path, user, device);
    single_body(body, sizeof(body), UNKNOWN_ID, device, "");
    expect_problem(&t, "PUT", path, body, 404, "unknown user '" UNKNOWN_ID "'");
    single_body(body, sizeof(body), user, UNKNOWN_ID, "");
    expect_problem(&t, "PUT", path, body, 404, "unknown locking device '" UNKNOWN_ID "'");

    get_permission(&t, id, &r);
    ck_assert_str_eq(r.body, before);
    http_response_free(&r);

    /* An unknown permission: 404 for a valid body, 400 for an invalid one. */
    single_body(body, sizeof(body), user, device, "");
    expect_not_found(&t, "PUT", "/permission/" UNKNOWN_ID, body);
    expect_status(&t, "PUT", "/permission/" UNKNOWN_ID, "{}", 400);
    ck_assert_int_eq(count_permissions(&t), 1);
}
END_TEST

START_TEST(delete_revokes_the_permission)
{
    struct tenant t;
    struct http_response r;
    char user[64], device[64], id[64], keep[64], path[128], ids[4][64];
    size_t pages;

    tenant_with_user_and_device(&t, user, device);
    create_single(&t, user, device, id);
    create_single(&t, user, device, keep);
    snprintf(path, sizeof(path), "/permission/%s", id);

    admin_strict(&t, "DELETE", path, NULL, 204, &r);
    ck_assert_str_eq(r.body, "");
    http_response_free(&r);
    expect_not_found(&t, "GET", path, NULL);
    expect_not_found(&t, "DELETE", path, NULL);
    expect_not_found(&t, "DELETE", "/permission/" UNKNOWN_ID, NULL);
    expect_not_found(&t, "GET", "/permission/" UNKNOWN_ID, NULL);
    expect_not_found(&t, "GET", "/permission/not-a-uuid", NULL);
    ck_assert_int_eq(list_ids(&t, 10, ids, 4, &pages), 1);
    ck_assert_str_eq(ids[0], keep);
}
END_TEST

START_TEST(deleting_user_or_device_removes_their_permissions)
{
    struct tenant t;
    char user[64], user2[64], device[64], device2[64], by_user[64], by_device[64], keep[64];
    char path[128], ids[4][64];
    size_t pages;

    tenant_with_two_users_and_devices(&t, user, user2, device, device2);
    create_single(&t, user, device2, by_user);
    create_single(&t, user2, device, by_device);
    create_single(&t, user2, device2, keep);

    snprintf(path, sizeof(path), "/user/%s", user);
    expect_status(&t, "DELETE", path, NULL, 204);
    snprintf(path, sizeof(path), "/locking-device/%s", device);
    expect_status(&t, "DELETE", path, NULL, 204);

    snprintf(path, sizeof(path), "/permission/%s", by_user);
    expect_not_found(&t, "GET", path, NULL);
    snprintf(path, sizeof(path), "/permission/%s", by_device);
    expect_not_found(&t, "GET", path, NULL);
    ck_assert_int_eq(list_ids(&t, 10, ids, 4, &pages), 1);
    ck_assert_str_eq(ids[0], keep);
}
END_TEST

/* ---- isolation and paging ------------------------------------------------------------ */

START_TEST(other_systems_see_nothing)
{
    struct tenant a, b;
    struct http_response r;
    char user_a[64], device_a[64], user_b[64], device_b[64], id[64], path[128], body[1024];
    char before[2048];

    new_tenant(&a);
    new_tenant(&b);
    new_user(&a, user_a);
    create_device(&a, device_a);
    new_user(&b, user_b);
    create_device(&b, device_b);
    create_single(&a, user_a, device_a, id);
    snprintf(path, sizeof(path), "/permission/%s", id);
    get_permission(&a, id, &r);
    snprintf(before, sizeof(before), "%s", r.body);
    http_response_free(&r);

    expect_not_found(&b, "GET", path, NULL);
    single_body(body, sizeof(body), user_b, device_b, "");
    expect_not_found(&b, "PUT", path, body);
    expect_not_found(&b, "DELETE", path, NULL);
    ck_assert_int_eq(count_permissions(&b), 0);

    /* Another system's user or device is unknown here. */
    single_body(body, sizeof(body), user_a, device_b, "");
    expect_status(&b, "POST", "/permission", body, 404);
    single_body(body, sizeof(body), user_b, device_a, "");
    expect_status(&b, "POST", "/permission", body, 404);
    single_body(body, sizeof(body), user_b, device_a, "");
    expect_status(&a, "POST", "/permission", body, 404);
    ck_assert_int_eq(count_permissions(&b), 0);

    get_permission(&a, id, &r);
    ck_assert_str_eq(r.body, before);
    http_response_free(&r);
    ck_assert_int_eq(count_permissions(&a), 1);
}
END_TEST

START_TEST(list_pages_in_creation_order)
{
    enum { N = 7 };
    struct tenant t, other;
    struct http_response r;
    char user[64], device[64], created[N][64], ids[16][64], path[1024];
    size_t pages;

    new_tenant(&t);
    new_tenant(&other);
    new_user(&t, user);
    create_device(&t, device);
    admin_strict(&t, "GET", "/permission", NULL, 200, &r);
    ck_assert_int_eq(json_object_array_length(member(r.json, "items")), 0);
    ck_assert_ptr_null(member(r.json, "nextPageToken"));
    http_response_free(&r);
    for (int i = 0; i < N; i++)
        create_single(&t, user, device, created[i]);

    ck_assert_int_eq(list_ids(&t, 3, ids, 16, &pages), N);
    ck_assert_int_eq(pages, 3);
    for (int i = 0; i < N; i++)
        ck_assert_str_eq(ids[i], created[i]);
    ck_assert_int_eq(list_ids(&t, 7, ids, 16, &pages), N);
    ck_assert_int_eq(pages, 1);

    /* Items are full permissions. */
    admin_strict(&t, "GET", "/permission?limit=1", NULL, 200, &r);
    ck_assert_int_eq(
        json_object_object_length(json_object_array_get_idx(member(r.json, "items"), 0)), 8);
    snprintf(path, sizeof(path), "/permission?next-page-token=%s", json_str(&r, "nextPageToken"));
    http_response_free(&r);

    /* A token of this list is no token of another system's list. */
    admin_strict(&other, "GET", path, NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "next-page-token"));
    http_response_free(&r);
    admin_strict(&t, "GET", "/permission?next-page-token=garbage", NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "next-page-token"));
    http_response_free(&r);
    admin_strict(&t, "GET", "/permission?limit=0", NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "limit"));
    http_response_free(&r);
    admin_strict(&t, "GET", "/permission?limit=101", NULL, 400, &r);
    ck_assert_ptr_nonnull(invalid_reason(&r, "limit"));
    http_response_free(&r);
}
END_TEST

static Suite *permissions_suite(void)
{
    Suite *s = suite_create("permissions");
    TCase *tc = tcase_create("api");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_single_interval_and_read_it_back);
    tcase_add_test(tc, validity_defaults_to_p8d_and_renders_as_written);
    tcase_add_test(tc, recurring_and_multiple_intervals_keep_weekdays_and_intervals);
    tcase_add_test(tc, create_rejects_every_bad_field);
    tcase_add_test(tc, interval_count_is_capped);
    tcase_add_test(tc, unknown_references_are_named_in_404);
    tcase_add_test(tc, put_replaces_every_field_and_keeps_the_id);
    tcase_add_test(tc, put_validates_like_post_and_changes_nothing_on_failure);
    tcase_add_test(tc, delete_revokes_the_permission);
    tcase_add_test(tc, deleting_user_or_device_removes_their_permissions);
    tcase_add_test(tc, other_systems_see_nothing);
    tcase_add_test(tc, list_pages_in_creation_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(permissions_suite());
}
