/*
 * fuzz.h — small helpers shared by the libFuzzer targets of tests/fuzz/.
 *
 * A target receives bytes; the modules under test take C strings. fuzz_text() copies the
 * input into a NUL-terminated buffer (cut at the first NUL, as a C caller would see it) and
 * fuzz_split() cuts it into the NUL-separated parts several targets use for their
 * arguments. FUZZ_CHECK() aborts on a broken invariant, which libFuzzer reports as a crash
 * and keeps the input.
 */
#ifndef KE_TESTS_FUZZ_H
#define KE_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "invariant broken at %s:%d: %s: ", __FILE__, __LINE__, #cond);         \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A malloc'ed NUL-terminated copy of data[0..size); the caller frees. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s == NULL)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Splits a NUL-terminated copy of the input at NUL bytes into at most max parts; missing
 * parts are "". Returns the copy, which owns the parts; the caller frees it. */
static inline char *fuzz_split(const uint8_t *data, size_t size, const char **parts, size_t max)
{
    char *copy = fuzz_text(data, size);
    size_t n = 0, at = 0;

    while (n < max) {
        parts[n++] = copy + at;
        at += strlen(copy + at) + 1;
        if (at > size)
            break;
    }
    while (n < max)
        parts[n++] = "";
    return copy;
}

#endif
