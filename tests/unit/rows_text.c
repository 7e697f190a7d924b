#include "rows_text.h"

#include <check.h>
#include <string.h>

static void append(char *out, size_t cap, const char *text)
{
    size_t used = strlen(out);

    if (used + 1 < cap)
        strncat(out, text, cap - used - 1);
}

void rows_text_append(sqlite3 *h, const char *sql, char *out, size_t cap)
{
    sqlite3_stmt *s = NULL;

    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            const unsigned char *v = sqlite3_column_text(s, i);
            append(out, cap, v ? (const char *)v : "NULL");
            append(out, cap, "|");
        }
        append(out, cap, "\n");
    }
    sqlite3_finalize(s);
}
