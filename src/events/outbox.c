#include "events/outbox.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/dispatcher.h"
#include "lib/crypto.h"
#include "lib/rng.h"
#include "lib/text.h"
#include "store/outbox.h"
#include "store/webhooks.h"

#define SUBSCRIBERS_BATCH 32

/* What this thread wrote since it last announced: who needs waking after the commit. */
static _Thread_local int emitted, wrote_delivery;

/* Told after events commit: the long polls and event streams (http/parking.h). */
static void (*ring_listener)(void);

/* How many times the whole event log was replaced, and how the last time. */
static atomic_ulong replacements;
static _Atomic(const char *) last_replacement = "reset";

/* A delivery's id is derived from its subscription and event rather than drawn from the
 * seeded generator, so that subscribing does not shift the ids the API hands out. */
static void delivery_id(const struct webhook_fanout_row *p, char out[UUID_STR_LEN])
{
    char input[2 * UUID_STR_LEN + 16], hex[SHA256_HEX_LEN];
    int n = snprintf(input, sizeof(input), "delivery|%s|%s", p->subscription_id, p->event_id);

    crypto_sha256_hex(input, (size_t)n, hex);
    hex[12] = '4';
    hex[16] = "89ab"[hex[16] % 4];
    snprintf(out, UUID_STR_LEN, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
             hex + 20);
}

/* The last system this thread found without any subscription, and when: a clock advance
 * emits thousands of events of a system nobody subscribed to, each of which would ask. */
static _Thread_local struct {
    char system_id[UUID_STR_LEN];
    uint64_t epoch;
} unsubscribed;

static int known_unsubscribed(const char *system_id)
{
    return unsubscribed.epoch == db_subscriptions_epoch() &&
           strcmp(unsubscribed.system_id, system_id) == 0;
}

/* Writes a pending delivery, due at once, for every subscription the event passes. Done in
 * the event's own transaction: the change, its event and its deliveries commit together. */
static enum status fan_out(struct db *db, const struct outbox_row *event)
{
    struct webhook_fanout_row rows[SUBSCRIBERS_BATCH];
    char id[UUID_STR_LEN];
    int64_t after = 0;
    uint64_t epoch = db_subscriptions_epoch(); /* read before the rows, as a cache must */
    size_t n = SUBSCRIBERS_BATCH;
    int subscribed = 1;
    enum status st = ST_OK;

    if (known_unsubscribed(event->system_id))
        return ST_OK;
    st = store_webhook_system_subscribed(db, event->system_id, &subscribed);
    if (st == ST_OK && !subscribed) {
        unsubscribed.epoch = epoch;
        text_copy(unsubscribed.system_id, sizeof(unsubscribed.system_id), event->system_id);
        return ST_OK;
    }
    while (st == ST_OK && n == SUBSCRIBERS_BATCH) {
        st = store_webhook_subscribers(db, event->system_id, event->event_type, after, rows,
                                       SUBSCRIBERS_BATCH, &n);
        for (size_t i = 0; st == ST_OK && i < n; i++) {
            rows[i].event_seq = event->seq;
            text_copy(rows[i].event_id, sizeof(rows[i].event_id), event->id);
            rows[i].occurred_at = event->occurred_at;
            delivery_id(&rows[i], id);
            st = store_webhook_delivery_insert(db, id, &rows[i], event->occurred_at);
            after = rows[i].subscription_seq;
            wrote_delivery = 1;
        }
    }
    return st;
}

