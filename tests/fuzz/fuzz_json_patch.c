/*
 * fuzz_json_patch.c — json_patch_apply() on any patch, against a rendered resource or any
 * document.
 *
 * Input: a patch (JSON text); or a document, a NUL byte, then a patch. Without a document
 * the patch is applied to a locking device rendered the way src/admin/locking_devices.c
 * renders it. The replaceable paths are the handler's ("/name") plus a nested and an array
 * pointer, so that json-c's pointer code is reached on every shape. A success must leave
 * each replaced member equal to the last value written there; every outcome must leave a
 * document json-c can still render.
 */
#include <json-c/json.h>
#include <json-c/json_pointer.h>

#include "fuzz.h"
#include "lib/json_body.h"
#include "lib/json_patch.h"

static const char *const replaceable[] = {"/name", "/nested/inner", "/list/1", NULL};

static const char device[] =
    "{\"id\":\"3fa85f64-5717-4562-b3fc-2c963f66afa6\",\"name\":\"Front door\","
    "\"claimingStatus\":\"CLAIMED\",\"serialNumber\":\"BPLAD0000001\","
    "\"hardwareModel\":\"PADLOCK\",\"hardwareVersion\":\"1.0\",\"firmwareVersion\":\"2.1.0\","
    "\"nested\":{\"inner\":1},\"list\":[0,1,2]}";

static json_object *parse(const char *text)
{
    json_object *obj;

    /* The server's own parser (lib/json_body.h), not a copy of its settings. */
    return json_body_parse(text, strlen(text), &obj, NULL) == ST_OK ? obj : NULL;
}

/* After a success, the last replace of each path must be what the document holds. */
static void check_replaced(json_object *doc, json_object *patch)
{
    size_t n = json_object_array_length(patch);

    for (size_t i = 0; i < n; i++) {
        json_object *op = json_object_array_get_idx(patch, i), *jop, *jpath, *value, *now;
        const char *path;
        int later = 0;
        json_object_object_get_ex(op, "op", &jop);
        json_object_object_get_ex(op, "path", &jpath);
        json_object_object_get_ex(op, "value", &value);
        if (strcmp(json_object_get_string(jop), "replace") != 0)
            continue;
        path = json_object_get_string(jpath);
        for (size_t j = i + 1; j < n && !later; j++) {
            json_object *other = json_object_array_get_idx(patch, j), *opath;
            json_object_object_get_ex(other, "path", &opath);
            later = strcmp(json_object_get_string(opath), path) == 0;
        }
        if (later)
            continue;
        FUZZ_CHECK(json_patch_get(doc, path, &now) == 0 && json_object_equal(now, value),
                   "replace of '%s' not applied", path);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *parts[2];
    char *copy = fuzz_split(data, size, parts, 2);
    int has_doc = strlen(parts[0]) < size;
    json_object *doc = parse(has_doc ? parts[0] : device);
    json_object *patch = parse(has_doc ? parts[1] : parts[0]);
    struct problem p = {0};

    if (doc != NULL && patch != NULL) {
        enum status st = json_patch_apply(doc, patch, replaceable, &p);
        FUZZ_CHECK(st == ST_OK || st == ST_INVALID || st == ST_CONFLICT, "status %d", (int)st);
        if (st == ST_OK)
            check_replaced(doc, patch);
        else
            FUZZ_CHECK(problem_has_invalid(&p) || p.detail[0] != '\0', "no reason");
        FUZZ_CHECK(json_object_to_json_string(doc) != NULL, "render");
    }
    problem_clear(&p);
    json_object_put(doc);
    json_object_put(patch);
    free(copy);
    return 0;
}
