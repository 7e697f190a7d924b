#include "lib/json_patch.h"

#include <ctype.h>
#include <json-c/json_pointer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_ops[] = {"add", "remove", "replace", "move", "copy", "test", NULL};

static int listed(const char *const *list, const char *s)
{
    for (; list != NULL && *list != NULL; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

/* Checks one operation's shape; reports under "[i].field". */
static enum status check_operation(json_object *op, size_t i, const char *const *replaceable,
                                   struct problem *p)
{
    json_object *jop, *jpath, *jvalue;
    char name[32];
    const char *opname, *path;
    enum status st = ST_OK;

    if (!json_object_is_type(op, json_type_object)) {
        snprintf(name, sizeof(name), "[%zu]", i);
        return problem_invalid(p, name, "must be an object");
    }
    snprintf(name, sizeof(name), "[%zu].op", i);
    if (!json_object_object_get_ex(op, "op", &jop) || !json_object_is_type(jop, json_type_string))
        return problem_invalid(p, name, "is required and must be a string");
    opname = json_object_get_string(jop);
    snprintf(name, sizeof(name), "[%zu].path", i);
    if (!json_object_object_get_ex(op, "path", &jpath) ||
        !json_object_is_type(jpath, json_type_string))
        return problem_invalid(p, name, "is required and must be a string");
    path = json_object_get_string(jpath);
    if (path[0] != '/' && path[0] != '\0')
        st = problem_invalid(p, name, "must be a JSON Pointer");
    snprintf(name, sizeof(name), "[%zu].op", i);
    if (!listed(known_ops, opname))
        return problem_invalid(p, name, "unknown operation '%s'", opname);
    if (strcmp(opname, "replace") != 0 && strcmp(opname, "test") != 0)
        return problem_invalid(p, name, "operation '%s' is not supported; use replace or test",
                               opname);
    if (strcmp(opname, "replace") == 0 && st == ST_OK && !listed(replaceable, path)) {
        snprintf(name, sizeof(name), "[%zu].path", i);
        return problem_invalid(p, name, "'%s' cannot be replaced", path);
    }
    snprintf(name, sizeof(name), "[%zu].value", i);
    if (!json_object_object_get_ex(op, "value", &jvalue))
        return problem_invalid(p, name, "is required");
    return st;
}

/* RFC 6901 array index: "0", or digits without a leading zero. -1 when it is not one. */
static long array_index(const char *token)
{
    size_t len = strlen(token);

    if (len == 0 || len > 9 || (len > 1 && token[0] == '0'))
        return -1;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)token[i]))
            return -1;
    return strtol(token, NULL, 10);
}

int json_patch_get(json_object *doc, const char *path, json_object **value)
{
    const char *slash = strrchr(path, '/');
    json_object *parent = NULL;
    char *parent_path;
    long idx;
    int rc;

    if (json_pointer_get(doc, path, value) == 0)
        return 0;
    if (slash == NULL || (parent_path = strndup(path, (size_t)(slash - path))) == NULL)
        return -1;
    rc = json_pointer_get(doc, parent_path, &parent);
    free(parent_path);
    if (rc != 0 || !json_object_is_type(parent, json_type_array) ||
        (idx = array_index(slash + 1)) < 0 || (size_t)idx >= json_object_array_length(parent) ||
        json_object_array_get_idx(parent, (size_t)idx) != NULL)
        return -1;
    *value = NULL;
    return 0;
}

static enum status run_operation(json_object *doc, json_object *op, size_t i, struct problem *p)
{
    json_object *jop, *jpath, *jvalue, *current = NULL;
    const char *path;

    json_object_object_get_ex(op, "op", &jop);
    json_object_object_get_ex(op, "path", &jpath);
    json_object_object_get_ex(op, "value", &jvalue);
    path = json_object_get_string(jpath);
    if (strcmp(json_object_get_string(jop), "test") == 0) {
        if (json_patch_get(doc, path, &current) != 0 || !json_object_equal(current, jvalue))
            return problem_set(p, ST_CONFLICT, "test operation [%zu] failed at '%s'", i, path);
        return ST_OK;
    }
    /* json_pointer_set takes ownership of the value it is given. */
    if (json_pointer_set(&doc, path, json_object_get(jvalue)) != 0) {
        json_object_put(jvalue);
        return problem_set(p, ST_CONFLICT, "replace operation [%zu] failed at '%s'", i, path);
    }
    return ST_OK;
}

enum status json_patch_apply(json_object *doc, json_object *patch, const char *const *replaceable,
                             struct problem *p)
{
    enum status st = ST_OK;
    size_t n;

    if (!json_object_is_type(patch, json_type_array))
        return problem_set(p, ST_INVALID, "request body must be a JSON Patch array");
    n = json_object_array_length(patch); /* zero operations is a valid patch (RFC 6902 §3) */
    for (size_t i = 0; i < n; i++)
        if (check_operation(json_object_array_get_idx(patch, i), i, replaceable, p) != ST_OK)
            st = ST_INVALID;
    if (st != ST_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        st = run_operation(doc, json_object_array_get_idx(patch, i), i, p);
        if (st != ST_OK)
            return st;
    }
    return ST_OK;
}
