/*
 * test_crash.c — nothing acknowledged is lost when the process dies.
 *
 * Several client threads, working for two systems, create and delete users as fast as
 * they can (each write emits an event: UserCreated, UserDeleted). At a random moment the
 * emulator gets SIGKILL; it is restarted on the same database file, and every write that
 * was acknowledged (201 or 204 reached the client) must be there, and its event must be
 * in the system's event log exactly once. Four kill points in a row, each checking all the
 * writes acknowledged so far. The kill moments come from a seed printed at the start
 * (KE_CRASH_SEED=N repeats a run).
 */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define SYSTEMS 2
#define CLIENTS 6
#define ROUNDS 4
#define MAX_WRITES 20000

static char db_arg[320];
static const char *args[] = {"--db", db_arg, NULL};
static struct tenant tenants[SYSTEMS];

/* What one client saw acknowledged, over all rounds. */
struct client {
    pthread_t thread;
    const struct tenant *t;
    size_t ncreated, ndeleted, next_delete;
    char (*created)[40];
    char (*deleted)[40];
    unsigned char *uncertain; /* per created user: its delete died with the server */
    long unexpected;          /* a status that is neither success nor a dead connection */
    char unexpected_body[256];
};

static struct client clients[CLIENTS];
static uint64_t rng_state;

static uint64_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- the writers ------------------------------------------------------------------------ */

/* Creates users, and deletes one of its own every third step, until the server is gone. */
static void *write_until_killed(void *arg)
{
    struct client *c = arg;
    struct http_response r;
    char path[128];

    for (unsigned step = 0; c->ncreated < MAX_WRITES; step++) {
        int deleting = step % 3 == 2 && c->next_delete < c->ncreated;
        long status;
        if (deleting) {
            snprintf(path, sizeof(path), "/user/%s", c->created[c->next_delete]);
            status = admin_call(&emu, c->t, "DELETE", path, NULL, &r);
        } else {
            status = admin_call(&emu, c->t, "POST", "/user", "{\"role\":\"USER\"}", &r);
        }
        if (status == 0) { /* the server died mid-request or before it */
            if (deleting)  /* done or not: never asked again, never checked */
                c->uncertain[c->next_delete++] = 1;
            http_response_free(&r);
            return NULL;
        }
        if (deleting && status == 204) {
            snprintf(c->deleted[c->ndeleted++], 40, "%s", c->created[c->next_delete++]);
        } else if (!deleting && status == 201 && json_str(&r, "id") != NULL) {
            snprintf(c->created[c->ncreated++], 40, "%s", json_str(&r, "id"));
        } else {
            c->unexpected = status;
            snprintf(c->unexpected_body, sizeof(c->unexpected_body), "%s", r.body);
            http_response_free(&r);
            return NULL;
        }
        http_response_free(&r);
    }
    return NULL;
}

/* ---- what must be there after a restart ------------------------------------------------ */

struct event_log {
    size_t n;
    char (*type)[40];
    char (*user)[40];
    char (*id)[40];
};

static void read_events(const struct tenant *t, struct event_log *log)
{
    char path[512], token[256] = "";
    size_t cap = 1024;

    memset(log, 0, sizeof(*log));
    log->type = malloc(cap * sizeof(*log->type));
    log->user = malloc(cap * sizeof(*log->user));
    log->id = malloc(cap * sizeof(*log->id));
    for (;;) {
        struct http_response r;
        json_object *items;
        if (token[0] != '\0')
            snprintf(path, sizeof(path), "/systems/%s/events?limit=100&next-page-token=%s",
                     t->system_id, token);
        else
            snprintf(path, sizeof(path), "/systems/%s/events?limit=100", t->system_id);
        ck_assert_int_eq(control_call(&emu, "GET", path, NULL, &r), 200);
        ck_assert(json_object_object_get_ex(r.json, "items", &items));
        for (size_t i = 0; i < json_object_array_length(items); i++) {
            json_object *e = json_object_array_get_idx(items, i), *v;
            if (log->n == cap) {
                cap *= 2;
                log->type = realloc(log->type, cap * sizeof(*log->type));
                log->user = realloc(log->user, cap * sizeof(*log->user));
                log->id = realloc(log->id, cap * sizeof(*log->id));
            }
            snprintf(log->type[log->n], 40, "%s",
                     json_object_object_get_ex(e, "eventType", &v) ? json_object_get_string(v)
                                                                   : "");
            snprintf(log->user[log->n], 40, "%s",
                     json_object_object_get_ex(e, "userId", &v) ? json_object_get_string(v) : "");
            snprintf(log->id[log->n], 40, "%s",
                     json_object_object_get_ex(e, "eventId", &v) ? json_object_get_string(v) : "");
            log->n++;
        }
        const char *next = json_str(&r, "nextPageToken");
        snprintf(token, sizeof(token), "%s", next ? next : "");
        http_response_free(&r);
        if (token[0] == '\0')
            return;
    }
}

static void event_log_release(struct event_log *log)
{
    free(log->type);
    free(log->user);
    free(log->id);
}

static size_t count_events(const struct event_log *log, const char *type, const char *user)
{
    size_t n = 0;

    for (size_t i = 0; i < log->n; i++)
        n += strcmp(log->type[i], type) == 0 && strcmp(log->user[i], user) == 0;
    return n;
}

