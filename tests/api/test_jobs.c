/*
 * test_jobs.c — GET /_emulator/v1/systems/{id}/jobs (src/control/jobs.c): what a system's
 * clock will run next. On a frozen clock, a claimed lock (short certificate lifetimes) and a
 * powered gateway schedule three jobs; the list gives them in due-time order, not the order
 * they were scheduled in, with kind, dueDatetime, subjectType, subjectId and summary; paging
 * one at a time visits each once; an advance past the first runs it (the advance counts it)
 * and the list no longer holds it; bad limits and tokens are 400, an unknown system 404.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Eligible for re-keying 9 days (operational) and 19 days (manufacturing) after the claim. */
#define SHORT_LIVED                                                                                \
    "{\"hardwareModel\":\"PADLOCK\",\"operationalCertificateLifetime\":\"P10D\","                  \
    "\"manufacturingCertificateLifetime\":\"P20D\",\"reKeyingWindow\":\"P1D\"}"
#define HEARTBEAT "gateway.heartbeat"
#define OPERATIONAL "certificate.eligible.operational"
#define MANUFACTURING "certificate.eligible.manufacturing"

/* A frozen system with a claimed lock and a powered gateway, and their ids. */
struct site {
    struct tenant t;
    char lock[64], gateway[64];
};

/* One job as the list shows it. */
struct job {
    const char *kind, *due, *subject_type, *subject_id;
};

/* ---- helpers ------------------------------------------------------------------------- */

/* The lock first, the gateway after: the gateway's heartbeat is scheduled last, due first. */
static void site_init(struct site *s)
{
    char user[64], phone[64], path[160];

    new_tenant_from(&s->t, FROZEN);
    make_phone(&s->t, user, phone, NULL);
    new_lock(&s->t, "Gate", s->lock);
    json_object_put(claim_new_lock(phone, s->lock, SHORT_LIVED, NULL));
    new_gateway(&s->t, s->gateway, NULL);
    snprintf(path, sizeof(path), "/gateway-devices/%s/power-on", s->gateway);
    json_object_put(control("POST", path, NULL, 200));
}

static void jobs_path(const char *system_id, const char *query, char *path, size_t cap)
{
    snprintf(path, cap, "/systems/%s/jobs%s", system_id, query);
}

/* One page of the jobs list (query from '?' on, or ""), which must answer 200 with items. */
static json_object *jobs_page(const char *system_id, const char *query)
{
    char path[1024];
    json_object *page;

    jobs_path(system_id, query, path, sizeof(path));
    page = control("GET", path, NULL, 200);
    ck_assert_msg(json_object_is_type(member(page, "items"), json_type_array), "no items: %s",
                  json_object_to_json_string(page));
    return page;
}

/* Every job over all pages of limit items (caller puts); each page but the last holds
 * exactly limit, the last one has no nextPageToken. *pages counts them. */
static json_object *all_jobs(const char *system_id, int limit, size_t *pages)
{
    json_object *all = json_object_new_array();
    char query[512], token[400] = "";

    for (*pages = 1; *pages <= 50; (*pages)++) {
        snprintf(query, sizeof(query), "?limit=%d%s%s", limit, token[0] ? "&next-page-token=" : "",
                 token);
        json_object *page = jobs_page(system_id, query), *items = member(page, "items");
        const char *next = jstr(page, "nextPageToken");
        size_t n = json_object_array_length(items);
        ck_assert_msg(next == NULL ? n <= (size_t)limit : n == (size_t)limit, "page %zu: %s",
                      *pages, json_object_to_json_string(page));
        for (size_t i = 0; i < n; i++)
            json_object_array_add(all, json_object_get(json_object_array_get_idx(items, i)));
        snprintf(token, sizeof(token), "%s", next ? next : "");
        json_object_put(page);
        if (token[0] == '\0')
            return all;
    }
    ck_abort_msg("the jobs list never reached its last page");
    return all;
}

/* Asserts the list is exactly want (n jobs), in order, each with a summary. */
static void assert_jobs(json_object *list, const struct job *want, size_t n)
{
    ck_assert_msg(json_object_array_length(list) == n, "%zu jobs expected: %s", n,
                  json_object_to_json_string(list));
    for (size_t i = 0; i < n; i++) {
        json_object *job = json_object_array_get_idx(list, i);
        assert_strings(job, (const char *const[]){"kind", want[i].kind, "dueDatetime", want[i].due,
                                                  "subjectType", want[i].subject_type, "subjectId",
                                                  want[i].subject_id, NULL});
        ck_assert_msg(jstr(job, "summary") != NULL && jstr(job, "summary")[0] != '\0',
                      "no summary: %s", json_object_to_json_string(job));
    }
}

/* The site's three jobs, from a heartbeat due at heartbeat_due on. */
static void site_jobs(const struct site *s, const char *heartbeat_due, struct job out[3])
{
    out[0] = (struct job){HEARTBEAT, heartbeat_due, "gatewayDevice", s->gateway};
    out[1] = (struct job){OPERATIONAL, "2030-01-10T08:00:00Z", "lockingDevice", s->lock};
    out[2] = (struct job){MANUFACTURING, "2030-01-20T08:00:00Z", "lockingDevice", s->lock};
}

/* POST clock/advance by `by`; returns the summary (caller puts). */
static json_object *advance(const struct site *s, const char *by)
{
    char path[160], body[64];

    snprintf(path, sizeof(path), "/systems/%s/clock/advance", s->t.system_id);
    snprintf(body, sizeof(body), "{\"by\":\"%s\"}", by);
    return control("POST", path, body, 200);
}

