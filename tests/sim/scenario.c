/*
 * scenario.c — what every scenario test does: read JSON answers by dotted path, call the
 * control and Administration APIs expecting a status, and read a system's event log.
 */
#include "scenario.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct emu emu;

/* The member at a dotted path of o ("a.b"), or NULL. */
json_object *jget(json_object *o, const char *path)
{
    char key[128];

    while (o != NULL && *path != '\0') {
        size_t len = strcspn(path, ".");
        if (len >= sizeof(key))
            return NULL;
        memcpy(key, path, len);
        key[len] = '\0';
        if (!json_object_object_get_ex(o, key, &o))
            return NULL;
        path += len + (path[len] == '.');
    }
    return o;
}

const char *jstr(json_object *o, const char *path)
{
    json_object *v = jget(o, path);

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int64_t jint(json_object *o, const char *path)
{
    json_object *v = jget(o, path);

    return v != NULL && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
}

/* 1 or 0 for a boolean, -1 when absent or not a boolean. */
int jbool(json_object *o, const char *path)
{
    json_object *v = jget(o, path);

    return v != NULL && json_object_is_type(v, json_type_boolean) ? json_object_get_boolean(v) : -1;
}

/* An Administration API POST that must answer 201 with an id. */
void post_id(const struct tenant *t, const char *path, const char *body, char id[64])
{
    struct http_response r;
    long status = admin_call(&emu, t, "POST", path, body, &r);

    ck_assert_msg(status == 201 && json_str(&r, "id") != NULL, "POST %s %s: %ld %s", path, body,
                  status, r.body);
    snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
}

/* A control API call that must answer want; the parsed body is returned (caller puts). */
json_object *control(const char *method, const char *path, const char *body, long want)
{
    struct http_response r;
    long status = control_call(&emu, method, path, body, &r);
    json_object *o;

    ck_assert_msg(status == want, "%s %s %s: %ld %s", method, path, body ? body : "", status,
                  r.body);
    o = json_object_get(r.json);
    http_response_free(&r);
    return o;
}

/* An Administration API call that must answer want; the parsed body (or NULL). */
json_object *admin(const struct tenant *t, const char *method, const char *path,
                          const char *body, long want)
{
    struct http_response r;
    long status = admin_call(&emu, t, method, path, body, &r);
    json_object *o;

    ck_assert_msg(status == want, "%s %s %s: %ld %s", method, path, body ? body : "", status,
                  r.body);
    o = json_object_get(r.json);
    http_response_free(&r);
    return o;
}

/* Every event of the system (of type, when given), in order, over all pages. */
json_object *events(const struct tenant *t, const char *type)
{
    json_object *all = json_object_new_array();
    char path[1024], token[256] = "";

    do {
        json_object *page, *items;
        snprintf(path, sizeof(path), "/systems/%s/events?limit=100%s%s%s%s", t->system_id,
                 type ? "&type=" : "", type ? type : "", token[0] ? "&next-page-token=" : "",
                 token);
        page = control("GET", path, NULL, 200);
        items = jget(page, "items");
        for (size_t i = 0; i < json_object_array_length(items); i++)
            json_object_array_add(all, json_object_get(json_object_array_get_idx(items, i)));
        snprintf(token, sizeof(token), "%s",
                 jstr(page, "nextPageToken") ? jstr(page, "nextPageToken") : "");
        json_object_put(page);
    } while (token[0] != '\0');
    return all;
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
