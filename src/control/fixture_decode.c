#include "control/fixture_decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/associations.h"
#include "lib/time_window.h"
#include "store/hardware.h"
#include "store/permissions.h"

#define DAY 86400
#define MAX_REKEYING 16
#define MAX_HISTORY_DAYS 90
#define DEFAULT_VALIDITY "P8D"

static const char *const roles[] = {"USER", "ADMIN", NULL};
static const char *const models[] = {
    "PADLOCK", "KEY_DEPOSIT", "CONTROLLER", "SWING_HANDLE", "SWING_HANDLE_CONNECTED", NULL};
static const char *const operation_types[] = {"OPEN", "UPDATE_FIRMWARE", "UPDATE_TIME", NULL};
static const char *const permission_types[] = {"SINGLE_INTERVAL", "MULTIPLE_INTERVALS", "RECURRING",
                                               NULL};
static const char *const weekday_names[] = {"MONDAY", "TUESDAY",  "WEDNESDAY", "THURSDAY",
                                            "FRIDAY", "SATURDAY", "SUNDAY",    NULL};

static const struct spec_field system_fields[] = {
    {"id", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct fixture_spec, spec.id)},
    {"name", SPEC_STRING, SPEC_REQUIRED, 1, 255, NULL, offsetof(struct fixture_spec, spec.name)},
    {"apiKey", SPEC_STRING, SPEC_REQUIRED, 16, 63, NULL,
     offsetof(struct fixture_spec, spec.api_key)},
    {"admin", SPEC_OBJECT, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct fixture_spec, admin)},
    {"clock", SPEC_OBJECT, 0, 0, 0, NULL, offsetof(struct fixture_spec, clock)},
    {"users", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct fixture_spec, users_in)},
    {"lockingDevices", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct fixture_spec, locks_in)},
    {"permissions", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct fixture_spec, perms_in)},
    {"gatewayDevices", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct fixture_spec, gateways_in)},
    {"autopilot", SPEC_OBJECT, 0, 0, 0, NULL, offsetof(struct fixture_spec, autopilot_in)},
    {"history", SPEC_OBJECT, 0, 0, 0, NULL, offsetof(struct fixture_spec, history_in)},
    {"generate", SPEC_OBJECT, 0, 0, 0, NULL, offsetof(struct fixture_spec, generate_in)},
};
static const struct spec_field admin_fields[] = {
    {"userId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct fixture_user, id)},
    {"accessKey", SPEC_STRING, SPEC_REQUIRED, 16, 44, NULL,
     offsetof(struct fixture_user, access_key)},
    {"phone", SPEC_BOOL, 0, 0, 0, NULL, offsetof(struct fixture_user, phone)},
    {"legacyOperatingDeviceId", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct fixture_user, legacy_id)},
};
static const struct spec_field user_fields[] = {
    {"id", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct fixture_user, id)},
    {"role", SPEC_ENUM, SPEC_REQUIRED, 0, 0, roles, offsetof(struct fixture_user, role)},
    {"accessKey", SPEC_STRING, SPEC_REQUIRED, 16, 44, NULL,
     offsetof(struct fixture_user, access_key)},
    {"phone", SPEC_BOOL, 0, 0, 0, NULL, offsetof(struct fixture_user, phone)},
    {"legacyOperatingDeviceId", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct fixture_user, legacy_id)},
};
static const struct spec_field lock_fields[] = {
    {"id", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct fixture_lock, id)},
    {"name", SPEC_STRING, SPEC_REQUIRED, 1, 255, NULL, offsetof(struct fixture_lock, name)},
    {"claim", SPEC_OBJECT, 0, 0, 0, NULL, offsetof(struct fixture_lock, claim)},
};
static const struct spec_field claim_fields[] = {
    {"hardwareModel", SPEC_ENUM, SPEC_REQUIRED, 0, 0, models, offsetof(struct fixture_lock, model)},
    {"userId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct fixture_lock, user_id)},
    {"serialNumber", SPEC_STRING, 0, 1, HARDWARE_SERIAL_LEN - 1, NULL,
     offsetof(struct fixture_lock, serial)},
    {"hardwareVersion", SPEC_STRING, 0, 1, HARDWARE_FIELD_LEN - 1, NULL,
     offsetof(struct fixture_lock, hardware_version)},
    {"firmwareVersion", SPEC_STRING, 0, 1, HARDWARE_FIELD_LEN - 1, NULL,
     offsetof(struct fixture_lock, firmware_version)},
};
enum { P_VALIDITY = 5, P_START, P_END }; /* indexes into permission_fields */
static const struct spec_field permission_fields[] = {
    {"id", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct fixture_permission, id)},
    {"userId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
     offsetof(struct fixture_permission, grant.user_id)},
    {"lockingDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
     offsetof(struct fixture_permission, grant.locking_device_id)},
    {"operationType", SPEC_ENUM, SPEC_REQUIRED, 0, 0, operation_types,
     offsetof(struct fixture_permission, grant.operation_type)},
    {"permissionType", SPEC_ENUM, SPEC_REQUIRED, 0, 0, permission_types,
     offsetof(struct fixture_permission, grant.permission_type)},
    {"operatingKeyValidityDuration", SPEC_DURATION, 0, DAY, 31 * DAY, NULL,
     offsetof(struct fixture_permission, grant.validity)},
    {"start", SPEC_DATETIME, SPEC_REQUIRED, 0, 0, NULL,
     offsetof(struct fixture_permission, grant.start)},
    {"end", SPEC_DATETIME, SPEC_REQUIRED, 0, 0, NULL,
     offsetof(struct fixture_permission, grant.end)},
    {"weekdays", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct fixture_permission, grant.weekdays)},
    {"intervals", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct fixture_permission, grant.intervals)},
};
static const struct spec_field gateway_fields[] = {
    {"id", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct fixture_gateway, id)},
    {"associations", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct fixture_gateway, associations)},
    {"activated", SPEC_BOOL, 0, 0, 0, NULL, offsetof(struct fixture_gateway, activated)},
};
static const struct spec_field autopilot_fields[] = {
    {"enabled", SPEC_BOOL, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct autopilot_row, enabled)},
    {"opensPerUserPerDay", SPEC_NUMBER, 0, 0, 100, NULL,
     offsetof(struct autopilot_row, opens_per_user_per_day)},
    {"batteryEventsPerMonth", SPEC_NUMBER, 0, 0, 30, NULL,
     offsetof(struct autopilot_row, battery_events_per_month)},
};
static const struct spec_field history_fields[] = {
    {"days", SPEC_INT, SPEC_REQUIRED, 1, MAX_HISTORY_DAYS, NULL,
     offsetof(struct fixture_spec, history_days)},
    {"reKeying", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct fixture_spec, rekeying)},
};

