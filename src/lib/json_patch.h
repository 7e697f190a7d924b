/*
 * json_patch.h — RFC 6902 JSON Patch, restricted to what the Administration API allows.
 *
 * The vendor accepts `replace` on a short list of paths and honours `test` anywhere in the
 * resource. json_patch_apply() works on a JSON rendering of the resource: the caller renders
 * it, applies the patch, and reads back the replaced fields, writing nothing if anything
 * failed. JSON Pointer resolution and value comparison are json-c's.
 */
#ifndef KE_LIB_JSON_PATCH_H
#define KE_LIB_JSON_PATCH_H

#include <json-c/json.h>

#include "lib/problem.h"

/* Applies patch (a JSON array of operations) to doc in order.
 * replaceable: NULL-terminated list of JSON Pointers that `replace` may target.
 * Returns ST_OK; ST_INVALID when the patch is malformed, uses another op, or replaces
 * another path (every bad operation listed as "[i].op", "[i].path", "[i].value");
 * ST_CONFLICT when a `test` fails (doc may then be partly changed: discard it). */
enum status json_patch_apply(json_object *doc, json_object *patch, const char *const *replaceable,
                             struct problem *p);

/* json_pointer_get(), except that an array element holding null is found (*value NULL):
 * json-c 0.16 reports it missing, which would fail a `test` of a null it holds. */
int json_patch_get(json_object *doc, const char *path, json_object **value);

#endif
