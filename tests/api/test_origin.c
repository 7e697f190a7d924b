/*
 * test_origin.c — a web page of another site cannot change the emulator's state
 * (check_origin, src/http/auth.c). A control call other than GET and HEAD that says it
 * comes from a page (Origin) is refused with 403 and changes nothing unless the page is the
 * emulator's own (the origin of the Host it was called on) or one --allowed-origin names
 * (repeatable, comma-separated lists, "*"; KEYLESS_EMULATOR_ALLOWED_ORIGIN). Programs send
 * no Origin and pass; reading passes from anywhere (the browser keeps the answer from a
 * foreign page); the dashboard's cookie does not make a foreign page's call pass.
 *
 * The cases that start an emulator with flags stop it before they assert.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define EVIL "http://evil.example"
#define DASH "http://dash.example"

/* ---- helpers ------------------------------------------------------------------------- */

/* A control call on e that says it comes from origin (NULL: no Origin header), with one
 * more header line unless extra is NULL. */
static long call_from(struct emu *e, const char *origin, const char *extra, const char *method,
                      const char *path, const char *body, struct http_response *r)
{
    char line[512];
    const char *headers[] = {origin ? line : extra, origin ? extra : NULL, NULL};

    snprintf(line, sizeof(line), "Origin: %s", origin ? origin : "");
    return control_call_with(e, method, path, headers, body, r);
}

/* The port e listens on. */
static int port_of(const struct emu *e)
{
    int port = 0;

    ck_assert_int_eq(sscanf(e->url, "http://127.0.0.1:%d", &port), 1);
    return port;
}

/* What the control API shows of the whole state: every system (with its clock) and every API
 * key (caller frees). All systems here run on frozen clocks, so it stands still by itself. */
static char *state_of(struct emu *e)
{
    struct http_response systems, keys;
    char *text;
    size_t len;

    ck_assert_int_eq(control_call(e, "GET", "/systems?limit=100", NULL, &systems), 200);
    ck_assert_int_eq(control_call(e, "GET", "/api-keys?limit=100", NULL, &keys), 200);
    len = strlen(systems.body) + strlen(keys.body) + 2;
    text = malloc(len);
    ck_assert_ptr_nonnull(text);
    snprintf(text, len, "%s\n%s", systems.body, keys.body);
    http_response_free(&systems);
    http_response_free(&keys);
    return text;
}

/* How many systems e has. */
static size_t systems_on(struct emu *e)
{
    struct http_response r;
    size_t n;

    ck_assert_int_eq(control_call(e, "GET", "/systems?limit=100", NULL, &r), 200);
    n = json_object_array_length(member(r.json, "items"));
    http_response_free(&r);
    return n;
}

/* Asserts r is the 403 of a refused origin for path: it names the origin and the flag. */
static void assert_refused(const struct http_response *r, const char *origin, const char *path)
{
    assert_control_problem(r, 403, path);
    ck_assert_msg(strstr(json_str(r, "detail"), origin) != NULL &&
                      strstr(json_str(r, "detail"), "--allowed-origin") != NULL,
                  "detail: %s", json_str(r, "detail"));
}

/* ---- a foreign page ------------------------------------------------------------------ */

/* Calls that change state; %s is a frozen system's id. */
static const struct {
    const char *method, *path, *body;
} changes[] = {
    {"POST", "/reset", NULL},
    {"POST", "/systems", "{}"},
    {"DELETE", "/systems/%s", NULL},
    {"POST", "/systems/%s/clock/advance", "{\"by\":\"PT1H\"}"},
    {"POST", "/api-keys", "{\"name\":\"planted\"}"},
};

START_TEST(a_foreign_page_changes_nothing)
{
    struct tenant t;
    struct http_response r;
    char path[256], *before, *after;

    new_tenant_from(&t, FROZEN);
    snprintf(path, sizeof(path), changes[_i].path, t.system_id);
    before = state_of(&emu);
    call_from(&emu, EVIL, NULL, changes[_i].method, path, changes[_i].body, &r);
    assert_refused(&r, EVIL, path);
    http_response_free(&r);
    after = state_of(&emu);
    ck_assert_str_eq(after, before);
    ck_assert_int_eq(tenant_login(&emu, &t, t.admin_id, t.access_key, NULL, 0), 200);
    free(before);
    free(after);
}
END_TEST

