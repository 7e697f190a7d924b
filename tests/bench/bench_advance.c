/*
 * bench_advance.c — how long 700 days of a busy site take in ONE clock advance.
 *
 * Builds a site through the public surfaces (12 users with activated phones, each with a
 * claimed lock and a permission; two gateways with six associations each, powered on; the
 * autopilot on), advances the system's clock by P700D in one call and prints the wall
 * seconds, jobsRun, eventsEmitted, jobs/s and events/s. Nothing is asserted about time: it
 * exits 0 unless a call failed. Run it with `meson test -C <build> --benchmark --verbose`.
 *
 * BENCH_BEFORE_ADVANCE, when set, is a shell command run once the site is built, just before
 * the advance, with EMULATOR_PID in its environment: under
 * KEYLESS_EMULATOR_BIN=<a script that execs valgrind --tool=callgrind --instr-atstart=no ...>
 * it can be "callgrind_control -i on $EMULATOR_PID", so that the instructions counted are the
 * advance's and the build runs at valgrind's uninstrumented speed. BENCH_AFTER_ADVANCE is
 * run the same way after it, with EMULATOR_URL, BENCH_API_KEY, BENCH_ADMIN_ID and
 * BENCH_ACCESS_KEY too (the token has expired by then: log in again), e.g.
 * tests/bench/list_pages.py, which times list and log pages of the site just lived.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

/* The site's size; BENCH_USERS, BENCH_LOCKS and BENCH_DAYS override (make bench runs the
 * issue's 100-lock, 50-user year). */
#define RESIDENTS 12
#define GATEWAYS 2
#define PER_GATEWAY 6
#define DAYS 700
#define OPENS_PER_DAY 4
#define BATTERY_PER_MONTH 1
#define ADVANCE_TIMEOUT_S 3600L

static struct tenant t;

/* The first failure ends the run; the message says which call. */
static int fail(const char *what, long status, const char *body)
{
    fprintf(stderr, "bench_advance: %s: %ld %s\n", what, status, body ? body : "");
    return -1;
}

/* A call that must answer want; copies member key of the answer into out (64 bytes). */
static int call(int admin, const char *method, const char *path, const char *body, long want,
                const char *key, char out[64])
{
    struct http_response r;
    long status = admin ? admin_call(&emu, &t, method, path, body, &r)
                        : control_call(&emu, method, path, body, &r);
    json_object *v = NULL;
    int ok = status == want;

    if (ok && key != NULL) {
        ok = r.json != NULL && json_object_object_get_ex(r.json, key, &v) && v != NULL;
        if (ok)
            snprintf(out, 64, "%s", json_object_get_string(v));
    }
    if (!ok)
        fail(path, status, r.body);
    http_response_free(&r);
    return ok ? 0 : -1;
}

static long setting(const char *name, long fallback)
{
    const char *v = getenv(name);
    long n = v ? strtol(v, NULL, 10) : 0;

    return n > 0 ? n : fallback;
}

/* One more lock, claimed by the phone, that the user may open for three years. */
static int add_door(const char *user, const char *phone, char lock[64])
{
    char serial[64], id[64], body[1024], path[128];

    if (call(1, "POST", "/locking-device", "{\"name\":\"Door\"}", 201, "id", lock) != 0 ||
        call(0, "POST", "/hardware/locking-devices", "{\"hardwareModel\":\"PADLOCK\"}", 201,
             "serialNumber", serial) != 0)
        return -1;
    snprintf(path, sizeof(path), "/operating-devices/%s/claim", phone);
    snprintf(body, sizeof(body), "{\"lockingDeviceId\":\"%s\",\"serialNumber\":\"%s\"}", lock,
             serial);
    if (call(0, "POST", path, body, 200, NULL, NULL) != 0)
        return -1;
    snprintf(body, sizeof(body),
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"SINGLE_INTERVAL\",\"start\":\"2030-01-01T00:00:00Z\","
             "\"end\":\"2033-01-01T00:00:00Z\"}",
             user, lock);
    return call(1, "POST", "/permission", body, 201, "id", id);
}

/* A user with an activated phone who claims `count` new locks into locks[]. */
static int add_resident(char (*locks)[64], long count)
{
    char user[64], phone[64], code[64], body[256];

    if (call(1, "POST", "/user", "{\"role\":\"USER\"}", 201, "id", user) != 0)
        return -1;
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\"}", user);
    if (call(1, "POST", "/operating-device-invitation", body, 201, "invitationCode", code) != 0)
        return -1;
    snprintf(body, sizeof(body), "{\"invitationCode\":\"%s\"}", code);
    if (call(0, "POST", "/invitations/accept", body, 201, "operatingDeviceId", phone) != 0)
        return -1;
    for (long i = 0; i < count; i++)
        if (add_door(user, phone, locks[i]) != 0)
            return -1;
    return 0;
}

/* A gateway claimed by its code, associated with locks[0..PER_GATEWAY), powered on. */
static int add_gateway(char locks[][64])
{
    char gateway[64], code[64], id[64], body[256];

    if (call(0, "POST", "/hardware/gateway-devices", NULL, 201, "claimingCode", code) != 0)
        return -1;
    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", code);
    if (call(1, "POST", "/gateway-device", body, 201, "id", gateway) != 0)
        return -1;
    for (size_t i = 0; i < PER_GATEWAY; i++) {
        snprintf(body, sizeof(body), "{\"gatewayDeviceId\":\"%s\",\"lockingDeviceId\":\"%s\"}",
                 gateway, locks[i]);
        if (call(1, "POST", "/gateway-device-association", body, 201, "id", id) != 0)
            return -1;
    }
    snprintf(body, sizeof(body), "/gateway-devices/%s/power-on", gateway);
    return call(0, "POST", body, NULL, 200, NULL, NULL);
}

