/*
 * test_metrics.c — observability: GET /_emulator/v1/metrics (Prometheus text 0.0.4), the
 * X-Emulator-Time header of Administration API answers, and log lines that carry the
 * request id (access lines and error lines, text and JSON).
 *
 * One emulator serves the suite; counters are process-wide, so every count is asserted as
 * the difference between two scrapes around the calls that cause it. Systems use frozen
 * clocks, so no job runs behind a test's back. A webhook receiver runs inside the test's own
 * process (a checked fixture: threads do not survive Check's fork). Test cases that need
 * special flags run their own emulator and assert only after it stopped.
 */
#include <arpa/inet.h>
#include <check.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define T0 1893456000 /* 2030-01-01T00:00:00Z */
#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define REQS "keyless_emulator_http_requests_total"
#define DUR "keyless_emulator_http_request_duration_seconds"

/* ---- helpers ----------------------------------------------------------------------- */

/* Cuts the next line off *cursor (in place); NULL at the end. */
static char *next_line(char **cursor)
{
    char *line = *cursor;

    if (line == NULL || *line == '\0')
        return NULL;
    *cursor = strchr(line, '\n');
    if (*cursor != NULL)
        *(*cursor)++ = '\0';
    return line;
}

/* A sample or 0 when absent (counters not yet touched are not written). */
static double value_or_0(const char *text, const char *series)
{
    double v = metrics_sample(text, series);

    return v < 0 ? 0 : v;
}

static void requests_series(char *out, size_t cap, const char *method, const char *route,
                            int status)
{
    snprintf(out, cap, REQS "{method=\"%s\",route=\"%s\",status=\"%d\"}", method, route, status);
}

static double requests(const char *text, const char *method, const char *route, int status)
{
    char series[512];

    requests_series(series, sizeof(series), method, route, status);
    return value_or_0(text, series);
}

static void frozen_tenant(struct tenant *t)
{
    ck_assert_int_eq(tenant_create(&emu, t, FROZEN_AT("2030-01-01T00:00:00Z")), 0);
}

static void call_ok(long got, long want, struct http_response *r)
{
    ck_assert_msg(got == want, "status %ld, want %ld: %s", got, want, r->body ? r->body : "");
    http_response_free(r);
}

static void sys_call(const struct tenant *t, const char *method, const char *sub, const char *body,
                     long want)
{
    struct http_response r;
    char path[256];

    snprintf(path, sizeof(path), "/systems/%s%s", t->system_id, sub);
    call_ok(control_call(&emu, method, path, body, &r), want, &r);
}

/* ---- the scrape itself --------------------------------------------------------------- */

START_TEST(scrape_is_prometheus_text)
{
    struct http_response r;
    char family[128], *cursor, *line;
    int typed = 0, samples = 0;

    ck_assert_int_eq(control_call(&emu, "GET", "/metrics", NULL, &r), 200);
    ck_assert_str_eq(header(&r, "Content-Type"), METRICS_TYPE);
    ck_assert_ptr_nonnull(header(&r, "X-Emulator-Version"));
    ck_assert_ptr_null(header(&r, "X-Emulator-Time"));
    ck_assert(r.body[strlen(r.body) - 1] == '\n');
    family[0] = '\0';
    cursor = r.body;
    while ((line = next_line(&cursor)) != NULL) {
        if (strncmp(line, "# TYPE ", 7) == 0) {
            ck_assert_int_eq(sscanf(line + 7, "%127s", family), 1);
            typed++;
            continue;
        }
        if (line[0] == '#')
            continue;
        /* Every sample belongs to the family typed last (histograms add suffixes). */
        ck_assert_msg(strncmp(line, family, strlen(family)) == 0, "'%s' outside '%s'", line,
                      family);
        ck_assert_ptr_nonnull(strrchr(line, ' '));
        samples++;
    }
    ck_assert_int_ge(typed, 12);
    ck_assert_int_ge(samples, typed);
    http_response_free(&r);
}
END_TEST

