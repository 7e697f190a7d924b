#include "admin/locking_devices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/locking_devices.h"
#include "domain/vendor_json.h"
#include "http/paging.h"
#include "lib/json_patch.h"
#include "lib/timefmt.h"

#define NAME_MAX_CHARS 255

static const char *const claiming_statuses[] = {"UNCLAIMED", "CLAIMED", NULL};

struct list_query {
    const char *system_id;
    struct locking_device_filter filter;
};

static enum status fetch_devices(struct db *db, const void *query, const int64_t after[2],
                                 void *rows, size_t cap, size_t *n)
{
    const struct list_query *q = query;

    return store_locking_device_list(db, q->system_id, &q->filter, after[0], rows, cap, n);
}

enum status locking_devices_list(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"claiming-status", SPEC_ENUM, 0, 0, 0, claiming_statuses,
         offsetof(struct locking_device_filter, claiming_status)},
        {"serial-number", SPEC_STRING, 0, 0, 0, NULL,
         offsetof(struct locking_device_filter, serial_number)},
    };
    struct list_query q = {.system_id = req->system.id};
    struct page pg;
    enum status st = request_decode_query(req, fields, COUNT_OF(fields), &q.filter, NULL);
    enum status pst = paging_begin(req, &pg, "locking-device|%s|%s|%s", req->system.id,
                                   q.filter.claiming_status ? q.filter.claiming_status : "",
                                   q.filter.serial_number ? q.filter.serial_number : "");

    if (st != ST_OK || pst != ST_OK)
        return ST_INVALID;
    return paging_list(req, res, &pg, sizeof(struct locking_device_row), fetch_devices, &q,
                       locking_device_render, paging_keys_seq);
}

struct create_ctx {
    struct request *req;
    const char *name;
    struct locking_device_row device;
};

static const struct spec_field name_field[] = {
    {"name", SPEC_STRING, SPEC_REQUIRED, 1, NAME_MAX_CHARS, NULL,
     offsetof(struct create_ctx, name)},
};

static enum status create_tx(struct db *db, void *ctx)
{
    struct create_ctx *c = ctx;

    return domain_locking_device_add(db, c->req->system.id, c->name, request_now(c->req),
                                     &c->device);
}

enum status locking_devices_create(struct request *req, struct response *res)
{
    struct create_ctx c = {.req = req};
    enum status st = request_decode_body(req, name_field, COUNT_OF(name_field), &c, NULL);

    if (st == ST_OK)
        st = db_transact(req->db, create_tx, &c);
    if (st != ST_OK)
        return st;
    return respond_json(res, 201, locking_device_render(&c.device));
}

enum status locking_devices_get(struct request *req, struct response *res)
{
    struct locking_device_row device;
    enum status st = store_locking_device_get(req->db, req->system.id,
                                              request_param(req, "locking-device-id"), &device);

    return st != ST_OK ? st : respond_json(res, 200, locking_device_render(&device));
}

/* Applies the patch to the device's JSON form and takes the new name from it, so that
 * `test` sees exactly what GET shows. */
static enum status patch_tx(struct db *db, void *ctx)
{
    static const char *const replaceable[] = {"/name", NULL};
    struct create_ctx *c = ctx;
    struct request *req = c->req;
    json_object *doc = NULL;
    enum status st;

    st = store_locking_device_get(db, req->system.id, request_param(req, "locking-device-id"),
                                  &c->device);
    if (st != ST_OK)
        return st;
    doc = locking_device_render(&c->device);
    if (doc == NULL)
        return ST_NOMEM;
    st = json_patch_apply(doc, req->body, replaceable, &req->problem);
    if (st == ST_OK && json_object_array_length(req->body) == 0) {
        json_object_put(doc); /* an empty patch: nothing to write */
        return ST_OK;
    }
    if (st == ST_OK) {
        json_object *name = json_object_object_get(doc, "name");
        size_t chars = json_object_is_type(name, json_type_string)
                           ? spec_utf8_length(json_object_get_string(name))
                           : 0;
        if (chars < 1 || chars > NAME_MAX_CHARS || spec_has_nul(name))
            st = problem_invalid(&req->problem, "/name", "must be a string of 1 to %d characters",
                                 NAME_MAX_CHARS);
        else
            c->name = json_object_get_string(name);
    }
    if (st == ST_OK)
        st = store_locking_device_rename(db, req->system.id, c->device.id, c->name);
    json_object_put(doc);
    return st;
}

enum status locking_devices_patch(struct request *req, struct response *res)
{
    struct create_ctx c = {.req = req};
    enum status st;

    if (req->body == NULL)
        return request_fail(req, ST_INVALID, "a JSON Patch body is required");
    st = db_transact(req->db, patch_tx, &c);
    return st != ST_OK ? st : respond_empty(res);
}

static enum status delete_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;

    return store_locking_device_delete(db, req->system.id, request_param(req, "locking-device-id"));
}

enum status locking_devices_delete(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, delete_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
