#include "http/metrics.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <string.h>

#include "admin/routes.h"
#include "control/routes.h"
#include "http/request.h"
#include "lib/wallclock.h"

/* Slots for every row of both route tables, then the index page and unmatched paths. The
 * arrays are fixed so that counting needs neither a lock nor an allocation; metrics_init()
 * says so on stderr if the tables ever outgrow them. */
#define ROUTE_SLOTS 160
#define SLOT_INDEX (ROUTE_SLOTS - 2)
#define SLOT_UNMATCHED (ROUTE_SLOTS - 1)
#define STATUS_MIN 100
#define STATUS_COUNT 500 /* 100..599 */

/* Latency buckets: upper bounds in nanoseconds and as Prometheus writes them. */
static const int64_t bucket_ns[] = {
    500000LL,    1000000LL,   2500000LL,   5000000LL,    10000000LL,   25000000LL,   50000000LL,
    100000000LL, 250000000LL, 500000000LL, 1000000000LL, 2500000000LL, 5000000000LL, 10000000000LL,
};
static const char *const bucket_le[] = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5",     "10",
};
#define BUCKETS COUNT_OF(bucket_ns)

struct route_counters {
    atomic_ullong by_status[STATUS_COUNT];
    atomic_ullong buckets[BUCKETS + 1]; /* not cumulative; the last is above 10 s */
    atomic_ullong sum_ns;
    atomic_ullong count;
};

/* The route tables and the prefixes server.c mounts them under, in slot order. */
static const struct {
    const char *prefix;
    const struct route *routes;
    const size_t *count;
} tables[] = {
    {"/administration", admin_routes, &admin_routes_count},
    {"/_emulator/v1", control_routes, &control_routes_count},
};

static struct route_counters counters[ROUTE_SLOTS];
static atomic_ullong faults[METRICS_FAULT_RESET + 1];
static int64_t start_wall, start_ns;

#define ADD(counter, n) atomic_fetch_add_explicit(&(counter), (n), memory_order_relaxed)
#define LOAD(counter) atomic_load_explicit(&(counter), memory_order_relaxed)

void metrics_init(void)
{
    start_wall = clock_wall_now();
    start_ns = clock_monotonic_ns();
    if (admin_routes_count + control_routes_count > SLOT_INDEX)
        fprintf(stderr, "keyless-emulator: metrics: more routes than ROUTE_SLOTS; the last "
                        "ones are counted as unmatched\n");
}

static size_t slot_of(const struct request *req)
{
    uintptr_t r = (uintptr_t)req->match.route;
    size_t base = 0;

    for (size_t t = 0; t < COUNT_OF(tables); t++) {
        uintptr_t first = (uintptr_t)tables[t].routes;
        size_t n = *tables[t].count;
        if (r >= first && r < first + n * sizeof(struct route)) {
            size_t slot = base + (size_t)(r - first) / sizeof(struct route);
            return slot < SLOT_INDEX ? slot : SLOT_UNMATCHED;
        }
        base += n;
    }
    return r == 0 && strcmp(req->path, "/") == 0 ? SLOT_INDEX : SLOT_UNMATCHED;
}

void metrics_count_request(const struct request *req)
{
    struct route_counters *c;
    int64_t ns = clock_monotonic_ns() - req->started_ns;
    size_t b = 0;

    if (req->status < STATUS_MIN || req->status >= STATUS_MIN + STATUS_COUNT)
        return;
    c = &counters[slot_of(req)];
    while (b < BUCKETS && ns > bucket_ns[b])
        b++;
    ADD(c->buckets[b], 1);
    ADD(c->sum_ns, (unsigned long long)(ns > 0 ? ns : 0));
    ADD(c->count, 1);
    ADD(c->by_status[req->status - STATUS_MIN], 1);
}