START_TEST(process_version_start_time_and_uptime)
{
    struct http_response r;
    char *text = metrics_scrape(&emu);
    char series[128];
    double start = metrics_sample(text, "process_start_time_seconds"), now = (double)time(NULL);

    ck_assert_int_eq(control_call(&emu, "GET", "/health", NULL, &r), 200);
    snprintf(series, sizeof(series), "keyless_emulator_build_info{version=\"%s\"}",
             header(&r, "X-Emulator-Version"));
    ck_assert(metrics_sample(text, series) == 1);
    ck_assert_msg(start > now - 600 && start <= now, "start %f, now %f", start, now);
    ck_assert(metrics_sample(text, "keyless_emulator_uptime_seconds") >= 0);
    ck_assert(metrics_sample(text, "keyless_emulator_uptime_seconds") <= now - start + 1);
    http_response_free(&r);
    free(text);
}
END_TEST

/* ---- requests by route and status ---------------------------------------------------- */

START_TEST(requests_counted_by_route_template_and_status)
{
    struct tenant t;
    struct http_response r;
    char *before, *after, path[128];
    const char *tpl = "/administration/user/{user-id}";

    frozen_tenant(&t);
    before = metrics_scrape(&emu);
    snprintf(path, sizeof(path), "/user/%s", t.admin_id);
    call_ok(admin_call(&emu, &t, "GET", path, NULL, &r), 200, &r);
    call_ok(admin_call(&emu, &t, "GET", "/user/" UNKNOWN_ID, NULL, &r), 404, &r);
    call_ok(admin_call(&emu, &t, "GET", "/user/" UNKNOWN_ID, NULL, &r), 404, &r);
    call_ok(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"USER\"}", &r), 201, &r);
    call_ok(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"NOBODY\"}", &r), 400, &r);
    after = metrics_scrape(&emu);
    ck_assert(requests(after, "GET", tpl, 200) - requests(before, "GET", tpl, 200) == 1);
    ck_assert(requests(after, "GET", tpl, 404) - requests(before, "GET", tpl, 404) == 2);
    ck_assert(requests(after, "POST", "/administration/user", 201) -
                  requests(before, "POST", "/administration/user", 201) ==
              1);
    ck_assert(requests(after, "POST", "/administration/user", 400) -
                  requests(before, "POST", "/administration/user", 400) ==
              1);
    ck_assert(requests(after, "DELETE", tpl, 200) == 0);
    free(before);
    free(after);
}
END_TEST

START_TEST(unmatched_paths_index_page_and_control_routes)
{
    struct http_response r;
    char url[256], *before, *after;

    before = metrics_scrape(&emu);
    snprintf(url, sizeof(url), "%s/administration/no-such-thing", emu.url);
    call_ok(http_call("GET", url, NULL, NULL, &r), 404, &r);
    call_ok(control_call(&emu, "PUT", "/health", NULL, &r), 405, &r);
    snprintf(url, sizeof(url), "%s/", emu.url);
    call_ok(http_call("GET", url, NULL, NULL, &r), 200, &r);
    call_ok(control_call(&emu, "GET", "/health", NULL, &r), 200, &r);
    call_ok(control_call(&emu, "GET", "/systems/" UNKNOWN_ID, NULL, &r), 404, &r);
    after = metrics_scrape(&emu);
    ck_assert(
        requests(after, "any", "unmatched", 404) - requests(before, "any", "unmatched", 404) == 1);
    ck_assert(
        requests(after, "any", "unmatched", 405) - requests(before, "any", "unmatched", 405) == 1);
    ck_assert(requests(after, "any", "/", 200) - requests(before, "any", "/", 200) == 1);
    ck_assert(requests(after, "GET", "/_emulator/v1/health", 200) -
                  requests(before, "GET", "/_emulator/v1/health", 200) ==
              1);
    ck_assert(requests(after, "GET", "/_emulator/v1/systems/{system-id}", 404) -
                  requests(before, "GET", "/_emulator/v1/systems/{system-id}", 404) ==
              1);
    /* The scrape before is counted once it finished: the second scrape shows it. */
    ck_assert(requests(after, "GET", "/_emulator/v1/metrics", 200) -
                  requests(before, "GET", "/_emulator/v1/metrics", 200) ==
              1);
    free(before);
    free(after);
}
END_TEST

static const char *const buckets[] = {"0.0005", "0.001", "0.0025", "0.005", "0.01",
                                      "0.025",  "0.05",  "0.1",    "0.25",  "0.5",
                                      "1",      "2.5",   "5",      "10",    "+Inf"};

