/*
 * scenario.h — helpers shared by the scenario tests (tests/sim/). They act on the one
 * emulator of the test process, `emu`, and fail the running Check test on a surprise.
 */
#ifndef KE_TESTS_SCENARIO_H
#define KE_TESTS_SCENARIO_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

extern struct emu emu;

/* The member at a dotted path of o ("a.b"), or NULL; typed readers answer NULL, -1. */
json_object *jget(json_object *o, const char *path);
const char *jstr(json_object *o, const char *path);
int64_t jint(json_object *o, const char *path);
int jbool(json_object *o, const char *path);

/* An Administration API POST that must answer 201 with an id. */
void post_id(const struct tenant *t, const char *path, const char *body, char id[64]);

/* Calls that must answer want; the parsed body is returned (caller puts). */
json_object *control(const char *method, const char *path, const char *body, long want);
json_object *admin(const struct tenant *t, const char *method, const char *path,
                   const char *body, long want);

/* Every event of the system (of type, when given), in order, over all pages. */
json_object *events(const struct tenant *t, const char *type);

/* Asserts that the events from index `from` on are exactly these types, in this order. */
void expect_types(json_object *list, size_t from, const char *const *types);

#endif
