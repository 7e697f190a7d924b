/* Unit tests of lib/time_window: weekdays and daily intervals of permissions, in UTC. */
#include <check.h>
#include <stdlib.h>

#include "lib/time_window.h"
#include "lib/timefmt.h"
#include "unit_main.h"

static int64_t at(const char *datetime)
{
    int64_t t = 0;

    ck_assert_int_eq(timefmt_parse_datetime(datetime, &t), ST_OK);
    return t;
}

START_TEST(parses_intervals)
{
    static const struct {
        const char *text;
        int ok, start, end;
    } cases[] = {
        {"08:00-12:00", 1, 480, 720},
        {"00:00-24:00", 1, 0, 1440},
        {"23:59-24:00", 1, 1439, 1440},
        {"12:00-08:00", 0, 0, 0},
        {"08:00-08:00", 0, 0, 0},
        {"24:00-24:00", 0, 0, 0},
        {"8:00-12:00", 0, 0, 0},
        {"08:60-12:00", 0, 0, 0},
        {"08:00-24:01", 0, 0, 0},
        {"08:00–12:00", 0, 0, 0},
        {"", 0, 0, 0},
        {"08:00-12:00 ", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int start = -1, end = -1;
        int rc = time_window_parse_interval(cases[i].text, &start, &end);
        ck_assert_msg((rc == 0) == cases[i].ok, "case %zu '%s'", i, cases[i].text);
        if (cases[i].ok) {
            ck_assert_int_eq(start, cases[i].start);
            ck_assert_int_eq(end, cases[i].end);
        }
    }
}
END_TEST

START_TEST(checks_weekdays_and_intervals)
{
    /* 2030-01-07 is a Monday. */
    static const char weekdays[] = "[\"MONDAY\",\"FRIDAY\"]";
    static const char intervals[] = "[\"08:00-12:00\",\"13:00-17:30\"]";
    static const struct {
        const char *when;
        int allowed;
    } cases[] = {
        {"2030-01-07T08:00:00Z", 1},      {"2030-01-07T11:59:59Z", 1},
        {"2030-01-07T12:00:00Z", 0},      {"2030-01-07T12:30:00Z", 0},
        {"2030-01-07T17:29:00Z", 1},      {"2030-01-07T17:30:00Z", 0},
        {"2030-01-07T07:59:59Z", 0},      {"2030-01-08T09:00:00Z", 0},
        {"2030-01-11T09:00:00Z", 1},      {"2030-01-07T11:00:00+02:00", 1},
        {"2030-01-07T09:00:00+02:00", 0}, {"2030-01-13T09:00:00Z", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ck_assert_msg(time_window_allows(weekdays, intervals, at(cases[i].when)) ==
                          cases[i].allowed,
                      "case %zu %s", i, cases[i].when);
}
END_TEST

START_TEST(empty_means_unrestricted_and_malformed_means_never)
{
    int64_t monday_noon = at("2030-01-07T12:00:00Z");

    ck_assert_int_eq(time_window_allows(NULL, NULL, monday_noon), 1);
    ck_assert_int_eq(time_window_allows("", "", monday_noon), 1);
    ck_assert_int_eq(time_window_allows("[\"MONDAY\"]", NULL, monday_noon), 1);
    ck_assert_int_eq(time_window_allows("[\"TUESDAY\"]", NULL, monday_noon), 0);
    ck_assert_int_eq(time_window_allows("[]", NULL, monday_noon), 0);
    ck_assert_int_eq(time_window_allows("not json", NULL, monday_noon), 0);
    ck_assert_int_eq(time_window_allows(NULL, "[\"25:00-26:00\"]", monday_noon), 0);
    ck_assert_int_eq(time_window_allows(NULL, "{\"a\":1}", monday_noon), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("time_window");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, parses_intervals);
    tcase_add_test(tc, checks_weekdays_and_intervals);
    tcase_add_test(tc, empty_means_unrestricted_and_malformed_means_never);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