START_TEST(latency_histogram_is_cumulative_per_route)
{
    const char *labels = "method=\"GET\",route=\"/_emulator/v1/health\"";
    struct http_response r;
    char series[256], *before, *after;
    double last = 0, count, sum;

    before = metrics_scrape(&emu);
    for (int i = 0; i < 5; i++)
        call_ok(control_call(&emu, "GET", "/health", NULL, &r), 200, &r);
    after = metrics_scrape(&emu);
    for (size_t i = 0; i < N(buckets); i++) {
        snprintf(series, sizeof(series), DUR "_bucket{%s,le=\"%s\"}", labels, buckets[i]);
        double v = metrics_sample(after, series);
        ck_assert_msg(v >= last, "%s is %f, below the previous %f", series, v, last);
        last = v;
    }
    snprintf(series, sizeof(series), DUR "_count{%s}", labels);
    count = metrics_sample(after, series);
    ck_assert(count == last);
    ck_assert(count - value_or_0(before, series) == 5);
    snprintf(series, sizeof(series), DUR "_sum{%s}", labels);
    sum = metrics_sample(after, series);
    ck_assert(sum > 0 && sum < count * 10);
    ck_assert(sum > value_or_0(before, series));
    free(before);
    free(after);
}
END_TEST

/* ---- gauges and background counters ---------------------------------------------------- */

START_TEST(clock_position_of_each_system)
{
    struct tenant a, b;
    char series[256], *text;

    frozen_tenant(&a);
    ck_assert_int_eq(
        tenant_create(&emu, &b,
                      "{\"clock\":{\"mode\":\"frozen\",\"time\":\"2031-06-01T12:00:00Z\"}}"),
        0);
    sys_call(&a, "POST", "/clock/advance", "{\"by\":\"PT1H\"}", 200);
    text = metrics_scrape(&emu);
    snprintf(series, sizeof(series),
             "keyless_emulator_clock_seconds{system_id=\"%s\",mode=\"frozen\"}", a.system_id);
    ck_assert(metrics_sample(text, series) == T0 + 3600);
    snprintf(series, sizeof(series),
             "keyless_emulator_clock_seconds{system_id=\"%s\",mode=\"frozen\"}", b.system_id);
    ck_assert(metrics_sample(text, series) == 1938081600);
    free(text);
    sys_call(&b, "POST", "/clock/resume", NULL, 200);
    text = metrics_scrape(&emu);
    snprintf(series, sizeof(series),
             "keyless_emulator_clock_seconds{system_id=\"%s\",mode=\"real\"}", b.system_id);
    ck_assert(metrics_sample(text, series) >= 1938081600);
    free(text);
}
END_TEST

START_TEST(jobs_run_by_clock_advances)
{
    struct tenant t;
    struct http_response r;
    char path[256], *before, *after;
    json_object *jobs;

    frozen_tenant(&t);
    call_ok(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"USER\"}", &r), 201, &r);
    sys_call(&t, "POST", "/autopilot", "{\"enabled\":true}", 200);
    before = metrics_scrape(&emu);
    snprintf(path, sizeof(path), "/systems/%s/clock/advance", t.system_id);
    ck_assert_int_eq(control_call(&emu, "POST", path, "{\"by\":\"P2D\"}", &r), 200);
    ck_assert(json_object_object_get_ex(r.json, "jobsRun", &jobs));
    after = metrics_scrape(&emu);
    ck_assert_int_gt(json_object_get_int64(jobs), 0);
    ck_assert(metrics_sample(after, "keyless_emulator_jobs_run_total") -
                  metrics_sample(before, "keyless_emulator_jobs_run_total") ==
              (double)json_object_get_int64(jobs));
    http_response_free(&r);
    sys_call(&t, "POST", "/autopilot", "{\"enabled\":false}", 200);
    free(before);
    free(after);
}
END_TEST

/* Every committed write transaction counts, and every commit holds at least one. */
START_TEST(write_transactions_and_commits_counted)
{
    struct tenant t;
    struct http_response r;
    char *before, *after;
    double transactions, commits;

    frozen_tenant(&t);
    before = metrics_scrape(&emu);
    for (int i = 0; i < 3; i++)
        call_ok(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"USER\"}", &r), 201, &r);
    after = metrics_scrape(&emu);
    transactions = metrics_sample(after, "keyless_emulator_write_transactions_total") -
                   metrics_sample(before, "keyless_emulator_write_transactions_total");
    commits = metrics_sample(after, "keyless_emulator_write_commits_total") -
              metrics_sample(before, "keyless_emulator_write_commits_total");
    ck_assert_msg(transactions >= 3, "%.0f transactions for 3 users", transactions);
    ck_assert_msg(commits >= 1 && commits <= transactions, "%.0f commits of %.0f transactions",
                  commits, transactions);
    free(before);
    free(after);
}
END_TEST

