/*
 * timefmt.h — RFC 3339 datetimes and ISO 8601 durations, as the Administration API speaks them.
 *
 * Pure functions over integers of seconds since the Unix epoch (UTC). Output is always
 * UTC to the second, like the vendor's examples: 2019-08-24T14:15:22Z. Input accepts any
 * RFC 3339 offset and fraction (the fraction is truncated). Durations accept the subset a
 * Java Duration parses plus weeks — PnWnDTnHnMnS — with integer components; years and
 * months are refused because their length depends on the calendar.
 */
#ifndef KE_LIB_TIMEFMT_H
#define KE_LIB_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/problem.h"

#define TIMEFMT_DATETIME_LEN 32
/* The last instant a datetime can name: 9999-12-31T23:59:59Z. Clocks stop short of it. */
#define TIMEFMT_MAX_SECONDS 253402300799LL /* enough for any int64 year we accept, with NUL */

/* Parses an RFC 3339 date-time. Returns ST_OK or ST_INVALID (out untouched). */
enum status timefmt_parse_datetime(const char *text, int64_t *out_seconds);

/* Formats seconds as YYYY-MM-DDTHH:MM:SSZ into out (at least TIMEFMT_DATETIME_LEN bytes). */
void timefmt_format_datetime(int64_t seconds, char *out);

/* Parses an ISO 8601 duration into seconds. Returns ST_OK or ST_INVALID. Negative
 * durations are refused; "PT0S" parses to 0 and callers decide whether zero is allowed. */
enum status timefmt_parse_duration(const char *text, int64_t *out_seconds);

/* Formats seconds as a canonical duration (P8D, PT24H, P1DT2H3M4S, PT0S). */
void timefmt_format_duration(int64_t seconds, char *out, size_t out_len);

#endif
