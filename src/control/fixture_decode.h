/*
 * fixture_decode.h — one system entry of a fixture document (format: fixtures.h), decoded
 * into a fixture_spec and checked against the rules the Administration API would apply to
 * the same data: field specs, schedules, ids unique within the system, and references
 * between users, locks, permissions, gateways and re-keying. Every problem is named by
 * its JSON Pointer; decoding goes on past the first so that one answer names them all.
 */
#ifndef KE_CONTROL_FIXTURE_DECODE_H
#define KE_CONTROL_FIXTURE_DECODE_H

#include <json-c/json.h>

#include "control/fixture_site.h"
#include "lib/problem.h"

#define FIXTURE_POINTER_LEN 192
#define FIXTURE_MAX_ITEMS 1000 /* systems in a document, items in a system's list */

/* Decodes obj into s (strings borrowed from obj; fixture_spec_release() frees the arrays).
 * Problems go to p; the status is ST_NOMEM or ST_OK. */
enum status fixture_decode_system(json_object *obj, const char *pointer, struct fixture_spec *s,
                                  struct problem *p);
void fixture_spec_release(struct fixture_spec *s);

/* Names member of the object at pointer as invalid, for reason. */
void fixture_invalid_at(struct problem *p, const char *pointer, const char *member,
                        const char *reason);

#endif
