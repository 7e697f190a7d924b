#include "http/faults.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/routes.h"
#include "http/accesslog.h"
#include "http/metrics.h"
#include "lib/crypto.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fault_rule rules[FAULTS_MAX]; /* in creation order; under lock */
static atomic_size_t nrules;                /* written under lock, read bare by the fast path */
static uint64_t serial;                     /* under lock */

/* A rule's id is derived from a counter rather than drawn from the seeded generator, so that
 * setting up faults does not shift the ids the Administration API hands out. */
static void rule_id(uint64_t n, char out[UUID_STR_LEN])
{
    char input[40], hex[SHA256_HEX_LEN];
    int len = snprintf(input, sizeof(input), "fault|%" PRIu64, n);

    crypto_sha256_hex(input, (size_t)len, hex);
    hex[12] = '4';
    hex[16] = "89ab"[hex[16] % 4];
    snprintf(out, UUID_STR_LEN, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
             hex + 20);
}

enum status faults_add(struct fault_rule *rule)
{
    enum status st = ST_CONFLICT;
    size_t n;

    pthread_mutex_lock(&lock);
    n = atomic_load(&nrules);
    if (n < FAULTS_MAX) {
        rule_id(++serial, rule->id);
        rule->fired = 0;
        rules[n] = *rule;
        atomic_store(&nrules, n + 1);
        st = ST_OK;
    }
    pthread_mutex_unlock(&lock);
    return st;
}

size_t faults_rules(struct fault_rule *out, size_t cap)
{
    size_t n;

    pthread_mutex_lock(&lock);
    n = atomic_load(&nrules);
    if (n > cap)
        n = cap;
    memcpy(out, rules, n * sizeof(*out));
    pthread_mutex_unlock(&lock);
    return n;
}

enum status faults_remove(const char *id)
{
    enum status st = ST_NOT_FOUND;
    size_t n;

    pthread_mutex_lock(&lock);
    n = atomic_load(&nrules);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rules[i].id, id) != 0)
            continue;
        memmove(&rules[i], &rules[i + 1], (n - i - 1) * sizeof(rules[0]));
        atomic_store(&nrules, n - 1);
        st = ST_OK;
        break;
    }
    pthread_mutex_unlock(&lock);
    return st;
}

size_t faults_count(void)
{
    return atomic_load(&nrules);
}

int faults_is_admin_template(const char *path)
{
    size_t p = strlen(FAULT_ADMIN_PREFIX);

    if (strncmp(path, FAULT_ADMIN_PREFIX, p) != 0)
        return 0;
    for (size_t i = 0; i < admin_routes_count; i++)
        if (strcmp(path + p, admin_routes[i].path) == 0)
            return 1;
    return 0;
}

static int path_matches(const char *rule, const struct request *req)
{
    size_t n = strlen(rule), p = strlen(FAULT_ADMIN_PREFIX);
    const struct route *route = req->match.route;

    if (n == 0)
        return 1;
    if (strchr(rule, '{') != NULL)
        return route != NULL && strncmp(rule, FAULT_ADMIN_PREFIX, p) == 0 &&
               strcmp(rule + p, route->path) == 0;
    return strncmp(req->path, rule, n) == 0 &&
           (rule[n - 1] == '/' || req->path[n] == '\0' || req->path[n] == '/');
}

static int matches(const struct fault_rule *r, const struct request *req)
{
    return (r->method[0] == '\0' || strcmp(r->method, req->method) == 0) &&
           (r->system_id[0] == '\0' || strcmp(r->system_id, req->system.id) == 0) &&
           path_matches(r->path, req);
}

/* Whether a rule of probability p fires this time; certain outcomes draw nothing, so rules
 * of probability 1 keep the seeded sequence where it would be without them. */
static int draw(double p)
{
    const uint64_t range = 1ULL << 53;

    if (p >= 1.0)
        return 1;
    if (p <= 0.0)
        return 0;
    return (double)rng_below(range) < p * (double)range;
}

/* Finds the rule that fires for req and counts its firing; copies it into *out. */
static int pick(const struct request *req, struct fault_rule *out)
{
    int fired = 0;
    size_t n;

    pthread_mutex_lock(&lock);
    n = atomic_load(&nrules);
    for (size_t i = 0; i < n && !fired; i++) {
        struct fault_rule *r = &rules[i];
        if ((r->count > 0 && r->fired >= r->count) || !matches(r, req) || !draw(r->probability))
            continue;
        r->fired++;
        *out = *r;
        fired = 1;
    }
    pthread_mutex_unlock(&lock);
    return fired;
}

static void sleep_ms(int64_t ms)
{
    struct timespec left = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        ;
}

static void log_firing(const struct request *req, const struct fault_rule *r)
{
    char effect[64];

    if (r->reset)
        snprintf(effect, sizeof(effect), "connection reset");
    else if (r->status > 0)
        snprintf(effect, sizeof(effect), "status %d", r->status);
    else
        snprintf(effect, sizeof(effect), "no other effect");
    accesslog_note(req, "warn", "fault %s fired: latency %" PRId64 " ms, %s", r->id, r->latency_ms,
                   effect);
}

int faults_apply(struct request *req, struct fault_effect *out)
{
    struct fault_rule r;

    if (atomic_load_explicit(&nrules, memory_order_relaxed) == 0 || !pick(req, &r))
        return 0;
    log_firing(req, &r);
    if (r.latency_ms > 0) {
        metrics_count_fault(METRICS_FAULT_LATENCY);
        sleep_ms(r.latency_ms < FAULT_LATENCY_MAX_MS ? r.latency_ms : FAULT_LATENCY_MAX_MS);
    }
    if (r.status > 0)
        metrics_count_fault(METRICS_FAULT_STATUS);
    if (r.reset)
        metrics_count_fault(METRICS_FAULT_RESET);
    memcpy(out->id, r.id, sizeof(out->id));
    out->status = r.status;
    out->reset = r.reset;
    return 1;
}
