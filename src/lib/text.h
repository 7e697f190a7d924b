/*
 * text.h — copying C strings into fixed buffers.
 */
#ifndef KE_LIB_TEXT_H
#define KE_LIB_TEXT_H

#include <string.h>

/* Copies src into dst (cap > 0 bytes), cut short to fit and always terminated: what
 * snprintf(dst, cap, "%s", src) does, without the format machinery, which cost a clock
 * advance more than the row inserts its copies feed (4% of its instructions). */
static inline void text_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

#endif
