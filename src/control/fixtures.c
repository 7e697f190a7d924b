#include "control/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/locking_devices.h"
#include "sim/clock.h"

static const char *const roles[] = {"USER", "ADMIN", NULL};

struct user_in {
    const char *id, *role, *access_key;
};

struct device_in {
    const char *id, *name;
};

struct admin_in {
    const char *user_id, *access_key;
};

struct system_in {
    struct system_spec spec;
    json_object *admin, *clock, *users, *devices;
};

static const struct spec_field system_fields[] = {
    {"id", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct system_in, spec.id)},
    {"name", SPEC_STRING, SPEC_REQUIRED, 1, 255, NULL, offsetof(struct system_in, spec.name)},
    {"apiKey", SPEC_STRING, SPEC_REQUIRED, 16, 63, NULL, offsetof(struct system_in, spec.api_key)},
    {"admin", SPEC_OBJECT, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct system_in, admin)},
    {"clock", SPEC_OBJECT, 0, 0, 0, NULL, offsetof(struct system_in, clock)},
    {"users", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct system_in, users)},
    {"lockingDevices", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct system_in, devices)},
};
static const struct spec_field admin_fields[] = {
    {"userId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct admin_in, user_id)},
    {"accessKey", SPEC_STRING, SPEC_REQUIRED, 16, 44, NULL, offsetof(struct admin_in, access_key)},
};
static const struct spec_field user_fields[] = {
    {"id", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct user_in, id)},
    {"role", SPEC_ENUM, SPEC_REQUIRED, 0, 0, roles, offsetof(struct user_in, role)},
    {"accessKey", SPEC_STRING, SPEC_REQUIRED, 16, 44, NULL, offsetof(struct user_in, access_key)},
};
static const struct spec_field device_fields[] = {
    {"id", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct device_in, id)},
    {"name", SPEC_STRING, SPEC_REQUIRED, 1, 255, NULL, offsetof(struct device_in, name)},
};

/* Decodes obj with a spec, reporting each bad field under its JSON Pointer. */
static enum status decode_at(const struct spec_field *fields, size_t n, json_object *obj,
                             void *out, const char *pointer, struct problem *p)
{
    struct problem inner = {0};
    enum status st = spec_decode_json(fields, n, obj, out, NULL, &inner);

    if (st != ST_OK)
        problem_merge(p, pointer, &inner);
    problem_clear(&inner);
    return st;
}

/* Validates one system entry and, when valid and new, creates it with its content.
 * first..out are the entries of this document already loaded. */
static enum status load_system(struct db *db, json_object *obj, const char *pointer,
                               const struct fixture_system *first, struct fixture_system *out,
                               struct problem *p)
{
    struct system_in in = {0};
    struct admin_in admin = {0};
    struct system_created *created = NULL;
    struct system_row existing;
    char where[128];
    enum status st = decode_at(system_fields, COUNT_OF(system_fields), obj, &in, pointer, p);

    if (in.admin != NULL) {
        snprintf(where, sizeof(where), "%s/admin", pointer);
        if (decode_at(admin_fields, COUNT_OF(admin_fields), in.admin, &admin, where, p) != ST_OK)
            st = ST_INVALID;
    }
    if (in.clock != NULL) {
        snprintf(where, sizeof(where), "%s/clock", pointer);
        if (systems_decode_clock(in.clock, where, &in.spec, p) != ST_OK)
            st = ST_INVALID;
    }
    for (size_t i = 0; in.users && i < json_object_array_length(in.users); i++) {
        struct user_in u = {0};
        snprintf(where, sizeof(where), "%s/users/%zu", pointer, i);
        if (decode_at(user_fields, COUNT_OF(user_fields), json_object_array_get_idx(in.users, i),
                      &u, where, p) != ST_OK)
            st = ST_INVALID;
    }
    for (size_t i = 0; in.devices && i < json_object_array_length(in.devices); i++) {
        struct device_in d = {0};
        snprintf(where, sizeof(where), "%s/lockingDevices/%zu", pointer, i);
        if (decode_at(device_fields, COUNT_OF(device_fields),
                      json_object_array_get_idx(in.devices, i), &d, where, p) != ST_OK)
            st = ST_INVALID;
    }
    if (st != ST_OK || problem_has_invalid(p))
        return ST_INVALID;

