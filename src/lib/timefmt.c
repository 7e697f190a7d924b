#include "lib/timefmt.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Earliest and latest instants accepted: years 0001..9999, as RFC 3339 allows. */
#define MIN_SECONDS (-62135596800LL)
#define MAX_SECONDS TIMEFMT_MAX_SECONDS

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Checks the fixed shape YYYY-MM-DDTHH:MM:SS before strptime, which is lenient. */
static int has_datetime_shape(const char *s)
{
    return strlen(s) >= 19 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
           digits(s + 8, 2) && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') &&
           digits(s + 11, 2) && s[13] == ':' && digits(s + 14, 2) && s[16] == ':' &&
           digits(s + 17, 2);
}

/* Parses the zone suffix ("Z" or "+HH:MM") after an optional fraction; returns its
 * offset east of UTC in seconds, or -1 when malformed. */
static int parse_zone(const char *s, long *offset)
{
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s))
            return -1;
        while (isdigit((unsigned char)*s))
            s++;
    }
    if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
        *offset = 0;
        return 0;
    }
    if ((s[0] == '+' || s[0] == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) &&
        s[6] == '\0') {
        long hours = (s[1] - '0') * 10 + (s[2] - '0');
        long minutes = (s[4] - '0') * 10 + (s[5] - '0');
        if (hours > 23 || minutes > 59)
            return -1;
        *offset = (hours * 3600 + minutes * 60) * (s[0] == '-' ? -1 : 1);
        return 0;
    }
    return -1;
}

enum status timefmt_parse_datetime(const char *text, int64_t *out_seconds)
{
    struct tm tm = {0}, check;
    char head[20];
    const char *rest;
    long offset;
    time_t t;

    if (text == NULL || !has_datetime_shape(text))
        return ST_INVALID;
    memcpy(head, text, 19);
    head[19] = '\0';
    head[10] = 'T';
    rest = strptime(head, "%Y-%m-%dT%H:%M:%S", &tm);
    if (rest == NULL || *rest != '\0' || parse_zone(text + 19, &offset) != 0)
        return ST_INVALID;
    /* timegm normalises 31 February into March; a round trip catches it. */
    check = tm;
    t = timegm(&check);
    if (check.tm_mday != tm.tm_mday || check.tm_mon != tm.tm_mon || tm.tm_sec > 59)
        return ST_INVALID;
    if ((int64_t)t - offset < MIN_SECONDS || (int64_t)t - offset > MAX_SECONDS)
        return ST_INVALID;
    *out_seconds = (int64_t)t - offset;
    return ST_OK;
}

/* Writes v as exactly n decimal digits; returns the end. */
static char *put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

void timefmt_format_datetime(int64_t seconds, char *out)
{
    struct tm tm;
    time_t t = (time_t)seconds;
    char *p = out;

    if (seconds < MIN_SECONDS)
        t = (time_t)MIN_SECONDS;
    if (seconds > MAX_SECONDS)
        t = (time_t)MAX_SECONDS;
    gmtime_r(&t, &tm);
    /* Not strftime: glibc's %Y does not zero-pad years before 1000 ("1-01-01"). Not snprintf
     * either: every event and log entry renders a datetime or two, and the format string cost
     * ten times the conversion. After the clamp the year has four digits. */
    p = put_digits(p, (unsigned)(tm.tm_year + 1900), 4);
    *p++ = '-';
    p = put_digits(p, (unsigned)(tm.tm_mon + 1), 2);
    *p++ = '-';
    p = put_digits(p, (unsigned)tm.tm_mday, 2);
    *p++ = 'T';
    p = put_digits(p, (unsigned)tm.tm_hour, 2);
    *p++ = ':';
    p = put_digits(p, (unsigned)tm.tm_min, 2);
    *p++ = ':';
    p = put_digits(p, (unsigned)tm.tm_sec, 2);
    *p++ = 'Z';
    *p = '\0';
}

/* One component of a duration: digits followed by a designator letter. */
static const char *parse_component(const char *s, int64_t *value, char *designator)
{
    int64_t v = 0;

    if (!isdigit((unsigned char)*s))
        return NULL;
    while (isdigit((unsigned char)*s)) {
        int digit = *s - '0';
        if (v > (INT64_MAX - digit) / 10) /* exact: INT64_MAX itself still parses */
            return NULL;
        v = v * 10 + digit;
        s++;
    }
    if (*s == '\0')
        return NULL;
    *value = v;
    *designator = (char)toupper((unsigned char)*s);
    return s + 1;
}

/* Adds value*unit to *total, refusing overflow. */
static int add_scaled(int64_t *total, int64_t value, int64_t unit)
{
    if (value > (INT64_MAX - *total) / unit)
        return -1;
    *total += value * unit;
    return 0;
}

enum status timefmt_parse_duration(const char *text, int64_t *out_seconds)
{
    static const char date_order[] = "WD", time_order[] = "HMS";
    static const int64_t date_units[] = {7 * 86400, 86400}, time_units[] = {3600, 60, 1};
    const char *s = text;
    int64_t total = 0, value;
    size_t date_pos = 0, time_pos = 0, parts = 0;
    int in_time = 0;
    char d;

    if (s == NULL || (*s != 'P' && *s != 'p'))
        return ST_INVALID;
    s++;
    while (*s != '\0') {
        if ((*s == 'T' || *s == 't') && !in_time) {
            in_time = 1;
            s++;
            if (*s == '\0')
                return ST_INVALID;
            continue;
        }
        s = parse_component(s, &value, &d);
        if (s == NULL)
            return ST_INVALID;
        const char *order = in_time ? time_order : date_order;
        const int64_t *units = in_time ? time_units : date_units;
        size_t *pos = in_time ? &time_pos : &date_pos;
        const char *hit = strchr(order + *pos, d);
        if (hit == NULL || add_scaled(&total, value, units[hit - order]) != 0)
            return ST_INVALID;
        *pos = (size_t)(hit - order) + 1;
        parts++;
    }
    if (parts == 0)
        return ST_INVALID;
    *out_seconds = total;
    return ST_OK;
}

void timefmt_format_duration(int64_t seconds, char *out, size_t out_len)
{
    int64_t days = seconds / 86400, rest = seconds % 86400;
    int64_t h = rest / 3600, m = rest % 3600 / 60, s = rest % 60;
    size_t n = 0;

    if (out_len == 0)
        return;
    out[0] = '\0';
    n += (size_t)snprintf(out + n, out_len - n, "P");
    if (days > 0 && n < out_len)
        n += (size_t)snprintf(out + n, out_len - n, "%" PRId64 "D", days);
    if ((rest > 0 || seconds == 0) && n < out_len)
        n += (size_t)snprintf(out + n, out_len - n, "T");
    if (h > 0 && n < out_len)
        n += (size_t)snprintf(out + n, out_len - n, "%" PRId64 "H", h);
    if (m > 0 && n < out_len)
        n += (size_t)snprintf(out + n, out_len - n, "%" PRId64 "M", m);
    if ((s > 0 || seconds == 0) && n < out_len)
        snprintf(out + n, out_len - n, "%" PRId64 "S", s);
}
