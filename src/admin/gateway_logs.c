#include "admin/gateway_logs.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events/log_bodies.h"
#include "http/paging.h"
#include "lib/timefmt.h"
#include "store/gateway_devices.h"

static const char *const directions[] = {"ASC", "DESC", NULL};

json_object *gateway_log_render_system(const void *row)
{
    return log_body_gateway_system(row);
}

json_object *gateway_log_render_audit(const void *row)
{
    return log_body_gateway_audit(row);
}

struct log_query {
    const char *gateway_id;
    int64_t sequence_greater_than;
    const char *direction;
};

/* Reads the filters and the page; every bad parameter is reported, paging ones included. */
static enum status begin(struct request *req, const char *kind, struct page *pg,
                         struct log_filter *f)
{
    static const struct spec_field fields[] = {
        {"gateway-device-id", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
         offsetof(struct log_query, gateway_id)},
        {"sequence-number-greater-than", SPEC_INT, 0, 0, INT64_MAX, NULL,
         offsetof(struct log_query, sequence_greater_than)},
        {"sort-direction", SPEC_ENUM, 0, 0, 0, directions, offsetof(struct log_query, direction)},
    };
    struct log_query q = {NULL, -1, "ASC"};
    enum status st = request_decode_query(req, fields, COUNT_OF(fields), &q, NULL);
    /* The filters and direction are part of the scope: a token of another list is refused. */
    enum status pst =
        paging_begin(req, pg, "gateway-log|%s|%s|%s|%" PRId64 "|%s", req->system.id, kind,
                     q.gateway_id ? q.gateway_id : "", q.sequence_greater_than, q.direction);

    if (st != ST_OK || pst != ST_OK)
        return ST_INVALID;
    *f = (struct log_filter){
        .device_id = q.gateway_id,
        .sequence_greater_than = q.sequence_greater_than,
        .descending = strcmp(q.direction, "DESC") == 0,
        .has_position = pg->has_position,
        .position = {pg->after[0], pg->after[1]},
    };
    return ST_OK;
}

static enum status list(struct request *req, struct response *res, const char *kind,
                        paging_render_fn render)
{
    struct gateway_device_row gateway;
    struct gateway_log_row *rows;
    struct log_filter filter;
    struct page pg;
    size_t n = 0;
    enum status st = begin(req, kind, &pg, &filter);

    if (st != ST_OK)
        return st;
    /* A gateway of another system is as unknown as one that never existed. */
    st = store_gateway_device_get(req->db, req->system.id, filter.device_id, &gateway);
    if (st != ST_OK)
        return st;
    rows = calloc(pg.limit + 1, sizeof(*rows));
    if (rows == NULL)
        return ST_NOMEM;
    st = store_gateway_log_list(req->db, req->system.id, kind, &filter, rows, pg.limit + 1, &n);
    if (st == ST_OK)
        st = paging_respond(res, &pg, rows, sizeof(*rows), n, render, store_gateway_log_keys);
    free(rows);
    return st;
}

enum status gateway_logs_system(struct request *req, struct response *res)
{
    return list(req, res, LOG_KIND_SYSTEM, gateway_log_render_system);
}

enum status gateway_logs_audit(struct request *req, struct response *res)
{
    return list(req, res, LOG_KIND_AUDIT, gateway_log_render_audit);
}
