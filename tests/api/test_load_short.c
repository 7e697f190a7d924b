/*
 * test_load_short.c — the load run of tests/bench/load.c, five seconds long, as a test:
 * 100 concurrent clients over several systems with mixed reads and writes; no 5xx (no
 * SQLite busy reaches a client), no error at all, every request answered (no deadlock),
 * and a resident set that stays flat once warm (checked when the server is not under
 * AddressSanitizer, whose quarantine grows by design).
 */
#include <check.h>
#include <stdlib.h>

#define LOAD_NO_MAIN
#include "../bench/load.c"

#define RSS_GROWTH_LIMIT_KB (32 * 1024)

static void teardown(void)
{
    emu_kill(&load_emu); /* only does something when a failed test left it running */
}

START_TEST(hundred_clients_for_five_seconds)
{
    struct load_options o = {100, 5, 1};
    struct load_result r;

    ck_assert_int_eq(load_start(NULL), 0);
    ck_assert_int_eq(load_run(&o, &r), 0);
    load_print(&o, &r);
    ck_assert_msg(r.by_class[5] == 0, "%ld answers were 5xx; first: %s", r.by_class[5],
                  r.first_error);
    ck_assert_msg(r.by_class[4] == 0, "%ld answers were 4xx; first: %s", r.by_class[4],
                  r.first_error);
    ck_assert_msg(r.transport_errors == 0 && r.timeouts == 0, "%ld errors, %ld timeouts: %s",
                  r.transport_errors, r.timeouts, r.first_error);
    ck_assert_msg(r.unanswered == 0, "%ld requests never answered", r.unanswered);
    ck_assert_int_eq(r.by_class[2], r.requests);
    ck_assert_msg(r.requests >= 500, "only %ld requests in %.1f s", r.requests, r.elapsed_s);
    ck_assert(r.rss_before_kb > 0 && r.rss_after_kb > 0);
    if (!r.sanitized)
        ck_assert_msg(r.rss_after_kb - r.rss_before_kb < RSS_GROWTH_LIMIT_KB,
                      "VmRSS grew from %ld to %ld KiB", r.rss_before_kb, r.rss_after_kb);
    ck_assert_int_eq(emu_stop(&load_emu), 0);
}
END_TEST

static Suite *load_suite(void)
{
    Suite *s = suite_create("load_short");
    TCase *tc = tcase_create("load");

    tcase_set_timeout(tc, 240);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, hundred_clients_for_five_seconds);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* No fork: the teardown then stops a failed test's server. */
    return run_suite_nofork(load_suite());
}
