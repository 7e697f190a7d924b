#include "control/webhooks.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/dispatcher.h"
#include "events/event_types.h"
#include "events/signature.h"
#include "http/paging.h"
#include "lib/crypto.h"
#include "lib/timefmt.h"
#include "sim/clock.h"
#include "store/webhooks.h"

#define FLUSH_TIMEOUT_MS 30000
#define MAX_TYPES 64
#define ATTEMPTS_SHOWN 100
#define SECRET_BYTES 24

static const char *const statuses[] = {"pending", "delivered", "dead", NULL};

static enum status load_system(struct request *req)
{
    return store_system_get(req->db, request_param(req, "system-id"), &req->system);
}

static void add_datetime(json_object *o, const char *name, int64_t t)
{
    char text[TIMEFMT_DATETIME_LEN];

    timefmt_format_datetime(t, text);
    json_object_object_add(o, name, json_object_new_string(text));
}

/* ",A,B," back to ["A", "B"]. */
static json_object *render_types(const char *stored)
{
    json_object *a = json_object_new_array();
    const char *p = stored + 1;

    for (const char *end; a != NULL && *p != '\0' && (end = strchr(p, ',')) != NULL; p = end + 1)
        json_object_array_add(a, json_object_new_string_len(p, (int)(end - p)));
    return a;
}

static json_object *render_subscription(const void *row)
{
    const struct webhook_subscription_row *s = row;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_string(s->id));
    json_object_object_add(o, "url", json_object_new_string(s->url));
    if (s->event_types[0] != '\0')
        json_object_object_add(o, "eventTypes", render_types(s->event_types));
    json_object_object_add(o, "secret", json_object_new_string(s->secret));
    add_datetime(o, "creationDatetime", s->created_at);
    return o;
}

/* Checks the filter and stores it as ",A,B," (each type once), which the dispatcher
 * matches with one instr(). */
static void check_types(struct request *req, json_object *types, char *out, size_t cap)
{
    size_t n = json_object_array_length(types), used = 1;

    if (n == 0 || n > MAX_TYPES) {
        problem_invalid(&req->problem, "eventTypes", "must list 1 to %d event types", MAX_TYPES);
        return;
    }
    snprintf(out, cap, ",");
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(types, i);
        const char *name = json_object_get_string(v);
        char item[80], name_at[32];
        snprintf(name_at, sizeof(name_at), "eventTypes/%zu", i);
        if (!json_object_is_type(v, json_type_string) || !event_type_known(name)) {
            problem_invalid(&req->problem, name_at, "must be an event type of the platform");
            continue;
        }
        snprintf(item, sizeof(item), ",%s,", name);
        if (strstr(out, item) == NULL && used + strlen(name) + 1 < cap)
            used += (size_t)snprintf(out + used, cap - used, "%s,", name);
    }
}

struct subscribe_in {
    const char *url;
    json_object *event_types;
    const char *secret;
    struct webhook_subscription_row row;
};

static enum status check_subscription(struct request *req, struct subscribe_in *in)
{
    static const struct spec_field fields[] = {
        {"url", SPEC_URL, SPEC_REQUIRED, 0, WEBHOOK_URL_MAX, NULL,
         offsetof(struct subscribe_in, url)},
        {"eventTypes", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct subscribe_in, event_types)},
        {"secret", SPEC_STRING, 0, 1, WEBHOOK_SECRET_MAX, NULL,
         offsetof(struct subscribe_in, secret)},
    };
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), in, NULL);

    /* Every bad field is reported, so the checks below run even when decoding failed. */
    if (st != ST_OK && st != ST_INVALID)
        return st;
    if (in->event_types != NULL)
        check_types(req, in->event_types, in->row.event_types, sizeof(in->row.event_types));
    if (in->secret != NULL && signature_secret_check(in->secret) != ST_OK)
        problem_invalid(&req->problem, "secret",
                        "must be 'whsec_' followed by the standard base64 of %d to %d bytes",
                        SIGNATURE_NEW_KEY_MIN, SIGNATURE_NEW_KEY_MAX);
    return st == ST_INVALID || problem_has_invalid(&req->problem) ? ST_INVALID : ST_OK;
}

static enum status subscribe_tx(struct db *db, void *ctx)
{
    return store_webhook_subscription_insert(db, &((struct subscribe_in *)ctx)->row);
}