/* Letters, digits, '-' and '_': JSON text as they are, json-c escapes none of them. */
static int is_word(const char *s)
{
    for (; *s != '\0'; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return 0;
    return 1;
}

/* Writes glue then text at p (which has room for both and a terminator); returns the end. */
static char *append(char *p, const char *glue, const char *text)
{
    size_t g = strlen(glue), t = strlen(text);

    memcpy(p, glue, g);
    memcpy(p + g, text, t + 1);
    return p + g + t;
}

/* The body as json-c would write it, without copying every field into a second object:
 * json-c writes an object as {"key":value,...} in insertion order, so the three common
 * members are written ahead of the caller's serialised object. NULL when that shortcut does
 * not apply (a string that needs escaping, a field named like a common member) or memory ran
 * out; the caller then builds the body the long way. */
static char *splice_body(const char *id, const char *system_id, const char *event_type,
                         json_object *fields)
{
    static const char *const common[] = {"eventId", "eventSystemId", "eventType"};
    size_t tail_len, len;
    const char *tail;
    char *out, *p;

    if (!is_word(id) || !is_word(system_id) || !is_word(event_type))
        return NULL;
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        if (json_object_object_get_ex(fields, common[i], NULL))
            return NULL;
    tail = json_object_to_json_string_length(fields, JSON_C_TO_STRING_PLAIN, &tail_len);
    if (tail == NULL || tail_len < 2 || tail[0] != '{')
        return NULL;
    len = strlen(id) + strlen(system_id) + strlen(event_type) + tail_len + 64;
    out = malloc(len);
    if (out == NULL)
        return NULL;
    /* tail is "{}" or "{...}": its first member, if any, follows the common ones. Pieces
     * copied, not formatted: snprintf cost more than json-c's serialising of the tail. */
    p = append(out, "{\"eventId\":\"", id);
    p = append(p, "\",\"eventSystemId\":\"", system_id);
    p = append(p, "\",\"eventType\":\"", event_type);
    p = append(p, tail_len > 2 ? "\"," : "\"", tail + 1);
    return out;
}

/* The long way: a new object with the common members, then the caller's. */
static char *build_body(const char *id, const char *system_id, const char *event_type,
                        json_object *fields)
{
    json_object *body = json_object_new_object();
    char *out = NULL;

    if (body == NULL)
        return NULL;
    json_object_object_add(body, "eventId", json_object_new_string(id));
    json_object_object_add(body, "eventSystemId", json_object_new_string(system_id));
    json_object_object_add(body, "eventType", json_object_new_string(event_type));
    json_object_object_foreach(fields, key, val)
        json_object_object_add(body, key, json_object_get(val));
    out = strdup(json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN));
    json_object_put(body);
    return out;
}

enum status outbox_emit(struct db *db, const char *system_id, int64_t now, const char *event_type,
                        json_object *fields)
{
    struct outbox_row row = {0};
    char *body = NULL;
    enum status st = ST_NOMEM;

    if (fields == NULL)
        goto out;
    /* The id encodes the row's place, so that one instant's events sort as they were
     * recorded. */
    if ((st = store_outbox_last_seq(db, &row.seq)) != ST_OK)
        goto out;
    row.seq++;
    st = ST_NOMEM;
    rng_uuid_v7(now, (uint64_t)row.seq, row.id);
    text_copy(row.system_id, sizeof(row.system_id), system_id);
    text_copy(row.event_type, sizeof(row.event_type), event_type);
    row.occurred_at = now;
    body = splice_body(row.id, system_id, event_type, fields);
    if (body == NULL)
        body = build_body(row.id, system_id, event_type, fields);
    if (body == NULL)
        goto out;
    row.body = body;
    st = store_outbox_insert(db, &row);
    if (st == ST_OK)
        st = fan_out(db, &row);
    emitted = 1;
out:
    free(body);
    json_object_put(fields);
    return st;
}

void outbox_on_ring(void (*listener)(void))
{
    ring_listener = listener;
}

void outbox_ring(void)
{
    if (ring_listener != NULL)
        ring_listener();
}

void outbox_announce(void)
{
    if (emitted)
        outbox_ring();
    if (wrote_delivery)
        dispatcher_poke();
    emitted = wrote_delivery = 0;
}

void outbox_replaced(const char *how)
{
    atomic_store(&last_replacement, how);
    atomic_fetch_add(&replacements, 1);
}

uint64_t outbox_replacements(const char **how)
{
    uint64_t n = atomic_load(&replacements);

    if (how != NULL)
        *how = atomic_load(&last_replacement);
    return n;
}
