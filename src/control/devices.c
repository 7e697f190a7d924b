#include "control/devices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/vendor_json.h"
#include "sim/gateways.h"
#include "sim/locks.h"

struct gateway_ctx {
    struct request *req;
    struct gateway_device_row gateway;
    struct wake_report report;
    int powered; /* power_tx: on (1) or off (0) */
};

/* The gateway named in the path, and its system (control routes carry no token). */
static enum status load_gateway(struct request *req, struct gateway_device_row *g)
{
    const char *id = request_param(req, "gateway-device-id");
    enum status st = store_gateway_device_find(req->db, id, g);

    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no gateway device '%s'", id);
    return st != ST_OK ? st : store_system_get(req->db, g->system_id, &req->system);
}

/* Power on or off (c->powered), then the gateway as the platform now shows it. */
static enum status power_tx(struct db *db, void *ctx)
{
    struct gateway_ctx *c = ctx;
    enum status st =
        c->powered ? sim_gateway_power_on(db, &c->req->system, c->gateway.id, request_now(c->req))
                   : sim_gateway_power_off(db, &c->req->system, c->gateway.id);

    return st == ST_OK ? store_gateway_device_get(db, c->req->system.id, c->gateway.id, &c->gateway)
                       : st;
}

static enum status switch_power(struct request *req, struct response *res, int powered)
{
    struct gateway_ctx c = {.req = req, .powered = powered};
    enum status st = load_gateway(req, &c.gateway);

    if (st == ST_OK)
        st = db_transact(req->db, power_tx, &c);
    return st != ST_OK ? st : respond_json(res, 200, gateway_device_render(&c.gateway));
}

enum status devices_gateway_power_on(struct request *req, struct response *res)
{
    return switch_power(req, res, 1);
}

enum status devices_gateway_power_off(struct request *req, struct response *res)
{
    return switch_power(req, res, 0);
}

static enum status wake_tx(struct db *db, void *ctx)
{
    struct gateway_ctx *c = ctx;
    enum status st = sim_gateway_wake(db, &c->req->system, c->gateway.id, "MANUAL",
                                      request_now(c->req), &c->report);

    if (st == ST_CONFLICT)
        return request_fail(c->req, st, "%s", c->report.refusal);
    return st;
}

enum status devices_gateway_wake(struct request *req, struct response *res)
{
    struct gateway_ctx c = {.req = req};
    json_object *o;
    enum status st = load_gateway(req, &c.gateway);

    if (st == ST_OK)
        st = db_transact(req->db, wake_tx, &c);
    if (st != ST_OK)
        return st;
    o = json_object_new_object();
    if (o == NULL)
        return ST_NOMEM;
    json_object_object_add(o, "commandsRun", json_object_new_int(c.report.commands_run));
    json_object_object_add(o, "entriesUploaded", json_object_new_int(c.report.entries_uploaded));
    return respond_json(res, 200, o);
}

struct event_ctx {
    struct request *req;
    const char *event_name;
    struct lock_state *lock;
    struct pending_entry entry;
};

static enum status system_event_tx(struct db *db, void *ctx)
{
    struct event_ctx *c = ctx;

    if (!sim_lock_powered(c->lock))
        return request_fail(c->req, ST_CONFLICT, "the lock's battery is empty: it logs nothing");

    memset(&c->entry, 0, sizeof(c->entry));
    snprintf(c->entry.entry.kind, sizeof(c->entry.entry.kind), LOG_KIND_SYSTEM);
    snprintf(c->entry.entry.event_name, sizeof(c->entry.entry.event_name), "%s", c->event_name);
    c->entry.entry.occurred_at = request_now(c->req);
    c->entry.entry.granted = -1;
    return sim_lock_log(db, c->lock->serial_number, &c->entry);
}

