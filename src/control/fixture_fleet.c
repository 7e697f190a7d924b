#include "control/fixture_fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/associations.h"
#include "domain/gateway_devices.h"
#include "domain/locking_devices.h"
#include "domain/users.h"
#include "lib/array.h"
#include "lib/rng.h"
#include "lib/wallclock.h"
#include "sim/autopilot.h"
#include "sim/clock.h"
#include "sim/factory.h"
#include "sim/gateways.h"
#include "sim/locks.h"
#include "sim/phones.h"
#include "store/systems.h"

#define DAY 86400LL
#define WAVE_JITTER (7 * DAY)       /* locks of one wave were installed within a week */
#define PERMISSION_PAST (30 * DAY)  /* generated permissions began a month ago */
#define PERMISSION_SPAN (400 * DAY) /* and last a little over a year */
#define MODELS 5

static const char *const models[MODELS] = {"PADLOCK", "KEY_DEPOSIT", "CONTROLLER", "SWING_HANDLE",
                                           "SWING_HANDLE_CONNECTED"};
static const char *const model_names[MODELS] = {"Padlock", "Key Box", "Door Controller",
                                                "Cabinet Handle", "Rack Handle"};
static const char *const places[] = {"Substation",  "Pump Station", "Mast",        "Relay Hut",
                                     "Water Tower", "Depot",        "Switch Room", "Fence Gate"};
static const char *const permission_types[] = {"SINGLE_INTERVAL", "MULTIPLE_INTERVALS",
                                               "RECURRING"};

struct fleet_user {
    char id[UUID_STR_LEN];
    char phone_id[UUID_STR_LEN];
};

/* A fleet being made: what later items refer to (users' phones, locks' ids). */
struct fleet {
    const struct fixture_fleet_spec *spec;
    struct system_row system;
    int64_t now;
    struct fleet_user *users;
    char (*locks)[UUID_STR_LEN];
    size_t next_association; /* the next lock a gateway takes */
    json_object *workdays, *work_hours, *some_days, *day_hours;
    struct problem *p;
};

typedef enum status (*fleet_item_fn)(struct db *db, struct fleet *f, size_t i);

/* ---- items ----------------------------------------------------------------------------- */

static enum status make_user(struct db *db, struct fleet *f, size_t i)
{
    struct user_row row = {0};
    char key[ACCESS_KEY_LEN] = "";
    enum status st = domain_user_add(db, f->system.id, "USER", f->now, &row, key);

    if (st == ST_OK)
        snprintf(f->users[i].id, sizeof(f->users[i].id), "%s", row.id);
    return st == ST_OK
               ? fixture_site_phone(db, f->system.id, row.id, f->now, f->users[i].phone_id, f->p)
               : st;
}

/* When the lock's certificates were issued: its wave's age plus up to a week, so that the
 * operational certificates of each wave fall due together and the waves a lifetime/waves
 * apart, the oldest just before its re-keying window opens. */
static int64_t certified_at(const struct fleet *f)
{
    int64_t spread = LOCK_OP_LIFETIME - LOCK_ELIGIBILITY_WINDOW - WAVE_JITTER;
    int64_t wave = (int64_t)rng_below((uint64_t)f->spec->waves);

    return f->now - wave * spread / f->spec->waves - (int64_t)rng_below(WAVE_JITTER);
}

/* A placeholder, a lock of the next model from the factory, and the phone of one of the
 * users claiming it into the placeholder. */
static enum status make_lock(struct db *db, struct fleet *f, size_t i)
{
    struct lock_lifetimes life = {LOCK_OP_LIFETIME, LOCK_MFG_LIFETIME, LOCK_ELIGIBILITY_WINDOW};
    struct hardware_locking_device_row hw = {0};
    struct locking_device_row row = {0};
    const struct fleet_user *u = &f->users[i % (size_t)f->spec->users];
    char name[96];
    enum status st;

    snprintf(name, sizeof(name), "%s %04zu %s", places[rng_below(COUNT_OF(places))], i + 1,
             model_names[i % MODELS]);
    st = domain_locking_device_add(db, f->system.id, name, f->now, &row);
    snprintf(f->locks[i], sizeof(f->locks[i]), "%s", row.id);
    snprintf(hw.hardware_model, sizeof(hw.hardware_model), "%s", models[i % MODELS]);
    hw.created_at = clock_wall_now();
    if (st == ST_OK)
        st = factory_make_lock_for_claim(db, &hw, &life);
    return st == ST_OK ? sim_phone_claim_certified(db, &f->system, u->phone_id, u->id, row.id,
                                                   hw.serial_number, f->now, certified_at(f), NULL)
                       : st;
}

/* The k-th permission of user i: the three types in turn, on a lock drawn from the fleet. */
static enum status make_permission(struct db *db, struct fleet *f, size_t i, size_t k)
{
    size_t n = i * (size_t)f->spec->permissions_per_user + k;
    const char *type = permission_types[n % COUNT_OF(permission_types)];
    int64_t start = f->now - f->now % DAY - PERMISSION_PAST;
    struct permission_request q = {f->users[i].id,
                                   f->locks[rng_below((uint64_t)f->spec->locks)],
                                   "OPEN",
                                   type,
                                   {"P8D", 8 * DAY},
                                   start,
                                   start + PERMISSION_SPAN,
                                   NULL,
                                   NULL};
    struct permission_row row = {0};