#define FLEET_MAX_LOCKS 20000
#define FLEET_MAX_USERS 20000
#define FLEET_MAX_GATEWAYS 5000
static const struct spec_field generate_fields[] = {
    {"users", SPEC_INT, 0, 0, FLEET_MAX_USERS, NULL, offsetof(struct fixture_fleet_spec, users)},
    {"lockingDevices", SPEC_INT, 0, 0, FLEET_MAX_LOCKS, NULL,
     offsetof(struct fixture_fleet_spec, locks)},
    {"gatewayDevices", SPEC_INT, 0, 0, FLEET_MAX_GATEWAYS, NULL,
     offsetof(struct fixture_fleet_spec, gateways)},
    {"permissionsPerUser", SPEC_INT, 0, 0, 10, NULL,
     offsetof(struct fixture_fleet_spec, permissions_per_user)},
    {"reKeyingWaves", SPEC_INT, 0, 1, 12, NULL, offsetof(struct fixture_fleet_spec, waves)},
};

/* Decodes obj with a spec, reporting each bad field under its JSON Pointer. */
static int decode_at(const struct spec_field *fields, size_t n, json_object *obj, void *out,
                     uint32_t *present, const char *pointer, struct problem *p)
{
    struct problem inner = {0};
    enum status st;

    if (!json_object_is_type(obj, json_type_object)) {
        problem_invalid(p, pointer, "must be an object");
        return 0;
    }
    st = spec_decode_json(fields, n, obj, out, present, &inner);
    if (st != ST_OK)
        problem_merge(p, pointer, &inner);
    problem_clear(&inner);
    return st == ST_OK;
}

