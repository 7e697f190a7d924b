/*
 * test_permission_cleanup.c — the platform removes a permission 14 days after its end, by a
 * job on the system's own clock (DESIGN.md §4): not a second early, each permission at its
 * own time, a replaced permission at its new end, one that ended long ago at the next
 * advance; ended permissions give no operating keys meanwhile; another system's clock
 * removes nothing of this one.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "scenario.h"

/* ---- helpers ------------------------------------------------------------------------- */

/* Moves the clock, checks how many jobs ran (no events: removal is silent), and logs the
 * admin in again, since a token lasts one hour of virtual time. */
static void expect_advance(struct tenant *t, const char *body, int64_t jobs)
{
    json_object *o = advance_clock(t, body);

    ck_assert_int_eq(jint(o, "jobsRun"), jobs);
    ck_assert_int_eq(jint(o, "eventsEmitted"), 0);
    json_object_put(o);
}

/* The body of a permission for user at lock ending at end; recurring adds a schedule. */
static void permission_body(char *out, size_t cap, const char *user, const char *lock,
                            const char *end, int recurring)
{
    snprintf(out, cap,
             "{\"userId\":\"%s\",\"lockingDeviceId\":\"%s\",\"operationType\":\"OPEN\","
             "\"permissionType\":\"%s\",\"start\":\"2029-12-01T00:00:00Z\",\"end\":\"%s\"%s}",
             user, lock, recurring ? "RECURRING" : "SINGLE_INTERVAL", end,
             recurring ? ",\"weekdays\":[\"MONDAY\",\"FRIDAY\"],\"intervals\":[\"08:00-17:00\"]"
                       : "");
}

static void permit(const struct tenant *t, const char *user, const char *lock, const char *end,
                   int recurring, char id[64])
{
    char body[512];

    permission_body(body, sizeof(body), user, lock, end, recurring);
    post_id(t, "/permission", body, id);
}

/* 200 while the permission exists, 404 once removed. */
static void expect_permission(const struct tenant *t, const char *id, long status)
{
    char path[128];

    snprintf(path, sizeof(path), "/permission/%s", id);
    json_object_put(admin(t, "GET", path, NULL, status));
}

