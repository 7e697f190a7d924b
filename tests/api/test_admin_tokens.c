/*
 * test_admin_tokens.c — POST /_emulator/v1/systems/{id}/admin-token
 * (src/control/admin_tokens.c): the credentials a tool that did not create a system (the
 * dashboard) drives it with. The answer is {token, apiKey, userId, expirationDatetime} of the
 * system's earliest ADMIN still there; the token works on the Administration API for that
 * system alone and for one hour of the system's clock; an unknown system is 404, one with no
 * ADMIN or no API key left 409, and --control-token guards the call like the rest.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---- helpers ------------------------------------------------------------------------- */

static void token_path(const char *system_id, char *path, size_t cap)
{
    snprintf(path, cap, "/systems/%s/admin-token", system_id);
}

/* POST .../admin-token of system_id on emu that must answer want; the caller frees r. */
static void issue(const char *system_id, long want, struct http_response *r)
{
    char path[160];

    token_path(system_id, path, sizeof(path));
    control_expect("POST", path, NULL, want, r);
}

/* The admin-token problem of status for system_id. */
static void expect_refused(const char *system_id, long status)
{
    char path[160];

    token_path(system_id, path, sizeof(path));
    expect_control_problem("POST", path, NULL, status);
}

/* Credentials of system_id from its admin-token answer: what a tool would act with. */
static void issued_tenant(const char *system_id, struct tenant *as)
{
    struct http_response r;

    memset(as, 0, sizeof(*as));
    issue(system_id, 200, &r);
    ck_assert_ptr_nonnull(json_str(&r, "token"));
    snprintf(as->system_id, sizeof(as->system_id), "%s", system_id);
    snprintf(as->api_key, sizeof(as->api_key), "%s", json_str(&r, "apiKey"));
    snprintf(as->admin_id, sizeof(as->admin_id), "%s", json_str(&r, "userId"));
    snprintf(as->token, sizeof(as->token), "%s", json_str(&r, "token"));
    http_response_free(&r);
}

/* The users t sees, in order; their count. */
static size_t users_seen(const struct tenant *t, char ids[][64], size_t cap)
{
    return admin_list_ids(t, "/user?limit=100", ids, cap, NULL);
}

static void advance(const struct tenant *t, const char *by)
{
    char path[160], body[64];

    snprintf(path, sizeof(path), "/systems/%s/clock/advance", t->system_id);
    snprintf(body, sizeof(body), "{\"by\":\"%s\"}", by);
    json_object_put(control("POST", path, body, 200));
}

static void delete_user(const struct tenant *as, const char *user_id)
{
    char path[128];

    snprintf(path, sizeof(path), "/user/%s", user_id);
    expect_status(as, "DELETE", path, NULL, 204);
}

/* ---- the answer ---------------------------------------------------------------------- */

START_TEST(answers_the_first_admins_credentials)
{
    struct tenant t;
    struct http_response r;

    new_tenant_from(&t, FROZEN);
    issue(t.system_id, 200, &r);
    ck_assert_pstr_eq(header(&r, "Content-Type"), "application/json");
    assert_strings(r.json,
                   (const char *const[]){"apiKey", t.api_key, "userId", t.admin_id,
                                         "expirationDatetime", "2030-01-01T09:00:00Z", NULL});
    ck_assert_msg(json_str(&r, "token") != NULL && strlen(json_str(&r, "token")) > 20,
                  "no token: %s", r.body);
    ck_assert_int_eq(json_object_object_length(r.json), 4);
    http_response_free(&r);
}
END_TEST

START_TEST(the_token_drives_its_system)
{
    struct tenant t, as;
    char ids[8][64], user[64], path[128];

    new_tenant(&t);
    issued_tenant(t.system_id, &as);
    ck_assert_uint_eq(users_seen(&as, ids, N(ids)), 1);
    ck_assert_str_eq(ids[0], t.admin_id);
    new_user(&as, user);
    snprintf(path, sizeof(path), "/user/%s", user);
    expect_status(&t, "GET", path, NULL, 200); /* made in t's system: its own admin sees it */
}
END_TEST

START_TEST(the_token_sees_no_other_system)
{
    struct tenant a, b, as;
    char ids[8][64], path[128];

    new_tenant(&a);
    new_tenant(&b);
    issued_tenant(a.system_id, &as);
    snprintf(path, sizeof(path), "/user/%s", b.admin_id);
    expect_not_found(&as, "GET", path, NULL);
    expect_not_found(&as, "DELETE", path, NULL);
    expect_status(&b, "GET", path, NULL, 200);                 /* still there */
    snprintf(as.api_key, sizeof(as.api_key), "%s", b.api_key); /* the token decides */
    ck_assert_uint_eq(users_seen(&as, ids, N(ids)), 1);
    ck_assert_str_eq(ids[0], a.admin_id);
}
END_TEST

