/*
 * test_parking.c — connections that wait hold no worker thread (src/http/parking.c).
 *
 * The emulator runs with two worker threads, as on the project's 2-core machine. With the
 * waits in the handlers, two long polls froze every other call; here a hundred event streams
 * and ten long polls stay open while the API answers every call, all of them are woken by
 * one commit, the ones whose clients hang up are reaped, and a stop ends them all. What the
 * stream says, event by event, is checked with a stock EventSource client in
 * tests/contract/stream.js.
 */
#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "receiver.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

#define STREAMS 100
#define LONG_POLLS 10
#define STREAM_PATH_FMT "/_emulator/v1/systems/%s/events/stream"
#define LONG_POLL_FMT "/_emulator/v1/systems/%s/events?type=UserCreated&after=%s&wait=30"

static const char *const two_workers[] = {"--threads", "2", NULL};

struct waiters {
    int streams[STREAMS];
    int polls[LONG_POLLS];
    struct raw_answer answer; /* reused: one connection read at a time */
};

static struct waiters *w;

static void setup(void)
{
    emu_setup_with(two_workers);
    w = calloc(1, sizeof(*w));
}

static void close_all(int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fds[i] > 0) {
            close(fds[i]);
            fds[i] = -1;
        }
}

static void teardown(void)
{
    close_all(w->streams, STREAMS);
    close_all(w->polls, LONG_POLLS);
    free(w);
    emu_teardown();
}

static double gauge(const char *name)
{
    char *text = metrics_scrape(&emu);
    double v = metrics_sample(text, name);

    free(text);
    return v;
}

/* Waits up to 5 s for a gauge to read want. */
static void expect_gauge(const char *name, double want)
{
    double v = -1;

    for (int i = 0; i < 100 && (v = gauge(name)) != want; i++)
        sleep_ms(50);
    ck_assert_msg(v == want, "%s is %g, want %g", name, v, want);
}

/* Reads one connection until needle, from a fresh answer buffer. */
static void expect_read(int fd, const char *needle, long timeout_ms, const char *what)
{
    memset(&w->answer, 0, sizeof(w->answer));
    ck_assert_msg(raw_read_until(fd, &w->answer, needle, timeout_ms),
                  "%s: no '%s' within %ld ms; got: %.300s", what,
                  needle != NULL ? needle : "the end", timeout_ms, w->answer.data);
}

/* The id of the last event of t's system, for long polls that wait for what comes after. */
static void last_event_id(const struct tenant *t, char id[64])
{
    char path[160];
    json_object *page, *items;

    snprintf(path, sizeof(path), "/systems/%s/events?limit=100", t->system_id);
    page = control("GET", path, NULL, 200);
    items = member(page, "items");
    ck_assert_int_gt(json_object_array_length(items), 0);
    snprintf(
        id, 64, "%s",
        jstr(json_object_array_get_idx(items, json_object_array_length(items) - 1), "eventId"));
    json_object_put(page);
}

/* Opens the streams and the long polls on t's system; each stream has answered its first
 * bytes (the headers and the retry hint) before the next one opens. */
static void open_waiters(const struct tenant *t)
{
    char stream_path[160], poll_path[256], after[64];

    snprintf(stream_path, sizeof(stream_path), STREAM_PATH_FMT, t->system_id);
    last_event_id(t, after);
    snprintf(poll_path, sizeof(poll_path), LONG_POLL_FMT, t->system_id, after);
    for (int i = 0; i < STREAMS; i++) {
        w->streams[i] = raw_request(&emu, "GET", stream_path, NULL);
        ck_assert_int_ge(w->streams[i], 0);
        expect_read(w->streams[i], "retry: 3000", 2000, "stream opening");
    }
    for (int i = 0; i < LONG_POLLS; i++) {
        w->polls[i] = raw_request(&emu, "GET", poll_path, NULL);
        ck_assert_int_ge(w->polls[i], 0);
    }
    expect_gauge("keyless_emulator_event_streams", STREAMS);
    expect_gauge("keyless_emulator_waiting_connections", STREAMS + LONG_POLLS);
}

START_TEST(api_answers_while_streams_and_long_polls_wait)
{
    struct tenant t, other;
    char user[64];

    ck_assert(emu_ok);
    new_tenant(&t);
    open_waiters(&t);
    /* Every kind of call still answers, on both workers, while 110 connections wait. */
    for (int i = 0; i < 20; i++) {
        ck_assert_int_eq(control_status(&emu, "GET", "/health", NULL), 200);
        ck_assert_int_eq(admin_status(&emu, &t, "GET", "/user", NULL), 200);
    }
    new_tenant(&other);
    new_user(&other, user);
    ck_assert_int_eq(control_status(&emu, "GET", "/systems", NULL), 200);
    /* The other system's event woke them; none of its events reached t's waiters. */
    for (int i = 0; i < LONG_POLLS; i++) {
        struct pollfd p = {w->polls[i], POLLIN, 0};
        ck_assert_msg(poll(&p, 1, 0) == 0, "long poll %d answered another system's event", i);
    }
    expect_gauge("keyless_emulator_waiting_connections", STREAMS + LONG_POLLS);
}
END_TEST