/* Origins, from the emulator's port (%d), and whether a page of each may create a system. */
static const struct {
    const char *format;
    long want;
} origins[] = {
    {"http://127.0.0.1:%d", 201},  /* the emulator's own page */
    {"https://127.0.0.1:%d", 201}, /* behind a TLS proxy that keeps the Host */
    {"http://127.0.0.1:%d1", 403}, /* another port is another origin */
    {"http://localhost:%d", 403},  /* not the Host it was called on */
    {"ftp://127.0.0.1:%d", 403},
    {"127.0.0.1:%d", 403},
    {"null", 403}, /* a sandboxed frame, a file: page */
    {EVIL, 403},
};

START_TEST(only_the_emulators_own_origin_may_change_state)
{
    struct http_response r;
    char origin[128];

    ck_assert(emu_ok);
    snprintf(origin, sizeof(origin), origins[_i].format, port_of(&emu));
    call_from(&emu, origin, NULL, "POST", "/systems", FROZEN, &r);
    if (origins[_i].want == 403)
        assert_refused(&r, origin, "/systems");
    else
        ck_assert_msg(r.status == 201, "%s: %ld %s", origin, r.status, r.body);
    http_response_free(&r);
    ck_assert_uint_eq(systems_on(&emu), origins[_i].want == 201 ? 1 : 0);
}
END_TEST

START_TEST(programs_without_origin_pass)
{
    struct tenant t;
    struct http_response r;
    char path[128];

    new_tenant_from(&t, FROZEN);
    ck_assert_int_eq(call_from(&emu, NULL, NULL, "POST", "/reset", NULL, &r), 200);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/systems/%s", t.system_id);
    ck_assert_int_eq(control_status(&emu, "GET", path, NULL), 404);
    ck_assert_uint_eq(systems_on(&emu), 0);
}
END_TEST

static const struct {
    const char *method, *path;
} reads[] = {
    {"GET", "/systems"}, {"GET", "/systems/%s"}, {"GET", "/systems/%s/clock"},
    {"GET", "/health"},  {"HEAD", "/health"},    {"GET", "/api-keys"},
};

START_TEST(reading_passes_from_any_origin)
{
    struct tenant t;
    struct http_response r;
    char path[256];

    new_tenant_from(&t, FROZEN);
    snprintf(path, sizeof(path), reads[_i].path, t.system_id);
    ck_assert_msg(call_from(&emu, EVIL, NULL, reads[_i].method, path, NULL, &r) == 200,
                  "%s %s: %ld %s", reads[_i].method, path, r.status, r.body);
    http_response_free(&r);
}
END_TEST

/* ---- the dashboard's cookie ---------------------------------------------------------- */

/* The Cookie line the control session's Set-Cookie asks for, from e's own page. */
static void control_cookie(struct emu *e, char *line, size_t cap)
{
    struct http_response r;
    const char *set;

    ck_assert_int_eq(
        call_from(e, e->url, NULL, "POST", "/control-session", "{\"token\":\"s3cret\"}", &r), 204);
    set = header(&r, "Set-Cookie");
    ck_assert_ptr_nonnull(set);
    snprintf(line, cap, "Cookie: %.*s", (int)strcspn(set, ";"), set);
    http_response_free(&r);
}

START_TEST(the_control_cookie_does_not_let_a_foreign_page_through)
{
    static const char *const args[] = {"--control-token", "s3cret", NULL};
    struct emu own;
    struct http_response foreign, mine, bare;
    char cookie[512];

    ck_assert_int_eq(emu_start(&own, args), 0);
    control_cookie(&own, cookie, sizeof(cookie));
    call_from(&own, EVIL, cookie, "POST", "/systems", FROZEN, &foreign);
    call_from(&own, own.url, cookie, "POST", "/systems", FROZEN, &mine);
    call_from(&own, own.url, NULL, "POST", "/systems", FROZEN, &bare);
    emu_stop(&own);
    assert_refused(&foreign, EVIL, "/systems");
    ck_assert_msg(mine.status == 201, "own page with the cookie: %ld %s", mine.status, mine.body);
    assert_control_problem(&bare, 401, "/systems"); /* the token is asked for first */
    http_response_free(&foreign);
    http_response_free(&mine);
    http_response_free(&bare);
}
END_TEST