void fixture_invalid_at(struct problem *p, const char *pointer, const char *member,
                        const char *reason)
{
    char where[FIXTURE_POINTER_LEN + 64];

    problem_pointer(where, sizeof(where), pointer, "/%s", member);
    problem_invalid(p, where, "%s", reason);
}

/* NULL when a schedule list is well formed, else the reason. */
static const char *weekdays_problem(json_object *list)
{
    unsigned seen = 0;

    if (json_object_array_length(list) == 0)
        return "must not be empty";
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *v = json_object_array_get_idx(list, i);
        int day = -1;
        for (int d = 0; weekday_names[d] != NULL && json_object_is_type(v, json_type_string); d++)
            if (strcmp(weekday_names[d], json_object_get_string(v)) == 0)
                day = d;
        if (day < 0)
            return "must hold only MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY";
        if (seen & (1u << day))
            return "must not repeat a weekday";
        seen |= 1u << day;
    }
    return NULL;
}

static const char *intervals_problem(json_object *list)
{
    int from, to;

    if (json_object_array_length(list) == 0)
        return "must not be empty";
    if (json_object_array_length(list) > PERMISSION_MAX_INTERVALS)
        return "must hold at most 32 intervals";
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *v = json_object_array_get_idx(list, i);
        if (!json_object_is_type(v, json_type_string) ||
            time_window_parse_interval(json_object_get_string(v), &from, &to) != 0)
            return "must hold only intervals \"HH:MM-HH:MM\" (UTC) whose start is before their"
                   " end";
    }
    return NULL;
}

/* The rules of the Administration API's POST /permission that a field spec cannot say. */
static void check_permission(const struct permission_request *q, uint32_t present,
                             const char *pointer, struct problem *p)
{
    int single = q->permission_type != NULL && strcmp(q->permission_type, "SINGLE_INTERVAL") == 0;
    const char *reason;

    if ((present & (1u << P_START)) && (present & (1u << P_END)) && q->end <= q->start)
        fixture_invalid_at(p, pointer, "end", "must be after start");
    if ((present & (1u << P_VALIDITY)) &&
        strlen(q->validity.text) >= sizeof(((struct permission_row *)0)->validity_text))
        fixture_invalid_at(p, pointer, "operatingKeyValidityDuration", "is too long");
    if (q->permission_type == NULL)
        return;
    for (int i = 0; i < 2; i++) {
        json_object *list = i == 0 ? q->weekdays : q->intervals;
        const char *name = i == 0 ? "weekdays" : "intervals";
        char why[64];
        if (list != NULL && single)
            fixture_invalid_at(p, pointer, name, "is not allowed for SINGLE_INTERVAL permissions");
        else if (list == NULL && !single) {
            snprintf(why, sizeof(why), "is required for %s permissions", q->permission_type);
            fixture_invalid_at(p, pointer, name, why);
        } else if (list != NULL &&
                   (reason = i == 0 ? weekdays_problem(list) : intervals_problem(list)) != NULL)
            fixture_invalid_at(p, pointer, name, reason);
    }
}

static int decode_user(json_object *v, const char *pointer, void *out, struct problem *p)
{
    return decode_at(user_fields, COUNT_OF(user_fields), v, out, NULL, pointer, p);
}