START_TEST(outbox_events_match_health)
{
    struct tenant t;
    struct http_response r;
    json_object *events;
    char *before, *after;

    frozen_tenant(&t);
    before = metrics_scrape(&emu);
    call_ok(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"USER\"}", &r), 201, &r);
    after = metrics_scrape(&emu);
    ck_assert(metrics_sample(after, "keyless_emulator_outbox_events") -
                  metrics_sample(before, "keyless_emulator_outbox_events") ==
              1);
    ck_assert_int_eq(control_call(&emu, "GET", "/health", NULL, &r), 200);
    ck_assert(json_object_object_get_ex(r.json, "outboxEvents", &events));
    ck_assert(metrics_sample(after, "keyless_emulator_outbox_events") ==
              json_object_get_double(events));
    http_response_free(&r);
    free(before);
    free(after);
}
END_TEST

/* ---- webhook deliveries by result ------------------------------------------------------- */

static struct MHD_Daemon *rx;
static unsigned rx_port;

/* Answers 204 on /ok and 500 anywhere else. */
static enum MHD_Result rx_answer(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *data,
                                 size_t *size, void **state)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;

    (void)cls, (void)method, (void)version, (void)data;
    if (*state == NULL) {
        *state = (void *)1;
        return MHD_YES;
    }
    if (*size > 0) {
        *size = 0;
        return MHD_YES;
    }
    resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    ret = MHD_queue_response(c, strcmp(url, "/ok") == 0 ? 204 : 500, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void rx_start(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

    rx = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL,
                          NULL, rx_answer, NULL, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_END);
    ck_assert_ptr_nonnull(rx);
    rx_port = MHD_get_daemon_info(rx, MHD_DAEMON_INFO_BIND_PORT)->port;
}

static void rx_stop(void)
{
    MHD_stop_daemon(rx);
}

/* A loopback port nothing listens on (bound, then closed). */
static unsigned closed_port(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static double deliveries(const char *text, const char *result)
{
    char series[128];

    snprintf(series, sizeof(series), "keyless_emulator_webhook_deliveries_total{result=\"%s\"}",
             result);
    return metrics_sample(text, series);
}

START_TEST(webhook_deliveries_by_result_and_pending)
{
    struct tenant t;
    struct http_response r;
    char body[256], series[256], *before, *after;

    frozen_tenant(&t);
    snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%u/ok\"}", rx_port);
    sys_call(&t, "POST", "/webhook-subscriptions", body, 201);
    snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%u/bad\"}", rx_port);
    sys_call(&t, "POST", "/webhook-subscriptions", body, 201);
    snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%u/gone\"}", closed_port());
    sys_call(&t, "POST", "/webhook-subscriptions", body, 201);
    before = metrics_scrape(&emu);
    call_ok(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"USER\"}", &r), 201, &r);
    sys_call(&t, "POST", "/webhooks/flush", NULL, 200);
    after = metrics_scrape(&emu);
    ck_assert(deliveries(after, "delivered") - deliveries(before, "delivered") == 1);
    ck_assert(deliveries(after, "rejected") - deliveries(before, "rejected") == 1);
    ck_assert(deliveries(after, "unreachable") - deliveries(before, "unreachable") == 1);
    /* The two failures wait for their retry, 30 s later on the frozen clock. */
    snprintf(series, sizeof(series),
             "keyless_emulator_webhook_deliveries_pending{system_id=\"%s\"}", t.system_id);
    ck_assert(metrics_sample(before, series) == 0);
    ck_assert(metrics_sample(after, series) == 2);
    free(before);
    free(after);
}
END_TEST

/* ---- X-Emulator-Time ----------------------------------------------------------------- */

