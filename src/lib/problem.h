/*
 * problem.h — the one status type of the emulator, and the details that travel with a failure.
 *
 * Every fallible function returns an enum status (0 = ok). Whatever must reach the client
 * (a detail sentence, the list of invalid fields) is collected in a struct problem, which
 * src/http/response.c turns into application/problem+json. This module knows nothing of HTTP
 * beyond the status names; it depends on json-c only.
 */
#ifndef KE_LIB_PROBLEM_H
#define KE_LIB_PROBLEM_H

#include <json-c/json.h>
#include <stdarg.h>
#include <stddef.h>

enum status {
    ST_OK = 0,
    ST_INVALID,         /* the request is malformed or fails validation (400) */
    ST_UNAUTHENTICATED, /* missing or bad credentials (401) */
    ST_FORBIDDEN,       /* authenticated but not allowed (403) */
    ST_NOT_FOUND,       /* unknown id, or an id of another system (404) */
    ST_METHOD,          /* known path, other method (405) */
    ST_NOT_ACCEPTABLE,  /* Accept is not the vendor media type (406) */
    ST_CONFLICT,        /* the resource's state forbids this (409) */
    ST_GONE,            /* the resource existed but is no longer usable (410) */
    ST_TOO_LARGE,       /* request body over the cap (413) */
    ST_MEDIA_TYPE,      /* Content-Type not accepted (415) */
    ST_RATE_LIMITED,    /* token bucket empty (429) */
    ST_NOMEM,           /* out of memory (500) */
    ST_INTERNAL,        /* a bug or an unexpected library failure (500) */
    ST_BUSY,            /* the database stayed busy (503) */
    ST_STORAGE_FULL,    /* the disk is full: nothing was written (507) */
    ST_WAIT,            /* not a failure: the handler has nothing to say yet (http/parking.h) */
};

/* What a failed request tells its client. Owned by the request; released by problem_clear(). */
struct problem {
    char detail[512];
    json_object *invalid_params; /* array of {name, reason}, or NULL */
};

/* Sets the detail sentence (printf-style) and returns st, so callers can write
 * `return problem_set(p, ST_CONFLICT, "...")`. p may be NULL. */
enum status problem_set(struct problem *p, enum status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends {name, reason} to the invalid parameters. Returns ST_INVALID (or ST_NOMEM). */
enum status problem_invalid(struct problem *p, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies inner's invalid parameters into p, each name prefixed as "<prefix>/<name>"
 * (JSON Pointers for nested documents); when inner has none but failed, its detail becomes
 * one entry named prefix. Returns ST_INVALID (or ST_NOMEM). */
enum status problem_merge(struct problem *p, const char *prefix, const struct problem *inner);

/* Writes the JSON Pointer base + suffix (printf-style) into out, for naming a nested
 * invalid value. A pointer too long for out is cut: it only names a place in a message. */
void problem_pointer(char *out, size_t cap, const char *base, const char *suffix_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* True when problem_invalid() was called at least once. */
int problem_has_invalid(const struct problem *p);

void problem_clear(struct problem *p);

/* The canonical short name of a status, for logs. */
const char *status_name(enum status st);

#endif