/* ---- the list ------------------------------------------------------------------------ */

START_TEST(jobs_come_in_due_time_order)
{
    struct site s;
    struct job want[3];
    json_object *page;

    site_init(&s);
    site_jobs(&s, "2030-01-02T08:00:00Z", want);
    page = jobs_page(s.t.system_id, "");
    assert_jobs(member(page, "items"), want, N(want));
    ck_assert_ptr_null(member(page, "nextPageToken"));
    json_object_put(page);
}
END_TEST

START_TEST(a_system_without_hardware_has_no_jobs)
{
    struct tenant t;
    json_object *page;

    new_tenant_from(&t, FROZEN);
    page = jobs_page(t.system_id, "");
    ck_assert_uint_eq(json_object_array_length(member(page, "items")), 0);
    json_object_put(page);
}
END_TEST

START_TEST(paging_one_at_a_time_visits_each_job_once)
{
    struct site s;
    struct job want[3];
    json_object *list;
    size_t pages;

    site_init(&s);
    site_jobs(&s, "2030-01-02T08:00:00Z", want);
    for (int limit = 1; limit <= 3; limit++) {
        list = all_jobs(s.t.system_id, limit, &pages);
        assert_jobs(list, want, N(want));
        ck_assert_uint_le(pages, N(want) / (size_t)limit + 1);
        json_object_put(list);
    }
}
END_TEST

START_TEST(another_systems_token_is_refused)
{
    struct site s;
    struct tenant other;
    char query[512], path[1024], instance[256];
    json_object *page;
    struct http_response r;

    site_init(&s);
    new_tenant_from(&other, FROZEN);
    page = jobs_page(s.t.system_id, "?limit=1");
    ck_assert_ptr_nonnull(jstr(page, "nextPageToken"));
    snprintf(query, sizeof(query), "?limit=1&next-page-token=%s", jstr(page, "nextPageToken"));
    json_object_put(page);
    jobs_path(other.system_id, query, path, sizeof(path));
    jobs_path(other.system_id, "", instance, sizeof(instance));
    control_expect("GET", path, NULL, 400, &r);
    assert_control_problem(&r, 400, instance);
    assert_invalid_params(&r, (const char *const[]){"next-page-token", NULL});
    http_response_free(&r);
}
END_TEST

/* ---- the clock runs them ---------------------------------------------------------------- */

START_TEST(an_advance_short_of_the_first_job_runs_nothing)
{
    struct site s;
    struct job want[3];
    json_object *summary, *page;

    site_init(&s);
    site_jobs(&s, "2030-01-02T08:00:00Z", want);
    summary = advance(&s, "PT23H59M59S");
    ck_assert_int_eq(jint(summary, "jobsRun"), 0);
    ck_assert_pstr_eq(jstr(summary, "now"), "2030-01-02T07:59:59Z");
    page = jobs_page(s.t.system_id, "");
    assert_jobs(member(page, "items"), want, N(want));
    json_object_put(summary);
    json_object_put(page);
}
END_TEST

/* The heartbeat ran and left its own next day's heartbeat; the certificates' jobs wait. */
START_TEST(an_advance_past_the_first_job_runs_it)
{
    struct site s;
    struct job want[3];
    json_object *summary, *page;

    site_init(&s);
    site_jobs(&s, "2030-01-03T08:00:00Z", want);
    summary = advance(&s, "PT25H");
    ck_assert_int_eq(jint(summary, "jobsRun"), 1);
    ck_assert_pstr_eq(jstr(summary, "now"), "2030-01-02T09:00:00Z");
    page = jobs_page(s.t.system_id, "");
    assert_jobs(member(page, "items"), want, N(want));
    json_object_put(summary);
    json_object_put(page);
}
END_TEST

/* ---- what is refused --------------------------------------------------------------------- */

static const char *const bad_limits[] = {"0", "abc", "-1", "101", "1.5", ""};

START_TEST(bad_limits_are_refused)
{
    struct tenant t;
    char query[64], path[256], instance[256];
    struct http_response r;

    new_tenant_from(&t, FROZEN);
    snprintf(query, sizeof(query), "?limit=%s", bad_limits[_i]);
    jobs_path(t.system_id, query, path, sizeof(path));
    jobs_path(t.system_id, "", instance, sizeof(instance));
    control_expect("GET", path, NULL, 400, &r);
    assert_control_problem(&r, 400, instance);
    assert_invalid_params(&r, (const char *const[]){"limit", NULL});
    http_response_free(&r);
}
END_TEST

START_TEST(an_unknown_system_is_not_found)
{
    struct tenant t;
    char path[256];

    new_tenant_from(&t, FROZEN); /* one system there, not the one asked for */
    jobs_path(UNKNOWN_ID, "", path, sizeof(path));
    expect_control_problem("GET", path, NULL, 404);
}
END_TEST

static Suite *jobs_suite(void)
{
    Suite *s = suite_create("jobs");
    TCase *tc = tcase_create("jobs");

    tcase_add_checked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, jobs_come_in_due_time_order);
    tcase_add_test(tc, a_system_without_hardware_has_no_jobs);
    tcase_add_test(tc, paging_one_at_a_time_visits_each_job_once);
    tcase_add_test(tc, another_systems_token_is_refused);
    tcase_add_test(tc, an_advance_short_of_the_first_job_runs_nothing);
    tcase_add_test(tc, an_advance_past_the_first_job_runs_it);
    tcase_add_loop_test(tc, bad_limits_are_refused, 0, N(bad_limits));
    tcase_add_test(tc, an_unknown_system_is_not_found);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(jobs_suite());
}
