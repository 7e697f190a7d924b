/*
 * rows_text.h — the store tests' view of query results as text: one line per row, each
 * column followed by '|', NULL as "NULL", so that two stores compare as two strings.
 */
#ifndef KE_TESTS_ROWS_TEXT_H
#define KE_TESTS_ROWS_TEXT_H

#include <sqlite3.h>
#include <stddef.h>

/* Appends the rows sql answers on h to out (a string of cap bytes, cut short if full). */
void rows_text_append(sqlite3 *h, const char *sql, char *out, size_t cap);

#endif
