#include "admin/associations.h"

#include "domain/associations.h"
#include "http/paging.h"
#include "lib/timefmt.h"

static json_object *render_association(const void *row)
{
    const struct association_row *a = row;
    json_object *o = json_object_new_object();
    char created[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(a->created_at, created);
    json_object_object_add(o, "id", json_object_new_string(a->id));
    json_object_object_add(o, "gatewayDeviceId", json_object_new_string(a->gateway_device_id));
    json_object_object_add(o, "lockingDeviceId", json_object_new_string(a->locking_device_id));
    json_object_object_add(o, "creationDatetime", json_object_new_string(created));
    return o;
}

struct create_ctx {
    struct request *req;
    const char *gateway_device_id;
    const char *locking_device_id;
    struct association_row association;
};

static enum status create_tx(struct db *db, void *ctx)
{
    struct create_ctx *c = ctx;

    return domain_association_add(db, c->req->system.id, c->gateway_device_id, c->locking_device_id,
                                  request_now(c->req), &c->association, &c->req->problem);
}

enum status associations_create(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"gatewayDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
         offsetof(struct create_ctx, gateway_device_id)},
        {"lockingDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
         offsetof(struct create_ctx, locking_device_id)},
    };
    struct create_ctx c = {.req = req};
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), &c, NULL);

    if (st == ST_OK)
        st = db_transact(req->db, create_tx, &c);
    if (st != ST_OK)
        return st;
    return respond_json(res, 201, render_association(&c.association));
}

struct list_query {
    const char *system_id;
    struct association_filter filter;
};

static enum status fetch_associations(struct db *db, const void *query, const int64_t after[2],
                                      void *rows, size_t cap, size_t *n)
{
    const struct list_query *q = query;

    return store_association_list(db, q->system_id, &q->filter, after[0], rows, cap, n);
}

enum status associations_list(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"gateway-device-id", SPEC_UUID, 0, 0, 0, NULL,
         offsetof(struct association_filter, gateway_device_id)},
    };
    struct list_query q = {.system_id = req->system.id};
    struct page pg;
    enum status st = request_decode_query(req, fields, COUNT_OF(fields), &q.filter, NULL);
    enum status pst = paging_begin(req, &pg, "gateway-device-association|%s|%s", req->system.id,
                                   q.filter.gateway_device_id ? q.filter.gateway_device_id : "");

    if (st != ST_OK || pst != ST_OK)
        return ST_INVALID;
    return paging_list(req, res, &pg, sizeof(struct association_row), fetch_associations, &q,
                       render_association, paging_keys_seq);
}

enum status associations_get(struct request *req, struct response *res)
{
    struct association_row a;
    enum status st = store_association_get(req->db, req->system.id,
                                           request_param(req, "gateway-device-association-id"), &a);

    return st != ST_OK ? st : respond_json(res, 200, render_association(&a));
}

static enum status delete_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;

    return store_association_delete(db, req->system.id,
                                    request_param(req, "gateway-device-association-id"));
}

enum status associations_delete(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, delete_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