    if (strcmp(type, "MULTIPLE_INTERVALS") == 0) {
        q.weekdays = f->workdays;
        q.intervals = f->work_hours;
    } else if (strcmp(type, "RECURRING") == 0) {
        q.weekdays = f->some_days;
        q.intervals = f->day_hours;
    }
    return domain_permission_grant(db, f->system.id, &q, f->now, &row, f->p);
}

static enum status make_permissions(struct db *db, struct fleet *f, size_t i)
{
    enum status st = ST_OK;

    for (size_t k = 0; st == ST_OK && k < (size_t)f->spec->permissions_per_user; k++)
        st = make_permission(db, f, i, k);
    return st;
}

/* A gateway from the factory, claimed by its code, associated with the next one to six
 * locks (the domain holds the limit of six) and powered on. */
static enum status make_gateway(struct db *db, struct fleet *f, size_t i)
{
    struct hardware_gateway_device_row hw = {0};
    struct gateway_device_row row = {0};
    struct association_row link;
    size_t want = 1 + (size_t)rng_below(ASSOCIATIONS_PER_GATEWAY);
    enum status st;

    (void)i;
    hw.created_at = clock_wall_now();
    st = factory_make_gateway(db, &hw);
    if (st == ST_OK)
        st = domain_gateway_device_claim(db, f->system.id, hw.claiming_code, f->now, &row, f->p);
    for (size_t k = 0; st == ST_OK && k < want && f->next_association < (size_t)f->spec->locks; k++)
        st = domain_association_add(db, f->system.id, row.id, f->locks[f->next_association++],
                                    f->now, &link, f->p);
    return st == ST_OK ? sim_gateway_power_on(db, &f->system, row.id, f->now) : st;
}

/* ---- chunks ---------------------------------------------------------------------------- */

struct chunk {
    struct fleet *f;
    fleet_item_fn item;
    size_t from, to;
};

static enum status chunk_tx(struct db *db, void *ctx)
{
    struct chunk *c = ctx;
    enum status st = ST_OK;

    for (size_t i = c->from; st == ST_OK && i < c->to; i++)
        st = c->item(db, c->f, i);
    return st;
}

/* count items, FLEET_CHUNK to a transaction: the writer is free between them. */
static enum status run_items(struct db *db, struct fleet *f, int64_t count, fleet_item_fn item)
{
    enum status st = ST_OK;

    for (size_t i = 0; st == ST_OK && i < (size_t)count; i += FLEET_CHUNK) {
        struct chunk c = {f, item, i,
                          i + FLEET_CHUNK < (size_t)count ? i + FLEET_CHUNK : (size_t)count};
        st = db_transact(db, chunk_tx, &c);
    }
    return st;
}

/* ---- the fleet ------------------------------------------------------------------------- */

static json_object *string_list(const char *const *items, size_t n)
{
    json_object *list = json_object_new_array();

    for (size_t i = 0; list != NULL && i < n; i++)
        json_object_array_add(list, json_object_new_string(items[i]));
    return list;
}

static int make_schedules(struct fleet *f)
{
    static const char *const workdays[] = {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"};
    static const char *const work_hours[] = {"07:00-12:00", "13:00-18:00"};
    static const char *const some_days[] = {"MONDAY", "THURSDAY", "SATURDAY"};
    static const char *const day_hours[] = {"06:00-22:00"};

    f->workdays = string_list(workdays, COUNT_OF(workdays));
    f->work_hours = string_list(work_hours, COUNT_OF(work_hours));
    f->some_days = string_list(some_days, COUNT_OF(some_days));
    f->day_hours = string_list(day_hours, COUNT_OF(day_hours));
    return f->workdays && f->work_hours && f->some_days && f->day_hours;
}

static void release(struct fleet *f)
{
    json_object_put(f->workdays);
    json_object_put(f->work_hours);
    json_object_put(f->some_days);
    json_object_put(f->day_hours);
    free(f->users);
    free(f->locks);
}

struct autopilot_ctx {
    const struct fleet *f;
    const struct autopilot_row *row;
};

static enum status autopilot_tx(struct db *db, void *ctx)
{
    struct autopilot_ctx *c = ctx;

    return sim_autopilot_set(db, &c->f->system, c->row, c->f->now);
}

static enum status build(struct db *db, struct fleet *f, const struct fixture_spec *fx)
{
    struct autopilot_ctx ap = {f, &fx->autopilot};
    enum status st = run_items(db, f, f->spec->users, make_user);

    if (st == ST_OK)
        st = run_items(db, f, f->spec->locks, make_lock);
    if (st == ST_OK)
        st = run_items(db, f, f->spec->users, make_permissions);
    if (st == ST_OK)
        st = run_items(db, f, f->spec->gateways, make_gateway);
    if (st == ST_OK && fx->autopilot_in != NULL)
        st = db_transact(db, autopilot_tx, &ap);
    return st;
}

enum status fixture_fleet_generate(struct db *db, const struct fixture_spec *fx, struct problem *p)
{
    struct fleet f = {.spec = &fx->fleet, .p = p};
    enum status st = store_system_get(db, fx->spec.id, &f.system);

    if (st != ST_OK)
        return st;
    f.now = clock_system_now(&f.system);
    f.users = calloc((size_t)fx->fleet.users + 1, sizeof(*f.users));
    f.locks = calloc((size_t)fx->fleet.locks + 1, sizeof(*f.locks));
    st = f.users && f.locks && make_schedules(&f) ? build(db, &f, fx) : ST_NOMEM;
    release(&f);
    return st;
}
