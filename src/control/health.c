#include "control/health.h"

#include "http/token.h"
#include "sim/clock.h"
#include "store/outbox.h"

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
    json_object_object_add(o, "status", json_object_new_string("ok"));
    json_object_object_add(o, "version", json_object_new_string(KE_VERSION));
    json_object_object_add(o, "uptimeSeconds",
                           json_object_new_double((double)(clock_monotonic_ns() - started_ns) /
                                                  1e9));
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
