/*
 * router.h — route tables and path matching.
 *
 * Each surface (Administration API, control API) has one table of struct route, one row an
 * endpoint: method, path template with {named} segments, handler, how it authenticates, and
 * what body it takes. Matching is pure: it neither allocates nor reads anything but its
 * arguments, so it is unit-tested and fuzzed directly.
 */
#ifndef KE_HTTP_ROUTER_H
#define KE_HTTP_ROUTER_H

#include <stddef.h>

#include "lib/problem.h"

struct request;
struct response;

/* A handler receives a routed, authenticated and parsed request and fills the response;
 * on failure it returns the status and leaves the details in req->problem. */
typedef enum status (*route_handler)(struct request *req, struct response *res);

enum route_auth {
    AUTH_NONE,        /* no credentials */
    AUTH_ADMIN_LOGIN, /* X-Api-Key and the vendor Accept; no bearer token (login) */
    AUTH_ADMIN,       /* X-Api-Key, Accept and an ADMIN's bearer token */
    AUTH_CONTROL,     /* the control token when --control-token is set */
};

#define ROUTE_BODY_JSON 1u  /* takes an application/json body */
#define ROUTE_BODY_PATCH 2u /* takes an application/json-patch+json body */

struct route {
    const char *method;
    const char *path;
    route_handler handler;
    enum route_auth auth;
    unsigned flags;
    const char *summary; /* one line, for the parity list and logs */
    const char *notes;   /* how the emulator fills what the vendor leaves open, or NULL */
};

#define ROUTE_MAX_PARAMS 4
#define ROUTE_PARAM_LEN 128

struct route_match {
    const struct route *route;
    size_t nparams;
    struct {
        const char *name; /* points into the template, not NUL-terminated at '}' */
        size_t name_len;
        char value[ROUTE_PARAM_LEN];
    } params[ROUTE_MAX_PARAMS];
    char allow[96]; /* the methods the path accepts, for 405's Allow header */
};

/* Finds the route for method and path. HEAD matches GET routes.
 * Returns ST_OK (m->route set), ST_NOT_FOUND when no template fits the path, or ST_METHOD
 * when some do but not with this method (m->allow lists the ones that do). */
enum status router_match(const struct route *table, size_t n, const char *method, const char *path,
                         struct route_match *m);

/* The value of the {name} segment, or NULL. */
const char *route_param(const struct route_match *m, const char *name);

#endif
