/*
 * test_ratelimit.c — each API key's token bucket (requestsPerSecond, burst): past the burst
 * the Administration API answers 429 problem+json with Retry-After; the check comes right
 * after the API key check and before Accept and the token; other keys are unaffected
 * (DESIGN.md §3, §8).
 *
 * Every test makes its own keys, so buckets never carry over between tests.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct tenant tenant;

static void suite_setup(void)
{
    emu_must_start();
    new_tenant(&tenant);
}

/* POST /api-keys {"name", "requestsPerSecond", "burst"} on e; copies the key. */
static void limited_key(struct emu *e, int rate, int burst, char *key, size_t cap)
{
    char body[128];
    struct http_response r;

    snprintf(body, sizeof(body), "{\"name\":\"limited\",\"requestsPerSecond\":%d,\"burst\":%d}",
             rate, burst);
    ck_assert_int_eq(control_call(e, "POST", "/api-keys", body, &r), 201);
    ck_assert_ptr_nonnull(json_str(&r, "key"));
    snprintf(key, cap, "%s", json_str(&r, "key"));
    http_response_free(&r);
}

/* GET /administration/user on e with key, t's token and, unless accept is NULL, Accept. */
static long get_users(struct emu *e, const struct tenant *t, const char *key, const char *accept,
                      struct http_response *r)
{
    char url[512], key_header[256], auth[4200], accept_header[256];
    const char *headers[] = {key_header, auth, accept ? accept_header : NULL, NULL};

    snprintf(url, sizeof(url), "%s/administration/user", e->url);
    snprintf(key_header, sizeof(key_header), "X-Api-Key: %s", key);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t->token);
    snprintf(accept_header, sizeof(accept_header), "Accept: %s", accept ? accept : "");
    return http_call("GET", url, headers, NULL, r);
}

static long get_users_status(const char *key)
{
    struct http_response r;
    long status = get_users(&emu, &tenant, key, VENDOR_TYPE, &r);

    http_response_free(&r);
    return status;
}

/* Spends n requests of key's bucket, asserting each was let through. */
static void spend(const char *key, int n)
{
    for (int i = 0; i < n; i++)
        ck_assert_msg(get_users_status(key) == 200, "request %d of %d was refused", i + 1, n);
}

/* r is the 429 problem of GET /administration/user; returns its Retry-After. */
static long assert_rate_limited(const struct http_response *r)
{
    char type[128], retry[32];
    json_object *status;
    char *end;
    long seconds;

    ck_assert_msg(r->status == 429, "status %ld, body %s", r->status, r->body);
    ck_assert_ptr_nonnull(http_header(r, "Content-Type", type, sizeof(type)));
    ck_assert_str_eq(type, "application/problem+json");
    ck_assert_str_eq(json_str(r, "type"), "about:blank");
    ck_assert_str_eq(json_str(r, "title"), "Too Many Requests");
    ck_assert(json_object_object_get_ex(r->json, "status", &status));
    ck_assert_int_eq(json_object_get_int(status), 429);
    ck_assert_ptr_nonnull(json_str(r, "detail"));
    ck_assert_str_eq(json_str(r, "instance"), "/administration/user");
    ck_assert_msg(http_header(r, "Retry-After", retry, sizeof(retry)) != NULL, "no Retry-After");
    seconds = strtol(retry, &end, 10);
    ck_assert_msg(*end == '\0' && seconds >= 1, "Retry-After '%s'", retry);
    return seconds;
}

static const int bursts[] = {3, 1, 5};

START_TEST(burst_requests_pass_then_429)
{
    char key[128];
    struct http_response r;

    limited_key(&emu, 1, bursts[_i], key, sizeof(key));
    spend(key, bursts[_i]);
    get_users(&emu, &tenant, key, VENDOR_TYPE, &r);
    assert_rate_limited(&r);
    http_response_free(&r);
}
END_TEST

START_TEST(other_keys_are_unaffected)
{
    char exhausted[128], fresh[128];

    limited_key(&emu, 1, 3, exhausted, sizeof(exhausted));
    limited_key(&emu, 1, 3, fresh, sizeof(fresh));
    spend(exhausted, 3);
    ck_assert_int_eq(get_users_status(exhausted), 429);
    ck_assert_int_eq(get_users_status(tenant.api_key), 200);
    spend(fresh, 3);
    ck_assert_int_eq(get_users_status(fresh), 429);
    ck_assert_int_eq(get_users_status(tenant.api_key), 200);
}
END_TEST