enum status devices_lock_system_event(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"eventName", SPEC_STRING, SPEC_REQUIRED, 1, 100, NULL,
         offsetof(struct event_ctx, event_name)},
    };
    struct event_ctx c = {.req = req};
    struct locking_device_row device;
    const char *id = request_param(req, "locking-device-id");
    json_object *o;
    enum status st = store_locking_device_find(req->db, id, &device);

    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no locking device '%s'", id);
    if (st == ST_OK)
        st = store_system_get(req->db, device.system_id, &req->system);
    if (st == ST_OK)
        st = request_decode_body(req, fields, COUNT_OF(fields), &c, NULL);
    if (st == ST_OK && (c.lock = calloc(1, sizeof(*c.lock))) == NULL)
        st = ST_NOMEM;
    if (st == ST_OK && store_lock_state_brief_of_device(req->db, id, c.lock) != ST_OK)
        st = request_fail(req, ST_CONFLICT, "the locking device is not claimed: no lock to log");
    if (st == ST_OK)
        st = db_transact(req->db, system_event_tx, &c);
    free(c.lock);
    if (st != ST_OK)
        return st;
    o = json_object_new_object();
    if (o == NULL)
        return ST_NOMEM;
    json_object_object_add(o, "sequenceNumber",
                           json_object_new_int64(c.entry.entry.sequence_number));
    return respond_json(res, 201, o);
}

static const char *const batteries[] = {LOCK_BATTERY_OK, LOCK_BATTERY_LOW, LOCK_BATTERY_EMPTY,
                                        NULL};

struct state_ctx {
    struct request *req;
    const char *battery;  /* NULL: unchanged */
    int in_gateway_range; /* -1: unchanged */
    struct lock_state *lock;
};

static enum status decode_state(struct request *req, struct state_ctx *c)
{
    static const struct spec_field fields[] = {
        {"battery", SPEC_ENUM, 0, 0, 0, batteries, offsetof(struct state_ctx, battery)},
        {"inGatewayRange", SPEC_BOOL, 0, 0, 0, NULL, offsetof(struct state_ctx, in_gateway_range)},
    };
    static const char reason[] = "give battery, inGatewayRange or both";
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), c, NULL);

    if (st == ST_OK && c->battery == NULL && c->in_gateway_range < 0) {
        problem_invalid(&req->problem, "battery", "%s", reason);
        st = problem_invalid(&req->problem, "inGatewayRange", "%s", reason);
    }
    return st;
}

static enum status state_tx(struct db *db, void *ctx)
{
    struct state_ctx *c = ctx;

    return sim_lock_set_condition(db, c->lock, c->battery, c->in_gateway_range,
                                  request_now(c->req));
}

static json_object *render_state(const char *id, const struct lock_state *lock)
{
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "lockingDeviceId", json_object_new_string(id));
    json_object_object_add(o, "serialNumber", json_object_new_string(lock->serial_number));
    json_object_object_add(o, "battery", json_object_new_string(lock->battery));
    json_object_object_add(o, "inGatewayRange", json_object_new_boolean(lock->in_gateway_range));
    return o;
}

enum status devices_lock_state(struct request *req, struct response *res)
{
    struct state_ctx c = {.req = req, .in_gateway_range = -1};
    struct locking_device_row device;
    const char *id = request_param(req, "locking-device-id");
    enum status st = store_locking_device_find(req->db, id, &device);

    if (st == ST_NOT_FOUND)
        return request_fail(req, st, "no locking device '%s'", id);
    if (st == ST_OK)
        st = store_system_get(req->db, device.system_id, &req->system);
    if (st == ST_OK)
        st = decode_state(req, &c);
    if (st == ST_OK && (c.lock = calloc(1, sizeof(*c.lock))) == NULL)
        st = ST_NOMEM;
    if (st == ST_OK && store_lock_state_brief_of_device(req->db, id, c.lock) != ST_OK)
        st = request_fail(req, ST_CONFLICT, "the locking device is not claimed: no physical lock");
    if (st == ST_OK)
        st = db_transact(req->db, state_tx, &c);
    if (st == ST_OK)
        st = respond_json(res, 200, render_state(id, c.lock));
    free(c.lock);
    return st;
}
