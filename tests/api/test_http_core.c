/*
 * test_http_core.c — what every route shares: the three surfaces, problem+json errors,
 * 404/405 with Allow, the body cap, media types, JSON parsing, X-Request-Id,
 * X-Emulator-Version, HEAD, and a graceful exit on SIGTERM (DESIGN.md §1, §3).
 *
 * One emulator serves the "core" test case; the tenant's credentials ride along on every
 * request, so each answer below is the generic one and not an authentication failure.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define NO_USER_ID "00000000-0000-4000-8000-000000000000"

static struct tenant tenant;

static void suite_setup(void)
{
    emu_must_start();
    new_tenant(&tenant);
}

/* A request to emu with the tenant's API key, vendor Accept and token, plus extra headers
 * (NULL-terminated, may be NULL; a later header of the same name wins in curl). */
static long call(const char *method, const char *path, const char *const *extra, const char *body,
                 struct http_response *r)
{
    char url[2048], key[256], auth[4200];
    const char *headers[16] = {key, "Accept: " VENDOR_TYPE, auth};
    size_t n = 3;

    snprintf(url, sizeof(url), "%s%s", emu.url, path);
    snprintf(key, sizeof(key), "X-Api-Key: %s", tenant.api_key);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tenant.token);
    for (size_t i = 0; extra != NULL && extra[i] != NULL && n < N(headers) - 1; i++)
        headers[n++] = extra[i];
    headers[n] = NULL;
    return http_call(method, url, headers, body, r);
}

/* ---- surfaces ---------------------------------------------------------------------- */

START_TEST(index_page_is_html)
{
    struct http_response r;

    ck_assert_int_eq(call("GET", "/", NULL, NULL, &r), 200);
    ck_assert_msg(strncmp(header(&r, "Content-Type"), "text/html", 9) == 0, "type %s",
                  header(&r, "Content-Type"));
    ck_assert_ptr_nonnull(strstr(r.body, "<html"));
    /* The dashboard's entry point (its scripts are tested in a browser, tests/web/); without
     * JavaScript the page still says where the APIs are. */
    ck_assert_ptr_nonnull(strstr(r.body, "src=\"/js/main.js\""));
    ck_assert_ptr_nonnull(strstr(r.body, "/administration"));
    ck_assert_ptr_nonnull(strstr(r.body, "/_emulator/v1"));
    http_response_free(&r);
}
END_TEST

static const char *const unknown_paths[] = {
    "/nope",
    "/index.html",
    "/administration",
    "/administration/users",
    "/administration/user/" NO_USER_ID "/extra",
    "/administrationx/login",
    "/_emulator/v1/nope",
    "/_emulator/v2/health",
    "/_emulator/v1/systems/x/y/z",
};

START_TEST(unknown_path_is_404)
{
    const char *path = unknown_paths[_i];
    struct http_response r;

    call("GET", path, NULL, NULL, &r);
    assert_problem(&r, 404, path);
    http_response_free(&r);
}
END_TEST

/* Sorts the comma-separated methods of an Allow value into out, so order does not matter. */
static void allow_set(const char *allow, char *out, size_t cap)
{
    char copy[256], *methods[16];
    size_t n = 0;

    snprintf(copy, sizeof(copy), "%s", allow ? allow : "");
    for (char *save = NULL, *m = strtok_r(copy, ", ", &save); m && n < N(methods);
         m = strtok_r(NULL, ", ", &save))
        methods[n++] = m;
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of items */
        for (size_t j = i; j > 0 && strcmp(methods[j - 1], methods[j]) > 0; j--) {
            char *t = methods[j];
            methods[j] = methods[j - 1];
            methods[j - 1] = t;
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? "," : "", methods[i]);
}

static const struct {
    const char *method, *path, *allow;
} wrong_methods[] = {
    {"PUT", "/administration/user", "GET, HEAD, POST"},
    {"DELETE", "/administration/user", "GET, HEAD, POST"},
    {"GET", "/administration/login", "POST"},
    {"PATCH", "/administration/user/" NO_USER_ID, "GET, HEAD, DELETE"},
    {"POST", "/administration/locking-device/" NO_USER_ID, "GET, HEAD, PATCH, DELETE"},
    {"POST", "/_emulator/v1/health", "GET, HEAD"},
    {"DELETE", "/_emulator/v1/systems", "GET, HEAD, POST"},
    {"PUT", "/_emulator/v1/systems/" NO_USER_ID, "GET, HEAD, DELETE"},
    {"GET", "/_emulator/v1/api-keys/some-key", "DELETE"},
};

