/*
 * load.c — many concurrent clients against one emulator: mixed reads and writes over several
 * systems for a bounded time, through libcurl multi handles.
 *
 * Each client is one easy handle with its own keep-alive connection and its own system; as
 * soon as its answer is in, it sends the next request, drawn from a fixed mix (lists and
 * single reads of users and locks, lock creations and renames, user creations and deletions,
 * the control API's event log). The run proves what the performance issue asks: no 5xx (so
 * no SQLite busy reached a client), no request left unanswered (no deadlock: every request
 * completes within its timeout, and all in flight complete after the clock stops), and a
 * flat resident set (VmRSS of the server from /proc, read after a warm-up and at the end).
 *
 * As a benchmark (meson test --benchmark load, or make bench) it runs 60 s with 100 clients
 * on a database file and prints its figures; LOAD_SECONDS and LOAD_CLIENTS override them.
 * tests/api/test_load_short.c includes this file with LOAD_NO_MAIN for a 5-second run.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define LOAD_SYSTEMS 5
#define LOAD_POOL 20       /* users and locks made per system before the run */
#define LOAD_TIMEOUT_S 30L /* a request slower than this counts as unanswered */
#define LOAD_MAX_CLIENTS 512
#define LOAD_LATENCY_BUCKETS 30001 /* 0.1 ms each up to 3 s, then one for the rest */
#define LOAD_DRIVERS 4             /* threads, each with one multi handle */

struct load_options {
    int clients;
    double seconds;
    double warmup_seconds; /* RSS "before" is read after this much load */
};

struct load_result {
    long requests;
    long by_class[6]; /* index status / 100 */
    long transport_errors, timeouts, unanswered;
    double elapsed_s, requests_per_s;
    long rss_before_kb, rss_after_kb, rss_peak_kb;
    double p50_ms, p99_ms, max_ms;
    char first_error[1400];
    int sanitized; /* the server runs under AddressSanitizer: its RSS is not comparable */
};

struct load_system {
    struct tenant t;
    char users[LOAD_POOL][40], locks[LOAD_POOL][40];
};

struct load_client {
    CURL *curl;
    struct curl_slist *headers;
    struct load_system *sys;
    char url[1024], body[256], key[256], auth[4200];
    struct http_buffer answer;
    uint64_t rng;
    char own_users[64][40]; /* users this client made: the only ones it deletes */
    int nown;
    int op;
};

static struct emu load_emu;
static struct load_system load_systems[LOAD_SYSTEMS];

static double load_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long load_rss_kb(pid_t pid)
{
    char path[64], line[256];
    long kb = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f != NULL)
        fclose(f);
    return kb;
}

/* True when the server runs under AddressSanitizer, whose quarantine grows the RSS. */
static int load_server_is_sanitized(pid_t pid)
{
    char path[64], line[512];
    int found = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
    f = fopen(path, "r");
    while (f != NULL && !found && fgets(line, sizeof(line), f) != NULL)
        found = strstr(line, "libasan") != NULL || strstr(line, "libclang_rt.asan") != NULL;
    if (f != NULL)
        fclose(f);
    return found;
}

static uint64_t load_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* ---- setting up the systems ----------------------------------------------------------- */

static int load_make(struct load_system *s, const char *path, const char *body, char out[40])
{
    struct http_response r;
    int ok =
        admin_call(&load_emu, &s->t, "POST", path, body, &r) == 201 && json_str(&r, "id") != NULL;

    if (ok)
        snprintf(out, 40, "%s", json_str(&r, "id"));
    else
        fprintf(stderr, "load: POST %s: %ld %s\n", path, r.status, r.body);
    http_response_free(&r);
    return ok ? 0 : -1;
}