enum status webhooks_subscribe(struct request *req, struct response *res)
{
    struct subscribe_in in = {0};
    struct webhook_subscription_row *row = &in.row;
    char random[SECRET_BYTES * 4 / 3 + 4];
    enum status st = load_system(req);

    if (st == ST_OK)
        st = check_subscription(req, &in);
    if (st != ST_OK)
        return st;
    rng_uuid(row->id);
    snprintf(row->system_id, sizeof(row->system_id), "%s", req->system.id);
    snprintf(row->url, sizeof(row->url), "%s", in.url);
    if (in.secret == NULL)
        crypto_random_base64(SECRET_BYTES, random);
    snprintf(row->secret, sizeof(row->secret), "%s%s", in.secret ? "" : SIGNATURE_PREFIX,
             in.secret ? in.secret : random);
    row->created_at = clock_system_now(&req->system);
    st = db_transact(req->db, subscribe_tx, &in);
    return st != ST_OK ? st : respond_json(res, 201, render_subscription(row));
}

static enum status fetch_subscriptions(struct db *db, const void *system_id, const int64_t after[2],
                                       void *rows, size_t cap, size_t *n)
{
    return store_webhook_subscription_list(db, system_id, after[0], rows, cap, n);
}

enum status webhooks_subscriptions(struct request *req, struct response *res)
{
    struct page pg;
    enum status st = load_system(req);

    if (st == ST_OK)
        st = paging_begin(req, &pg, "webhook-subscriptions|%s", req->system.id);
    return st != ST_OK ? st
                       : paging_list(req, res, &pg, sizeof(struct webhook_subscription_row),
                                     fetch_subscriptions, req->system.id, render_subscription,
                                     paging_keys_seq);
}

static enum status unsubscribe_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;

    return store_webhook_subscription_delete(db, req->system.id,
                                             request_param(req, "subscription-id"));
}

enum status webhooks_unsubscribe(struct request *req, struct response *res)
{
    enum status st = load_system(req);

    if (st == ST_OK)
        st = db_transact(req->db, unsubscribe_tx, req);
    return st != ST_OK ? st : respond_empty(res);
}

static json_object *render_attempt(const struct webhook_attempt_row *a)
{
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    add_datetime(o, "attemptDatetime", a->attempted_at);
    if (a->status_code > 0)
        json_object_object_add(o, "statusCode", json_object_new_int(a->status_code));
    if (a->error[0] != '\0')
        json_object_object_add(o, "error", json_object_new_string(a->error));
    json_object_object_add(o, "latencyMs", json_object_new_int64(a->latency_ms));
    json_object_object_add(o, "succeeded", json_object_new_boolean(a->error[0] == '\0'));
    return o;
}

static json_object *render_delivery(const void *row)
{
    const struct webhook_delivery_row *d = row;
    json_object *o = json_object_new_object(), *attempts = json_object_new_array();

    if (o == NULL || attempts == NULL) {
        json_object_put(o);
        json_object_put(attempts);
        return NULL;
    }
    json_object_object_add(o, "id", json_object_new_string(d->id));
    json_object_object_add(o, "subscriptionId", json_object_new_string(d->subscription_id));
    json_object_object_add(o, "eventId", json_object_new_string(d->event_id));
    json_object_object_add(o, "eventType", json_object_new_string(d->event_type));
    add_datetime(o, "eventDatetime", d->occurred_at);
    json_object_object_add(o, "status", json_object_new_string(d->status));
    if (strcmp(d->status, "pending") == 0)
        add_datetime(o, "nextAttemptDatetime", d->due_at);
    for (size_t i = 0; i < d->nattempts; i++)
        json_object_array_add(attempts, render_attempt(&d->attempts[i]));
    json_object_object_add(o, "attempts", attempts);
    return o;
}

/* Hangs each delivery's attempts off its row; release_attempts frees them. */
static enum status load_attempts(struct db *db, struct webhook_delivery_row *rows, size_t n)
{
    enum status st = ST_OK;

    for (size_t i = 0; st == ST_OK && i < n; i++) {
        rows[i].attempts = calloc(ATTEMPTS_SHOWN, sizeof(*rows[i].attempts));
        if (rows[i].attempts == NULL)
            return ST_NOMEM;
        st = store_webhook_attempt_list(db, rows[i].seq, rows[i].attempts, ATTEMPTS_SHOWN,
                                        &rows[i].nattempts);
    }
    return st;
}