static int decode_lock(json_object *v, const char *pointer, void *out, struct problem *p)
{
    struct fixture_lock *l = out;
    char where[FIXTURE_POINTER_LEN];
    int ok = decode_at(lock_fields, COUNT_OF(lock_fields), v, l, NULL, pointer, p);

    problem_pointer(where, sizeof(where), pointer, "/claim");
    if (l->claim != NULL &&
        !decode_at(claim_fields, COUNT_OF(claim_fields), l->claim, l, NULL, where, p))
        ok = 0;
    return ok;
}

static int decode_permission(json_object *v, const char *pointer, void *out, struct problem *p)
{
    struct fixture_permission *q = out;
    uint32_t present = 0;
    int ok;

    q->grant.validity.text = DEFAULT_VALIDITY;
    q->grant.validity.seconds = 8 * DAY;
    ok = decode_at(permission_fields, COUNT_OF(permission_fields), v, q, &present, pointer, p);
    if (json_object_is_type(v, json_type_object))
        check_permission(&q->grant, present, pointer, p);
    return ok;
}

static int decode_gateway(json_object *v, const char *pointer, void *out, struct problem *p)
{
    ((struct fixture_gateway *)out)->activated = 1;
    return decode_at(gateway_fields, COUNT_OF(gateway_fields), v, out, NULL, pointer, p);
}

typedef int (*item_fn)(json_object *v, const char *pointer, void *out, struct problem *p);

/* Decodes every item of list (may be NULL) into a calloc'ed array of n items of size
 * bytes, starting at index first (items before it are the caller's). */
static void *decode_list(json_object *list, size_t first, const char *pointer, const char *name,
                         size_t size, item_fn one, size_t *n, struct problem *p)
{
    size_t count = list ? json_object_array_length(list) : 0;
    char where[FIXTURE_POINTER_LEN];
    char *items;

    *n = first + count;
    items = calloc(*n ? *n : 1, size);
    if (items == NULL)
        return NULL;
    if (count > FIXTURE_MAX_ITEMS) {
        problem_pointer(where, sizeof(where), pointer, "/%s", name);
        problem_invalid(p, where, "must hold at most %d items", FIXTURE_MAX_ITEMS);
        return items;
    }
    for (size_t i = 0; i < count; i++) {
        problem_pointer(where, sizeof(where), pointer, "/%s/%zu", name, i);
        one(json_object_array_get_idx(list, i), where, items + (first + i) * size, p);
    }
    return items;
}

/* An id list (associations, reKeying): UUIDs of this system's locking devices, each once,
 * at most max; claimed: the lock must have a claim. */
static void check_lock_list(const struct fixture_spec *s, json_object *list, size_t max,
                            int claimed, const char *pointer, struct problem *p)
{
    size_t n = list ? json_object_array_length(list) : 0;
    char where[FIXTURE_POINTER_LEN];

    if (n > max)
        problem_invalid(p, pointer, "must hold at most %zu locking device ids", max);
    for (size_t i = 0; i < n && i < max; i++) {
        json_object *v = json_object_array_get_idx(list, i);
        const char *id = json_object_get_string(v);
        struct fixture_lock *lock =
            json_object_is_type(v, json_type_string) ? fixture_find_lock(s, id) : NULL;
        problem_pointer(where, sizeof(where), pointer, "/%zu", i);
        if (lock == NULL)
            problem_invalid(p, where, "must name a locking device of this system");
        else if (claimed && lock->claim == NULL)
            problem_invalid(p, where, "must name a locking device with a claim");
        for (size_t j = 0; lock != NULL && j < i; j++)
            if (strcmp(json_object_get_string(json_object_array_get_idx(list, j)), id) == 0)
                problem_invalid(p, where, "repeats an earlier locking device");
    }
}

/* True when ids[i] (a string member at the same offset of each item) repeats an earlier
 * item's. */