void metrics_count_fault(enum metrics_fault effect)
{
    ADD(faults[effect], 1);
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Writes the {method="...",route="..." part of a slot's labels (no closing brace). */
static void route_labels(FILE *out, size_t slot)
{
    size_t base = 0;

    if (slot == SLOT_INDEX || slot == SLOT_UNMATCHED) {
        fprintf(out, "{method=\"any\",route=\"%s\"", slot == SLOT_INDEX ? "/" : "unmatched");
        return;
    }
    for (size_t t = 0; t < COUNT_OF(tables); t++) {
        if (slot < base + *tables[t].count) {
            const struct route *r = &tables[t].routes[slot - base];
            fprintf(out, "{method=\"%s\",route=\"%s%s\"", r->method, tables[t].prefix, r->path);
            return;
        }
        base += *tables[t].count;
    }
}

/* True when the slot names a route (the tables may have fewer rows than slots). */
static int slot_used(size_t slot)
{
    return slot >= SLOT_INDEX || slot < admin_routes_count + control_routes_count;
}

static void write_requests(FILE *out)
{
    family(out, "keyless_emulator_http_requests_total", "counter",
           "HTTP requests answered, by route template and status.");
    for (size_t s = 0; s < ROUTE_SLOTS; s++) {
        if (!slot_used(s) || LOAD(counters[s].count) == 0)
            continue;
        for (size_t i = 0; i < STATUS_COUNT; i++) {
            unsigned long long n = LOAD(counters[s].by_status[i]);
            if (n == 0)
                continue;
            fprintf(out, "keyless_emulator_http_requests_total");
            route_labels(out, s);
            fprintf(out, ",status=\"%zu\"} %llu\n", i + STATUS_MIN, n);
        }
    }
}

static void write_histogram(FILE *out, size_t s)
{
    const char *name = "keyless_emulator_http_request_duration_seconds";
    unsigned long long total = 0;

    for (size_t b = 0; b <= BUCKETS; b++) {
        total += LOAD(counters[s].buckets[b]);
        fprintf(out, "%s_bucket", name);
        route_labels(out, s);
        fprintf(out, ",le=\"%s\"} %llu\n", b < BUCKETS ? bucket_le[b] : "+Inf", total);
    }
    fprintf(out, "%s_sum", name);
    route_labels(out, s);
    fprintf(out, "} %.9f\n%s_count", (double)LOAD(counters[s].sum_ns) / 1e9, name);
    route_labels(out, s);
    fprintf(out, "} %llu\n", total);
}

static void write_latencies(FILE *out)
{
    family(out, "keyless_emulator_http_request_duration_seconds", "histogram",
           "Time from the request's headers to its answer being queued, by route template.");
    for (size_t s = 0; s < ROUTE_SLOTS; s++)
        if (slot_used(s) && LOAD(counters[s].count) > 0)
            write_histogram(out, s);
}

static void write_background(FILE *out)
{
    static const char *const results[] = {"delivered", "rejected", "unreachable"};
    static const char *const effects[] = {"status", "latency", "reset"};

    family(out, "keyless_emulator_webhook_deliveries_total", "counter",
           "Webhook delivery attempts by result: delivered (2xx), rejected (other status), "
           "unreachable (no answer).");
    for (size_t i = 0; i < COUNT_OF(results); i++)
        fprintf(out, "keyless_emulator_webhook_deliveries_total{result=\"%s\"} %llu\n", results[i],
                metrics_deliveries((enum metrics_delivery)i));
    family(out, "keyless_emulator_jobs_run_total", "counter",
           "Simulation jobs run by clock advances and real-time clocks.");
    fprintf(out, "keyless_emulator_jobs_run_total %llu\n", metrics_jobs_run());
    family(out, "keyless_emulator_faults_injected_total", "counter",
           "Effects of injected faults applied, by effect.");
    for (size_t i = 0; i < COUNT_OF(effects); i++)
        fprintf(out, "keyless_emulator_faults_injected_total{effect=\"%s\"} %llu\n", effects[i],
                LOAD(faults[i]));
}

static void write_process(FILE *out)
{
    family(out, "keyless_emulator_build_info", "gauge", "The emulator's version.");
    fprintf(out, "keyless_emulator_build_info{version=\"%s\"} 1\n", KE_VERSION);
    family(out, "process_start_time_seconds", "gauge",
           "When the emulator's server started, in seconds since the Unix epoch (wall clock).");
    fprintf(out, "process_start_time_seconds %" PRId64 "\n", start_wall);
    family(out, "keyless_emulator_uptime_seconds", "gauge",
           "Seconds since the emulator's server started.");
    fprintf(out, "keyless_emulator_uptime_seconds %.3f\n",
            (double)(clock_monotonic_ns() - start_ns) / 1e9);
}

void metrics_write(FILE *out)
{
    write_process(out);
    write_requests(out);
    write_latencies(out);
    write_background(out);
}