static void release_attempts(struct webhook_delivery_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].attempts);
        rows[i].attempts = NULL;
    }
}

enum status webhooks_deliveries(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"subscription-id", SPEC_UUID, 0, 0, 0, NULL,
         offsetof(struct webhook_delivery_filter, subscription_id)},
        {"status", SPEC_ENUM, 0, 0, 0, statuses, offsetof(struct webhook_delivery_filter, status)},
        {"event-id", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct webhook_delivery_filter, event_id)},
    };
    struct webhook_delivery_filter f = {0};
    struct webhook_delivery_row *rows;
    struct page pg;
    size_t n = 0;
    enum status st = load_system(req);

    if (st != ST_OK)
        return st;
    st = request_decode_query(req, fields, COUNT_OF(fields), &f, NULL);
    if (paging_begin(req, &pg, "webhook-deliveries|%s|%s|%s|%s", req->system.id,
                     f.subscription_id ? f.subscription_id : "", f.status ? f.status : "",
                     f.event_id ? f.event_id : "") != ST_OK ||
        st != ST_OK)
        return ST_INVALID;
    rows = calloc(pg.limit + 1, sizeof(*rows));
    if (rows == NULL)
        return ST_NOMEM;
    st = store_webhook_delivery_list(req->db, req->system.id, &f, pg.after[0], rows, pg.limit + 1,
                                     &n);
    if (st == ST_OK)
        st = load_attempts(req->db, rows, n < pg.limit ? n : pg.limit);
    if (st == ST_OK)
        st = paging_respond(res, &pg, rows, sizeof(*rows), n, render_delivery, paging_keys_seq);
    release_attempts(rows, n);
    free(rows);
    return st;
}

struct redeliver_ctx {
    struct request *req;
    struct webhook_delivery_row row;
};

/* Back to the queue from the start of the schedule, due now. */
static enum status redeliver_tx(struct db *db, void *ctx)
{
    struct redeliver_ctx *c = ctx;
    const char *id = request_param(c->req, "delivery-id");
    enum status st = store_webhook_delivery_get(db, c->req->system.id, id, &c->row);

    if (st == ST_OK)
        st = store_webhook_delivery_update(db, c->row.seq, "pending", 0,
                                           clock_system_now(&c->req->system));
    if (st == ST_OK)
        st = store_webhook_delivery_get(db, c->req->system.id, id, &c->row);
    return st;
}

enum status webhooks_redeliver(struct request *req, struct response *res)
{
    struct redeliver_ctx c = {.req = req};
    json_object *body = NULL;
    enum status st = load_system(req);

    if (st == ST_OK)
        st = db_transact(req->db, redeliver_tx, &c);
    if (st == ST_OK)
        st = load_attempts(req->db, &c.row, 1);
    if (st == ST_OK) {
        dispatcher_poke();
        body = render_delivery(&c.row);
    }
    release_attempts(&c.row, 1);
    return st != ST_OK ? st : respond_json(res, 202, body);
}

enum status webhooks_flush(struct request *req, struct response *res)
{
    struct webhook_summary sum = {0};
    json_object *o;
    int settled = 0, first = req->wait_deadline_ns == 0;
    enum status st = load_system(req);

    if (st == ST_OK && first)
        dispatcher_poke(); /* once: later looks follow the dispatcher's own passes */
    if (st == ST_OK)
        st = dispatcher_settled(req->db, req->system.id, &sum, &settled);
    if (st != ST_OK)
        return st;
    if (!settled && request_wait_left(req, FLUSH_TIMEOUT_MS / 1000) > 0)
        return request_wait(req, PARKING_DELIVERIES);
    if (!settled)
        return request_fail(req, ST_BUSY, "%" PRId64 " deliveries are still due after %d s",
                            sum.due_now, FLUSH_TIMEOUT_MS / 1000);
    if ((o = json_object_new_object()) == NULL)
        return ST_NOMEM;
    json_object_object_add(o, "delivered", json_object_new_int64(sum.delivered));
    json_object_object_add(o, "pending", json_object_new_int64(sum.pending));
    json_object_object_add(o, "dead", json_object_new_int64(sum.dead));
    if (sum.pending > 0)
        add_datetime(o, "nextAttemptDatetime", sum.next_due);
    return respond_json(res, 200, o);
}
