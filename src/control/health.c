#include "control/health.h"

#include "http/token.h"
#include "lib/timefmt.h"
#include "sim/clock.h"
#include "store/outbox.h"
#include "store/storage.h"

/* The most often a look at health writes to find whether the disk has room again. */
#define HEALTH_PROBE_MS 1000

static int64_t started_ns;

void health_init(void)
{
    started_ns = clock_monotonic_ns();
}

enum status health_get(struct request *req, struct response *res)
{
    json_object *o = json_object_new_object();
    int64_t outbox = 0;
    enum status st = store_outbox_count(req->db, NULL, &outbox);

    if (o == NULL || st != ST_OK) {
        json_object_put(o);
        return o == NULL ? ST_NOMEM : st;
    }
    char reason[256], since_text[TIMEFMT_DATETIME_LEN];
    int64_t since = 0;
    /* An idle server writes nothing: while degraded, this look tries one small write. */
    int degraded =
        storage_probe(HEALTH_PROBE_MS) && storage_degraded(reason, sizeof(reason), &since);

    json_object_object_add(o, "status", json_object_new_string(degraded ? "degraded" : "ok"));
    if (degraded) {
        timefmt_format_datetime(since, since_text);
        json_object_object_add(o, "reason", json_object_new_string(reason));
        json_object_object_add(o, "degradedSince", json_object_new_string(since_text));
    }
    json_object_object_add(o, "version", json_object_new_string(KE_VERSION));
    json_object_object_add(
        o, "uptimeSeconds",
        json_object_new_double((double)(clock_monotonic_ns() - started_ns) / 1e9));
    json_object_object_add(o, "outboxEvents", json_object_new_int64(outbox));
    json_object_object_add(o, "production", json_object_new_boolean(req->options->production));
    return respond_json(res, 200, o);
}

enum status jwks_get(struct request *req, struct response *res)
{
    json_object *doc = NULL;
    enum status st = token_jwks(req->db, &doc);

    return st != ST_OK ? st : respond_json(res, 200, doc);
}
