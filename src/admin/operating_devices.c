#include "admin/operating_devices.h"

#include "domain/operating_devices.h"
#include "http/paging.h"

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

    return domain_operating_device_delete(db, req->system.id,
                                          request_param(req, "operating-device-id"),
                                          request_now(req), &req->problem);
}

enum status operating_devices_delete(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, delete_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