static int load_setup_systems(void)
{
    for (int s = 0; s < LOAD_SYSTEMS; s++) {
        struct load_system *sys = &load_systems[s];
        if (tenant_create(&load_emu, &sys->t, NULL) != 0)
            return -1;
        for (int i = 0; i < LOAD_POOL; i++) {
            char name[64];
            snprintf(name, sizeof(name), "{\"name\":\"Door %d\"}", i);
            if (load_make(sys, "/user", "{\"role\":\"USER\"}", sys->users[i]) != 0 ||
                load_make(sys, "/locking-device", name, sys->locks[i]) != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- one client's requests ------------------------------------------------------------- */

enum load_op {
    OP_LIST_USERS,
    OP_GET_USER,
    OP_LIST_LOCKS,
    OP_GET_LOCK,
    OP_CREATE_LOCK,
    OP_RENAME_LOCK,
    OP_CREATE_USER,
    OP_DELETE_USER,
    OP_EVENTS,
};

/* The mix, in percent: 70 reads, 30 writes. */
static enum load_op load_pick(struct load_client *c)
{
    static const struct {
        enum load_op op;
        int weight;
    } mix[] = {
        {OP_LIST_USERS, 20}, {OP_GET_USER, 15},   {OP_LIST_LOCKS, 15},
        {OP_GET_LOCK, 15},   {OP_EVENTS, 5},      {OP_CREATE_LOCK, 10},
        {OP_RENAME_LOCK, 8}, {OP_CREATE_USER, 8}, {OP_DELETE_USER, 4},
    };
    int roll = (int)(load_random(&c->rng) % 100);

    for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
        if (roll < mix[i].weight)
            return mix[i].op == OP_DELETE_USER && c->nown == 0 ? OP_CREATE_USER : mix[i].op;
        roll -= mix[i].weight;
    }
    return OP_LIST_USERS;
}

static void load_prepare(struct load_client *c)
{
    const char *base = load_emu.url, *method = "GET";
    const char *type = NULL;
    int pick = (int)(load_random(&c->rng) % LOAD_POOL);

    c->op = load_pick(c);
    c->body[0] = '\0';
    switch ((enum load_op)c->op) {
    case OP_LIST_USERS:
        snprintf(c->url, sizeof(c->url), "%s/administration/user?limit=20", base);
        break;
    case OP_GET_USER:
        snprintf(c->url, sizeof(c->url), "%s/administration/user/%s", base, c->sys->users[pick]);
        break;
    case OP_LIST_LOCKS:
        snprintf(c->url, sizeof(c->url), "%s/administration/locking-device?limit=20", base);
        break;
    case OP_GET_LOCK:
        snprintf(c->url, sizeof(c->url), "%s/administration/locking-device/%s", base,
                 c->sys->locks[pick]);
        break;
    case OP_EVENTS:
        snprintf(c->url, sizeof(c->url), "%s/_emulator/v1/systems/%s/events?limit=10", base,
                 c->sys->t.system_id);
        break;
    case OP_CREATE_LOCK:
        method = "POST";
        type = "Content-Type: application/json";
        snprintf(c->url, sizeof(c->url), "%s/administration/locking-device", base);
        snprintf(c->body, sizeof(c->body), "{\"name\":\"Load %llu\"}",
                 (unsigned long long)(load_random(&c->rng) % 1000000));
        break;
    case OP_RENAME_LOCK:
        method = "PATCH";
        type = "Content-Type: application/json-patch+json";
        snprintf(c->url, sizeof(c->url), "%s/administration/locking-device/%s", base,
                 c->sys->locks[pick]);
        snprintf(c->body, sizeof(c->body),
                 "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Renamed %d\"}]", pick);
        break;
    case OP_CREATE_USER:
        method = "POST";
        type = "Content-Type: application/json";
        snprintf(c->url, sizeof(c->url), "%s/administration/user", base);
        snprintf(c->body, sizeof(c->body), "{\"role\":\"USER\"}");
        break;
    case OP_DELETE_USER:
        method = "DELETE";
        snprintf(c->url, sizeof(c->url), "%s/administration/user/%s", base,
                 c->own_users[--c->nown]);
        break;
    }
    curl_slist_free_all(c->headers);
    c->headers = curl_slist_append(NULL, c->key);
    c->headers = curl_slist_append(c->headers, "Accept: " VENDOR_TYPE);
    c->headers = curl_slist_append(c->headers, c->auth);
    c->headers = curl_slist_append(c->headers, "Expect:");
    if (type != NULL)
        c->headers = curl_slist_append(c->headers, type);
    free(c->answer.data);
    c->answer.data = NULL;
    c->answer.len = 0;
    curl_easy_setopt(c->curl, CURLOPT_URL, c->url);
    curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, type != NULL ? c->body : NULL);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, type != NULL ? (long)strlen(c->body) : 0L);
    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, type != NULL ? 0L : 1L);
    if (type == NULL)
        curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
}