START_TEST(emulator_time_on_administration_answers)
{
    struct tenant t;
    struct http_response r;
    char url[256], path[256], key[256];
    const char *bad_token[] = {key, "Accept: " VENDOR_TYPE, "Authorization: Bearer nope", NULL};

    frozen_tenant(&t);
    ck_assert_int_eq(admin_call(&emu, &t, "GET", "/user", NULL, &r), 200);
    ck_assert_str_eq(header(&r, "X-Emulator-Time"), "2030-01-01T00:00:00Z");
    ck_assert_ptr_nonnull(header(&r, "X-Emulator-Version"));
    http_response_free(&r);
    /* Failures of a known caller carry it too. */
    ck_assert_int_eq(admin_call(&emu, &t, "GET", "/user/" UNKNOWN_ID, NULL, &r), 404);
    ck_assert_str_eq(header(&r, "X-Emulator-Time"), "2030-01-01T00:00:00Z");
    http_response_free(&r);
    sys_call(&t, "POST", "/clock/advance", "{\"by\":\"PT30M5S\"}", 200);
    ck_assert_int_eq(admin_call(&emu, &t, "GET", "/user", NULL, &r), 200);
    ck_assert_str_eq(header(&r, "X-Emulator-Time"), "2030-01-01T00:30:05Z");
    http_response_free(&r);
    /* Unknown caller: no system, no time. */
    snprintf(url, sizeof(url), "%s/administration/user", emu.url);
    snprintf(key, sizeof(key), "X-Api-Key: %s", t.api_key);
    ck_assert_int_eq(http_call("GET", url, bad_token, NULL, &r), 401);
    ck_assert_ptr_null(header(&r, "X-Emulator-Time"));
    ck_assert_ptr_nonnull(header(&r, "X-Emulator-Version"));
    http_response_free(&r);
    /* The control API never carries it, even where it looked a system up. */
    snprintf(path, sizeof(path), "/systems/%s/webhook-subscriptions", t.system_id);
    ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 200);
    ck_assert_ptr_null(header(&r, "X-Emulator-Time"));
    http_response_free(&r);
}
END_TEST

START_TEST(emulator_time_on_login)
{
    struct tenant t;
    struct http_response r;
    char url[256], key[256], body[512];
    const char *headers[] = {key, "Accept: " VENDOR_TYPE, "Content-Type: application/json", NULL};

    frozen_tenant(&t);
    snprintf(url, sizeof(url), "%s/administration/login", emu.url);
    snprintf(key, sizeof(key), "X-Api-Key: %s", t.api_key);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"accessKey\":\"%s\"}", t.admin_id,
             t.access_key);
    ck_assert_int_eq(http_call("POST", url, headers, body, &r), 200);
    ck_assert_str_eq(header(&r, "X-Emulator-Time"), "2030-01-01T00:00:00Z");
    http_response_free(&r);
}
END_TEST

/* ---- log lines carry the request id --------------------------------------------------- */

/* Every line of the emulator's stderr holding request_id (caller frees); "" when none. */
static char *lines_of(const struct emu *e, const char *request_id)
{
    char path[300], line[4096];
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    FILE *f;

    snprintf(path, sizeof(path), "%s/stderr.log", e->dir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof(line), f) != NULL)
        if (strstr(line, request_id) != NULL && len + strlen(line) < cap) {
            memcpy(out + len, line, strlen(line) + 1);
            len += strlen(line);
        }
    fclose(f);
    return out;
}

/* Starts an emulator on a database file whose token key is garbage, so /jwks.json fails
 * with 500; asks it with request id rid; stops it. */
static void provoke_internal_error(struct emu *e, const char *format, const char *rid, long *status)
{
    char db_path[300], url[300], id_header[128];
    const char *args[] = {"--db", db_path, "--log-format", format, NULL};
    const char *headers[] = {id_header, NULL};
    struct http_response r;
    sqlite3 *db;

    ck_assert_int_eq(emu_start(e, NULL), 0);
    emu_stop(e);
    snprintf(db_path, sizeof(db_path), "%s/x.db", e->dir);
    ck_assert_int_eq(emu_restart(e, args), 0);
    emu_stop(e);
    ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "INSERT OR REPLACE INTO settings(key, value) "
                                  "VALUES('jwt_private_key_pem', 'not a key')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    ck_assert_int_eq(emu_restart(e, args), 0);
    snprintf(url, sizeof(url), "%s/_emulator/v1/jwks.json", e->url);
    snprintf(id_header, sizeof(id_header), "X-Request-Id: %s", rid);
    *status = http_call("GET", url, headers, NULL, &r);
    http_response_free(&r);
    emu_stop(e);
}