/* The permission list holds exactly these ids, in creation order. */
static void expect_list(const struct tenant *t, const char *const *ids, size_t n)
{
    json_object *page = admin(t, "GET", "/permission?limit=100", NULL, 200);
    json_object *items = jget(page, "items");

    ck_assert_uint_eq(json_object_array_length(items), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_pstr_eq(jstr(json_object_array_get_idx(items, i), "id"), ids[i]);
    json_object_put(page);
}

static int64_t keys_downloaded(const char *phone_id)
{
    char path[128];
    json_object *o;
    int64_t n;

    snprintf(path, sizeof(path), "/operating-devices/%s/sync", phone_id);
    o = control("POST", path, NULL, 200);
    n = jint(o, "keysDownloaded");
    json_object_put(o);
    return n;
}

/* ---- the stories ---------------------------------------------------------------------- */

START_TEST(permissions_go_fourteen_days_after_their_end)
{
    struct tenant t;
    char user[64], phone[64], lock[64], a[64], b[64], c[64], d[64], e[64], body[512];
    char path[128];

    new_system(&t);
    make_phone(&t, user, phone, NULL);
    post_id(&t, "/locking-device", "{\"name\":\"Door\"}", lock);
    permit(&t, user, lock, "2030-01-02T08:00:00Z", 0, a);
    permit(&t, user, lock, "2030-01-11T08:00:00Z", 0, b);
    permit(&t, user, lock, "2030-01-02T08:00:00Z", 0, c);
    permit(&t, user, lock, "2030-01-03T08:00:00Z", 1, d);
    permit(&t, user, lock, "2031-01-01T00:00:00Z", 0, e);
    /* c is replaced: it now ends a month later, and goes only 14 days after that. */
    permission_body(body, sizeof(body), user, lock, "2030-01-31T08:00:00Z", 0);
    snprintf(path, sizeof(path), "/permission/%s", c);
    json_object_put(admin(&t, "PUT", path, body, 204));
    ck_assert_int_eq(keys_downloaded(phone), 5);

    /* Ended, not yet removed: the permission is still listed but gives no key. */
    expect_advance(&t, "{\"to\":\"2030-01-02T08:00:00Z\"}", 0);
    ck_assert_int_eq(keys_downloaded(phone), 4);
    expect_permission(&t, a, 200);

    expect_advance(&t, "{\"to\":\"2030-01-16T07:59:59Z\"}", 0);
    expect_permission(&t, a, 200);
    expect_advance(&t, "{\"by\":\"PT1S\"}", 1);
    expect_permission(&t, a, 404);
    expect_permission(&t, c, 200);
    {
        const char *const left[] = {b, c, d, e};
        expect_list(&t, left, 4);
    }
    expect_advance(&t, "{\"to\":\"2030-01-17T08:00:00Z\"}", 1);
    expect_permission(&t, d, 404);
    expect_advance(&t, "{\"to\":\"2030-01-25T08:00:00Z\"}", 1);
    expect_permission(&t, b, 404);
    expect_advance(&t, "{\"to\":\"2030-02-14T07:59:59Z\"}", 0);
    expect_permission(&t, c, 200);
    expect_advance(&t, "{\"by\":\"PT1S\"}", 1);
    expect_permission(&t, c, 404);
    {
        const char *const left[] = {e};
        expect_list(&t, left, 1);
    }
    ck_assert_int_eq(keys_downloaded(phone), 1);
    /* Only permissions go: the user and the phone stay. */
    snprintf(path, sizeof(path), "/user/%s", user);
    json_object_put(admin(&t, "GET", path, NULL, 200));
    snprintf(path, sizeof(path), "/operating-device?user-id=%s", user);
    {
        json_object *page = admin(&t, "GET", path, NULL, 200);
        ck_assert_uint_eq(json_object_array_length(jget(page, "items")), 1);
        json_object_put(page);
    }
}
END_TEST

/* A permission created when it ended more than 14 days ago is removed by the next advance:
 * its removal job is already due. */
START_TEST(permission_ended_long_ago_goes_at_the_next_advance)
{
    struct tenant t;
    char user[64], lock[64], old[64], current[64];

    new_system(&t);
    post_id(&t, "/user", "{\"role\":\"USER\"}", user);
    post_id(&t, "/locking-device", "{\"name\":\"Door\"}", lock);
    permit(&t, user, lock, "2029-12-10T00:00:00Z", 0, old);
    permit(&t, user, lock, "2030-06-01T00:00:00Z", 0, current);
    expect_permission(&t, old, 200);
    expect_advance(&t, "{\"by\":\"PT1S\"}", 1);
    expect_permission(&t, old, 404);
    expect_permission(&t, current, 200);
}
END_TEST

/* Each system's clock removes its own permissions only. */
START_TEST(another_systems_clock_removes_nothing_here)
{
    struct tenant a, b;
    char user_a[64], lock_a[64], perm_a[64], user_b[64], lock_b[64], perm_b[64];

    new_system(&a);
    new_system(&b);
    post_id(&a, "/user", "{\"role\":\"USER\"}", user_a);
    post_id(&a, "/locking-device", "{\"name\":\"Door\"}", lock_a);
    permit(&a, user_a, lock_a, "2030-01-02T08:00:00Z", 0, perm_a);
    post_id(&b, "/user", "{\"role\":\"USER\"}", user_b);
    post_id(&b, "/locking-device", "{\"name\":\"Door\"}", lock_b);
    permit(&b, user_b, lock_b, "2030-01-02T08:00:00Z", 0, perm_b);

    expect_advance(&a, "{\"by\":\"P30D\"}", 1);
    expect_permission(&a, perm_a, 404);
    expect_permission(&b, perm_b, 200);
    expect_advance(&b, "{\"by\":\"P15D\"}", 1);
    expect_permission(&b, perm_b, 404);
}
END_TEST

static Suite *permission_cleanup_suite(void)
{
    Suite *s = suite_create("sim_permission_cleanup");
    TCase *tc = tcase_create("cleanup");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, permissions_go_fourteen_days_after_their_end);
    tcase_add_test(tc, permission_ended_long_ago_goes_at_the_next_advance);
    tcase_add_test(tc, another_systems_clock_removes_nothing_here);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(permission_cleanup_suite());
}