    snprintf(out->id, sizeof(out->id), "%s", in.spec.id);
    snprintf(out->name, sizeof(out->name), "%s", in.spec.name);
    snprintf(out->api_key, sizeof(out->api_key), "%s", in.spec.api_key);
    snprintf(out->admin_user_id, sizeof(out->admin_user_id), "%s", admin.user_id);
    snprintf(out->admin_access_key, sizeof(out->admin_access_key), "%s", admin.access_key);
    for (const struct fixture_system *earlier = first; earlier < out; earlier++)
        if (strcmp(earlier->id, in.spec.id) == 0) {
            snprintf(where, sizeof(where), "%s/id", pointer);
            return problem_invalid(p, where, "repeats the id of an earlier system");
        }
    if (store_system_get(db, in.spec.id, &existing) == ST_OK) {
        out->existed = 1;
        return ST_OK;
    }
    in.spec.admin_user_id = admin.user_id;
    in.spec.admin_access_key = admin.access_key;
    created = calloc(1, sizeof(*created));
    if (created == NULL)
        return ST_NOMEM;
    st = systems_add(db, &in.spec, created);
    int64_t now = clock_system_now(&created->system);
    for (size_t i = 0; st == ST_OK && in.users && i < json_object_array_length(in.users); i++) {
        struct user_in u = {0};
        struct user_row row = {0};
        char key[ACCESS_KEY_LEN];
        spec_decode_json(user_fields, COUNT_OF(user_fields),
                         json_object_array_get_idx(in.users, i), &u, NULL, NULL);
        snprintf(row.id, sizeof(row.id), "%s", u.id);
        snprintf(key, sizeof(key), "%s", u.access_key);
        st = users_add(db, in.spec.id, u.role, now, &row, key);
    }
    for (size_t i = 0; st == ST_OK && in.devices && i < json_object_array_length(in.devices);
         i++) {
        struct device_in d = {0};
        struct locking_device_row row = {0};
        spec_decode_json(device_fields, COUNT_OF(device_fields),
                         json_object_array_get_idx(in.devices, i), &d, NULL, NULL);
        snprintf(row.id, sizeof(row.id), "%s", d.id);
        st = locking_devices_add(db, in.spec.id, d.name, now, &row);
    }
    if (st == ST_CONFLICT)
        problem_invalid(p, pointer, "an id or API key of this system is already in use");
    free(created);
    return st;
}

struct load_ctx {
    json_object *systems;
    struct fixture_result *out;
    struct problem *p;
};

static enum status load_tx(struct db *db, void *ctx)
{
    struct load_ctx *c = ctx;
    enum status st = ST_OK;

    for (size_t i = 0; i < c->out->count; i++) {
        char pointer[32];
        snprintf(pointer, sizeof(pointer), "/systems/%zu", i);
        enum status one = load_system(db, json_object_array_get_idx(c->systems, i), pointer,
                                      c->out->systems, &c->out->systems[i], c->p);
        if (one != ST_OK)
            st = one; /* keep going: report every bad value at once */
    }
    return st;
}

enum status fixtures_load(struct db *db, json_object *doc, struct fixture_result *out,
                          struct problem *p)
{
    struct load_ctx ctx = {.out = out, .p = p};
    enum status st;

    memset(out, 0, sizeof(*out));
    if (!json_object_is_type(doc, json_type_object) ||
        !json_object_object_get_ex(doc, "systems", &ctx.systems) ||
        !json_object_is_type(ctx.systems, json_type_array))
        return problem_invalid(p, "/systems", "is required and must be an array");
    out->count = json_object_array_length(ctx.systems);
    out->systems = calloc(out->count ? out->count : 1, sizeof(*out->systems));
    if (out->systems == NULL)
        return ST_NOMEM;
    st = db_transact(db, load_tx, &ctx);
    if (st != ST_OK)
        fixtures_result_release(out);
    return st;
}

static void print_problem(const char *path, const struct problem *p)
{
    size_t n = p->invalid_params ? json_object_array_length(p->invalid_params) : 0;

    if (n == 0)
        fprintf(stderr, "keyless-emulator: %s: %s\n", path, p->detail);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(p->invalid_params, i);
        fprintf(stderr, "keyless-emulator: %s: %s: %s\n", path,
                json_object_get_string(json_object_object_get(e, "name")),
                json_object_get_string(json_object_object_get(e, "reason")));
    }
}

enum status fixtures_load_file(struct db *db, const char *path, struct fixture_result *out)
{
    struct problem p = {0};
    json_object *doc = json_object_from_file(path);
    enum status st;

    if (doc == NULL) {
        fprintf(stderr, "keyless-emulator: %s: cannot read or parse: %s\n", path,
                json_util_get_last_err() ? json_util_get_last_err() : "unknown error");
        return ST_INVALID;
    }
    st = fixtures_load(db, doc, out, &p);
    if (st != ST_OK)
        print_problem(path, &p);
    problem_clear(&p);
    json_object_put(doc);
    return st;
}

void fixtures_result_release(struct fixture_result *r)
{
    free(r->systems);
    r->systems = NULL;
    r->count = 0;
}