/* Keeps what a creation answered, so that this client can delete its own users later. */
static void load_remember(struct load_client *c, long status)
{
    const char *id;

    if (c->op != OP_CREATE_USER || status != 201 || c->answer.data == NULL || c->nown == 64)
        return;
    id = strstr(c->answer.data, "\"id\":\"");
    if (id != NULL)
        snprintf(c->own_users[c->nown++], 40, "%.36s", id + 6);
}

static int load_client_init(struct load_client *c, int index)
{
    memset(c, 0, sizeof(*c));
    c->sys = &load_systems[index % LOAD_SYSTEMS];
    c->rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(index + 1);
    c->curl = curl_easy_init();
    if (c->curl == NULL)
        return -1;
    snprintf(c->key, sizeof(c->key), "X-Api-Key: %s", c->sys->t.api_key);
    snprintf(c->auth, sizeof(c->auth), "Authorization: Bearer %s", c->sys->t.token);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, http_collect);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &c->answer);
    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, LOAD_TIMEOUT_S);
    curl_easy_setopt(c->curl, CURLOPT_PRIVATE, c);
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    load_prepare(c);
    return 0;
}

static void load_client_release(struct load_client *c)
{
    curl_easy_cleanup(c->curl);
    curl_slist_free_all(c->headers);
    free(c->answer.data);
}

/* ---- the run --------------------------------------------------------------------------- */

static void load_record(struct load_result *r, long *latency, CURLcode code, CURL *curl,
                        const struct load_client *c)
{
    long status = 0;
    curl_off_t us = 0;
    curl_off_t bucket;

    r->requests++;
    if (code == CURLE_OPERATION_TIMEDOUT) {
        r->timeouts++;
    } else if (code != CURLE_OK) {
        r->transport_errors++;
    } else {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        r->by_class[status / 100 < 6 ? status / 100 : 5]++;
    }
    if ((code != CURLE_OK || status >= 400) && r->first_error[0] == '\0')
        snprintf(r->first_error, sizeof(r->first_error), "%s -> curl %d, HTTP %ld: %.300s", c->url,
                 (int)code, status, c->answer.data ? c->answer.data : "");
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &us);
    bucket = us / 100;
    latency[bucket < LOAD_LATENCY_BUCKETS - 1 ? bucket : LOAD_LATENCY_BUCKETS - 1]++;
    if ((double)us / 1000.0 > r->max_ms)
        r->max_ms = (double)us / 1000.0;
}

/* The upper edge, in ms, of the bucket holding the q-quantile. */
static double load_quantile(const long *latency, long total, double q)
{
    long seen = 0;

    for (int b = 0; b < LOAD_LATENCY_BUCKETS; b++) {
        seen += latency[b];
        if ((double)seen >= q * (double)total)
            return (double)(b + 1) / 10.0;
    }
    return 0;
}

/* One driver thread: a multi handle over a slice of the clients, and its own counts. */
struct load_driver {
    pthread_t thread;
    const struct load_options *o;
    struct load_client *clients;
    int n;
    int samples_rss; /* the first driver also reads the server's VmRSS */
    double start;
    struct load_result r;
    long latency[LOAD_LATENCY_BUCKETS];
};

