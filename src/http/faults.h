/*
 * faults.h — injected faults: rules that make Administration API requests slow, fail with a
 * status, or lose their connection, so clients can test how they cope.
 *
 * Rules live in memory only: they are test plumbing, not state, so snapshots, restores and
 * POST /reset neither save nor clear them (DELETE /faults/{id} does; a restart starts with
 * none). They never apply to the control API, so a test can always remove them.
 *
 * A rule matches a request when every criterion it gives holds:
 *   method    equals the request's method exactly (HEAD is not GET);
 *   path      with a '{': equals the template of the route the request matched, e.g.
 *             "/administration/user/{user-id}"; without: is a prefix of the request's path
 *             ending at a segment boundary ("/administration/user" matches "/administration/user"
 *             and "/administration/user/42", not "/administration/users"; a path ending in
 *             '/' is a plain prefix; "/administration" matches every request);
 *   systemId  equals the system of the caller's bearer token (so never matches login).
 * Rules are checked after routing and authentication (a request failing those gets its real
 * answer) and before the body is parsed or the handler runs. The matching rules whose count
 * is not used up are tried in creation order, each drawn with its probability from the seeded
 * generator (a probability of 0 or 1 draws nothing); the first that fires is the only one
 * applied. A firing sleeps latencyMs in the worker thread, then answers status as
 * problem+json, or drops the connection (reset), or lets the request go on when it has
 * neither. Each firing is logged on stderr with the request id and counted in the metrics.
 *
 * Thread-safe: rules sit in a fixed array under one mutex; with no rules, a request pays one
 * atomic load. Depends on rng, the access log and the metrics counters.
 */
#ifndef KE_HTTP_FAULTS_H
#define KE_HTTP_FAULTS_H

#include <stdint.h>

#include "http/request.h"
#include "lib/rng.h"

#define FAULTS_MAX 64
#define FAULT_LATENCY_MAX_MS 10000
#define FAULT_PATH_MAX 256
#define FAULT_ADMIN_PREFIX "/administration"

struct fault_rule {
    char id[UUID_STR_LEN];
    char method[8];               /* "" matches any */
    char path[FAULT_PATH_MAX];    /* "" matches any; a template when it holds '{' */
    char system_id[UUID_STR_LEN]; /* "" matches any */
    int status;                   /* 0: none; else 400..599 */
    int64_t latency_ms;           /* 0..FAULT_LATENCY_MAX_MS */
    int reset;
    double probability; /* 0..1 */
    int64_t count;      /* how many times it may fire; 0: without limit */
    int64_t fired;
};

/* What the server must do once a rule fired (its latency has already been slept). */
struct fault_effect {
    char id[UUID_STR_LEN]; /* the rule that fired */
    int status;            /* answer this HTTP status, when > 0 */
    int reset;             /* drop the connection without an answer */
};

/* Adds a rule (id and fired are set here; the id is a UUID derived from a counter, so adding
 * rules does not move the seeded sequence of the API's ids). ST_CONFLICT when FAULTS_MAX
 * rules exist. */
enum status faults_add(struct fault_rule *rule);

/* Copies up to cap rules, in creation order, into out; returns how many. */
size_t faults_rules(struct fault_rule *out, size_t cap);

/* ST_NOT_FOUND when no rule has this id. */
enum status faults_remove(const char *id);

/* The number of rules held. */
size_t faults_count(void);

/* The hook in the request path, for routed and authenticated Administration API requests:
 * finds the rule that fires for req (see above), logs and counts it, sleeps its latency, and
 * fills *out. Returns 1 when a rule fired, else 0 (and *out is untouched). */
int faults_apply(struct request *req, struct fault_effect *out);

/* True when path is a template of an Administration API route (with its prefix). */
int faults_is_admin_template(const char *path);

#endif