START_TEST(login_counts_against_the_key)
{
    struct tenant as = tenant;

    limited_key(&emu, 1, 3, as.api_key, sizeof(as.api_key));
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(tenant_login(&emu, &as, as.admin_id, as.access_key, NULL, 0), 200);
    ck_assert_int_eq(tenant_login(&emu, &as, as.admin_id, as.access_key, NULL, 0), 429);
}
END_TEST

/* Order of checks: API key (403), then rate limit (429), then Accept (406), then token. */
START_TEST(limit_is_checked_after_the_key_and_before_accept_and_token)
{
    struct tenant no_token = tenant;
    char key[128];
    struct http_response r;

    limited_key(&emu, 1, 1, key, sizeof(key));
    spend(key, 1);
    get_users(&emu, &tenant, key, NULL, &r);
    assert_rate_limited(&r);
    http_response_free(&r);
    get_users(&emu, &tenant, key, "application/json", &r);
    assert_rate_limited(&r);
    http_response_free(&r);
    no_token.token[0] = '\0';
    get_users(&emu, &no_token, key, VENDOR_TYPE, &r);
    assert_rate_limited(&r);
    http_response_free(&r);
    ck_assert_int_eq(get_users_status("no-such-api-key"), 403);
}
END_TEST

START_TEST(bucket_refills_after_retry_after)
{
    char key[128];
    struct http_response r;
    long wait;

    limited_key(&emu, 1, 2, key, sizeof(key));
    spend(key, 2);
    get_users(&emu, &tenant, key, VENDOR_TYPE, &r);
    wait = assert_rate_limited(&r);
    http_response_free(&r);
    ck_assert_int_le(wait, 2); /* one request at 1/s is never more than a second or so away */
    usleep((useconds_t)(wait * 1000000 + 100000));
    ck_assert_int_eq(get_users_status(key), 200);
    ck_assert_int_eq(get_users_status(key), 429); /* one request's worth came back, no more */
}
END_TEST

/* Removes the SQLite file db (with its WAL and shared-memory files) and dir. */
static void remove_database(const char *dir, const char *db)
{
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[128];

    for (size_t i = 0; i < N(suffixes); i++) {
        snprintf(path, sizeof(path), "%s%s", db, suffixes[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* A key's limits are stored with it: after a restart on the same database, the same key
 * still allows exactly its burst. The emulator is stopped before any assertion. */
START_TEST(limits_survive_a_restart)
{
    char dir[] = "/tmp/ke-ratelimit-XXXXXX", db[64], key[128] = "";
    const char *args[] = {"--db", db, NULL};
    struct emu own;
    struct tenant t;
    long statuses[3] = {0};
    int started, created = -1, stopped = -1, restarted = -1, stopped_again = -1;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/ratelimit.db", dir);
    started = emu_start(&own, args);
    if (started == 0) {
        created = tenant_create(&own, &t, NULL);
        if (created == 0)
            limited_key(&own, 1, 2, key, sizeof(key));
        stopped = emu_stop(&own);
        restarted = emu_restart(&own, args);
    }
    if (restarted == 0) {
        for (size_t i = 0; i < N(statuses); i++) {
            struct http_response r;
            statuses[i] = get_users(&own, &t, key, VENDOR_TYPE, &r);
            http_response_free(&r);
        }
        stopped_again = emu_stop(&own);
    }
    remove_database(dir, db);
    ck_assert_int_eq(started, 0);
    ck_assert_int_eq(created, 0);
    ck_assert_int_eq(stopped, 0);
    ck_assert_int_eq(restarted, 0);
    ck_assert_int_eq(stopped_again, 0);
    ck_assert_int_eq(statuses[0], 200);
    ck_assert_int_eq(statuses[1], 200);
    ck_assert_int_eq(statuses[2], 429);
}
END_TEST

static Suite *ratelimit_suite(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("ratelimit");
    TCase *restart = tcase_create("restart");

    tcase_add_unchecked_fixture(tc, suite_setup, emu_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, burst_requests_pass_then_429, 0, N(bursts));
    tcase_add_test(tc, other_keys_are_unaffected);
    tcase_add_test(tc, login_counts_against_the_key);
    tcase_add_test(tc, limit_is_checked_after_the_key_and_before_accept_and_token);
    tcase_add_test(tc, bucket_refills_after_retry_after);
    suite_add_tcase(s, tc);

    tcase_set_timeout(restart, 120);
    tcase_add_test(restart, limits_survive_a_restart);
    suite_add_tcase(s, restart);
    return s;
}

int main(void)
{
    return run_suite(ratelimit_suite());
}
