/*
 * fuzz_timefmt.c — RFC 3339 datetimes and ISO 8601 durations, both directions.
 *
 * The input text goes through both parsers; whatever parses must format back to a text
 * that parses to the same value (datetimes within years 0001..9999, durations never
 * negative). The first 8 bytes also give an arbitrary instant and duration for the
 * formatters, which must clamp or cope without writing past their buffers: the output
 * size is taken from the ninth byte, so short buffers are tried too.
 */
#include <inttypes.h>

#include "fuzz.h"
#include "lib/timefmt.h"

#define MIN_SECONDS (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define MAX_SECONDS (253402300799LL) /* 9999-12-31T23:59:59Z */

static void check_datetime(const char *text)
{
    char out[TIMEFMT_DATETIME_LEN];
    int64_t t = 0, again = 0;

    if (timefmt_parse_datetime(text, &t) != ST_OK)
        return;
    FUZZ_CHECK(t >= MIN_SECONDS && t <= MAX_SECONDS, "'%s' parsed to %" PRId64, text, t);
    timefmt_format_datetime(t, out);
    FUZZ_CHECK(strlen(out) == 20 && out[19] == 'Z', "'%s' formatted as '%s'", text, out);
    FUZZ_CHECK(timefmt_parse_datetime(out, &again) == ST_OK && again == t,
               "'%s' -> %" PRId64 " -> '%s' -> %" PRId64, text, t, out, again);
}

static void check_duration(const char *text)
{
    char out[64];
    int64_t d = -1, again = -1;

    if (timefmt_parse_duration(text, &d) != ST_OK)
        return;
    FUZZ_CHECK(d >= 0, "'%s' parsed to %" PRId64, text, d);
    timefmt_format_duration(d, out, sizeof(out));
    FUZZ_CHECK(timefmt_parse_duration(out, &again) == ST_OK && again == d,
               "'%s' -> %" PRId64 " -> '%s' -> %" PRId64, text, d, out, again);
}

static void check_formatters(const uint8_t *data, size_t size)
{
    char dt[TIMEFMT_DATETIME_LEN], small[64];
    uint64_t u = 0;
    int64_t t, again;
    size_t cap;

    if (size < 9)
        return;
    for (int i = 0; i < 8; i++)
        u = u << 8 | data[i];
    t = (int64_t)u;
    timefmt_format_datetime(t, dt);
    FUZZ_CHECK(timefmt_parse_datetime(dt, &again) == ST_OK, "%" PRId64 " -> '%s'", t, dt);
    if (t >= MIN_SECONDS && t <= MAX_SECONDS)
        FUZZ_CHECK(again == t, "%" PRId64 " -> '%s' -> %" PRId64, t, dt, again);
    else
        FUZZ_CHECK(again == (t < 0 ? MIN_SECONDS : MAX_SECONDS), "clamp of %" PRId64, t);
    /* The formatter's contract covers seconds >= 0; the size may be anything. */
    cap = data[8] % sizeof(small);
    memset(small, 'x', sizeof(small));
    timefmt_format_duration(t < 0 ? -(t + 1) : t, small, cap);
    if (cap > 0)
        FUZZ_CHECK(memchr(small, '\0', cap) != NULL, "no NUL within %zu bytes", cap);
    for (size_t i = cap; i < sizeof(small); i++)
        FUZZ_CHECK(small[i] == 'x', "wrote byte %zu of a %zu-byte buffer", i, cap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);

    check_datetime(text);
    check_duration(text);
    check_formatters(data, size);
    free(text);
    return 0;
}
