/*
 * test_webhooks_crash.c — at least once across SIGKILL (DESIGN.md §6): an event whose change
 * was acknowledged reaches the receiver even when the process is killed at any moment and
 * restarted on the same database.
 *
 * A client thread creates users as fast as it can, remembering each one acknowledged with
 * 201; the emulator is killed with SIGKILL after a different delay in each round (so the
 * kill lands before, during and after fan-out and deliveries), restarted on the same file,
 * and flushed. Then every acknowledged user's UserCreated must have reached the receiver at
 * least once (duplicates are allowed and deduplicated by webhook-id), correctly signed.
 */
#include <check.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "receiver.h"

#define MAX_USERS 20000
#define MAX_GOT 40000

/* ---- a receiver that remembers (webhook-id, userId) --------------------------------------- */

struct got {
    char id[40];
    char user[40];
};

static struct {
    struct receiver server;
    pthread_mutex_t lock;
    char secret[128];
    struct got got[MAX_GOT];
    size_t n, unverified, other;
} rx = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The receiver's callback: remembers a verified UserCreated and answers 204 after a little
 * time in flight, so that kills land mid-delivery too. */
static unsigned record(struct MHD_Connection *c, const char *url, const char *body, size_t len,
                       unsigned *delay_ms)
{
    const char *id = receiver_header(c, "webhook-id");
    const char *ts = receiver_header(c, "webhook-timestamp");
    const char *sig = receiver_header(c, "webhook-signature");
    json_object *o = json_tokener_parse(body), *type = NULL, *user = NULL;

    (void)url, (void)len;
    pthread_mutex_lock(&rx.lock);
    if (id == NULL || ts == NULL || !webhook_signature_ok(rx.secret, id, ts, body, sig))
        rx.unverified++;
    else if (!json_object_object_get_ex(o, "eventType", &type) ||
             strcmp(json_object_get_string(type), "UserCreated") != 0 ||
             !json_object_object_get_ex(o, "userId", &user))
        rx.other++;
    else if (rx.n < MAX_GOT) {
        snprintf(rx.got[rx.n].id, sizeof(rx.got[rx.n].id), "%s", id);
        snprintf(rx.got[rx.n].user, sizeof(rx.got[rx.n].user), "%s", json_object_get_string(user));
        rx.n++;
    }
    pthread_mutex_unlock(&rx.lock);
    json_object_put(o);
    *delay_ms = 1;
    return 204;
}

static void rx_start(void)
{
    receiver_start(&rx.server, record);
}

static int received(const char *user)
{
    int found = 0;

    pthread_mutex_lock(&rx.lock);
    for (size_t i = 0; i < rx.n && !found; i++)
        found = strcmp(rx.got[i].user, user) == 0;
    pthread_mutex_unlock(&rx.lock);
    return found;
}

/* Distinct webhook-ids received. */
static size_t distinct_ids(void)
{
    size_t distinct = 0;

    pthread_mutex_lock(&rx.lock);
    for (size_t i = 0; i < rx.n; i++) {
        size_t j = 0;
        while (j < i && strcmp(rx.got[j].id, rx.got[i].id) != 0)
            j++;
        distinct += j == i;
    }
    pthread_mutex_unlock(&rx.lock);
    return distinct;
}

/* ---- the client that keeps creating users ------------------------------------------------ */

static struct {
    struct emu *emu;
    struct tenant *tenant;
    char users[MAX_USERS][40]; /* acknowledged with 201 */
    size_t n;
} acked;

static void *create_until_killed(void *arg)
{
    struct http_response r;

    (void)arg;
    while (acked.n < MAX_USERS) {
        long status =
            admin_call(acked.emu, acked.tenant, "POST", "/user", "{\"role\":\"USER\"}", &r);
        if (status == 201 && json_str(&r, "id") != NULL)
            snprintf(acked.users[acked.n++], sizeof(acked.users[0]), "%s", json_str(&r, "id"));
        http_response_free(&r);
        if (status != 201)
            break; /* the process is gone */
    }
    return NULL;
}