static int build_site(long users, long locks_total)
{
    char(*locks)[64] = calloc((size_t)locks_total + PER_GATEWAY * GATEWAYS, 64), path[128],
    body[256];
    long done = 0;

    if (locks == NULL || tenant_create(&emu, &t,
                                       "{\"clock\":{\"mode\":\"frozen\","
                                       "\"time\":\"2030-01-01T00:00:00Z\"}}") != 0)
        return fail("POST /systems", 0, NULL);
    /* The locks are shared out among the users as evenly as they go. */
    for (long u = 0; u < users; u++) {
        long count = locks_total / users + (u < locks_total % users);
        if (add_resident(&locks[done], count) != 0)
            return -1;
        done += count;
    }
    for (size_t g = 0; g < GATEWAYS && (long)((g + 1) * PER_GATEWAY) <= done; g++)
        if (add_gateway(&locks[g * PER_GATEWAY]) != 0)
            return -1;
    free(locks);
    snprintf(path, sizeof(path), "/systems/%s/autopilot", t.system_id);
    snprintf(body, sizeof(body),
             "{\"enabled\":true,\"opensPerUserPerDay\":%d,\"batteryEventsPerMonth\":%d}",
             OPENS_PER_DAY, BATTERY_PER_MONTH);
    return call(0, "POST", path, body, 200, NULL, NULL);
}

/* The advance itself, with a timeout long enough for any build; returns the answer. */
static json_object *advance(long days, long *status)
{
    char path[256], body[64];
    struct http_response r;
    json_object *o = NULL;

    snprintf(path, sizeof(path), "/systems/%s/clock/advance", t.system_id);
    snprintf(body, sizeof(body), "{\"by\":\"P%ldD\"}", days);
    *status = control_call_within(&emu, ADVANCE_TIMEOUT_S, "POST", path, body, &r);
    if (*status == 200 && r.json != NULL)
        o = json_object_get(r.json);
    else
        fail("POST .../clock/advance", *status, r.body);
    http_response_free(&r);
    return o;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Runs the shell command the environment variable name holds, if any, with the emulator's
 * pid, URL and the tenant's credentials in its environment. */
static int hook(const char *name)
{
    const char *command = getenv(name);
    char pid[32];

    if (command == NULL || command[0] == '\0')
        return 0;
    snprintf(pid, sizeof(pid), "%ld", (long)emu.pid);
    setenv("EMULATOR_PID", pid, 1);
    setenv("EMULATOR_URL", emu.url, 1);
    setenv("BENCH_API_KEY", t.api_key, 1);
    setenv("BENCH_ADMIN_ID", t.admin_id, 1);
    setenv("BENCH_ACCESS_KEY", t.access_key, 1);
    fflush(stdout);
    return system(command) == 0 ? 0 : fail(name, 0, command);
}

static int measure(long users, long locks, long days)
{
    struct timespec start;
    json_object *o, *now = NULL, *truncated = NULL;
    long status;
    double wall;
    int64_t jobs, events;

    if (hook("BENCH_BEFORE_ADVANCE") != 0)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &start);
    o = advance(days, &status);
    wall = seconds_since(&start);
    if (o == NULL)
        return -1;
    jobs = jint(o, "jobsRun");
    events = jint(o, "eventsEmitted");
    json_object_object_get_ex(o, "now", &now);
    json_object_object_get_ex(o, "truncated", &truncated);
    printf("advance P%ldD in one call: %ld users with phones, %ld claimed locks with permissions, "
           "%d gateways x %d associations, autopilot %d opens/user/day, %d battery events/month\n",
           days, users, locks, GATEWAYS, PER_GATEWAY, OPENS_PER_DAY, BATTERY_PER_MONTH);
    printf("  now            %s%s\n", now ? json_object_get_string(now) : "?",
           truncated && json_object_get_boolean(truncated) ? " (TRUNCATED)" : "");
    printf("  wall seconds   %.3f\n", wall);
    printf("  jobsRun        %lld\n", (long long)jobs);
    printf("  eventsEmitted  %lld\n", (long long)events);
    printf("  jobs/s         %.0f\n", wall > 0 ? (double)jobs / wall : 0.0);
    printf("  events/s       %.0f\n", wall > 0 ? (double)events / wall : 0.0);
    fflush(stdout);
    status = jobs > 0 && events > 0 && !(truncated && json_object_get_boolean(truncated));
    json_object_put(o);
    if (!status)
        return fail("the advance ran nothing or was truncated", 200, NULL);
    return hook("BENCH_AFTER_ADVANCE");
}

int main(void)
{
    const char *args[] = {"--seed", "42", NULL};
    int rc;

    if (emu_start(&emu, args) != 0) {
        fprintf(stderr, "bench_advance: the emulator did not start (see %s)\n", emu.dir);
        return EXIT_FAILURE;
    }
    long users = setting("BENCH_USERS", RESIDENTS), locks = setting("BENCH_LOCKS", users);
    long days = setting("BENCH_DAYS", DAYS);

    rc = build_site(users, locks < users ? users : locks) == 0
             ? measure(users, locks < users ? users : locks, days)
             : -1;
    if (emu_stop(&emu) != 0 && rc == 0)
        rc = fail("the emulator did not stop cleanly", 0, NULL);
    return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
