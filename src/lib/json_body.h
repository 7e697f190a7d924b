/*
 * json_body.h — a request body's JSON text to a document, the one way the server parses one
 * (and the fuzzers with it): well-formed UTF-8, json-c's strict mode, at most 32 levels deep,
 * nothing after the document.
 */
#ifndef KE_LIB_JSON_BODY_H
#define KE_LIB_JSON_BODY_H

#include <json-c/json.h>
#include <stddef.h>

#include "lib/problem.h"

#define JSON_BODY_MAX_DEPTH 32

/* Parses len bytes of text into *out (the caller puts it). ST_INVALID with a detail in p
 * ("malformed JSON: ...") when the text is not one such document, ST_NOMEM. */
enum status json_body_parse(const char *text, size_t len, json_object **out, struct problem *p);

#endif