/* ---- DNS rebinding ------------------------------------------------------------------- */

/* A page whose own name was pointed at the emulator is same-origin with it: a browser's call
 * (Origin or Sec-Fetch-Site) is only taken under a Host that cannot be such a name. %d is the
 * port; an empty origin sends none. */
static const struct {
    const char *host, *origin, *extra, *method, *path, *body;
    long want;
} rebinding[] = {
    {"evil.example:%d", "http://evil.example:%d", NULL, "POST", "/systems", FROZEN, 403},
    {"evil.example:%d", "", "Sec-Fetch-Site: same-origin", "GET", "/systems", NULL, 403},
    {"evil.example:%d", "http://evil.example:%d", NULL, "GET", "/systems", NULL, 403},
    {"evil.example:%d", "", NULL, "GET", "/systems", NULL, 200}, /* a program, a container name */
    {"evil.example:%d", "", NULL, "POST", "/systems", FROZEN, 201},
    {"localhost:%d", "http://localhost:%d", NULL, "POST", "/systems", FROZEN, 201},
    {"dash.localhost:%d", "", "Sec-Fetch-Site: same-origin", "GET", "/systems", NULL, 200},
    {"[::1]:%d", "http://[::1]:%d", NULL, "POST", "/systems", FROZEN, 201},
    {"127.0.0.1:%d", "http://127.0.0.1:%d", NULL, "POST", "/systems", FROZEN, 201},
};

START_TEST(a_rebound_name_is_not_the_emulators_own)
{
    struct http_response r;
    char host[128], origin[128], host_line[160], origin_line[160];
    const char *headers[4] = {host_line, NULL, NULL, NULL};
    size_t n = 1, before = systems_on(&emu);

    snprintf(host, sizeof(host), rebinding[_i].host, port_of(&emu));
    snprintf(origin, sizeof(origin), rebinding[_i].origin, port_of(&emu));
    snprintf(host_line, sizeof(host_line), "Host: %s", host);
    snprintf(origin_line, sizeof(origin_line), "Origin: %s", origin);
    if (origin[0] != '\0')
        headers[n++] = origin_line;
    if (rebinding[_i].extra != NULL)
        headers[n++] = rebinding[_i].extra;
    control_call_with(&emu, rebinding[_i].method, rebinding[_i].path, headers, rebinding[_i].body,
                      &r);
    ck_assert_msg(r.status == rebinding[_i].want, "Host %s, Origin '%s': %ld %s", host, origin,
                  r.status, r.body);
    if (rebinding[_i].want == 403)
        ck_assert_ptr_nonnull(strstr(json_str(&r, "detail"), "--allowed-origin"));
    ck_assert_uint_eq(systems_on(&emu), before + (rebinding[_i].want == 201));
    http_response_free(&r);
}
END_TEST

/* Behind another name, --allowed-origin names it, and browsers may use it (only it). */
START_TEST(an_allowed_name_serves_pages)
{
    struct emu own;
    struct http_response r, other;
    char port[16], allowed_flag[128], host_line[160], origin_line[160], evil_line[160];
    const char *args[] = {"--port", port, "--allowed-origin", allowed_flag, NULL};
    const char *headers[3] = {host_line, origin_line, NULL};
    const char *evil[3] = {evil_line, "Sec-Fetch-Site: same-origin", NULL};

    /* Its port must be in the flag: take a free one from a first start. */
    ck_assert_int_eq(emu_start(&own, NULL), 0);
    snprintf(port, sizeof(port), "%d", port_of(&own));
    emu_stop(&own);
    snprintf(allowed_flag, sizeof(allowed_flag), "http://emu.example:%s", port);
    ck_assert_int_eq(emu_start(&own, args), 0);
    snprintf(host_line, sizeof(host_line), "Host: emu.example:%s", port);
    snprintf(origin_line, sizeof(origin_line), "Origin: http://emu.example:%s", port);
    snprintf(evil_line, sizeof(evil_line), "Host: evil.example:%s", port);
    control_call_with(&own, "POST", "/systems", headers, FROZEN, &r);
    control_call_with(&own, "GET", "/systems", evil, NULL, &other);
    emu_stop(&own);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_msg(other.status == 403, "%ld %s", other.status, other.body);
    http_response_free(&r);
    http_response_free(&other);
}
END_TEST

