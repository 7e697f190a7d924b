/*
 * test_page_token.c — opaque, HMAC-bound list positions (src/lib/page_token.c).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/page_token.h"
#include "unit_main.h"

static const char SCOPE[] = "users:system=3fa85f64-5717-4562-b3fc-2c963f66afa6:sort=name";
static const char URL_SAFE[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* A fixed key: 0x00, 0x01, ... 0x1f. */
static void fixed_key(unsigned char key[PAGE_TOKEN_KEY_LEN])
{
    for (int i = 0; i < PAGE_TOKEN_KEY_LEN; i++)
        key[i] = (unsigned char)i;
}

/* Decodes token with the fixed key and SCOPE. */
static enum status decode(const char *token, int64_t keys[2])
{
    unsigned char key[PAGE_TOKEN_KEY_LEN];

    fixed_key(key);
    return page_token_decode(key, SCOPE, token, keys);
}

static void encode(const int64_t keys[2], char out[PAGE_TOKEN_MAX_LEN])
{
    unsigned char key[PAGE_TOKEN_KEY_LEN];

    fixed_key(key);
    page_token_encode(key, SCOPE, keys, out);
}

static const int64_t key_pairs[][2] = {
    {0, 0},         {1, 2},         {-1, -5},         {INT64_MAX, INT64_MIN},
    {INT64_MIN, 0}, {0, INT64_MAX}, {1566656122, 42}, {-1566656122, 255},
};

START_TEST(round_trip)
{
    const int64_t *want = key_pairs[_i];
    char token[PAGE_TOKEN_MAX_LEN];
    int64_t got[2] = {123, 456};

    encode(want, token);
    ck_assert_uint_gt(strlen(token), 0);
    ck_assert_uint_lt(strlen(token), PAGE_TOKEN_MAX_LEN);
    ck_assert_msg(strspn(token, URL_SAFE) == strlen(token), "not url-safe: %s", token);
    ck_assert_int_eq(decode(token, got), ST_OK);
    ck_assert_int_eq(got[0], want[0]);
    ck_assert_int_eq(got[1], want[1]);
}
END_TEST

START_TEST(encoding_is_deterministic_and_distinct)
{
    char a[PAGE_TOKEN_MAX_LEN], b[PAGE_TOKEN_MAX_LEN];

    /* Same inputs, same token (tokens stay valid across restarts). */
    encode(key_pairs[1], a);
    encode(key_pairs[1], b);
    ck_assert_str_eq(a, b);
    /* Any other position gives another token. */
    for (size_t i = 0; i < N(key_pairs); i++) {
        encode(key_pairs[i], a);
        for (size_t j = i + 1; j < N(key_pairs); j++) {
            encode(key_pairs[j], b);
            ck_assert_str_ne(a, b);
        }
    }
}
END_TEST

START_TEST(other_scope_refused)
{
    static const char *const others[] = {
        "",
        "users:system=3fa85f64-5717-4562-b3fc-2c963f66afa7:sort=name",
        "users:system=3fa85f64-5717-4562-b3fc-2c963f66afa6:sort=-name",
        "users:system=3fa85f64-5717-4562-b3fc-2c963f66afa6:sort=name ",
        "keys:system=3fa85f64-5717-4562-b3fc-2c963f66afa6:sort=name",
    };
    unsigned char key[PAGE_TOKEN_KEY_LEN];
    char token[PAGE_TOKEN_MAX_LEN];
    int64_t got[2];

    fixed_key(key);
    page_token_encode(key, SCOPE, key_pairs[6], token);
    ck_assert_int_eq(page_token_decode(key, SCOPE, token, got), ST_OK);
    for (size_t i = 0; i < N(others); i++)
        ck_assert_msg(page_token_decode(key, others[i], token, got) == ST_INVALID,
                      "accepted for scope '%s'", others[i]);
}
END_TEST

