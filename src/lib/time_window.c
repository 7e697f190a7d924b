#include "lib/time_window.h"

#include <ctype.h>
#include <json-c/json.h>
#include <string.h>
#include <time.h>

static const char *const weekday_names[] = {"SUNDAY",   "MONDAY", "TUESDAY", "WEDNESDAY",
                                            "THURSDAY", "FRIDAY", "SATURDAY"};

static int two_digits(const char *s, int max)
{
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
        return -1;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    return v <= max ? v : -1;
}

int time_window_parse_interval(const char *t, int *start_minute, int *end_minute)
{
    int h1, m1, h2, m2;

    if (t == NULL || strlen(t) != 11 || t[2] != ':' || t[5] != '-' || t[8] != ':')
        return -1;
    h1 = two_digits(t, 23);
    m1 = two_digits(t + 3, 59);
    h2 = two_digits(t + 6, 24);
    m2 = two_digits(t + 9, 59);
    if (h1 < 0 || m1 < 0 || h2 < 0 || m2 < 0 || (h2 == 24 && m2 != 0))
        return -1;
    *start_minute = h1 * 60 + m1;
    *end_minute = h2 * 60 + m2;
    return *start_minute < *end_minute ? 0 : -1;
}

/* Calls match(item, ctx) for each string of a JSON array text; 1 when one matched, 1 when
 * the text is empty (no restriction), 0 otherwise. */
static int any_matches(const char *json, int (*match)(const char *, const void *), const void *ctx)
{
    json_object *arr;
    int hit = 0;

    if (json == NULL || json[0] == '\0')
        return 1;
    arr = json_tokener_parse(json);
    for (size_t i = 0; arr != NULL && json_object_is_type(arr, json_type_array) &&
                       i < json_object_array_length(arr) && !hit;
         i++)
        hit = match(json_object_get_string(json_object_array_get_idx(arr, i)), ctx);
    json_object_put(arr);
    return hit;
}

static int weekday_matches(const char *name, const void *ctx)
{
    const struct tm *tm = ctx;

    return name != NULL && strcmp(name, weekday_names[tm->tm_wday]) == 0;
}

static int interval_matches(const char *text, const void *ctx)
{
    const struct tm *tm = ctx;
    int minute = tm->tm_hour * 60 + tm->tm_min, start, end;

    return time_window_parse_interval(text, &start, &end) == 0 && minute >= start && minute < end;
}

int time_window_allows(const char *weekdays_json, const char *intervals_json, int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;

    /* Past the years struct tm can hold (a clock advanced that far), gmtime_r() fails and
     * leaves tm unspecified: such an instant is on no weekday and in no interval. */
    if (gmtime_r(&t, &tm) == NULL)
        return (weekdays_json == NULL || weekdays_json[0] == '\0') &&
               (intervals_json == NULL || intervals_json[0] == '\0');
    return any_matches(weekdays_json, weekday_matches, &tm) &&
           any_matches(intervals_json, interval_matches, &tm);
}