/* ---- --allowed-origin ---------------------------------------------------------------- */

static const struct {
    const char *args[5];
    const char *env; /* KEYLESS_EMULATOR_ALLOWED_ORIGIN, or NULL */
    const char *origin;
    long want;
} allowed[] = {
    {{"--allowed-origin", DASH}, NULL, DASH, 201},
    {{"--allowed-origin", DASH}, NULL, EVIL, 403},
    {{"--allowed-origin", DASH}, NULL, DASH ".evil", 403},
    {{"--allowed-origin", DASH}, NULL, DASH ":8080", 403},
    {{"--allowed-origin", DASH}, NULL, "http://dash.exampl", 403},
    {{"--allowed-origin", "http://a.example," DASH}, NULL, DASH, 201},
    {{"--allowed-origin", "http://a.example, " DASH}, NULL, DASH, 201},
    {{"--allowed-origin", "http://a.example, " DASH}, NULL, "http://a.example", 201},
    {{"--allowed-origin", "http://a.example, " DASH}, NULL, EVIL, 403},
    {{"--allowed-origin", "http://a.example", "--allowed-origin", DASH}, NULL, DASH, 201},
    {{"--allowed-origin", "http://a.example", "--allowed-origin", DASH}, NULL, EVIL, 403},
    {{"--allowed-origin", "*"}, NULL, EVIL, 201},
    {{"--allowed-origin", "*"}, NULL, "null", 201},
    {{NULL}, DASH, DASH, 201},
    {{NULL}, DASH, EVIL, 403},
    {{NULL}, "http://a.example," DASH, DASH, 201},
};

START_TEST(allowed_origins_pass_and_others_do_not)
{
    struct emu own;
    struct http_response r;
    size_t systems;
    int started;

    if (allowed[_i].env != NULL)
        setenv("KEYLESS_EMULATOR_ALLOWED_ORIGIN", allowed[_i].env, 1);
    started = emu_start(&own, allowed[_i].args);
    unsetenv("KEYLESS_EMULATOR_ALLOWED_ORIGIN");
    ck_assert_msg(started == 0, "the emulator did not start; see %s/stderr.log", own.dir);
    call_from(&own, allowed[_i].origin, NULL, "POST", "/systems", FROZEN, &r);
    systems = systems_on(&own);
    emu_stop(&own);
    if (allowed[_i].want == 403)
        assert_refused(&r, allowed[_i].origin, "/systems");
    else
        ck_assert_msg(r.status == 201, "%s: %ld %s", allowed[_i].origin, r.status, r.body);
    ck_assert_uint_eq(systems, allowed[_i].want == 201 ? 1 : 0);
    http_response_free(&r);
}
END_TEST

static Suite *origin_suite(void)
{
    Suite *s = suite_create("origin");
    TCase *shared = tcase_create("one emulator");
    TCase *flags = tcase_create("emulators with flags");

    tcase_add_checked_fixture(shared, emu_setup, emu_teardown);
    tcase_set_timeout(shared, 60);
    tcase_add_loop_test(shared, a_foreign_page_changes_nothing, 0, N(changes));
    tcase_add_loop_test(shared, only_the_emulators_own_origin_may_change_state, 0, N(origins));
    tcase_add_test(shared, programs_without_origin_pass);
    tcase_add_loop_test(shared, reading_passes_from_any_origin, 0, N(reads));
    tcase_add_loop_test(shared, a_rebound_name_is_not_the_emulators_own, 0, N(rebinding));
    suite_add_tcase(s, shared);
    tcase_set_timeout(flags, 60);
    tcase_add_test(flags, the_control_cookie_does_not_let_a_foreign_page_through);
    tcase_add_loop_test(flags, allowed_origins_pass_and_others_do_not, 0, N(allowed));
    tcase_add_test(flags, an_allowed_name_serves_pages);
    suite_add_tcase(s, flags);
    return s;
}

int main(void)
{
    return run_suite(origin_suite());
}