START_TEST(the_token_lasts_an_hour_of_the_systems_clock)
{
    struct tenant t, as;

    new_tenant_from(&t, FROZEN);
    issued_tenant(t.system_id, &as);
    advance(&t, "PT59M59S");
    expect_status(&as, "GET", "/user", NULL, 200);
    advance(&t, "PT1S");
    expect_problem(&as, "GET", "/user", NULL, 401, "token expired");
}
END_TEST

/* ---- which administrator, and none ------------------------------------------------------ */

START_TEST(the_earliest_admin_still_there_is_chosen)
{
    struct tenant t, as;
    char second[64], user[64];

    new_tenant(&t);
    post_id(&t, "/user", "{\"role\":\"ADMIN\"}", second);
    new_user(&t, user); /* a USER is never chosen */
    issued_tenant(t.system_id, &as);
    ck_assert_str_eq(as.admin_id, t.admin_id);
    delete_user(&t, t.admin_id);
    issued_tenant(t.system_id, &as);
    ck_assert_str_eq(as.admin_id, second);
    delete_user(&as, second);
    expect_refused(t.system_id, 409);
}
END_TEST

START_TEST(a_system_without_api_key_is_a_conflict)
{
    struct tenant t;
    char path[256];

    new_tenant(&t);
    snprintf(path, sizeof(path), "/api-keys/%s", t.api_key);
    json_object_put(control("DELETE", path, NULL, 204));
    expect_refused(t.system_id, 409);
}
END_TEST

START_TEST(an_unknown_system_is_not_found)
{
    struct tenant t;

    new_tenant(&t); /* one system there, not the one asked for */
    expect_refused(UNKNOWN_ID, 404);
    expect_refused("not-a-system", 404);
}
END_TEST

/* ---- --control-token ------------------------------------------------------------------ */

static const struct {
    const char *authorization; /* NULL: none */
    long want;
} gate[] = {{NULL, 401}, {"Bearer wrong", 401}, {"s3cret", 401}, {"Bearer s3cret", 200}};

START_TEST(the_control_token_guards_it)
{
    static const char *const args[] = {"--control-token", "s3cret", NULL};
    const char *admitted[] = {"Authorization: Bearer s3cret", NULL};
    char line[128], path[160];
    const char *sent[] = {gate[_i].authorization ? line : NULL, NULL};
    struct emu own;
    struct http_response made, r;

    snprintf(line, sizeof(line), "Authorization: %s", gate[_i].authorization);
    ck_assert_int_eq(emu_start(&own, args), 0);
    control_call_with(&own, "POST", "/systems", admitted, "{}", &made);
    token_path(json_str(&made, "id") ? json_str(&made, "id") : UNKNOWN_ID, path, sizeof(path));
    control_call_with(&own, "POST", path, sent, NULL, &r);
    emu_stop(&own);
    ck_assert_int_eq(made.status, 201);
    if (gate[_i].want == 401)
        assert_control_problem(&r, 401, path);
    else
        ck_assert_msg(r.status == 200 && json_str(&r, "token") != NULL, "%ld %s", r.status, r.body);
    http_response_free(&made);
    http_response_free(&r);
}
END_TEST

static Suite *admin_tokens_suite(void)
{
    Suite *s = suite_create("admin_tokens");
    TCase *tc = tcase_create("admin-token");
    TCase *guarded = tcase_create("control token");

    tcase_add_checked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, answers_the_first_admins_credentials);
    tcase_add_test(tc, the_token_drives_its_system);
    tcase_add_test(tc, the_token_sees_no_other_system);
    tcase_add_test(tc, the_token_lasts_an_hour_of_the_systems_clock);
    tcase_add_test(tc, the_earliest_admin_still_there_is_chosen);
    tcase_add_test(tc, a_system_without_api_key_is_a_conflict);
    tcase_add_test(tc, an_unknown_system_is_not_found);
    suite_add_tcase(s, tc);
    tcase_set_timeout(guarded, 60);
    tcase_add_loop_test(guarded, the_control_token_guards_it, 0, N(gate));
    suite_add_tcase(s, guarded);
    return s;
}

int main(void)
{
    return run_suite(admin_tokens_suite());
}
