/*
 * fuzz_fixtures.c — fixtures_load() on any JSON document, on an in-memory database.
 *
 * The input is parsed as POST /_emulator/v1/fixtures would parse it (depth 32, strict,
 * UTF-8 validated). A load that succeeds must have made or kept every system it reports;
 * one that fails must say why and must have written nothing (the number of systems is
 * unchanged). Systems a successful load made are deleted again, so every input starts
 * from the same database and a crash reproduces from its input alone.
 */
#include <json-c/json.h>

#include "control/fixtures.h"
#include "fuzz.h"
#include "lib/json_body.h"
#include "lib/rng.h"
#include "store/db.h"
#include "store/systems.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rng_init("fuzz");
    if (db_open(":memory:") != ST_OK)
        abort();
    return 0;
}

static json_object *parse(const uint8_t *data, size_t size)
{
    json_object *obj;

    /* The server's own parser (lib/json_body.h), not a copy of its settings. */
    return json_body_parse((const char *)data, size, &obj, NULL) == ST_OK ? obj : NULL;
}

static size_t count_systems(struct db *db)
{
    static struct system_row rows[32];
    int64_t after = 0;
    size_t total = 0, n;

    do {
        FUZZ_CHECK(store_system_list(db, after, rows, 32, &n) == ST_OK, "list");
        total += n;
        if (n > 0)
            after = rows[n - 1].seq;
    } while (n == 32);
    return total;
}

static enum status delete_new(struct db *db, void *ctx)
{
    const struct fixture_result *r = ctx;

    for (size_t i = 0; i < r->count; i++)
        if (!r->systems[i].existed && store_system_delete(db, r->systems[i].id) != ST_OK)
            return ST_INTERNAL;
    return ST_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object *doc = parse(data, size);
    struct db *db = db_thread();
    struct fixture_result res;
    struct problem p = {0};
    struct system_row row;
    size_t before;
    enum status st;

    if (doc == NULL)
        return 0;
    before = count_systems(db);
    st = fixtures_load(db, doc, &res, &p);
    if (st == ST_OK) {
        for (size_t i = 0; i < res.count; i++)
            FUZZ_CHECK(store_system_get(db, res.systems[i].id, &row) == ST_OK,
                       "system %zu '%s' reported but absent", i, res.systems[i].id);
        FUZZ_CHECK(db_transact(db, delete_new, &res) == ST_OK, "clean-up");
        fixtures_result_release(&res);
    } else {
        FUZZ_CHECK(st == ST_INVALID || st == ST_CONFLICT, "status %s", status_name(st));
        FUZZ_CHECK(problem_has_invalid(&p) || p.detail[0] != '\0', "failure without a reason");
        FUZZ_CHECK(res.systems == NULL && res.count == 0, "result kept after a failure");
    }
    FUZZ_CHECK(count_systems(db) == before, "%zu systems before, %zu after (status %s)", before,
               count_systems(db), status_name(st));
    problem_clear(&p);
    json_object_put(doc);
    return 0;
}
