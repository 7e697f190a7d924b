#include "admin/remote_commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/paging.h"
#include "lib/timefmt.h"
#include "sim/gateways.h"
#include "store/associations.h"
#include "store/gateway_devices.h"
#include "store/locking_devices.h"

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

/* The reference's three preconditions, each refused with a sentence naming the culprit.
 * Unknown devices (or devices of another system) are 404 before any of them, named like
 * the associations endpoint names them. */
static enum status check_target(struct db *db, struct create_ctx *c)
{
    const char *system_id = c->req->system.id;
    struct gateway_device_row gateway;
    struct locking_device_row lock;
    struct association_row association;
    enum status st = store_gateway_device_get(db, system_id, c->gateway_id, &gateway);

    if (st == ST_NOT_FOUND)
        return request_fail(c->req, st, "gateway device '%s' not found", c->gateway_id);
    if (st == ST_OK)
        st = store_locking_device_get(db, system_id, c->lock_id, &lock);
    if (st == ST_NOT_FOUND)
        return request_fail(c->req, st, "locking device '%s' not found", c->lock_id);
    if (st != ST_OK)
        return st;
    st = store_association_find(db, system_id, c->gateway_id, c->lock_id, &association);
    if (st == ST_NOT_FOUND)
        return request_fail(c->req, ST_CONFLICT,
                            "locking device '%s' is not associated with gateway device '%s'",
                            c->lock_id, c->gateway_id);
    if (st != ST_OK)
        return st;
    if (strcmp(gateway.activation_status, GATEWAY_ACTIVATED) != 0)
        return request_fail(c->req, ST_CONFLICT, "gateway device '%s' is not activated",
                            c->gateway_id);
    if (strcmp(lock.claiming_status, "CLAIMED") != 0)
        return request_fail(c->req, ST_CONFLICT, "locking device '%s' is not claimed", c->lock_id);
    return ST_OK;
}

static enum status create_tx(struct db *db, void *ctx)
{
    struct create_ctx *c = ctx;
    struct remote_command_row *cmd = &c->command;
    int64_t now = request_now(c->req);
    enum status st = check_target(db, c);

    if (st != ST_OK)
        return st;
    rng_uuid(cmd->id);
    snprintf(cmd->system_id, sizeof(cmd->system_id), "%s", c->req->system.id);
    snprintf(cmd->gateway_device_id, sizeof(cmd->gateway_device_id), "%s", c->gateway_id);
    snprintf(cmd->locking_device_id, sizeof(cmd->locking_device_id), "%s", c->lock_id);
    snprintf(cmd->action, sizeof(cmd->action), "%s", c->action);
    snprintf(cmd->issuer_user_id, sizeof(cmd->issuer_user_id), "%s", c->req->caller.id);
    cmd->issued_at = cmd->valid_from = now;
    cmd->valid_until = now + REMOTE_COMMAND_VALIDITY;
    st = store_remote_command_insert(db, cmd);
    /* The lock wakes its gateway soon, and the gateway then reads the command. */
    return st == ST_OK ? sim_gateway_schedule_wake(db, cmd->system_id, cmd->gateway_device_id, now)
                       : st;
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
    const char *id = request_param(req, "remote-command-id");
    struct remote_command_row command;
    enum status st = store_remote_command_get(db, req->system.id, id, &command);

    if (st != ST_OK)
        return st;
    if (command.acknowledged)
        return request_fail(req, ST_CONFLICT, "remote command '%s' is already acknowledged", id);
    if (command.cancelled)
        return request_fail(req, ST_CONFLICT, "remote command '%s' is already cancelled", id);
    return store_remote_command_cancel(db, req->system.id, id, req->caller.id, request_now(req));
}

enum status remote_commands_cancel(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, cancel_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
