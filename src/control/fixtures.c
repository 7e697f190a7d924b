#include "control/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/fixture_decode.h"
#include "control/fixture_fleet.h"
#include "control/fixture_site.h"

struct load_ctx {
    json_object *systems;
    struct fixture_spec *fx;
    struct fixture_result *out;
    struct problem *p;
};

static void describe(const struct fixture_spec *fx, struct fixture_system *out)
{
    snprintf(out->id, sizeof(out->id), "%s", fx->spec.id);
    snprintf(out->name, sizeof(out->name), "%s", fx->spec.name);
    snprintf(out->api_key, sizeof(out->api_key), "%s", fx->spec.api_key);
    snprintf(out->admin_user_id, sizeof(out->admin_user_id), "%s", fx->users[0].id);
    snprintf(out->admin_access_key, sizeof(out->admin_access_key), "%s", fx->users[0].access_key);
}

static enum status load_tx(struct db *db, void *ctx)
{
    struct load_ctx *c = ctx;
    struct system_row existing;
    enum status st = ST_OK;

    for (size_t i = 0; st == ST_OK && i < c->out->count; i++) {
        char pointer[32];
        snprintf(pointer, sizeof(pointer), "/systems/%zu", i);
        describe(&c->fx[i], &c->out->systems[i]);
        st = store_system_get(db, c->fx[i].spec.id, &existing);
        c->out->systems[i].existed = st == ST_OK;
        if (st == ST_NOT_FOUND)
            st = fixture_site_create(db, &c->fx[i], pointer, c->p);
        if (st == ST_CONFLICT)
            problem_invalid(c->p, pointer, "an id or API key of this system is already in use");
    }
    return st;
}

/* Decodes every system, naming every problem; ST_INVALID when there is any. */
static enum status decode_document(struct load_ctx *c)
{
    enum status st = ST_OK;

    for (size_t i = 0; st == ST_OK && i < c->out->count; i++) {
        char pointer[32];
        snprintf(pointer, sizeof(pointer), "/systems/%zu", i);
        st = fixture_decode_system(json_object_array_get_idx(c->systems, i), pointer, &c->fx[i],
                                   c->p);
        for (size_t j = 0; st == ST_OK && c->fx[i].spec.id != NULL && j < i; j++)
            if (c->fx[j].spec.id != NULL && strcmp(c->fx[j].spec.id, c->fx[i].spec.id) == 0)
                fixture_invalid_at(c->p, pointer, "id", "repeats the id of an earlier system");
    }
    return st == ST_OK && problem_has_invalid(c->p) ? ST_INVALID : st;
}

struct undo_ctx {
    const struct load_ctx *c;
};

/* A fleet failed half made: the systems this document created go, so nothing is left. */
static enum status undo_tx(struct db *db, void *ctx)
{
    const struct load_ctx *c = ((struct undo_ctx *)ctx)->c;
    enum status st = ST_OK;

    for (size_t i = 0; st == ST_OK && i < c->out->count; i++)
        if (!c->out->systems[i].existed)
            st = store_system_delete(db, c->fx[i].spec.id);
    return st == ST_NOT_FOUND ? ST_OK : st;
}

/* Fleets are made after the document's one transaction, in chunks of their own. */
static enum status generate_fleets(struct db *db, struct load_ctx *c)
{
    struct undo_ctx undo = {c};
    enum status st = ST_OK;

    for (size_t i = 0; st == ST_OK && i < c->out->count; i++)
        if (c->fx[i].generate_in != NULL && !c->out->systems[i].existed)
            st = fixture_fleet_generate(db, &c->fx[i], c->p);
    if (st != ST_OK)
        db_transact(db, undo_tx, &undo);
    return st;
}

enum status fixtures_load(struct db *db, json_object *doc, struct fixture_result *out,
                          struct problem *p)
{
    struct load_ctx c = {.out = out, .p = p};
    enum status st;

    memset(out, 0, sizeof(*out));
    if (!json_object_is_type(doc, json_type_object) ||
        !json_object_object_get_ex(doc, "systems", &c.systems) ||
        !json_object_is_type(c.systems, json_type_array))
        return problem_invalid(p, "/systems", "is required and must be an array");
    json_object_object_foreach(doc, key, value)
    {
        char where[FIXTURE_POINTER_LEN];
        snprintf(where, sizeof(where), "/%s", key);
        if (strcmp(key, "$schema") == 0 && !json_object_is_type(value, json_type_string))
            problem_invalid(p, where, "must be a string");
        else if (strcmp(key, "systems") != 0 && strcmp(key, "$schema") != 0)
            problem_invalid(p, where, "unknown field '%s'", key);
    }
    out->count = json_object_array_length(c.systems);
    if (out->count > FIXTURE_MAX_ITEMS)
        return problem_invalid(p, "/systems", "must hold at most %d systems", FIXTURE_MAX_ITEMS);
    out->systems = calloc(out->count ? out->count : 1, sizeof(*out->systems));
    c.fx = calloc(out->count ? out->count : 1, sizeof(*c.fx));
    st = out->systems && c.fx ? decode_document(&c) : ST_NOMEM;
    if (st == ST_OK)
        st = db_transact(db, load_tx, &c);
    if (st == ST_OK)
        st = generate_fleets(db, &c);
    for (size_t i = 0; c.fx != NULL && i < out->count; i++)
        fixture_spec_release(&c.fx[i]);
    free(c.fx);
    if (st != ST_OK)
        fixtures_result_release(out);
    return st;
}

static void print_problem(const char *path, const struct problem *p)
{
    size_t n = p->invalid_params ? json_object_array_length(p->invalid_params) : 0;

    if (n == 0)
        fprintf(stderr, "keyless-emulator: %s: %s\n", path,
                p->detail[0] ? p->detail : "cannot be loaded");
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
