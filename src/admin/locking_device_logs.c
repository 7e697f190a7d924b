#include "admin/locking_device_logs.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/paging.h"
#include "lib/timefmt.h"
#include "store/locking_devices.h"

static const char *const directions[] = {"ASC", "DESC", NULL};

json_object *locking_device_log_render_system(const void *row)
{
    const struct lock_log_row *e = row;
    json_object *o = json_object_new_object();
    char when[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(e->occurred_at, when);
    json_object_object_add(o, "id", json_object_new_string(e->id));
    json_object_object_add(o, "lockingDeviceId", json_object_new_string(e->locking_device_id));
    json_object_object_add(o, "eventName", json_object_new_string(e->event_name));
    json_object_object_add(o, "occurrenceDatetime", json_object_new_string(when));
    json_object_object_add(o, "sequenceNumber", json_object_new_int64(e->sequence_number));
    return o;
}

/* The client that ran the conversation, or NULL when the entry does not say. */
static json_object *render_client(const struct lock_log_row *e)
{
    int by_phone = strcmp(e->client_type, LOG_CLIENT_OPERATING_DEVICE) == 0;
    json_object *o;

    if (!by_phone && strcmp(e->client_type, LOG_CLIENT_GATEWAY_DEVICE) != 0)
        return NULL;
    if ((o = json_object_new_object()) == NULL)
        return NULL;
    json_object_object_add(o, "type", json_object_new_string(e->client_type));
    if (by_phone) {
        json_object_object_add(o, "operatingDeviceId",
                               json_object_new_string(e->operating_device_id));
        json_object_object_add(o, "userId", json_object_new_string(e->user_id));
    } else {
        json_object_object_add(o, "gatewayDeviceId", json_object_new_string(e->gateway_device_id));
        if (e->remote_command_id[0] != '\0')
            json_object_object_add(o, "remoteCommandId",
                                   json_object_new_string(e->remote_command_id));
    }
    return o;
}

json_object *locking_device_log_render_audit(const void *row)
{
    const struct lock_log_row *e = row;
    json_object *o = locking_device_log_render_system(row), *client;

    if (o == NULL)
        return NULL;
    if ((client = render_client(e)) != NULL)
        json_object_object_add(o, "client", client);
    if (e->granted >= 0)
        json_object_object_add(o, "granted", json_object_new_boolean(e->granted));
    return o;
}

struct log_query {
    const char *lock_id;
    int64_t sequence_greater_than;
    int64_t after_time;
    const char *direction;
};

#define AFTER_TIME_GIVEN (1u << 2) /* bit of "after-datetime" in the field table below */

/* Reads the filters and the page; every bad parameter is reported, paging ones included. */
static enum status begin(struct request *req, const char *kind, struct page *pg,
                         struct log_filter *f)
{
    static const struct spec_field fields[] = {
        {"locking-device-id", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct log_query, lock_id)},
        {"sequence-number-greater-than", SPEC_INT, 0, 0, INT64_MAX, NULL,
         offsetof(struct log_query, sequence_greater_than)},
        {"after-datetime", SPEC_DATETIME, 0, 0, 0, NULL, offsetof(struct log_query, after_time)},
        {"sort-direction", SPEC_ENUM, 0, 0, 0, directions, offsetof(struct log_query, direction)},
    };
    struct log_query q = {NULL, -1, 0, "ASC"};
    uint32_t present = 0;
    enum status st = request_decode_query(req, fields, COUNT_OF(fields), &q, &present);
    /* The filters and direction are part of the scope: a token of another list is refused. */
    enum status pst =
        paging_begin(req, pg, "lock-log|%s|%s|%s|%" PRId64 "|%" PRId64 "|%s", req->system.id, kind,
                     q.lock_id ? q.lock_id : "", q.sequence_greater_than,
                     (present & AFTER_TIME_GIVEN) ? q.after_time : INT64_MIN, q.direction);

    if (st != ST_OK || pst != ST_OK)
        return ST_INVALID;
    *f = (struct log_filter){
        .device_id = q.lock_id,
        .sequence_greater_than = q.sequence_greater_than,
        .has_after_time = (present & AFTER_TIME_GIVEN) != 0,
        .after_time = q.after_time,
        .descending = strcmp(q.direction, "DESC") == 0,
        .has_position = pg->has_position,
        .position = {pg->after[0], pg->after[1]},
    };
    return ST_OK;
}

static enum status list(struct request *req, struct response *res, const char *kind,
                        paging_render_fn render)
{
    struct locking_device_row lock;
    struct lock_log_row *rows;
    struct log_filter filter;
    struct page pg;
    size_t n = 0;
    enum status st = begin(req, kind, &pg, &filter);

    if (st != ST_OK)
        return st;
    /* A lock of another system is as unknown as one that never existed: 404, not []. */
    if (filter.device_id != NULL &&
        (st = store_locking_device_get(req->db, req->system.id, filter.device_id, &lock)) != ST_OK)
        return st;
    rows = calloc(pg.limit + 1, sizeof(*rows));
    if (rows == NULL)
        return ST_NOMEM;
    st = store_lock_log_list(req->db, req->system.id, kind, &filter, rows, pg.limit + 1, &n);
    if (st == ST_OK)
        st = paging_respond(res, &pg, rows, sizeof(*rows), n, render, store_lock_log_keys);
    free(rows);
    return st;
}

enum status locking_device_logs_system(struct request *req, struct response *res)
{
    return list(req, res, LOG_KIND_SYSTEM, locking_device_log_render_system);
}

enum status locking_device_logs_audit(struct request *req, struct response *res)
{
    return list(req, res, LOG_KIND_AUDIT, locking_device_log_render_audit);
}