START_TEST(json_error_line_carries_request_id)
{
    struct emu own;
    long status;
    char *lines, *cursor, *line;
    int error_lines = 0, access_lines = 0;

    provoke_internal_error(&own, "json", "err-probe-1", &status);
    ck_assert_int_eq(status, 500);
    lines = lines_of(&own, "err-probe-1");
    cursor = lines;
    while ((line = next_line(&cursor)) != NULL) {
        json_object *o = json_tokener_parse(line), *v;
        ck_assert_msg(o != NULL, "not JSON: %s", line);
        ck_assert(json_object_object_get_ex(o, "requestId", &v));
        ck_assert_str_eq(json_object_get_string(v), "err-probe-1");
        ck_assert(json_object_object_get_ex(o, "path", &v));
        ck_assert_str_eq(json_object_get_string(v), "/_emulator/v1/jwks.json");
        if (json_object_object_get_ex(o, "level", &v)) {
            ck_assert_str_eq(json_object_get_string(v), "error");
            ck_assert(json_object_object_get_ex(o, "message", &v));
            ck_assert_ptr_nonnull(strstr(json_object_get_string(v), "internal"));
            error_lines++;
        } else {
            ck_assert(json_object_object_get_ex(o, "status", &v));
            ck_assert_int_eq(json_object_get_int(v), 500);
            access_lines++;
        }
        json_object_put(o);
    }
    ck_assert_int_eq(error_lines, 1);
    ck_assert_int_eq(access_lines, 1);
    free(lines);
}
END_TEST

START_TEST(text_error_line_carries_request_id)
{
    struct emu own;
    long status;
    char *lines;

    provoke_internal_error(&own, "text", "err-probe-2", &status);
    ck_assert_int_eq(status, 500);
    lines = lines_of(&own, "err-probe-2");
    ck_assert_msg(
        strstr(lines, "keyless-emulator: GET /_emulator/v1/jwks.json: failed: internal") != NULL,
        "no error line in: %s", lines);
    ck_assert_ptr_nonnull(strstr(lines, "id=err-probe-2"));
    ck_assert_ptr_nonnull(strstr(lines, "GET /_emulator/v1/jwks.json 500 "));
    free(lines);
}
END_TEST

static Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *scrape_tc = tcase_create("scrape");
    TCase *hooks = tcase_create("webhooks");
    TCase *logs = tcase_create("logs");

    tcase_add_unchecked_fixture(scrape_tc, emu_must_start, emu_teardown);
    tcase_set_timeout(scrape_tc, 120);
    tcase_add_test(scrape_tc, scrape_is_prometheus_text);
    tcase_add_test(scrape_tc, process_version_start_time_and_uptime);
    tcase_add_test(scrape_tc, requests_counted_by_route_template_and_status);
    tcase_add_test(scrape_tc, unmatched_paths_index_page_and_control_routes);
    tcase_add_test(scrape_tc, latency_histogram_is_cumulative_per_route);
    tcase_add_test(scrape_tc, clock_position_of_each_system);
    tcase_add_test(scrape_tc, jobs_run_by_clock_advances);
    tcase_add_test(scrape_tc, outbox_events_match_health);
    tcase_add_test(scrape_tc, write_transactions_and_commits_counted);
    tcase_add_test(scrape_tc, emulator_time_on_administration_answers);
    tcase_add_test(scrape_tc, emulator_time_on_login);
    suite_add_tcase(s, scrape_tc);

    tcase_add_unchecked_fixture(hooks, emu_must_start, emu_teardown);
    tcase_add_checked_fixture(hooks, rx_start, rx_stop);
    tcase_set_timeout(hooks, 120);
    tcase_add_test(hooks, webhook_deliveries_by_result_and_pending);
    suite_add_tcase(s, hooks);

    tcase_set_timeout(logs, 120);
    tcase_add_test(logs, json_error_line_carries_request_id);
    tcase_add_test(logs, text_error_line_carries_request_id);
    suite_add_tcase(s, logs);
    return s;
}

int main(void)
{
    return run_suite(metrics_suite());
}