static void load_sample_rss(struct load_driver *d, int *measured_before, double *next_sample)
{
    double now = load_now();

    if (!*measured_before && now >= d->start + d->o->warmup_seconds) {
        d->r.rss_before_kb = load_rss_kb(load_emu.pid);
        *measured_before = 1;
    }
    if (now >= *next_sample) {
        long kb = load_rss_kb(load_emu.pid);
        if (kb > d->r.rss_peak_kb)
            d->r.rss_peak_kb = kb;
        *next_sample += 1;
    }
}

/* Drives the slice until o->seconds have passed and every request in flight is done (or
 * its timeout made it fail). */
static void *load_drive(void *arg)
{
    struct load_driver *d = arg;
    CURLM *multi = curl_multi_init();
    double stop = d->start + d->o->seconds, drain_until = stop + LOAD_TIMEOUT_S + 5;
    double next_sample = d->start + 1;
    int running = d->n, measured_before = 0;

    if (multi == NULL)
        return NULL;
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)d->n + 8);
    for (int i = 0; i < d->n; i++)
        curl_multi_add_handle(multi, d->clients[i].curl);
    while (running > 0 && load_now() < drain_until) {
        int still, left;
        CURLMsg *m;
        curl_multi_perform(multi, &still);
        while ((m = curl_multi_info_read(multi, &left)) != NULL) {
            struct load_client *c;
            long status = 0;
            if (m->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            load_record(&d->r, d->latency, m->data.result, m->easy_handle, c);
            load_remember(c, status);
            curl_multi_remove_handle(multi, m->easy_handle);
            if (load_now() < stop) {
                load_prepare(c);
                curl_multi_add_handle(multi, c->curl);
            } else {
                running--;
            }
        }
        if (d->samples_rss)
            load_sample_rss(d, &measured_before, &next_sample);
        curl_multi_poll(multi, NULL, 0, 50, NULL);
    }
    d->r.unanswered = running;
    for (int i = 0; i < d->n; i++)
        curl_multi_remove_handle(multi, d->clients[i].curl);
    curl_multi_cleanup(multi);
    return NULL;
}

static void load_merge(struct load_result *r, long *latency, const struct load_driver *d)
{
    r->requests += d->r.requests;
    for (int k = 0; k < 6; k++)
        r->by_class[k] += d->r.by_class[k];
    r->transport_errors += d->r.transport_errors;
    r->timeouts += d->r.timeouts;
    r->unanswered += d->r.unanswered;
    if (d->r.max_ms > r->max_ms)
        r->max_ms = d->r.max_ms;
    if (r->first_error[0] == '\0')
        memcpy(r->first_error, d->r.first_error, sizeof(r->first_error));
    if (d->samples_rss) {
        r->rss_before_kb = d->r.rss_before_kb;
        r->rss_peak_kb = d->r.rss_peak_kb;
    }
    for (int b = 0; b < LOAD_LATENCY_BUCKETS; b++)
        latency[b] += d->latency[b];
}

/* Runs the load against load_emu, which must be running with its systems set up. The
 * clients are spread over LOAD_DRIVERS threads: one multi handle scans all its handles on
 * every wake-up, so a single one for 100 clients would cost the client more CPU than the
 * server gets. */
