/*
 * fuzz_time_window.c — permission time windows: weekday and interval texts, any instant.
 *
 * Input: 8 bytes of an instant (big-endian seconds, any value), then the weekdays JSON
 * text, a NUL byte, and the intervals JSON text. time_window_allows() must answer 0 or 1
 * for anything; with both texts empty it must allow; an interval it parses must lie within
 * the day with its start before its end; an instant inside a parsed interval, on a day
 * the weekdays name, must be allowed; and an instant too far out for a calendar (gmtime_r
 * fails) is on no weekday and in no interval.
 */
#include <inttypes.h>
#include <time.h>

#include "fuzz.h"
#include "lib/time_window.h"

/* 2024-01-01T00:00:00Z was a Monday. */
#define MONDAY_2024 INT64_C(1704067200)

static void check_interval(const char *text)
{
    int start = -1, end = -1;
    char one[64];

    if (time_window_parse_interval(text, &start, &end) != 0)
        return;
    FUZZ_CHECK(start >= 0 && start < end && end <= 24 * 60, "'%s' -> %d..%d", text, start, end);
    snprintf(one, sizeof(one), "[\"%s\"]", text);
    FUZZ_CHECK(time_window_allows("[\"MONDAY\"]", one, MONDAY_2024 + start * 60) == 1,
               "start of '%s' refused", text);
    FUZZ_CHECK(time_window_allows("[\"MONDAY\"]", one, MONDAY_2024 + (end - 1) * 60 + 59) == 1,
               "last minute of '%s' refused", text);
    /* At the end minute: past the interval, or (for 24:00) on Tuesday. */
    FUZZ_CHECK(time_window_allows("[\"MONDAY\"]", one, MONDAY_2024 + end * 60) == 0,
               "end of '%s' allowed", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *parts[2];
    uint64_t u = 0;
    char *copy;
    int64_t now;
    int allowed;

    if (size < 8)
        return 0;
    for (int i = 0; i < 8; i++)
        u = u << 8 | data[i];
    now = (int64_t)u;
    copy = fuzz_split(data + 8, size - 8, parts, 2);
    allowed = time_window_allows(parts[0], parts[1], now);
    FUZZ_CHECK(allowed == 0 || allowed == 1, "answer %d", allowed);
    FUZZ_CHECK(time_window_allows("", "", now) == 1, "no restriction refused at %" PRId64, now);
    FUZZ_CHECK(time_window_allows(NULL, NULL, now) == 1, "no restriction refused");
    struct tm tm;
    time_t t = (time_t)now;
    if (gmtime_r(&t, &tm) == NULL)
        FUZZ_CHECK(allowed == (parts[0][0] == '\0' && parts[1][0] == '\0'),
                   "%" PRId64 " is past any calendar, yet answered %d", now, allowed);
    check_interval(parts[0]);
    check_interval(parts[1]);
    free(copy);
    return 0;
}
