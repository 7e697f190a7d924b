/*
 * test_timefmt.c — RFC 3339 datetimes and ISO 8601 durations (src/lib/timefmt.c).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "lib/timefmt.h"
#include "unit_main.h"

/* 2019-08-24T14:15:22Z, the vendor's example instant. */
#define EXAMPLE 1566656122LL
#define FIRST_INSTANT (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define LAST_INSTANT 253402300799LL    /* 9999-12-31T23:59:59Z */

struct datetime_case {
    const char *text;
    int64_t seconds;
};

static const struct datetime_case good_datetimes[] = {
    {"2019-08-24T14:15:22Z", EXAMPLE},
    {"2019-08-24t14:15:22z", EXAMPLE},
    {"2019-08-24T16:15:22+02:00", EXAMPLE},
    {"2019-08-24T08:45:22-05:30", EXAMPLE},
    {"2019-08-24T14:15:22+00:00", EXAMPLE},
    {"2019-08-24T14:15:22-00:00", EXAMPLE},
    {"2019-08-24T14:15:22.999Z", EXAMPLE}, /* fractions are truncated, not rounded */
    {"2019-08-24T14:15:22.1+00:00", EXAMPLE},
    {"2019-08-24T16:15:22.123456789+02:00", EXAMPLE},
    {"2019-08-24 14:15:22Z", EXAMPLE}, /* RFC 3339 5.6 allows a space for T */
    {"2019-08-25T00:15:22+10:00", EXAMPLE},
    {"1970-01-01T00:00:00Z", 0},
    {"1969-12-31T23:59:59Z", -1},
    {"2000-02-29T00:00:00Z", 951782400},
    {"2024-02-29T00:00:00Z", 1709164800},
    {"2023-12-31T23:59:59-23:59", 1704153539},
    {"0001-01-01T00:00:00Z", FIRST_INSTANT},
    {"9999-12-31T23:59:59Z", LAST_INSTANT},
};

static const char *const bad_datetimes[] = {
    "",
    "garbage",
    "2019-08-24",
    "2019-08-24T14:15:22",      /* no zone */
    "2019-08-24T14:15:22Zjunk", /* trailing characters */
    "2019-08-24T14:15:22Z ",
    " 2019-08-24T14:15:22Z",
    "2019-08-24T14:15:22+02:00x",
    "2023-02-30T00:00:00Z", /* no such day */
    "2023-02-29T00:00:00Z", /* not a leap year */
    "2019-04-31T00:00:00Z",
    "2019-13-01T00:00:00Z",
    "2019-00-10T00:00:00Z",
    "2019-08-00T00:00:00Z",
    "2019-08-24T24:00:00Z", /* hour 24 */
    "2019-08-24T14:60:00Z",
    "2019-08-24T14:15:60Z", /* leap seconds are not accepted */
    "2019-08-24X14:15:22Z",
    "2019-8-24T14:15:22Z",
    "2019-08-24T14:15:2Z",
    "20190824T141522Z",
    "2019-08-24T14:15:22.Z", /* a fraction needs a digit */
    "2019-08-24T14:15:22.5",
    "2019-08-24T14:15:22+0200",
    "2019-08-24T14:15:22+02",
    "2019-08-24T14:15:22+2:00",
    "2019-08-24T14:15:22+24:00",
    "2019-08-24T14:15:22+02:60",
    "2019-08-24T14:15:22UTC",
    "+2019-08-24T14:15:22Z",
    "0000-12-31T23:59:59Z",      /* before year 1 */
    "0001-01-01T00:00:00+00:01", /* one minute before the first instant */
    "9999-12-31T23:59:59-00:01", /* one minute after the last */
};

START_TEST(parse_datetime_accepts)
{
    const struct datetime_case *c = &good_datetimes[_i];
    int64_t got = 0;

    ck_assert_msg(timefmt_parse_datetime(c->text, &got) == ST_OK, "refused %s", c->text);
    ck_assert_msg(got == c->seconds, "%s: got %lld, want %lld", c->text, (long long)got,
                  (long long)c->seconds);
}
END_TEST

START_TEST(parse_datetime_refuses)
{
    const char *text = bad_datetimes[_i];
    int64_t got = 777;

    ck_assert_msg(timefmt_parse_datetime(text, &got) == ST_INVALID, "accepted '%s'", text);
    ck_assert_msg(got == 777, "'%s' changed the output on failure", text);
}
END_TEST