static int load_run(const struct load_options *o, struct load_result *r)
{
    static struct load_client clients[LOAD_MAX_CLIENTS];
    static struct load_driver drivers[LOAD_DRIVERS];
    static long latency[LOAD_LATENCY_BUCKETS];
    int n = o->clients < LOAD_MAX_CLIENTS ? o->clients : LOAD_MAX_CLIENTS, at = 0;
    double start = load_now();

    memset(r, 0, sizeof(*r));
    memset(latency, 0, sizeof(latency));
    for (int i = 0; i < n; i++)
        if (load_client_init(&clients[i], i) != 0)
            return -1;
    for (int k = 0; k < LOAD_DRIVERS; k++) {
        struct load_driver *d = &drivers[k];
        memset(d, 0, sizeof(*d));
        d->o = o;
        d->clients = clients + at;
        d->n = n / LOAD_DRIVERS + (k < n % LOAD_DRIVERS);
        d->samples_rss = k == 0;
        d->start = start;
        at += d->n;
        if (pthread_create(&d->thread, NULL, load_drive, d) != 0)
            return -1;
    }
    for (int k = 0; k < LOAD_DRIVERS; k++) {
        pthread_join(drivers[k].thread, NULL);
        load_merge(r, latency, &drivers[k]);
    }
    r->elapsed_s = load_now() - start;
    r->rss_after_kb = load_rss_kb(load_emu.pid);
    r->sanitized = load_server_is_sanitized(load_emu.pid);
    if (r->rss_after_kb > r->rss_peak_kb)
        r->rss_peak_kb = r->rss_after_kb;
    for (int i = 0; i < n; i++)
        load_client_release(&clients[i]);
    r->requests_per_s = r->elapsed_s > 0 ? (double)r->requests / r->elapsed_s : 0;
    r->p50_ms = load_quantile(latency, r->requests, 0.50);
    r->p99_ms = load_quantile(latency, r->requests, 0.99);
    return 0;
}

static void load_print(const struct load_options *o, const struct load_result *r)
{
    printf("load: %d clients, %d systems, %.1f s: %ld requests, %.0f req/s\n", o->clients,
           LOAD_SYSTEMS, r->elapsed_s, r->requests, r->requests_per_s);
    printf("load: 2xx %ld, 3xx %ld, 4xx %ld, 5xx %ld, transport errors %ld, timeouts %ld, "
           "unanswered %ld\n",
           r->by_class[2], r->by_class[3], r->by_class[4], r->by_class[5], r->transport_errors,
           r->timeouts, r->unanswered);
    printf("load: latency p50 <= %.1f ms, p99 <= %.1f ms, max %.1f ms\n", r->p50_ms, r->p99_ms,
           r->max_ms);
    printf("load: server VmRSS %.1f MiB after %.0f s of load, %.1f MiB at the end (peak %.1f "
           "MiB)\n",
           r->rss_before_kb / 1024.0, o->warmup_seconds, r->rss_after_kb / 1024.0,
           r->rss_peak_kb / 1024.0);
    if (r->sanitized)
        printf("load: (the server runs under AddressSanitizer: figures are not representative)\n");
    if (r->first_error[0] != '\0')
        printf("load: first error: %s\n", r->first_error);
    fflush(stdout);
}

/* Starts the emulator on a database file in a scratch folder and makes the systems. */
static int load_start(const char *threads)
{
    static char db[320];
    const char *args[] = {"--db", db, threads ? "--threads" : NULL, threads, NULL};

    if (emu_start(&load_emu, NULL) != 0)
        return -1;
    emu_stop(&load_emu);
    snprintf(db, sizeof(db), "%s/load.db", load_emu.dir);
    if (emu_restart(&load_emu, args) != 0)
        return -1;
    return load_setup_systems();
}

#ifndef LOAD_NO_MAIN
int main(void)
{
    struct load_options o = {100, 60, 5};
    struct load_result r;
    const char *seconds = getenv("LOAD_SECONDS"), *clients = getenv("LOAD_CLIENTS");
    int ok;

    if (seconds != NULL)
        o.seconds = strtod(seconds, NULL);
    if (clients != NULL)
        o.clients = (int)strtol(clients, NULL, 10);
    if (o.warmup_seconds > o.seconds / 4)
        o.warmup_seconds = o.seconds / 4;
    if (load_start(getenv("LOAD_THREADS")) != 0 || load_run(&o, &r) != 0) {
        fprintf(stderr, "load: could not start the emulator or its systems\n");
        emu_kill(&load_emu);
        return 1;
    }
    load_print(&o, &r);
    ok = r.by_class[5] == 0 && r.transport_errors == 0 && r.timeouts == 0 && r.unanswered == 0;
    ok = emu_stop(&load_emu) == 0 && ok;
    return ok ? 0 : 1;
}
#endif
