#include "admin/gateway_devices.h"

#include <string.h>

#include "domain/gateway_devices.h"
#include "domain/vendor_json.h"
#include "http/paging.h"
#include "lib/timefmt.h"

#define CLAIMING_CODE_MAX_CHARS 64

struct claim_ctx {
    struct request *req;
    const char *code;
    struct gateway_device_row device;
};

static enum status claim_tx(struct db *db, void *ctx)
{
    struct claim_ctx *c = ctx;

    return domain_gateway_device_claim(db, c->req->system.id, c->code, request_now(c->req),
                                       &c->device, &c->req->problem);
}

enum status gateway_devices_claim(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"claimingCode", SPEC_STRING, SPEC_REQUIRED, 1, CLAIMING_CODE_MAX_CHARS, NULL,
         offsetof(struct claim_ctx, code)},
    };
    struct claim_ctx c = {.req = req};
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), &c, NULL);

    if (st == ST_OK)
        st = db_transact(req->db, claim_tx, &c);
    if (st != ST_OK)
        return st;
    return respond_json(res, 201, gateway_device_render(&c.device));
}

static enum status fetch_gateways(struct db *db, const void *system_id, const int64_t after[2],
                                  void *rows, size_t cap, size_t *n)
{
    return store_gateway_device_list(db, system_id, after[0], rows, cap, n);
}

enum status gateway_devices_list(struct request *req, struct response *res)
{
    struct page pg;
    enum status st = paging_begin(req, &pg, "gateway-device|%s", req->system.id);

    return st != ST_OK
               ? st
               : paging_list(req, res, &pg, sizeof(struct gateway_device_row), fetch_gateways,
                             req->system.id, gateway_device_render, paging_keys_seq);
}

enum status gateway_devices_get(struct request *req, struct response *res)
{
    struct gateway_device_row device;
    enum status st = store_gateway_device_get(req->db, req->system.id,
                                              request_param(req, "gateway-device-id"), &device);

    return st != ST_OK ? st : respond_json(res, 200, gateway_device_render(&device));
}

static enum status delete_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;

    return store_gateway_device_delete(db, req->system.id, request_param(req, "gateway-device-id"));
}

enum status gateway_devices_delete(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, delete_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