START_TEST(wrong_method_is_405_with_allow)
{
    struct http_response r;
    char want[128], got[128];

    call(wrong_methods[_i].method, wrong_methods[_i].path, NULL, NULL, &r);
    assert_problem(&r, 405, wrong_methods[_i].path);
    allow_set(wrong_methods[_i].allow, want, sizeof(want));
    allow_set(header(&r, "Allow"), got, sizeof(got));
    ck_assert_msg(strcmp(want, got) == 0, "%s %s: Allow '%s', want '%s'", wrong_methods[_i].method,
                  wrong_methods[_i].path, header(&r, "Allow"), wrong_methods[_i].allow);
    http_response_free(&r);
}
END_TEST

START_TEST(put_user_allow_header_is_exact)
{
    struct http_response r;

    call("PUT", "/administration/user", NULL, NULL, &r);
    ck_assert_int_eq(r.status, 405);
    ck_assert_str_eq(header(&r, "Allow"), "GET, HEAD, POST");
    http_response_free(&r);
}
END_TEST

/* ---- bodies ------------------------------------------------------------------------ */

#define ONE_MIB (1024 * 1024)

/* A valid JSON object of exactly len bytes: leading spaces, then {"name":"big"}. */
static char *json_of_length(size_t len)
{
    static const char tail[] = "{\"name\":\"big\"}";
    char *body = malloc(len + 1);

    ck_assert_ptr_nonnull(body);
    memset(body, ' ', len - strlen(tail));
    memcpy(body + len - strlen(tail), tail, sizeof(tail));
    return body;
}

static const struct {
    const char *method, *path;
    const char *transfer; /* extra header, or NULL */
} oversize[] = {
    {"POST", "/_emulator/v1/systems", NULL},
    {"POST", "/_emulator/v1/api-keys", NULL},
    {"POST", "/administration/user", NULL},
    {"POST", "/administration/login", NULL},
    {"POST", "/_emulator/v1/systems", "Transfer-Encoding: chunked"},
    {"POST", "/administration/user", "Transfer-Encoding: chunked"},
};

START_TEST(body_over_one_mib_is_413)
{
    const char *extra[] = {"Content-Type: application/json", oversize[_i].transfer, NULL};
    char *body = json_of_length(ONE_MIB + 1);
    struct http_response r;

    call(oversize[_i].method, oversize[_i].path, extra, body, &r);
    assert_problem(&r, 413, oversize[_i].path);
    ck_assert_ptr_nonnull(header(&r, "X-Request-Id"));
    ck_assert_ptr_nonnull(header(&r, "X-Emulator-Version"));
    http_response_free(&r);
    free(body);
}
END_TEST

START_TEST(body_of_exactly_one_mib_is_read)
{
    const char *extra[] = {"Content-Type: application/json", NULL};
    char *body = json_of_length(ONE_MIB);
    struct http_response r;

    ck_assert_int_eq(call("POST", "/_emulator/v1/systems", extra, body, &r), 201);
    ck_assert_str_eq(json_str(&r, "name"), "big");
    http_response_free(&r);
    free(body);
}
END_TEST

static const struct {
    const char *method, *path, *content_type, *body;
} wrong_types[] = {
    {"POST", "/_emulator/v1/systems", "Content-Type: text/plain", "{}"},
    {"POST", "/_emulator/v1/systems", "Content-Type:", "{}"}, /* curl drops the header */
    {"POST", "/_emulator/v1/api-keys", "Content-Type: application/x-www-form-urlencoded",
     "{\"name\":\"k\"}"},
    {"POST", "/_emulator/v1/systems", "Content-Type: application/jsonx", "{}"},
    {"POST", "/administration/user", "Content-Type: application/xml", "{\"role\":\"USER\"}"},
    {"POST", "/administration/user", "Content-Type: application/json-patch+json",
     "{\"role\":\"USER\"}"},
    {"POST", "/administration/locking-device", "Content-Type: text/json", "{\"name\":\"x\"}"},
    {"PATCH", "/administration/locking-device/" NO_USER_ID, "Content-Type: application/json",
     "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"x\"}]"},
};

START_TEST(wrong_content_type_is_415)
{
    const char *extra[] = {wrong_types[_i].content_type, NULL};
    struct http_response r;

    call(wrong_types[_i].method, wrong_types[_i].path, extra, wrong_types[_i].body, &r);
    assert_problem(&r, 415, wrong_types[_i].path);
    http_response_free(&r);
}
END_TEST

/* Media types compare case-insensitively and their parameters do not matter. */
static const struct {
    const char *path, *content_type, *body;
} right_types[] = {
    {"/_emulator/v1/systems", "Content-Type: application/json; charset=utf-8", "{}"},
    {"/_emulator/v1/systems", "Content-Type: Application/JSON", "{}"},
    {"/administration/user", "Content-Type: application/json;charset=UTF-8", "{\"role\":\"USER\"}"},
};

