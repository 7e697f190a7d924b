#include "events/dispatcher.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/curl_api.h"
#include "events/signature.h"
#include "lib/counters.h"
#include "lib/crypto.h"
#include "lib/timefmt.h"
#include "lib/wallclock.h"

#define MAX_INFLIGHT 64
#define HEADS_BATCH 128

/* Seconds of the system's clock between attempt k and k+1. */
static const int64_t backoff[DISPATCHER_MAX_FAILURES - 1] = {30, 300, 1800, 7200, 28800};

struct transfer {
    CURL *easy; /* NULL: the slot is free */
    struct curl_slist *headers;
    char *body;
    int64_t delivery_seq, subscription_seq;
    char system_id[UUID_STR_LEN];
    int64_t attempted_at; /* the system's virtual seconds */
    int64_t started_ns;
};

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void (*pass_listener)(void); /* told after every pass (the server's flush waits) */

static void announce_pass(void)
{
    if (pass_listener != NULL)
        pass_listener();
}
static const struct curl_api *curl; /* loaded with the first pending delivery */
static CURLM *multi;                /* other threads only wake it, under lock */
static pthread_cond_t wake;         /* until then pokes signal this */
static int running, poked;
static struct transfer slots[MAX_INFLIGHT]; /* the dispatcher thread's own */

struct outcome {
    const struct transfer *t;
    const struct webhook_attempt_row *attempt;
};

/* Stores the attempt and what follows from it: delivered, a retry later, or dead. */
static enum status record_tx(struct db *db, void *ctx)
{
    const struct outcome *o = ctx;
    int64_t seq = o->t->delivery_seq, failures = 0, now;
    struct system_row system;
    enum status st = store_webhook_delivery_state(db, seq, &failures);

    if (st == ST_NOT_FOUND)
        return ST_OK; /* unsubscribed while in flight: nothing left to record */
    if (st == ST_OK)
        st = store_system_get(db, o->t->system_id, &system);
    if (st == ST_OK)
        st = store_webhook_attempt_insert(db, seq, o->attempt);
    if (st != ST_OK)
        return st;
    now = clock_virtual_now(&system.clock);
    if (o->attempt->error[0] == '\0')
        return store_webhook_delivery_update(db, seq, "delivered", failures, now);
    if (++failures >= DISPATCHER_MAX_FAILURES)
        return store_webhook_delivery_update(db, seq, "dead", failures, now);
    return store_webhook_delivery_update(db, seq, "pending", failures, now + backoff[failures - 1]);
}

/* While attempts cannot be recorded (a full disk), no new one starts before this instant,
 * and the wait doubles each time up to a bound: an unrecorded delivery stays due, and
 * without the hold the receiver would be sent it again at once, in a loop. */
#define RECORD_BACKOFF_FIRST_MS 500
#define RECORD_BACKOFF_MAX_MS 30000
static int64_t hold_until_ns, backoff_ms;

static void record(struct db *db, const struct transfer *t, const struct webhook_attempt_row *a)
{
    struct outcome o = {t, a};
    enum status st = db_transact(db, record_tx, &o);

    if (st == ST_OK) {
        backoff_ms = 0;
        return;
    }
    /* Unrecorded, the delivery stays pending and due: it goes out again (at least once). */
    backoff_ms = backoff_ms == 0 ? RECORD_BACKOFF_FIRST_MS : backoff_ms * 2;
    if (backoff_ms > RECORD_BACKOFF_MAX_MS)
        backoff_ms = RECORD_BACKOFF_MAX_MS;
    hold_until_ns = clock_monotonic_ns() + backoff_ms * 1000000LL;
    fprintf(stderr,
            "keyless-emulator: webhook attempt not recorded (%s); new attempts wait %lld ms\n",
            status_name(st), (long long)backoff_ms);
}

static void release(struct transfer *t)
{
    if (t->easy != NULL)
        curl->easy_cleanup(t->easy);
    curl->slist_free_all(t->headers);
    free(t->body);
    memset(t, 0, sizeof(*t));
}

static size_t discard(char *ptr, size_t size, size_t n, void *userdata)
{
    (void)ptr;
    (void)userdata;
    return size * n;
}

/* sent_at is the attempt's wall-clock time; the event's own (virtual) time travels in
 * X-Emulator-Event-Time, as the body's datetimes do. */