static int was_deleted(const struct client *c, const char *id)
{
    for (size_t i = 0; i < c->ndeleted; i++)
        if (strcmp(c->deleted[i], id) == 0)
            return 1;
    return 0;
}

static void verify_client(const struct client *c, const struct event_log *log)
{
    struct http_response r;
    char path[128];

    ck_assert_msg(c->unexpected == 0, "a client got %ld: %s", c->unexpected, c->unexpected_body);
    for (size_t i = 0; i < c->ncreated; i++) {
        int gone = was_deleted(c, c->created[i]);
        snprintf(path, sizeof(path), "/user/%s", c->created[i]);
        admin_call(&emu, c->t, "GET", path, NULL, &r);
        ck_assert_msg(c->uncertain[i] || r.status == (gone ? 404 : 200),
                      "acknowledged %s of %s: GET is %ld", gone ? "delete" : "create",
                      c->created[i], r.status);
        http_response_free(&r);
        ck_assert_msg(count_events(log, "UserCreated", c->created[i]) == 1,
                      "UserCreated of %s: %zu events", c->created[i],
                      count_events(log, "UserCreated", c->created[i]));
    }
    for (size_t i = 0; i < c->ndeleted; i++)
        ck_assert_msg(count_events(log, "UserDeleted", c->deleted[i]) == 1,
                      "UserDeleted of %s: %zu events", c->deleted[i],
                      count_events(log, "UserDeleted", c->deleted[i]));
}

static void assert_event_ids_unique(const struct event_log *log)
{
    for (size_t i = 0; i < log->n; i++)
        for (size_t j = i + 1; j < log->n; j++)
            ck_assert_msg(strcmp(log->id[i], log->id[j]) != 0, "event %s listed twice", log->id[i]);
}

static void verify_all(size_t *acknowledged)
{
    *acknowledged = 0;
    for (size_t s = 0; s < SYSTEMS; s++) {
        struct event_log log;
        read_events(&tenants[s], &log);
        assert_event_ids_unique(&log);
        for (size_t i = 0; i < CLIENTS; i++)
            if (clients[i].t == &tenants[s]) {
                verify_client(&clients[i], &log);
                *acknowledged += clients[i].ncreated + clients[i].ndeleted;
            }
        event_log_release(&log);
    }
}

/* ---- the test --------------------------------------------------------------------------- */

static void setup(void)
{
    const char *given = getenv("KE_CRASH_SEED");
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    rng_state = given ? strtoull(given, NULL, 10) : (uint64_t)ts.tv_nsec ^ (uint64_t)getpid();
    if (rng_state == 0)
        rng_state = 1;
    fprintf(stderr, "test_crash: KE_CRASH_SEED=%llu\n", (unsigned long long)rng_state);
    memset(&emu, 0, sizeof(emu));
    for (size_t i = 0; i < CLIENTS; i++) {
        clients[i].created = calloc(MAX_WRITES, sizeof(*clients[i].created));
        clients[i].deleted = calloc(MAX_WRITES, sizeof(*clients[i].deleted));
        clients[i].uncertain = calloc(MAX_WRITES, 1);
        ck_assert(clients[i].created && clients[i].deleted && clients[i].uncertain);
    }
}

static void teardown(void)
{
    emu_kill(&emu); /* only does something when a failed test left it running */
    for (size_t i = 0; i < CLIENTS; i++) {
        free(clients[i].created);
        free(clients[i].deleted);
        free(clients[i].uncertain);
    }
}

START_TEST(acknowledged_writes_and_their_events_survive_sigkill)
{
    ck_assert_int_eq(emu_start_file(&emu, "crash.db", db_arg, sizeof(db_arg)), 0);
    for (size_t s = 0; s < SYSTEMS; s++)
        ck_assert_int_eq(tenant_create(&emu, &tenants[s], FROZEN_AT("2030-01-01T00:00:00Z")), 0);
    for (size_t i = 0; i < CLIENTS; i++)
        clients[i].t = &tenants[i % SYSTEMS];

    for (int round = 0; round < ROUNDS; round++) {
        long kill_after = 100 + (long)(next_random() % 700);
        size_t acknowledged;
        for (size_t i = 0; i < CLIENTS; i++)
            ck_assert_int_eq(
                pthread_create(&clients[i].thread, NULL, write_until_killed, &clients[i]), 0);
        sleep_ms(kill_after);
        emu_kill(&emu);
        for (size_t i = 0; i < CLIENTS; i++)
            pthread_join(clients[i].thread, NULL);
        ck_assert_int_eq(emu_restart(&emu, args), 0);
        verify_all(&acknowledged);
        fprintf(stderr,
                "test_crash: round %d: killed after %ld ms; %zu acknowledged writes "
                "checked\n",
                round + 1, kill_after, acknowledged);
        ck_assert_uint_gt(acknowledged, (size_t)round * 10);
    }
    ck_assert_int_eq(emu_stop(&emu), 0);
}
END_TEST

static Suite *crash_suite(void)
{
    Suite *s = suite_create("crash");
    TCase *tc = tcase_create("sigkill");

    tcase_set_timeout(tc, 240);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, acknowledged_writes_and_their_events_survive_sigkill);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* No fork: threads, and a teardown that stops the server. */
    return run_suite_nofork(crash_suite());
}
