#include "control/fixture_site.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/associations.h"
#include "domain/gateway_devices.h"
#include "domain/invitations.h"
#include "domain/locking_devices.h"
#include "lib/timefmt.h"
#include "sim/autopilot.h"
#include "sim/clock.h"
#include "sim/gateways.h"
#include "sim/factory.h"
#include "sim/locks.h"
#include "sim/phones.h"
#include "sim/scheduler.h"
#include "store/hardware.h"
#include "store/remote_commands.h"

#define DAY 86400
#define PTR_LEN 192
#define VISIT_DELAY 3600 /* from a re-key request to the claiming phone's visit */

struct fixture_user *fixture_find_user(const struct fixture_spec *s, const char *id)
{
    for (size_t i = 0; id != NULL && i < s->nusers; i++)
        if (s->users[i].id != NULL && strcmp(s->users[i].id, id) == 0)
            return &s->users[i];
    return NULL;
}

struct fixture_lock *fixture_find_lock(const struct fixture_spec *s, const char *id)
{
    for (size_t i = 0; id != NULL && i < s->nlocks; i++)
        if (s->locks[i].id != NULL && strcmp(s->locks[i].id, id) == 0)
            return &s->locks[i];
    return NULL;
}

/* ---- building ------------------------------------------------------------------------ */

/* A system being built: the row as the simulator sees it, and where problems are named. */
struct site {
    struct db *db;
    struct fixture_spec *fx;
    struct system_row system;
    const char *pointer;
    struct problem *p;
};

enum status fixture_site_phone(struct db *db, const char *system_id, const char *user_id,
                               int64_t now, char phone_id[UUID_STR_LEN], struct problem *p)
{
    const struct invitation_request ask = {user_id, {"P1D", DAY}, "NONE",
                                           NULL,    NULL,         "INVITATION_CODE"};
    struct invitation_row inv;
    struct operating_device_row device;
    enum status st = domain_invitation_create(db, system_id, &ask, now, &inv, p);

    if (st == ST_OK)
        st = sim_phone_accept(db, &inv, now, &device, p);
    if (st == ST_OK)
        snprintf(phone_id, UUID_STR_LEN, "%s", device.id);
    return st;
}

static enum status make_phone(struct site *s, struct fixture_user *u, int64_t now)
{
    return fixture_site_phone(s->db, s->system.id, u->id, now, u->phone_id, s->p);
}

/* A phone from before version 2's invitations, with the id the document gives it. */
static enum status make_legacy_phone(struct site *s, struct fixture_user *u, int64_t now)
{
    struct operating_device_row device = {0};
    enum status st;

    snprintf(device.id, sizeof(device.id), "%s", u->legacy_id);
    st = sim_phone_add_legacy(s->db, &s->system, u->id, now, &device, s->p);
    if (st == ST_OK)
        snprintf(u->phone_id, sizeof(u->phone_id), "%s", device.id);
    return st;
}

/* The factory makes the physical lock (serial drawn from the seed unless given). */
static enum status make_hardware(struct site *s, const struct fixture_lock *l, int64_t now,
                                 struct hardware_locking_device_row *d, const char *where)
{
    struct lock_lifetimes life = {LOCK_OP_LIFETIME, LOCK_MFG_LIFETIME, LOCK_ELIGIBILITY_WINDOW};
    enum status st;

    memset(d, 0, sizeof(*d));
    snprintf(d->hardware_model, sizeof(d->hardware_model), "%s", l->model);
    snprintf(d->hardware_version, sizeof(d->hardware_version), "%s",
             l->hardware_version ? l->hardware_version : "");
    snprintf(d->firmware_version, sizeof(d->firmware_version), "%s",
             l->firmware_version ? l->firmware_version : "");
    if (l->serial != NULL)
        snprintf(d->serial_number, sizeof(d->serial_number), "%s", l->serial);
    d->created_at = clock_wall_now();
    st = factory_make_lock(s->db, d, &life, now);
    if (st == ST_CONFLICT && l->serial != NULL)
        return problem_invalid(s->p, where, "is taken by another physical locking device");
    return st;
}

/* A placeholder, and when it has a claim the lock that the user's phone claims into it. */
static enum status make_lock(struct site *s, const struct fixture_lock *l, size_t i, int64_t now)
{
    struct locking_device_row row = {0};
    struct hardware_locking_device_row hw;
    const struct fixture_user *u = fixture_find_user(s->fx, l->user_id);
    char where[PTR_LEN];
    enum status st;