static enum status add_headers(struct transfer *t, const struct webhook_head_row *h,
                               int64_t sent_at, const char *signature)
{
    char lines[6][200], event_time[TIMEFMT_DATETIME_LEN];
    struct curl_slist *list;

    timefmt_format_datetime(h->occurred_at, event_time);
    snprintf(lines[0], sizeof(lines[0]), "webhook-id: %s", h->event_id);
    snprintf(lines[1], sizeof(lines[1]), "webhook-timestamp: %" PRId64, sent_at);
    snprintf(lines[2], sizeof(lines[2]), "webhook-signature: %s", signature);
    snprintf(lines[3], sizeof(lines[3]), "X-Emulator-Event-Time: %s", event_time);
    snprintf(lines[4], sizeof(lines[4]), "Content-Type: application/json");
    snprintf(lines[5], sizeof(lines[5]), "Expect:"); /* no 100-continue round trip */
    for (size_t i = 0; i < 6; i++) {
        if ((list = curl->slist_append(t->headers, lines[i])) == NULL)
            return ST_NOMEM;
        t->headers = list;
    }
    return ST_OK;
}

static enum status configure(struct transfer *t, const struct webhook_head_row *h)
{
    CURL *e = t->easy;

    curl->easy_setopt(e, CURLOPT_URL, h->url);
    curl->easy_setopt(e, CURLOPT_POST, 1L);
    curl->easy_setopt(e, CURLOPT_POSTFIELDS, t->body);
    curl->easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(t->body));
    curl->easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl->easy_setopt(e, CURLOPT_USERAGENT, "keyless-emulator/" KE_VERSION);
    curl->easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl->easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)DISPATCHER_TIMEOUT_MS);
    curl->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl->easy_setopt(e, CURLOPT_PRIVATE, (void *)t);
    return curl->multi_add_handle(multi, e) == CURLM_OK ? ST_OK : ST_INTERNAL;
}

/* Starts one attempt of head h in slot t; h's body passes to t. The attempt is signed with
 * the wall clock, not the system's: webhook-timestamp is replay protection for this one HTTP
 * request, and stock verifiers refuse one more than 5 minutes from their own wall clock,
 * which a frozen or advanced virtual clock would always be. Each retry is signed anew. */
static void start(struct db *db, struct transfer *t, struct webhook_head_row *h, int64_t now)
{
    char signature[SIGNATURE_LEN];
    int64_t sent_at = clock_wall_now();
    enum status st =
        signature_sign(h->secret, h->event_id, sent_at, h->body, strlen(h->body), signature);

    t->delivery_seq = h->delivery_seq;
    t->subscription_seq = h->subscription_seq;
    snprintf(t->system_id, sizeof(t->system_id), "%s", h->system.id);
    t->attempted_at = now;
    t->started_ns = clock_monotonic_ns();
    if (st == ST_INVALID) { /* cannot happen for secrets the API accepted */
        struct webhook_attempt_row a = {.attempted_at = now};
        snprintf(a.error, sizeof(a.error), "the subscription's secret cannot sign");
        record(db, t, &a);
        release(t);
        return;
    }
    t->body = h->body;
    h->body = NULL;
    if (st != ST_OK || (t->easy = curl->easy_init()) == NULL ||
        add_headers(t, h, sent_at, signature) != ST_OK || configure(t, h) != ST_OK)
        release(t); /* still pending and due: the next pass tries again */
}

static struct transfer *free_slot_for(int64_t subscription_seq)
{
    struct transfer *free_slot = NULL;

    for (size_t i = 0; i < MAX_INFLIGHT; i++) {
        if (slots[i].easy != NULL && slots[i].subscription_seq == subscription_seq)
            return NULL; /* one attempt at a time per subscription keeps the order */
        if (slots[i].easy == NULL && free_slot == NULL)
            free_slot = &slots[i];
    }
    return free_slot;
}

static void start_due(struct db *db)
{
    static struct webhook_head_row heads[HEADS_BATCH];
    size_t n = 0;

    if (clock_monotonic_ns() < hold_until_ns ||
        store_webhook_heads(db, heads, HEADS_BATCH, &n) != ST_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        struct webhook_head_row *h = &heads[i];
        int64_t now = clock_virtual_now(&h->system.clock);
        struct transfer *t;
        if (h->due_at <= now && (t = free_slot_for(h->subscription_seq)) != NULL)
            start(db, t, h, now);
    }
    store_webhook_heads_release(heads, n);
}

/* Records every finished transfer; returns how many finished. */
static int reap(struct db *db)
{
    CURLMsg *msg;
    int left, finished = 0;

    while ((msg = curl->multi_info_read(multi, &left)) != NULL) {
        struct webhook_attempt_row a = {0};
        CURL *easy = msg->easy_handle;
        CURLcode rc = msg->data.result;
        struct transfer *t;
        char *priv = NULL;
        long code = 0;

        if (msg->msg != CURLMSG_DONE)
            continue;
        curl->easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
        curl->easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
        t = (struct transfer *)priv;
        curl->multi_remove_handle(multi, easy);
        a.attempted_at = t->attempted_at;
        a.status_code = (int)code;
        a.latency_ms = (clock_monotonic_ns() - t->started_ns) / 1000000;
        if (rc != CURLE_OK)
            snprintf(a.error, sizeof(a.error), "%s", curl->easy_strerror(rc));
        else if (code < 200 || code > 299)
            snprintf(a.error, sizeof(a.error), "the receiver answered %ld", code);
        metrics_count_delivery(rc != CURLE_OK       ? METRICS_UNREACHABLE
                               : a.error[0] == '\0' ? METRICS_DELIVERED
                                                    : METRICS_REJECTED);
        record(db, t, &a);
        release(t);
        finished++;
    }
    return finished;
}

