#include "lib/problem.h"

#include <stdio.h>
#include <string.h>

enum status problem_set(struct problem *p, enum status st, const char *fmt, ...)
{
    va_list ap;

    if (p == NULL)
        return st;
    va_start(ap, fmt);
    vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
    va_end(ap);
    return st;
}

enum status problem_invalid(struct problem *p, const char *name, const char *fmt, ...)
{
    char reason[1024]; /* an enum's reason lists every choice */
    json_object *item;
    va_list ap;

    if (p == NULL)
        return ST_INVALID;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    if (p->invalid_params == NULL && (p->invalid_params = json_object_new_array()) == NULL)
        return ST_NOMEM;
    item = json_object_new_object();
    if (item == NULL)
        return ST_NOMEM;
    json_object_object_add(item, "name", json_object_new_string(name));
    json_object_object_add(item, "reason", json_object_new_string(reason));
    json_object_array_add(p->invalid_params, item);
    if (p->detail[0] == '\0')
        snprintf(p->detail, sizeof(p->detail), "request validation failed");
    return ST_INVALID;
}

enum status problem_merge(struct problem *p, const char *prefix, const struct problem *inner)
{
    size_t n = inner->invalid_params ? json_object_array_length(inner->invalid_params) : 0;
    enum status st = ST_INVALID;

    if (n == 0)
        return problem_invalid(p, prefix, "%s", inner->detail[0] ? inner->detail : "is invalid");
    for (size_t i = 0; i < n && st == ST_INVALID; i++) {
        json_object *e = json_object_array_get_idx(inner->invalid_params, i);
        char name[256];
        snprintf(name, sizeof(name), "%s/%s", prefix,
                 json_object_get_string(json_object_object_get(e, "name")));
        st = problem_invalid(p, name, "%s",
                             json_object_get_string(json_object_object_get(e, "reason")));
    }
    return st;
}

void problem_pointer(char *out, size_t cap, const char *base, const char *suffix_fmt, ...)
{
    size_t n = strlen(base) < cap ? strlen(base) : cap - 1;
    va_list ap;

    if (cap == 0)
        return;
    memcpy(out, base, n);
    out[n] = '\0';
    va_start(ap, suffix_fmt);
    vsnprintf(out + n, cap - n, suffix_fmt, ap);
    va_end(ap);
}

int problem_has_invalid(const struct problem *p)
{
    return p != NULL && p->invalid_params != NULL &&
           json_object_array_length(p->invalid_params) > 0;
}

void problem_clear(struct problem *p)
{
    if (p->invalid_params != NULL)
        json_object_put(p->invalid_params);
    p->invalid_params = NULL;
    p->detail[0] = '\0';
}

const char *status_name(enum status st)
{
    static const char *const names[] = {
        [ST_OK] = "ok",
        [ST_INVALID] = "invalid",
        [ST_UNAUTHENTICATED] = "unauthenticated",
        [ST_FORBIDDEN] = "forbidden",
        [ST_NOT_FOUND] = "not found",
        [ST_METHOD] = "method not allowed",
        [ST_NOT_ACCEPTABLE] = "not acceptable",
        [ST_CONFLICT] = "conflict",
        [ST_GONE] = "gone",
        [ST_TOO_LARGE] = "too large",
        [ST_MEDIA_TYPE] = "unsupported media type",
        [ST_RATE_LIMITED] = "rate limited",
        [ST_NOMEM] = "out of memory",
        [ST_INTERNAL] = "internal error",
        [ST_BUSY] = "busy",
        [ST_STORAGE_FULL] = "storage full",
        [ST_WAIT] = "waiting",
    };
    if ((unsigned)st >= sizeof(names) / sizeof(names[0]) || names[st] == NULL)
        return "unknown";
    return names[st];
}
