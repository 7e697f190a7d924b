#include "control/autopilot.h"

#include "sim/autopilot.h"

struct autopilot_ctx {
    struct request *req;
    int enabled;
    struct autopilot_row setting;
};

static enum status set_tx(struct db *db, void *ctx)
{
    struct autopilot_ctx *c = ctx;

    return sim_autopilot_set(db, &c->req->system, &c->setting, request_now(c->req));
}

static json_object *render(const struct autopilot_row *a)
{
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "enabled", json_object_new_boolean(a->enabled));
    json_object_object_add(o, "opensPerUserPerDay",
                           json_object_new_double(a->opens_per_user_per_day));
    json_object_object_add(o, "batteryEventsPerMonth",
                           json_object_new_double(a->battery_events_per_month));
    return o;
}

enum status autopilot_set(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"enabled", SPEC_BOOL, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct autopilot_ctx, enabled)},
        {"opensPerUserPerDay", SPEC_NUMBER, 0, 0, 100, NULL,
         offsetof(struct autopilot_ctx, setting.opens_per_user_per_day)},
        {"batteryEventsPerMonth", SPEC_NUMBER, 0, 0, 30, NULL,
         offsetof(struct autopilot_ctx, setting.battery_events_per_month)},
    };
    struct autopilot_ctx c = {.req = req, .setting = {0, 4.0, 1.0}};
    enum status st = store_system_get(req->db, request_param(req, "system-id"), &req->system);

    if (st == ST_OK)
        st = request_decode_body(req, fields, COUNT_OF(fields), &c, NULL);
    c.setting.enabled = c.enabled;
    if (st == ST_OK)
        st = db_transact(req->db, set_tx, &c);
    return st != ST_OK ? st : respond_json(res, 200, render(&c.setting));
}

enum status autopilot_get(struct request *req, struct response *res)
{
    struct autopilot_row setting = {0, 4.0, 1.0}; /* a system that never set one: off */
    enum status st = store_system_get(req->db, request_param(req, "system-id"), &req->system);

    if (st == ST_OK &&
        (st = store_autopilot_get(req->db, req->system.id, &setting)) == ST_NOT_FOUND)
        st = ST_OK;
    return st != ST_OK ? st : respond_json(res, 200, render(&setting));
}