static int take_poke(void)
{
    int p;

    pthread_mutex_lock(&lock);
    p = poked;
    poked = 0;
    pthread_mutex_unlock(&lock);
    return p;
}

static int keep_running(void)
{
    int r;

    pthread_mutex_lock(&lock);
    r = running;
    pthread_mutex_unlock(&lock);
    return r;
}

/* libcurl is loaded here, in this thread, when the first delivery is pending: its
 * libraries and initialisation (OpenSSL's among it) cost a run that sends no webhook
 * nothing. */
static CURLM *start_curl(void)
{
    CURLM *m = NULL;

    if ((curl = curl_api_load()) != NULL && (m = curl->multi_init()) == NULL)
        fprintf(stderr, "keyless-emulator: webhook dispatcher cannot start libcurl\n");
    pthread_mutex_lock(&lock);
    multi = m;
    pthread_mutex_unlock(&lock);
    return m;
}

static void stop_curl(void)
{
    for (size_t i = 0; i < MAX_INFLIGHT; i++) {
        if (slots[i].easy != NULL)
            curl->multi_remove_handle(multi, slots[i].easy);
        release(&slots[i]);
    }
    pthread_mutex_lock(&lock);
    curl->multi_cleanup(multi);
    multi = NULL;
    pthread_mutex_unlock(&lock);
    curl->global_cleanup(); /* the thread stops only when the process ends */
}

/* Before any delivery is pending: a pass is one look at the deliveries table, every tick
 * or when poked. Returns when one is pending (1) or the thread must stop (0). */
static int wait_for_first_delivery(struct db *db)
{
    struct timespec deadline;
    int pending = 0;

    while (keep_running()) {
        if (store_webhook_any_pending(db, &pending) == ST_OK && pending)
            return 1;
        announce_pass();
        clock_deadline_after_ms(DISPATCHER_TICK_MS, &deadline);
        pthread_mutex_lock(&lock);
        while (running && !poked && pthread_cond_timedwait(&wake, &lock, &deadline) == 0)
            ;
        poked = 0;
        pthread_mutex_unlock(&lock);
    }
    return 0;
}

static void *dispatcher_main(void *arg)
{
    struct db *db = db_thread();
    int64_t last_pass = 0;
    int again = 1, active = 0;

    (void)arg;
    if (db == NULL)
        fprintf(stderr, "keyless-emulator: webhook dispatcher has no database connection\n");
    if (db == NULL || !wait_for_first_delivery(db) || start_curl() == NULL)
        return NULL;
    while (keep_running()) {
        int64_t now_ns = clock_monotonic_ns();
        if (again || take_poke() || now_ns - last_pass >= DISPATCHER_TICK_MS * 1000000LL) {
            start_due(db);
            last_pass = now_ns;
        }
        curl->multi_perform(multi, &active);
        again = reap(db) > 0; /* a subscription's next event may go at once */
        announce_pass();
        curl->multi_poll(multi, NULL, 0, again ? 0 : DISPATCHER_TICK_MS, NULL);
    }
    stop_curl();
    return NULL;
}

enum status dispatcher_start(void)
{
    pthread_condattr_t attr;

    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&wake, &attr);
    pthread_condattr_destroy(&attr);
    running = 1;
    if (pthread_create(&thread, NULL, dispatcher_main, NULL) != 0) {
        running = 0;
        return ST_INTERNAL;
    }
    return ST_OK;
}

void dispatcher_stop(void)
{
    pthread_mutex_lock(&lock);
    if (!running) {
        pthread_mutex_unlock(&lock);
        return;
    }
    running = 0;
    if (multi != NULL)
        curl->multi_wakeup(multi);
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
}

void dispatcher_poke(void)
{
    pthread_mutex_lock(&lock);
    poked = 1;
    if (running && multi != NULL)
        curl->multi_wakeup(multi);
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}

void dispatcher_on_pass(void (*listener)(void))
{
    pass_listener = listener;
}

enum status dispatcher_settled(struct db *db, const char *system_id, struct webhook_summary *out,
                               int *settled)
{
    struct system_row system;
    enum status st = store_system_get(db, system_id, &system);

    *settled = 0;
    if (st == ST_OK)
        st = store_webhook_summary(db, system_id, clock_virtual_now(&system.clock), out);
    if (st == ST_OK)
        *settled = out->due_now == 0;
    return st;
}
