/*
 * test_determinism.c — --seed N makes ids, API keys and access keys reproducible: the same
 * seed and the same calls give the same values (and, on a frozen clock, byte-identical
 * responses); another seed, or no seed, gives different ones (DESIGN.md §7).
 *
 * Each run starts its own emulator, plays the same script, stops the emulator and only
 * then are the outcomes compared, so a failing assertion never leaves a process behind.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_FIELDS 4

/* The script: a system, then users and locking devices created by its admin. */
static const struct {
    int as_admin; /* 0: control API; 1: Administration API with the system's admin token */
    const char *path, *body;
    const char *fields[MAX_FIELDS]; /* the generated values worth comparing */
} script[] = {
    {0,
     "/systems",
     "{\"name\":\"Determinism\",\"clock\":{\"mode\":\"frozen\",\"time\":\"2030-01-01T00:00:00Z\"}}",
     {"id", "apiKey", "admin.userId", "admin.accessKey"}},
    {1, "/user", "{\"role\":\"USER\"}", {"id", "accessKey"}},
    {1, "/user", "{\"role\":\"ADMIN\"}", {"id", "accessKey"}},
    {1, "/locking-device", "{\"name\":\"Front Gate\"}", {"id"}},
    {1, "/locking-device", "{\"name\":\"Backyard Gate\"}", {"id"}},
};

struct outcome {
    int started, stopped;
    long login;
    long status[N(script)];
    char body[N(script)][2048];
    char value[N(script)][MAX_FIELDS][128];
};

/* Plays the script on a fresh emulator started with args and env ("NAME=value" or NULL). */
static void play(const char *const *args, const char *env, struct outcome *o)
{
    char name[64];
    const char *value = env ? strchr(env, '=') + 1 : NULL;
    struct emu e;
    struct tenant t = {0};

    memset(o, 0, sizeof(*o));
    o->stopped = -1;
    snprintf(name, sizeof(name), "%.*s", env ? (int)(value - env - 1) : 0, env ? env : "");
    if (env != NULL)
        setenv(name, value, 1);
    o->started = emu_start(&e, args);
    if (env != NULL)
        unsetenv(name);
    if (o->started != 0)
        return;
    for (size_t i = 0; i < N(script); i++) {
        struct http_response r;

        if (script[i].as_admin)
            o->status[i] = admin_call(&e, &t, "POST", script[i].path, script[i].body, &r);
        else
            o->status[i] = control_call(&e, "POST", script[i].path, script[i].body, &r);
        snprintf(o->body[i], sizeof(o->body[i]), "%s", r.body);
        for (size_t f = 0; f < MAX_FIELDS && script[i].fields[f] != NULL; f++) {
            const char *v = json_str(&r, script[i].fields[f]);
            snprintf(o->value[i][f], sizeof(o->value[i][f]), "%s", v ? v : "");
        }
        http_response_free(&r);
        if (i == 0) { /* the system exists: log its admin in for the rest */
            snprintf(t.api_key, sizeof(t.api_key), "%s", o->value[0][1]);
            o->login =
                tenant_login(&e, &t, o->value[0][2], o->value[0][3], t.token, sizeof(t.token));
        }
    }
    o->stopped = emu_stop(&e);
}

static void play_seeded(const char *seed, struct outcome *o)
{
    const char *args[] = {"--seed", seed, NULL};

    play(seed ? args : NULL, NULL, o);
}

/* The run went through: started, every call answered 201, and stopped with status 0. */
static void assert_complete(const struct outcome *o)
{
    ck_assert_int_eq(o->started, 0);
    ck_assert_int_eq(o->stopped, 0);
    ck_assert_int_eq(o->login, 200);
    for (size_t i = 0; i < N(script); i++) {
        ck_assert_msg(o->status[i] == 201, "POST %s: %ld %s", script[i].path, o->status[i],
                      o->body[i]);
        for (size_t f = 0; f < MAX_FIELDS && script[i].fields[f] != NULL; f++)
            ck_assert_msg(o->value[i][f][0] != '\0', "POST %s: no %s in %s", script[i].path,
                          script[i].fields[f], o->body[i]);
    }
}

/* Compares every generated value of a and b: all equal (same = 1) or all different. */
static void assert_values(const struct outcome *a, const struct outcome *b, int same)
{
    assert_complete(a);
    assert_complete(b);
    for (size_t i = 0; i < N(script); i++)
        for (size_t f = 0; f < MAX_FIELDS && script[i].fields[f] != NULL; f++)
            ck_assert_msg((strcmp(a->value[i][f], b->value[i][f]) == 0) == same,
                          "POST %s %s: '%s' vs '%s', want them %s", script[i].path,
                          script[i].fields[f], a->value[i][f], b->value[i][f],
                          same ? "equal" : "different");
}

/* Two runs, seeded with seed_a and seed_b (NULL: none), whose values must be the same or
 * must all differ. */
static void compare_runs(const char *seed_a, const char *seed_b, int same)
{
    struct outcome a, b;

    play_seeded(seed_a, &a);
    play_seeded(seed_b, &b);
    assert_values(&a, &b, same);
}

START_TEST(same_seed_gives_the_same_ids_and_keys)
{
    compare_runs("42", "42", 1);
}
END_TEST

START_TEST(same_seed_gives_byte_identical_responses)
{
    struct outcome a, b;

    play_seeded("42", &a);
    play_seeded("42", &b);
    assert_complete(&a);
    assert_complete(&b);
    for (size_t i = 0; i < N(script); i++)
        ck_assert_msg(strcmp(a.body[i], b.body[i]) == 0, "POST %s:\n%s\n%s", script[i].path,
                      a.body[i], b.body[i]);
}
END_TEST

START_TEST(another_seed_gives_other_values)
{
    compare_runs("42", "43", 0);
}
END_TEST

START_TEST(no_seed_gives_other_values_each_run)
{
    compare_runs(NULL, NULL, 0);
}
END_TEST

START_TEST(seed_from_the_environment_matches_the_flag)
{
    struct outcome a, b;

    play_seeded("42", &a);
    play(NULL, "KEYLESS_EMULATOR_SEED=42", &b);
    assert_values(&a, &b, 1);
}
END_TEST

static Suite *determinism_suite(void)
{
    Suite *s = suite_create("determinism");
    TCase *tc = tcase_create("determinism");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, same_seed_gives_the_same_ids_and_keys);
    tcase_add_test(tc, same_seed_gives_byte_identical_responses);
    tcase_add_test(tc, another_seed_gives_other_values);
    tcase_add_test(tc, no_seed_gives_other_values_each_run);
    tcase_add_test(tc, seed_from_the_environment_matches_the_flag);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(determinism_suite());
}