    snprintf(row.id, sizeof(row.id), "%s", l->id);
    st = domain_locking_device_add(s->db, s->system.id, l->name, now, &row);
    if (st != ST_OK || l->claim == NULL)
        return st;
    problem_pointer(where, sizeof(where), s->pointer, "/lockingDevices/%zu/claim/serialNumber", i);
    st = make_hardware(s, l, now, &hw, where);
    return st == ST_OK ? sim_phone_claim(s->db, &s->system, u->phone_id, u->id, l->id,
                                         hw.serial_number, now, NULL)
                       : st;
}

static enum status make_permission(struct site *s, const struct fixture_permission *q, int64_t now)
{
    struct permission_row row = {0};

    if (q->id != NULL)
        snprintf(row.id, sizeof(row.id), "%s", q->id);
    return domain_permission_grant(s->db, s->system.id, &q->grant, now, &row, s->p);
}

/* A physical gateway is made, claimed into the system by its code, associated and
 * powered on, as through the APIs. */
static enum status make_gateway(struct site *s, const struct fixture_gateway *g, int64_t now)
{
    struct hardware_gateway_device_row hw = {0};
    struct gateway_device_row row = {0};
    struct association_row link;
    size_t n = g->associations ? json_object_array_length(g->associations) : 0;
    enum status st;

    hw.created_at = clock_wall_now();
    st = factory_make_gateway(s->db, &hw);
    snprintf(row.id, sizeof(row.id), "%s", g->id);
    if (st == ST_OK)
        st = domain_gateway_device_claim(s->db, s->system.id, hw.claiming_code, now, &row, s->p);
    for (size_t i = 0; st == ST_OK && i < n; i++)
        st = domain_association_add(
            s->db, s->system.id, g->id,
            json_object_get_string(json_object_array_get_idx(g->associations, i)), now, &link,
            s->p);
    return st == ST_OK && g->activated ? sim_gateway_power_on(s->db, &s->system, g->id, now) : st;
}

static enum status build_site(struct site *s, int64_t now)
{
    struct fixture_spec *fx = s->fx;
    enum status st = ST_OK;

    for (size_t i = 1; st == ST_OK && i < fx->nusers; i++) {
        struct user_row row = {0};
        char key[ACCESS_KEY_LEN];
        snprintf(row.id, sizeof(row.id), "%s", fx->users[i].id);
        snprintf(key, sizeof(key), "%s", fx->users[i].access_key);
        st = domain_user_add(s->db, s->system.id, fx->users[i].role, now, &row, key);
    }
    for (size_t i = 0; st == ST_OK && i < fx->nusers; i++)
        if (fx->users[i].phone)
            st = make_phone(s, &fx->users[i], now);
        else if (fx->users[i].legacy_id != NULL)
            st = make_legacy_phone(s, &fx->users[i], now);
    for (size_t i = 0; st == ST_OK && i < fx->nlocks; i++)
        st = make_lock(s, &fx->locks[i], i, now);
    for (size_t i = 0; st == ST_OK && i < fx->nperms; i++)
        st = make_permission(s, &fx->perms[i], now);
    for (size_t i = 0; st == ST_OK && i < fx->ngateways; i++)
        st = make_gateway(s, &fx->gateways[i], now);
    return st;
}

/* ---- history ------------------------------------------------------------------------- */

static enum status advance_to(struct site *s, int64_t target)
{
    struct advance_result r;
    enum status st = scheduler_advance(s->db, s->system.id, target, SCHEDULER_DEFAULT_BUDGET, &r);

    if (st == ST_OK && r.truncated)
        st = problem_set(s->p, ST_INTERNAL, "the history needs more than %d jobs",
                         SCHEDULER_DEFAULT_BUDGET);
    return st == ST_OK ? store_system_get(s->db, s->system.id, &s->system) : st;
}

/* An admin asks to re-key the lock at `at`; an hour later the phone that claimed it visits,
 * online, and carries the whole re-keying out. */
static enum status rekey(struct site *s, const char *lock_id, int64_t at, const char *where)
{
    const struct fixture_user *u =
        fixture_find_user(s->fx, fixture_find_lock(s->fx, lock_id)->user_id);
    struct visit_request visit = {lock_id, "unlock", 1, NULL};
    struct visit_report *report = calloc(1, sizeof(*report));
    struct operating_device_row phone;
    struct locking_device_row device;
    char when[TIMEFMT_DATETIME_LEN];
    enum status st = report ? advance_to(s, at) : ST_NOMEM;