static const struct datetime_case formatted[] = {
    {"2019-08-24T14:15:22Z", EXAMPLE},
    {"1970-01-01T00:00:00Z", 0},
    {"1969-12-31T23:59:59Z", -1},
    {"2000-02-29T00:00:00Z", 951782400},
    {"2038-01-19T03:14:08Z", 2147483648LL}, /* past 32-bit time_t */
    {"0001-01-01T00:00:00Z", FIRST_INSTANT},
    {"0999-12-31T23:59:59Z", -30610224001LL}, /* four-digit years even before 1000 */
    {"9999-12-31T23:59:59Z", LAST_INSTANT},
};

START_TEST(format_datetime_canonical)
{
    const struct datetime_case *c = &formatted[_i];
    char out[TIMEFMT_DATETIME_LEN];

    timefmt_format_datetime(c->seconds, out);
    ck_assert_str_eq(out, c->text);
}
END_TEST

START_TEST(format_datetime_clamps_out_of_range)
{
    char out[TIMEFMT_DATETIME_LEN];

    timefmt_format_datetime(INT64_MAX, out);
    ck_assert_str_eq(out, "9999-12-31T23:59:59Z");
    timefmt_format_datetime(LAST_INSTANT + 1, out);
    ck_assert_str_eq(out, "9999-12-31T23:59:59Z");
    timefmt_format_datetime(INT64_MIN, out);
    ck_assert_str_eq(out, "0001-01-01T00:00:00Z");
    timefmt_format_datetime(FIRST_INSTANT - 1, out);
    ck_assert_str_eq(out, "0001-01-01T00:00:00Z");
}
END_TEST

START_TEST(datetime_round_trips)
{
    /* Every accepted text, formatted and parsed again, keeps its instant. */
    const struct datetime_case *c = &good_datetimes[_i];
    char out[TIMEFMT_DATETIME_LEN];
    int64_t again = 0;

    timefmt_format_datetime(c->seconds, out);
    ck_assert_int_eq(strlen(out), 20);
    ck_assert_int_eq(timefmt_parse_datetime(out, &again), ST_OK);
    ck_assert_int_eq(again, c->seconds);
}
END_TEST

struct duration_case {
    const char *text;
    int64_t seconds;
};

static const struct duration_case good_durations[] = {
    {"PT24H", 86400},
    {"P8D", 8 * 86400},
    {"P1W", 7 * 86400},
    {"P1W1D", 8 * 86400},
    {"P1DT2H3M4S", 86400 + 2 * 3600 + 3 * 60 + 4},
    {"PT0S", 0},
    {"P0D", 0},
    {"PT1M", 60},
    {"PT90M", 5400},
    {"PT1H30M", 5400},
    {"PT3600S", 3600},
    {"P2DT5S", 2 * 86400 + 5},
    {"pt1h", 3600}, /* designators are case-insensitive, as in java.time.Duration */
    {"P1dT1h1m1s", 90061},
    {"PT9223372036854775807S", INT64_MAX},
};

static const char *const bad_durations[] = {
    "",
    "P",
    "PT",
    "P1DT", /* T without a time component */
    "1D",
    "P1",
    "PT1",
    "PD",
    "PTS",
    "P1Y",
    "P1M", /* months: their length depends on the calendar */
    "P1Y2M3D",
    "-PT1H",
    "PT-1H",
    "P+1D",
    "PT1.5S",
    "PT1,5S",
    "P1H",
    "PT1D",
    "P1DT1W",
    "PT1S1H",
    "PT1M1H",
    "PT1H1H",
    "P1D1W",
    "P1D1D",
    "PTT1H",
    "P1DT1HT1M",
    "P 1D",
    "PT1H ",
    " PT1H",
    "PT1HX",
    "P99999999999999999999D",
    "P106751991167301D", /* one day more than INT64_MAX seconds */
    "PT9223372036854775808S",
    "PT9223372036854775807S1S",
    "P1WT9223372036854775807S",
};

START_TEST(parse_duration_accepts)
{
    const struct duration_case *c = &good_durations[_i];
    int64_t got = -1;

    ck_assert_msg(timefmt_parse_duration(c->text, &got) == ST_OK, "refused %s", c->text);
    ck_assert_msg(got == c->seconds, "%s: got %lld, want %lld", c->text, (long long)got,
                  (long long)c->seconds);
}
END_TEST