static int repeats(const void *items, size_t size, size_t offset, size_t i)
{
    const char *id = *(const char *const *)((const char *)items + i * size + offset);

    for (size_t j = 0; id != NULL && j < i; j++) {
        const char *other = *(const char *const *)((const char *)items + j * size + offset);
        if (other != NULL && strcmp(other, id) == 0)
            return 1;
    }
    return 0;
}

static void check_ids(const struct fixture_spec *s, const char *pointer, struct problem *p)
{
    char where[FIXTURE_POINTER_LEN];

    for (size_t i = 1; i < s->nusers; i++) {
        problem_pointer(where, sizeof(where), pointer, "/users/%zu/id", i - 1);
        if (repeats(s->users, sizeof(*s->users), offsetof(struct fixture_user, id), i))
            problem_invalid(p, where, "repeats the id of another user of this system");
    }
    for (size_t i = 0; i < s->nlocks; i++) {
        problem_pointer(where, sizeof(where), pointer, "/lockingDevices/%zu/id", i);
        if (repeats(s->locks, sizeof(*s->locks), offsetof(struct fixture_lock, id), i))
            problem_invalid(p, where, "repeats the id of an earlier locking device");
    }
    for (size_t i = 0; i < s->nperms; i++) {
        problem_pointer(where, sizeof(where), pointer, "/permissions/%zu/id", i);
        if (repeats(s->perms, sizeof(*s->perms), offsetof(struct fixture_permission, id), i))
            problem_invalid(p, where, "repeats the id of an earlier permission");
    }
    for (size_t i = 0; i < s->ngateways; i++) {
        problem_pointer(where, sizeof(where), pointer, "/gatewayDevices/%zu/id", i);
        if (repeats(s->gateways, sizeof(*s->gateways), offsetof(struct fixture_gateway, id), i))
            problem_invalid(p, where, "repeats the id of an earlier gateway device");
    }
}

/* What refers to what inside one system: claims, permissions, associations, re-keying. */
static void check_references(const struct fixture_spec *s, const char *pointer, struct problem *p)
{
    char where[FIXTURE_POINTER_LEN];

    check_ids(s, pointer, p);
    for (size_t i = 0; i < s->nusers; i++) {
        if (i == 0)
            problem_pointer(where, sizeof(where), pointer, "/admin");
        else
            problem_pointer(where, sizeof(where), pointer, "/users/%zu", i - 1);
        if (s->users[i].phone && s->users[i].legacy_id != NULL)
            fixture_invalid_at(p, where, "legacyOperatingDeviceId",
                               "a user has one operating device: not with \"phone\": true");
    }
    for (size_t i = 0; i < s->nlocks; i++) {
        const struct fixture_user *u = fixture_find_user(s, s->locks[i].user_id);
        problem_pointer(where, sizeof(where), pointer, "/lockingDevices/%zu/claim", i);
        if (s->locks[i].user_id != NULL && (u == NULL || (!u->phone && u->legacy_id == NULL)))
            fixture_invalid_at(p, where, "userId",
                               "must name a user of this system with \"phone\": true or a "
                               "legacyOperatingDeviceId");
    }
    for (size_t i = 0; i < s->nperms; i++) {
        const struct permission_request *q = &s->perms[i].grant;
        problem_pointer(where, sizeof(where), pointer, "/permissions/%zu", i);
        if (q->user_id != NULL && fixture_find_user(s, q->user_id) == NULL)
            fixture_invalid_at(p, where, "userId", "must name a user of this system");
        if (q->locking_device_id != NULL && fixture_find_lock(s, q->locking_device_id) == NULL)
            fixture_invalid_at(p, where, "lockingDeviceId",
                               "must name a locking device of this system");
    }
    for (size_t i = 0; i < s->ngateways; i++) {
        problem_pointer(where, sizeof(where), pointer, "/gatewayDevices/%zu/associations", i);
        check_lock_list(s, s->gateways[i].associations, ASSOCIATIONS_PER_GATEWAY, 0, where, p);
    }
    problem_pointer(where, sizeof(where), pointer, "/history/reKeying");
    check_lock_list(s, s->rekeying, MAX_REKEYING, 1, where, p);
}

