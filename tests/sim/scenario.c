/*
 * scenario.c — what every scenario test does: make a system on a frozen clock, move that
 * clock, give a user a phone, and read a system's event log.
 */
#include "scenario.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void new_system(struct tenant *t)
{
    new_tenant_from(t, FROZEN);
}

json_object *advance_clock_within(struct tenant *t, const char *body, long timeout_s)
{
    struct http_response r;
    char path[128];
    json_object *o;

    snprintf(path, sizeof(path), "/systems/%s/clock/advance", t->system_id);
    ck_assert_msg(control_call_within(&emu, timeout_s, "POST", path, body, &r) == 200,
                  "advance %s: %ld %s", body, r.status, r.body);
    o = json_object_get(r.json);
    http_response_free(&r);
    relogin_admin(t);
    return o;
}

json_object *advance_clock(struct tenant *t, const char *body)
{
    return advance_clock_within(t, body, HTTP_TIMEOUT_S);
}

void advance(struct tenant *t, const char *body)
{
    json_object_put(advance_clock(t, body));
}

json_object *visit(const char *phone_id, const char *lock_id, const char *operation, int online,
                   const char *offline_key)
{
    char body[4096], path[128], key[2048] = "";

    if (offline_key != NULL)
        ck_assert_int_lt(snprintf(key, sizeof(key), ",\"offlineKey\":\"%s\"", offline_key),
                         (int)sizeof(key));
    snprintf(path, sizeof(path), "/operating-devices/%s/visit", phone_id);
    snprintf(body, sizeof(body),
             "{\"lockingDeviceId\":\"%s\",\"operation\":\"%s\",\"online\":%s%s}", lock_id,
             operation, online ? "true" : "false", key);
    return control("POST", path, body, 200);
}

/* Asserts that the events from index `from` on are exactly these types, in this order. */
void expect_types(json_object *list, size_t from, const char *const *types)
{
    size_t n = 0;

    while (types[n] != NULL)
        n++;
    for (size_t i = 0; i < n && from + n == json_object_array_length(list); i++)
        if (strcmp(jstr(json_object_array_get_idx(list, from + i), "eventType"), types[i]) != 0)
            n = 0;
    /* On a mismatch the whole log helps, but it is too long for a Check message. */
    if (n == 0 || from + n != json_object_array_length(list))
        fprintf(stderr, "events from %zu: %s\n", from, json_object_to_json_string(list));
    for (n = 0; types[n] != NULL; n++)
        ck_assert_pstr_eq(jstr(json_object_array_get_idx(list, from + n), "eventType"), types[n]);
    ck_assert_uint_eq(json_object_array_length(list), from + n);
}

void permit_open(const struct tenant *t, const char *user, const char *lock)
{
    char body[512], id[64];

    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2030-01-01T00:00:00Z\","
             "\"end\":\"2031-06-01T00:00:00Z\"}",
             user, lock);
    post_id(t, "/permission", body, id);
}

json_object *sync_phone(const char *phone_id)
{
    char path[128];

    snprintf(path, sizeof(path), "/operating-devices/%s/sync", phone_id);
    return control("POST", path, NULL, 200);
}

json_object *hardware_of(const char *serial)
{
    char path[128];

    snprintf(path, sizeof(path), "/hardware/locking-devices/%s", serial);
    return control("GET", path, NULL, 200);
}

json_object *device_of(const struct tenant *t, const char *lock)
{
    char path[128];

    snprintf(path, sizeof(path), "/locking-device/%s", lock);
    return admin(t, "GET", path, NULL, 200);
}
