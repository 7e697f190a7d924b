/*
 * json_spec.h — declarative validation of request bodies and query strings.
 *
 * A resource declares its fields once, as a table of struct spec_field; one call decodes a
 * JSON object (or a set of query parameters) into a C struct, refuses unknown fields, and
 * reports every failure — not just the first — as {name, reason} in a struct problem.
 * Decoded strings are borrowed from the JSON object or query source: they live as long as
 * it does. Depends on json-c, timefmt and problem.
 */
#ifndef KE_LIB_JSON_SPEC_H
#define KE_LIB_JSON_SPEC_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/problem.h"

enum spec_type {
    SPEC_STRING,   /* const char *; min/max bound the length in characters */
    SPEC_UUID,     /* const char *; canonical 8-4-4-4-12 hex */
    SPEC_ENUM,     /* const char *; one of choices */
    SPEC_DATETIME, /* int64_t seconds; RFC 3339 */
    SPEC_DURATION, /* struct spec_duration; min/max bound the seconds */
    SPEC_INT,      /* int64_t; min/max bound the value */
    SPEC_BOOL,     /* int */
    SPEC_NUMBER,   /* double; integer or fraction; min/max bound the value */
    SPEC_URL,      /* const char *; http or https URL; max bounds the length */
    SPEC_PHONE,    /* const char *; E.164 */
    SPEC_EMAIL,    /* const char *; address with a domain */
    SPEC_OBJECT,   /* json_object * (borrowed); shape checked by the caller */
    SPEC_ARRAY,    /* json_object * (borrowed); shape checked by the caller */
};

#define SPEC_REQUIRED 1u

struct spec_field {
    const char *name;
    enum spec_type type;
    unsigned flags;
    int64_t min, max;           /* both 0: no bound */
    const char *const *choices; /* SPEC_ENUM: NULL-terminated list */
    size_t offset;              /* offsetof() the target in the caller's struct */
};

struct spec_duration {
    const char *text; /* as the client wrote it, so it can be rendered back unchanged */
    int64_t seconds;
};

#define SPEC_MAX_FIELDS 32

/* Decodes obj (must be a JSON object) into out. Absent optional fields leave their target
 * untouched, so callers preset defaults; JSON null counts as absent. Bit i of *present
 * (may be NULL) is set when fields[i] was given. Returns ST_OK, or ST_INVALID with every
 * problem listed, or ST_NOMEM. */
enum status spec_decode_json(const struct spec_field *fields, size_t nfields, json_object *obj,
                             void *out, uint32_t *present, struct problem *p);

/* The same rules for string-valued sources such as query parameters: get(ctx, name) returns
 * the raw value or NULL. Unknown parameters are not reported (the source cannot list them). */
typedef const char *(*spec_getter)(void *ctx, const char *name);
enum status spec_decode_strings(const struct spec_field *fields, size_t nfields, spec_getter get,
                                void *ctx, void *out, uint32_t *present, struct problem *p);

/* Shape checks shared with handlers that validate values by hand. */
int spec_is_uuid(const char *s);

/* The field of fields named name, or NULL. */
const struct spec_field *spec_field_named(const struct spec_field *fields, size_t n,
                                          const char *name);

/* UUIDs are case-insensitive (RFC 9562) and stored in lower case: writes the lower-case form
 * of s to out when s is a UUID in another case and answers 1; otherwise answers 0. */
int spec_uuid_lowered(const char *s, char out[37]);
int spec_is_e164(const char *s);
int spec_is_email(const char *s);
int spec_is_http_url(const char *s);
/* True when a JSON string holds a NUL character: C strings would silently cut it short,
 * so every string field refuses it. */
int spec_has_nul(json_object *string);
/* True when s[0..n) is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
 * past U+10FFFF) — stricter than json-c's own check. */
int spec_utf8_valid(const char *s, size_t n);

/* Copies s into out (cap bytes), each byte of an ill-formed sequence replaced by '?', so that
 * text echoed from a request (a path) can go into a JSON answer. */
void spec_utf8_sanitize(const char *s, char *out, size_t cap);

/* Number of UTF-8 code points in s (s is valid UTF-8: json-c validated it). */
size_t spec_utf8_length(const char *s);

#endif