START_TEST(one_commit_wakes_every_waiter_within_a_second)
{
    struct tenant t;
    char user[64], id_line[80];
    double start;

    ck_assert(emu_ok);
    new_tenant(&t);
    open_waiters(&t);
    start = now_ms();
    new_user(&t, user);
    for (int i = 0; i < STREAMS; i++) {
        snprintf(id_line, sizeof(id_line), "\"userId\":\"%s\"", user);
        expect_read(w->streams[i], id_line, 1000, "stream after the commit");
        ck_assert_ptr_nonnull(strstr(w->answer.data, "event: UserCreated\n"));
    }
    for (int i = 0; i < LONG_POLLS; i++) {
        expect_read(w->polls[i], user, 1000, "long poll after the commit");
        ck_assert_ptr_nonnull(strstr(w->answer.data, "HTTP/1.1 200"));
    }
    ck_assert_msg(now_ms() - start < 1000 * 2, "waking every waiter took %.0f ms",
                  now_ms() - start);
}
END_TEST

START_TEST(clients_that_hang_up_are_reaped)
{
    struct tenant t;

    ck_assert(emu_ok);
    new_tenant(&t);
    open_waiters(&t);
    /* Suspended connections are not polled by libmicrohttpd: the parking timer notices. */
    close_all(w->streams, STREAMS / 2);
    close_all(w->polls, LONG_POLLS);
    expect_gauge("keyless_emulator_event_streams", STREAMS / 2);
    expect_gauge("keyless_emulator_waiting_connections", STREAMS / 2);
    close_all(w->streams + STREAMS / 2, STREAMS / 2);
    expect_gauge("keyless_emulator_event_streams", 0);
    expect_gauge("keyless_emulator_waiting_connections", 0);
}
END_TEST

START_TEST(stop_ends_every_stream_and_long_poll)
{
    struct tenant t;
    double start;
    int status;

    ck_assert(emu_ok);
    new_tenant(&t);
    open_waiters(&t);
    start = now_ms();
    kill(emu.pid, SIGTERM);
    for (int i = 0; i < STREAMS; i++) {
        expect_read(w->streams[i], "event: end\ndata: {\"reason\":\"shutdown\"}\n\n", 3000,
                    "stream at shutdown");
        expect_read(w->streams[i], NULL, 3000, "stream closing");
    }
    for (int i = 0; i < LONG_POLLS; i++)
        expect_read(w->polls[i], "\"items\":[]", 3000, "long poll at shutdown");
    ck_assert_int_eq(waitpid(emu.pid, &status, 0), emu.pid);
    emu.pid = 0;
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
    ck_assert_msg(now_ms() - start < 3000, "the stop took %.0f ms", now_ms() - start);
}
END_TEST

/* A receiver that takes its time: each delivery is in flight for two seconds. */
static unsigned slow_receiver(struct MHD_Connection *c, const char *url, const char *body,
                              size_t len, unsigned *delay_ms)
{
    (void)c, (void)url, (void)body, (void)len;
    *delay_ms = 2000;
    return 204;
}

START_TEST(flushes_wait_parked)
{
    struct receiver rx;
    struct tenant t;
    char path[160], body[256], user[64];
    int flushes[4];

    ck_assert(emu_ok);
    receiver_start(&rx, slow_receiver);
    new_tenant(&t);
    snprintf(path, sizeof(path), "/systems/%s/webhook-subscriptions", t.system_id);
    snprintf(body, sizeof(body),
             "{\"url\":\"http://127.0.0.1:%u/hook\",\"eventTypes\":"
             "[\"UserCreated\"]}",
             rx.port);
    json_object_put(control("POST", path, body, 201));
    new_user(&t, user);
    /* More flushes than workers wait for the delivery in flight; the API answers meanwhile. */
    snprintf(path, sizeof(path), "/_emulator/v1/systems/%s/webhooks/flush", t.system_id);
    for (size_t i = 0; i < COUNT_OF(flushes); i++)
        ck_assert_int_ge(flushes[i] = raw_request(&emu, "POST", path, NULL), 0);
    sleep_ms(200);
    for (int i = 0; i < 10; i++) {
        double start = now_ms();
        ck_assert_int_eq(control_status(&emu, "GET", "/health", NULL), 200);
        ck_assert_msg(now_ms() - start < 1000, "health took %.0f ms behind waiting flushes",
                      now_ms() - start);
    }
    for (size_t i = 0; i < COUNT_OF(flushes); i++) {
        expect_read(flushes[i], "\"delivered\":1", 10000, "flush");
        close(flushes[i]);
    }
    receiver_stop(&rx);
}
END_TEST

START_TEST(a_silent_stream_sends_heartbeats)
{
    struct tenant t;
    char path[160];
    double start;
    int fd;

    ck_assert(emu_ok);
    new_tenant(&t);
    snprintf(path, sizeof(path), STREAM_PATH_FMT, t.system_id);
    ck_assert_int_ge(fd = raw_request(&emu, "GET", path, NULL), 0);
    expect_read(fd, "retry: 3000", 2000, "stream opening");
    start = now_ms();
    expect_read(fd, "\n: heartbeat\n\n", 17000, "heartbeat");
    ck_assert_msg(now_ms() - start > 14000, "a heartbeat after %.0f ms of silence",
                  now_ms() - start);
    close(fd);
}
END_TEST

static Suite *parking_suite(void)
{
    Suite *s = suite_create("parking");
    TCase *tc = tcase_create("waiting connections");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, api_answers_while_streams_and_long_polls_wait);
    tcase_add_test(tc, one_commit_wakes_every_waiter_within_a_second);
    tcase_add_test(tc, clients_that_hang_up_are_reaped);
    tcase_add_test(tc, stop_ends_every_stream_and_long_poll);
    tcase_add_test(tc, flushes_wait_parked);
    tcase_add_test(tc, a_silent_stream_sends_heartbeats);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(parking_suite());
}
