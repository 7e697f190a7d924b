#include "admin/operating_devices.h"

#include <stdlib.h>

#include "events/outbox.h"
#include "http/paging.h"
#include "store/operating_devices.h"

/* A user has at most one device (UNIQUE user_id); the margin costs nothing. */
#define DEVICES_PER_USER_CAP 8

static json_object *render_device(const void *row)
{
    const struct operating_device_row *d = row;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_string(d->id));
    json_object_object_add(o, "userId", json_object_new_string(d->user_id));
    return o;
}

static enum status emit_deleted(struct db *db, const char *system_id, const char *device_id,
                                int64_t now)
{
    json_object *event = json_object_new_object();

    if (event == NULL)
        return ST_NOMEM;
    json_object_object_add(event, "operatingDeviceId", json_object_new_string(device_id));
    return outbox_emit(db, system_id, now, "OperatingDeviceDeleted", event);
}

enum status operating_devices_delete_of_user(struct db *db, const char *system_id,
                                             const char *user_id, int64_t now)
{
    struct operating_device_row rows[DEVICES_PER_USER_CAP];
    size_t n = 0;
    enum status st =
        store_operating_device_list_of_user(db, system_id, user_id, rows, COUNT_OF(rows), &n);

    for (size_t i = 0; st == ST_OK && i < n; i++) {
        st = store_operating_device_delete(db, system_id, rows[i].id);
        if (st == ST_OK)
            st = emit_deleted(db, system_id, rows[i].id, now);
    }
    return st;
}

struct list_query {
    const char *system_id;
    const char *user_id;
};

static enum status fetch_devices(struct db *db, const void *query, const int64_t after[2],
                                 void *rows, size_t cap, size_t *n)
{
    const struct list_query *q = query;

    return store_operating_device_list(db, q->system_id, q->user_id, after[0], rows, cap, n);
}

enum status operating_devices_list(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"user-id", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct list_query, user_id)},
    };
    struct list_query q = {.system_id = req->system.id};
    struct page pg;
    enum status st = request_decode_query(req, fields, COUNT_OF(fields), &q, NULL);
    enum status pst = paging_begin(req, &pg, "operating-device|%s|%s", req->system.id,
                                   q.user_id ? q.user_id : "");

    if (st != ST_OK || pst != ST_OK)
        return st == ST_NOMEM || pst == ST_NOMEM ? ST_NOMEM : ST_INVALID;
    return paging_list(req, res, &pg, sizeof(struct operating_device_row), fetch_devices, &q,
                       render_device, paging_keys_seq);
}

static enum status delete_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;
    struct operating_device_row device;
    enum status st = store_operating_device_get(db, req->system.id,
                                                request_param(req, "operating-device-id"), &device);

    if (st != ST_OK)
        return st;
    if (device.legacy)
        return request_fail(req, ST_CONFLICT,
                            "operating device '%s' is a legacy operating device: it was not "
                            "invited with version 2 of the API and can't be deleted on its own; "
                            "delete its user instead",
                            device.id);
    st = store_operating_device_delete(db, req->system.id, device.id);
    if (st == ST_OK)
        st = emit_deleted(db, req->system.id, device.id, request_now(req));
    return st;
}

enum status operating_devices_delete(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, delete_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