/* Flushes until nothing is due (a 503 means still busy after 30 s: ask again). */
static void flush_all(struct emu *e, const struct tenant *t)
{
    struct http_response r;
    char path[256];
    long status = 0;

    snprintf(path, sizeof(path), "/systems/%s/webhooks/flush", t->system_id);
    for (int i = 0; i < 10 && status != 200; i++) {
        status = control_call(e, "POST", path, NULL, &r);
        if (status == 200) {
            json_object *v;
            ck_assert(json_object_object_get_ex(r.json, "pending", &v));
            ck_assert_int_eq(json_object_get_int64(v), 0);
            ck_assert(json_object_object_get_ex(r.json, "dead", &v));
            ck_assert_int_eq(json_object_get_int64(v), 0);
        }
        http_response_free(&r);
    }
    ck_assert_int_eq(status, 200);
}

/* Acknowledged users whose event has not arrived (yet). */
static size_t not_received(void)
{
    size_t missing = 0;

    for (size_t i = 0; i < acked.n; i++)
        if (!received(acked.users[i]))
            missing++;
    return missing;
}

static void assert_all_received(size_t round)
{
    size_t missing = not_received();

    ck_assert_msg(missing == 0, "round %zu: %zu of %zu acknowledged users never delivered", round,
                  missing, acked.n);
    ck_assert_uint_eq(rx.unverified, 0);
    ck_assert_uint_eq(rx.other, 0);
}

START_TEST(acknowledged_events_survive_sigkill)
{
    /* Milliseconds between restart and SIGKILL, one round each, all on one database. */
    static const long kill_after_ms[] = {0, 5, 40, 120, 300, 700, 1500, 13, 77, 190, 450, 33};
    const char *args[] = {"--db", NULL, NULL};
    struct emu e;
    struct tenant t;
    struct http_response r;
    char db[300], path[256], body[256];
    pthread_t client;
    size_t recovered = 0; /* acknowledged but not delivered when the process died */

    rx_start();
    ck_assert_int_eq(emu_start(&e, NULL), 0);
    emu_stop(&e);
    snprintf(db, sizeof(db), "%s/crash.db", e.dir);
    args[1] = db;
    ck_assert_int_eq(emu_restart(&e, args), 0);
    ck_assert_int_eq(tenant_create(&e, &t, NULL), 0);
    snprintf(path, sizeof(path), "/systems/%s/webhook-subscriptions", t.system_id);
    snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%u/crash\"}", rx.server.port);
    ck_assert_int_eq(control_call(&e, "POST", path, body, &r), 201);
    snprintf(rx.secret, sizeof(rx.secret), "%s", json_str(&r, "secret"));
    http_response_free(&r);
    acked.emu = &e;
    acked.tenant = &t;

    for (size_t round = 0; round < sizeof(kill_after_ms) / sizeof(kill_after_ms[0]); round++) {
        size_t before = acked.n;
        pthread_create(&client, NULL, create_until_killed, NULL);
        sleep_ms(kill_after_ms[round]);
        emu_kill(&e);
        pthread_join(client, NULL);
        size_t pending = not_received();
        recovered += pending;
        ck_assert_int_eq(emu_restart(&e, args), 0);
        flush_all(&e, &t);
        assert_all_received(round);
        fprintf(stderr,
                "round %zu: killed after %ld ms, %zu users acknowledged, %zu undelivered"
                " at the kill\n",
                round, kill_after_ms[round], acked.n - before, pending);
    }
    ck_assert_uint_gt(acked.n, 0);
    ck_assert_uint_gt(recovered, 0); /* the restarts really had something to catch up */
    ck_assert_uint_ge(distinct_ids(), acked.n);
    ck_assert_int_eq(emu_stop(&e), 0);
    receiver_stop(&rx.server);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("webhooks_crash");
    TCase *tc = tcase_create("sigkill");

    tcase_set_timeout(tc, 280);
    tcase_add_test(tc, acknowledged_events_survive_sigkill);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