    if (st == ST_OK)
        st = store_rekey_request_insert(s->db, s->system.id, lock_id, s->fx->users[0].id, at);
    if (st == ST_OK)
        st = sim_certificate_make_eligible(s->db, &s->system, lock_id, PROFILE_OPERATIONAL, at);
    if (st == ST_OK)
        st = advance_to(s, at + VISIT_DELAY);
    if (st == ST_OK)
        st = store_operating_device_get(s->db, s->system.id, u->phone_id, &phone);
    if (st == ST_OK)
        st = sim_phone_visit(s->db, &s->system, &phone, &visit, at + VISIT_DELAY, report);
    if (st == ST_OK)
        st = store_locking_device_get(s->db, s->system.id, lock_id, &device);
    timefmt_format_datetime(at + VISIT_DELAY, when);
    if (st == ST_OK && device.operational.eligible)
        st = problem_invalid(s->p, where,
                             "the phone of user %s could not re-key it at %s (%s): give the user"
                             " an OPEN permission valid then",
                             u->id, when, report->reason[0] ? report->reason : "not granted");
    free(report);
    return st;
}

/* Runs the autopilot from the system's creation to `end`, re-keying on the way; the
 * autopilot is then left as the document says. */
static enum status run_history(struct site *s, int64_t end)
{
    struct autopilot_row during = s->fx->autopilot;
    json_object *list = s->fx->rekeying;
    size_t n = list ? json_object_array_length(list) : 0;
    int64_t start = clock_system_now(&s->system);
    char where[PTR_LEN];
    enum status st;

    during.enabled = 1;
    st = sim_autopilot_set(s->db, &s->system, &during, start);
    for (size_t j = 0; st == ST_OK && j < n; j++) {
        problem_pointer(where, sizeof(where), s->pointer, "/history/reKeying/%zu", j);
        st = rekey(s, json_object_get_string(json_object_array_get_idx(list, j)),
                   start + (int64_t)(j + 1) * (end - start) / (int64_t)(n + 1), where);
    }
    if (st == ST_OK)
        st = advance_to(s, end);
    if (st == ST_OK && !s->fx->autopilot.enabled)
        st = sim_autopilot_set(s->db, &s->system, &s->fx->autopilot, end);
    return st;
}

/* Where the history ends: the clock's time, or the start of the current UTC day. */
static int64_t history_end(const struct fixture_spec *fx)
{
    int64_t wall = clock_wall_now();

    return fx->clock_time_given ? fx->spec.clock_time : wall - wall % DAY;
}

/* After the history the clock is set as the document says. */
static enum status settle_clock(struct site *s)
{
    const char *mode = s->fx->spec.clock_mode ? s->fx->spec.clock_mode : "real";
    int frozen = strcmp(mode, "frozen") == 0;

    clock_setup(&s->system, mode, frozen || s->fx->clock_time_given ? s->fx->spec.clock_time : 0);
    return store_system_set_clock(s->db, s->system.id, s->system.clock.mode, s->system.clock.offset,
                                  s->system.clock.time);
}

enum status fixture_site_create(struct db *db, struct fixture_spec *fx, const char *pointer,
                                struct problem *p)
{
    struct site site = {db, fx, {0}, pointer, p};
    struct site *s = &site;
    struct system_spec spec = fx->spec;
    struct system_created *created = calloc(1, sizeof(*created));
    int64_t end = fx->history_days > 0 ? history_end(fx) : 0;
    enum status st;

    if (created == NULL)
        return ST_NOMEM;
    if (fx->history_days > 0) {
        spec.clock_mode = "frozen";
        spec.clock_time = end - fx->history_days * DAY;
    }
    spec.admin_user_id = fx->users[0].id;
    spec.admin_access_key = fx->users[0].access_key;
    st = systems_add(s->db, &spec, created);
    s->system = created->system;
    free(created);
    if (st == ST_OK)
        st = build_site(s, clock_system_now(&s->system));
    if (st == ST_OK && fx->history_days > 0) {
        st = run_history(s, end);
        return st == ST_OK ? settle_clock(s) : st;
    }
    /* A generated fleet sets its autopilot once it is made (fixture_fleet.c). */
    if (st == ST_OK && fx->autopilot_in != NULL && fx->generate_in == NULL)
        st = sim_autopilot_set(s->db, &s->system, &fx->autopilot, clock_system_now(&s->system));
    return st;
}