START_TEST(parse_duration_refuses)
{
    int64_t got = 0;

    ck_assert_msg(timefmt_parse_duration(bad_durations[_i], &got) == ST_INVALID, "accepted '%s'",
                  bad_durations[_i]);
}
END_TEST

START_TEST(parse_duration_overflow_by_addition)
{
    /* Each component fits; only their sum overflows. */
    int64_t got = 0;

    ck_assert_int_eq(timefmt_parse_duration("P106751991167300D", &got), ST_OK);
    ck_assert_int_eq(got, 106751991167300LL * 86400);
    ck_assert_int_eq(timefmt_parse_duration("P106751991167300DT23H", &got), ST_INVALID);
}
END_TEST

static const struct duration_case canonical_durations[] = {
    {"P1D", 86400},         {"P1DT1H1M1S", 90061}, {"PT0S", 0},
    {"PT1H", 3600},         {"P8D", 8 * 86400},    {"P7D", 7 * 86400}, /* days, not weeks */
    {"PT1M", 60},           {"PT59S", 59},         {"PT1H30M", 5400},
    {"P1DT1S", 86401},      {"P1DT2H3M4S", 93784}, {"PT23H59M59S", 86399},
    {"P365D", 365 * 86400},
};

START_TEST(format_duration_canonical)
{
    const struct duration_case *c = &canonical_durations[_i];
    char out[64];
    int64_t again = -1;

    timefmt_format_duration(c->seconds, out, sizeof(out));
    ck_assert_str_eq(out, c->text);
    ck_assert_int_eq(timefmt_parse_duration(out, &again), ST_OK);
    ck_assert_int_eq(again, c->seconds);
}
END_TEST

START_TEST(format_duration_round_trips)
{
    /* Any accepted duration renders to a canonical text with the same length. */
    const struct duration_case *c = &good_durations[_i];
    char out[64];
    int64_t again = -1;

    timefmt_format_duration(c->seconds, out, sizeof(out));
    ck_assert_int_eq(timefmt_parse_duration(out, &again), ST_OK);
    ck_assert_int_eq(again, c->seconds);
}
END_TEST

START_TEST(format_duration_respects_buffer)
{
    char out[8];

    for (size_t len = 1; len <= 6; len++) {
        memset(out, '#', sizeof(out));
        timefmt_format_duration(90061, out, len);
        ck_assert_msg(memchr(out, '\0', len) != NULL, "no terminator within %zu bytes", len);
        for (size_t i = len; i < sizeof(out); i++)
            ck_assert_msg(out[i] == '#', "wrote byte %zu with out_len %zu", i, len);
        ck_assert_msg(strncmp(out, "P1DT1H1M1S", strlen(out)) == 0, "'%s' is not a prefix", out);
    }
    out[0] = 'x';
    timefmt_format_duration(90061, out, 0);
    ck_assert_int_eq(out[0], 'x');
}
END_TEST

static Suite *timefmt_suite(void)
{
    Suite *s = suite_create("timefmt");
    TCase *dt = tcase_create("datetime");
    TCase *du = tcase_create("duration");

    tcase_add_loop_test(dt, parse_datetime_accepts, 0, N(good_datetimes));
    tcase_add_loop_test(dt, parse_datetime_refuses, 0, N(bad_datetimes));
    tcase_add_loop_test(dt, format_datetime_canonical, 0, N(formatted));
    tcase_add_test(dt, format_datetime_clamps_out_of_range);
    tcase_add_loop_test(dt, datetime_round_trips, 0, N(good_datetimes));
    suite_add_tcase(s, dt);

    tcase_add_loop_test(du, parse_duration_accepts, 0, N(good_durations));
    tcase_add_loop_test(du, parse_duration_refuses, 0, N(bad_durations));
    tcase_add_test(du, parse_duration_overflow_by_addition);
    tcase_add_loop_test(du, format_duration_canonical, 0, N(canonical_durations));
    tcase_add_loop_test(du, format_duration_round_trips, 0, N(good_durations));
    tcase_add_test(du, format_duration_respects_buffer);
    suite_add_tcase(s, du);
    return s;
}

int main(void)
{
    return unit_run(timefmt_suite());
}
