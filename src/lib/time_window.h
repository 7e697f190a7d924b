/*
 * time_window.h — does an instant fall on a permission's weekdays and within its daily
 * intervals? Weekdays are MONDAY..SUNDAY and intervals "HH:MM-HH:MM", both in UTC, given as
 * the JSON array texts a permission stores. Pure.
 */
#ifndef KE_LIB_TIME_WINDOW_H
#define KE_LIB_TIME_WINDOW_H

#include <stdint.h>

/* 1 when `now` is on one of weekdays_json's days (or weekdays_json is NULL or "") and
 * within one of intervals_json's intervals (or that is NULL or ""); 0 otherwise, and 0 for
 * malformed texts. An interval includes its start minute and excludes its end minute. */
int time_window_allows(const char *weekdays_json, const char *intervals_json, int64_t now);

/* Parses "HH:MM-HH:MM" into minutes of the day; 0 on success, -1 when malformed or when
 * the start is not before the end. */
int time_window_parse_interval(const char *text, int *start_minute, int *end_minute);

#endif
