#include "admin/remote_commands.h"

#include "domain/remote_commands.h"
#include "http/paging.h"
#include "lib/timefmt.h"
#include "store/gateway_devices.h"

static const char *const actions[] = {"OPEN", NULL};

static void add_datetime(json_object *o, const char *key, int64_t when)
{
    char text[TIMEFMT_DATETIME_LEN];

    timefmt_format_datetime(when, text);
    json_object_object_add(o, key, json_object_new_string(text));
}

json_object *remote_command_render(const void *row)
{
    const struct remote_command_row *c = row;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_string(c->id));
    json_object_object_add(o, "gatewayDeviceId", json_object_new_string(c->gateway_device_id));
    json_object_object_add(o, "lockingDeviceId", json_object_new_string(c->locking_device_id));
    json_object_object_add(o, "action", json_object_new_string(c->action));
    add_datetime(o, "validityStartDatetime", c->valid_from);
    add_datetime(o, "validityEndDatetime", c->valid_until);
    json_object_object_add(o, "issuerUserId", json_object_new_string(c->issuer_user_id));
    add_datetime(o, "issuanceDatetime", c->issued_at);
    if (c->acknowledged)
        add_datetime(o, "acknowledgementDatetime", c->acknowledged_at);
    if (c->cancelled) {
        json_object_object_add(o, "cancelerUserId", json_object_new_string(c->canceler_user_id));
        add_datetime(o, "cancellationDatetime", c->cancelled_at);
    }
    return o;
}

struct create_ctx {
    struct request *req;
    const char *gateway_id;
    const char *lock_id;
    const char *action;
    struct remote_command_row command;
};

static enum status create_tx(struct db *db, void *ctx)
{
    struct create_ctx *c = ctx;

    return domain_remote_command_issue(db, c->req->system.id, c->gateway_id, c->lock_id, c->action,
                                       c->req->caller.id, request_now(c->req), &c->command,
                                       &c->req->problem);
}

enum status remote_commands_create(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"gatewayDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
         offsetof(struct create_ctx, gateway_id)},
        {"lockingDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
         offsetof(struct create_ctx, lock_id)},
        {"action", SPEC_ENUM, SPEC_REQUIRED, 0, 0, actions, offsetof(struct create_ctx, action)},
    };
    struct create_ctx c = {.req = req};
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), &c, NULL);

    if (st == ST_OK)
        st = db_transact(req->db, create_tx, &c);
    return st != ST_OK ? st : respond_json(res, 201, remote_command_render(&c.command));
}

struct list_query {
    const char *system_id;
    const char *gateway_id;
};

static enum status fetch_commands(struct db *db, const void *query, const int64_t after[2],
                                  void *rows, size_t cap, size_t *n)
{
    const struct list_query *q = query;

    return store_remote_command_list(db, q->system_id, q->gateway_id, after[0], rows, cap, n);
}

enum status remote_commands_list(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"gateway-device-id", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct list_query, gateway_id)},
    };
    struct list_query q = {.system_id = req->system.id};
    struct gateway_device_row gateway;
    struct page pg;
    enum status st = request_decode_query(req, fields, COUNT_OF(fields), &q, NULL);
    enum status pst = paging_begin(req, &pg, "remote-command|%s|%s", req->system.id,
                                   q.gateway_id ? q.gateway_id : "");

    if (st != ST_OK || pst != ST_OK)
        return ST_INVALID;
    /* A gateway of another system is as unknown as one that never existed. */
    if (q.gateway_id != NULL &&
        (st = store_gateway_device_get(req->db, req->system.id, q.gateway_id, &gateway)) != ST_OK)
        return st;
    return paging_list(req, res, &pg, sizeof(struct remote_command_row), fetch_commands, &q,
                       remote_command_render, paging_keys_seq);
}

enum status remote_commands_get(struct request *req, struct response *res)
{
    struct remote_command_row command;
    enum status st = store_remote_command_get(req->db, req->system.id,
                                              request_param(req, "remote-command-id"), &command);

    return st != ST_OK ? st : respond_json(res, 200, remote_command_render(&command));
}

static enum status cancel_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;

    return domain_remote_command_cancel(db, req->system.id, request_param(req, "remote-command-id"),
                                        req->caller.id, request_now(req), &req->problem);
}

enum status remote_commands_cancel(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, cancel_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