/* What a generated fleet needs besides its numbers: someone to claim the locks and grant
 * to, locks to grant on, and a site without a history to replay. */
static void decode_generate(struct fixture_spec *s, const char *pointer, struct problem *p)
{
    struct fixture_fleet_spec *f = &s->fleet;
    char where[FIXTURE_POINTER_LEN];

    *f = (struct fixture_fleet_spec){0, 0, 0, 2, 4};
    problem_pointer(where, sizeof(where), pointer, "/generate");
    if (!decode_at(generate_fields, COUNT_OF(generate_fields), s->generate_in, f, NULL, where, p))
        return;
    if (f->locks > 0 && f->users == 0)
        fixture_invalid_at(p, where, "users",
                           "must be at least 1: the users' phones claim the locks");
    if (f->users > 0 && f->permissions_per_user > 0 && f->locks == 0)
        fixture_invalid_at(p, where, "lockingDevices",
                           "must be at least 1 for permissionsPerUser above 0");
    if (s->history_in != NULL)
        fixture_invalid_at(p, pointer, "history", "is not allowed with \"generate\"");
}

static void decode_parts(struct fixture_spec *s, const char *pointer, struct problem *p)
{
    char where[FIXTURE_POINTER_LEN];

    problem_pointer(where, sizeof(where), pointer, "/admin");
    if (s->admin != NULL)
        decode_at(admin_fields, COUNT_OF(admin_fields), s->admin, &s->users[0], NULL, where, p);
    s->users[0].role = "ADMIN";
    problem_pointer(where, sizeof(where), pointer, "/clock");
    if (s->clock != NULL)
        systems_decode_clock(s->clock, where, &s->spec, p);
    s->clock_time_given = s->clock != NULL && json_object_object_get_ex(s->clock, "time", NULL);
    problem_pointer(where, sizeof(where), pointer, "/autopilot");
    if (s->autopilot_in != NULL)
        decode_at(autopilot_fields, COUNT_OF(autopilot_fields), s->autopilot_in, &s->autopilot,
                  NULL, where, p);
    problem_pointer(where, sizeof(where), pointer, "/history");
    if (s->history_in != NULL)
        decode_at(history_fields, COUNT_OF(history_fields), s->history_in, s, NULL, where, p);
    if (s->generate_in != NULL)
        decode_generate(s, pointer, p);
}

enum status fixture_decode_system(json_object *obj, const char *pointer, struct fixture_spec *s,
                                  struct problem *p)
{
    s->autopilot = (struct autopilot_row){0, 4.0, 1.0};
    decode_at(system_fields, COUNT_OF(system_fields), obj, s, NULL, pointer, p);
    s->users = decode_list(s->users_in, 1, pointer, "users", sizeof(*s->users), decode_user,
                           &s->nusers, p);
    s->locks = decode_list(s->locks_in, 0, pointer, "lockingDevices", sizeof(*s->locks),
                           decode_lock, &s->nlocks, p);
    s->perms = decode_list(s->perms_in, 0, pointer, "permissions", sizeof(*s->perms),
                           decode_permission, &s->nperms, p);
    s->gateways = decode_list(s->gateways_in, 0, pointer, "gatewayDevices", sizeof(*s->gateways),
                              decode_gateway, &s->ngateways, p);
    if (s->users == NULL || s->locks == NULL || s->perms == NULL || s->gateways == NULL)
        return ST_NOMEM;
    decode_parts(s, pointer, p);
    check_references(s, pointer, p);
    return ST_OK;
}

void fixture_spec_release(struct fixture_spec *s)
{
    free(s->users);
    free(s->locks);
    free(s->perms);
    free(s->gateways);
}