START_TEST(json_content_type_with_parameters_is_accepted)
{
    const char *extra[] = {right_types[_i].content_type, NULL};
    struct http_response r;

    call("POST", right_types[_i].path, extra, right_types[_i].body, &r);
    ck_assert_msg(r.status == 201, "%s with '%s': %ld %s", right_types[_i].path,
                  right_types[_i].content_type, r.status, r.body);
    http_response_free(&r);
}
END_TEST

static const struct {
    const char *path, *body;
} malformed[] = {
    {"/_emulator/v1/systems", "{"},
    {"/_emulator/v1/systems", "{\"name\":}"},
    {"/_emulator/v1/systems", "{\"name\":\"x\""},
    {"/_emulator/v1/systems", "{\"name\":\"x\",}"},
    {"/_emulator/v1/systems", "nul"},
    {"/_emulator/v1/systems", "{} {}"},
    {"/_emulator/v1/systems", "{\"name\":\"\xff\xfe\"}"},
    {"/_emulator/v1/api-keys", "{'name':'single quotes'}"},
    {"/administration/user", "{\"role\":"},
    {"/administration/login", "{\"userId\" \"x\"}"},
};

START_TEST(malformed_json_is_400)
{
    const char *extra[] = {"Content-Type: application/json", NULL};
    struct http_response r;

    call("POST", malformed[_i].path, extra, malformed[_i].body, &r);
    assert_problem(&r, 400, malformed[_i].path);
    http_response_free(&r);
}
END_TEST

/* ---- headers on every answer ------------------------------------------------------- */

static const char *const plain_ids[] = {"abc-123", "trace.42:x_y", "A",
                                        "0af7651916cd43dd8448eb211c80319c"};

START_TEST(plain_request_id_is_echoed)
{
    char sent[128];
    const char *extra[] = {sent, NULL};
    const char *paths[] = {"/_emulator/v1/health", "/administration/user", "/nope"};
    struct http_response r;

    snprintf(sent, sizeof(sent), "X-Request-Id: %s", plain_ids[_i]);
    for (size_t i = 0; i < N(paths); i++) {
        call("GET", paths[i], extra, NULL, &r);
        ck_assert_msg(r.status != 0, "no answer from %s", paths[i]);
        ck_assert_str_eq(header(&r, "X-Request-Id"), plain_ids[_i]);
        http_response_free(&r);
    }
}
END_TEST

static const char *const odd_ids[] = {NULL, "has space", "<script>", "semi;colon", "a\"b"};