START_TEST(long_scopes_bound_whole)
{
    /* Two filters that differ only after the first kilobyte are still other lists. */
    char scope_a[2048], scope_b[2048];
    unsigned char key[PAGE_TOKEN_KEY_LEN];
    char token[PAGE_TOKEN_MAX_LEN];
    int64_t got[2];

    memset(scope_a, 'q', sizeof(scope_a) - 1);
    scope_a[sizeof(scope_a) - 1] = '\0';
    memcpy(scope_b, scope_a, sizeof(scope_a));
    scope_b[sizeof(scope_b) - 2] = 'r';
    fixed_key(key);
    page_token_encode(key, scope_a, key_pairs[1], token);
    ck_assert_int_eq(page_token_decode(key, scope_a, token, got), ST_OK);
    ck_assert_int_eq(got[1], 2);
    ck_assert_int_eq(page_token_decode(key, scope_b, token, got), ST_INVALID);
}
END_TEST

START_TEST(other_key_refused)
{
    unsigned char key[PAGE_TOKEN_KEY_LEN];
    char token[PAGE_TOKEN_MAX_LEN];
    int64_t got[2];

    encode(key_pairs[1], token);
    for (int i = 0; i < PAGE_TOKEN_KEY_LEN; i++) {
        fixed_key(key);
        key[i] ^= 0x01;
        ck_assert_msg(page_token_decode(key, SCOPE, token, got) == ST_INVALID,
                      "accepted with key byte %d changed", i);
    }
}
END_TEST

START_TEST(changed_character_refused)
{
    /* Every position, every other character of the alphabet: never a valid token. */
    char token[PAGE_TOKEN_MAX_LEN], forged[PAGE_TOKEN_MAX_LEN];
    int64_t got[2];

    encode(key_pairs[_i], token);
    for (size_t pos = 0; token[pos] != '\0'; pos++) {
        for (const char *c = URL_SAFE; *c != '\0'; c++) {
            if (*c == token[pos])
                continue;
            strcpy(forged, token);
            forged[pos] = *c;
            ck_assert_msg(decode(forged, got) == ST_INVALID, "accepted %s (position %zu)", forged,
                          pos);
        }
    }
}
END_TEST

START_TEST(malformed_refused)
{
    char token[PAGE_TOKEN_MAX_LEN], edited[2 * PAGE_TOKEN_MAX_LEN];
    char long_token[256];
    int64_t got[2];
    size_t len;

    encode(key_pairs[1], token);
    len = strlen(token);
    static const char *const garbage[] = {"", "A", "AAAA", "not a token", "!!!!!!!!", "null"};
    for (size_t i = 0; i < N(garbage); i++)
        ck_assert_msg(decode(garbage[i], got) == ST_INVALID, "accepted '%s'", garbage[i]);

    /* Truncated, extended, padded, wrapped in whitespace, in the standard alphabet. */
    static const char *const edits[] = {
        "%.*s", "%.*sA", "%.*sAAAA", "%.*s=", "%.*s==", " %.*s", "%.*s ", "%.*s\n"};
    for (size_t i = 0; i < N(edits); i++) {
        int keep = i == 0 ? (int)len - 1 : (int)len;
        snprintf(edited, sizeof(edited), edits[i], keep, token);
        ck_assert_msg(decode(edited, got) == ST_INVALID, "accepted '%s'", edited);
    }
    for (size_t i = 0; i < len; i++) {
        if (token[i] != '-' && token[i] != '_')
            continue;
        strcpy(edited, token);
        edited[i] = token[i] == '-' ? '+' : '/';
        ck_assert_msg(decode(edited, got) == ST_INVALID, "accepted '%s'", edited);
    }

    /* Overlong: the token repeated, and a long run of valid characters. */
    snprintf(edited, sizeof(edited), "%s%s", token, token);
    ck_assert_int_eq(decode(edited, got), ST_INVALID);
    memset(long_token, 'A', sizeof(long_token) - 1);
    long_token[sizeof(long_token) - 1] = '\0';
    ck_assert_int_eq(decode(long_token, got), ST_INVALID);
    ck_assert_int_eq(decode(NULL, got), ST_INVALID);
}
END_TEST

static Suite *page_token_suite(void)
{
    Suite *s = suite_create("page_token");
    TCase *tc = tcase_create("tokens");

    tcase_add_loop_test(tc, round_trip, 0, N(key_pairs));
    tcase_add_test(tc, encoding_is_deterministic_and_distinct);
    tcase_add_test(tc, other_scope_refused);
    tcase_add_test(tc, long_scopes_bound_whole);
    tcase_add_test(tc, other_key_refused);
    tcase_add_loop_test(tc, changed_character_refused, 0, N(key_pairs));
    tcase_add_test(tc, malformed_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(page_token_suite());
}