START_TEST(missing_or_odd_request_id_is_replaced)
{
    char sent[128], first[128];
    const char *extra[] = {odd_ids[_i] ? sent : NULL, NULL};
    struct http_response r;

    snprintf(sent, sizeof(sent), "X-Request-Id: %s", odd_ids[_i] ? odd_ids[_i] : "");
    call("GET", "/_emulator/v1/health", extra, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(header(&r, "X-Request-Id"));
    snprintf(first, sizeof(first), "%s", header(&r, "X-Request-Id"));
    ck_assert_uint_gt(strlen(first), 0);
    if (odd_ids[_i] != NULL)
        ck_assert_str_ne(first, odd_ids[_i]);
    http_response_free(&r);

    call("GET", "/nope", extra, NULL, &r);
    ck_assert_int_eq(r.status, 404);
    ck_assert_ptr_nonnull(header(&r, "X-Request-Id"));
    ck_assert_str_ne(header(&r, "X-Request-Id"), first); /* a fresh one per request */
    http_response_free(&r);
}
END_TEST

static const struct {
    const char *method, *path, *body;
} assorted[] = {
    {"GET", "/", NULL},
    {"GET", "/_emulator/v1/health", NULL},
    {"HEAD", "/_emulator/v1/health", NULL},
    {"POST", "/_emulator/v1/systems", "{}"},
    {"POST", "/_emulator/v1/systems", "{"},
    {"GET", "/_emulator/v1/systems/" NO_USER_ID, NULL},
    {"DELETE", "/_emulator/v1/systems", NULL},
    {"GET", "/administration/user", NULL},
    {"POST", "/administration/user", "{\"role\":\"SUPERUSER\"}"},
    {"GET", "/nope", NULL},
};

START_TEST(every_answer_names_the_emulator_version)
{
    const char *extra[] = {"Content-Type: application/json", NULL};
    struct http_response health, r;
    const char *version;

    ck_assert_int_eq(call("GET", "/_emulator/v1/health", NULL, NULL, &health), 200);
    version = json_str(&health, "version");
    ck_assert_ptr_nonnull(version);
    ck_assert_uint_gt(strlen(version), 0);
    for (size_t i = 0; i < N(assorted); i++) {
        call(assorted[i].method, assorted[i].path, extra, assorted[i].body, &r);
        ck_assert_msg(r.status != 0, "no answer to %s %s", assorted[i].method, assorted[i].path);
        ck_assert_msg(header(&r, "X-Emulator-Version") != NULL &&
                          strcmp(header(&r, "X-Emulator-Version"), version) == 0,
                      "%s %s (%ld): X-Emulator-Version '%s', want '%s'", assorted[i].method,
                      assorted[i].path, r.status, header(&r, "X-Emulator-Version"), version);
        http_response_free(&r);
    }
    http_response_free(&health);
}
END_TEST

START_TEST(success_media_types_per_surface)
{
    struct http_response r;
    char path[128];

    call("GET", "/administration/user", NULL, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(header(&r, "Content-Type"), VENDOR_TYPE);
    http_response_free(&r);

    snprintf(path, sizeof(path), "/_emulator/v1/systems/%s", tenant.system_id);
    call("GET", path, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(header(&r, "Content-Type"), "application/json");
    http_response_free(&r);
}
END_TEST

/* ---- HEAD -------------------------------------------------------------------------- */

START_TEST(head_answers_like_get_without_a_body)
{
    char system_path[128], user_path[128];
    const char *paths[] = {"/", "/administration/user", system_path, user_path, "/nope"};
    struct http_response get, head;
    char length[32];

    snprintf(system_path, sizeof(system_path), "/_emulator/v1/systems/%s", tenant.system_id);
    snprintf(user_path, sizeof(user_path), "/administration/user/%s", tenant.admin_id);
    for (size_t i = 0; i < N(paths); i++) {
        call("GET", paths[i], NULL, NULL, &get);
        call("HEAD", paths[i], NULL, NULL, &head);
        ck_assert_msg(head.status == get.status, "HEAD %s: %ld, GET: %ld", paths[i], head.status,
                      get.status);
        ck_assert_str_eq(header(&head, "Content-Type"), header(&get, "Content-Type"));
        ck_assert_str_eq(head.body, "");
        snprintf(length, sizeof(length), "%zu", strlen(get.body));
        ck_assert_str_eq(header(&head, "Content-Length"), length);
        http_response_free(&get);
        http_response_free(&head);
        /* What Allow says is what is served: HEAD wherever GET is. */
        call("PATCH", paths[i], NULL, NULL, &get);
        if (get.status == 405)
            ck_assert_ptr_nonnull(strstr(header(&get, "Allow"), "GET, HEAD"));
        http_response_free(&get);
    }
}
END_TEST

/* ---- process ----------------------------------------------------------------------- */

/* Runs its own emulator so that it may stop it: asserts come after the stop, so a failure
 * never leaves a process behind. */
START_TEST(sigterm_after_requests_exits_zero)
{
    struct emu own;
    struct http_response r;
    long status = 0;
    int started = emu_start(&own, NULL), stopped = -1;

    if (started == 0) {
        status = control_call(&own, "POST", "/systems", "{}", &r);
        http_response_free(&r);
        stopped = emu_stop(&own);
    }
    ck_assert_int_eq(started, 0);
    ck_assert_int_eq(status, 201);
    ck_assert_int_eq(stopped, 0);
}
END_TEST

static Suite *http_core_suite(void)
{
    Suite *s = suite_create("http_core");
    TCase *tc = tcase_create("core");
    TCase *life = tcase_create("lifecycle");

    tcase_add_unchecked_fixture(tc, suite_setup, emu_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, index_page_is_html);
    tcase_add_loop_test(tc, unknown_path_is_404, 0, N(unknown_paths));
    tcase_add_loop_test(tc, wrong_method_is_405_with_allow, 0, N(wrong_methods));
    tcase_add_test(tc, put_user_allow_header_is_exact);
    tcase_add_loop_test(tc, body_over_one_mib_is_413, 0, N(oversize));
    tcase_add_test(tc, body_of_exactly_one_mib_is_read);
    tcase_add_loop_test(tc, wrong_content_type_is_415, 0, N(wrong_types));
    tcase_add_loop_test(tc, json_content_type_with_parameters_is_accepted, 0, N(right_types));
    tcase_add_loop_test(tc, malformed_json_is_400, 0, N(malformed));
    tcase_add_loop_test(tc, plain_request_id_is_echoed, 0, N(plain_ids));
    tcase_add_loop_test(tc, missing_or_odd_request_id_is_replaced, 0, N(odd_ids));
    tcase_add_test(tc, every_answer_names_the_emulator_version);
    tcase_add_test(tc, success_media_types_per_surface);
    tcase_add_test(tc, head_answers_like_get_without_a_body);
    suite_add_tcase(s, tc);

    tcase_set_timeout(life, 60);
    tcase_add_test(life, sigterm_after_requests_exits_zero);
    suite_add_tcase(s, life);
    return s;
}

int main(void)
{
    return run_suite(http_core_suite());
}
