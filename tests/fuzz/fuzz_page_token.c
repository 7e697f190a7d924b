/*
 * fuzz_page_token.c — page tokens: decoding any text, and encoding any position.
 *
 * Input: a scope, a NUL byte, then a token. Decoding must refuse everything but a token
 * issued for this key and scope, and a token it accepts must be the one encoding of its
 * keys (so the same page has one token). The first 16 bytes are also encoded as a
 * position, which must decode to the same keys under the same scope and to nothing under
 * another.
 */
#include <inttypes.h>

#include "fuzz.h"
#include "lib/page_token.h"

static const unsigned char key[PAGE_TOKEN_KEY_LEN] = "0123456789abcdef0123456789abcdef";

static void check_decode(const char *scope, const char *token)
{
    int64_t keys[2] = {0, 0};
    char again[PAGE_TOKEN_MAX_LEN];

    if (page_token_decode(key, scope, token, keys) != ST_OK)
        return;
    page_token_encode(key, scope, keys, again);
    FUZZ_CHECK(strcmp(again, token) == 0, "accepted '%s', which encodes as '%s'", token, again);
}

static void check_round_trip(const uint8_t *data, size_t size, const char *scope)
{
    int64_t keys[2], back[2] = {0, 0};
    char token[PAGE_TOKEN_MAX_LEN], *other;
    uint64_t u[2] = {0, 0};
    size_t len = strlen(scope);

    if (size < 16)
        return;
    for (int i = 0; i < 16; i++)
        u[i / 8] = u[i / 8] << 8 | data[i];
    keys[0] = (int64_t)u[0];
    keys[1] = (int64_t)u[1];
    page_token_encode(key, scope, keys, token);
    FUZZ_CHECK(strlen(token) < PAGE_TOKEN_MAX_LEN, "token too long: %zu", strlen(token));
    FUZZ_CHECK(page_token_decode(key, scope, token, back) == ST_OK && back[0] == keys[0] &&
                   back[1] == keys[1],
               "round trip of %" PRId64 ",%" PRId64, keys[0], keys[1]);
    other = malloc(len + 2);
    if (other == NULL)
        abort();
    memcpy(other, scope, len);
    memcpy(other + len, "x", 2);
    FUZZ_CHECK(page_token_decode(key, other, token, back) == ST_INVALID, "other scope");
    free(other);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *parts[2];
    char *copy = fuzz_split(data, size, parts, 2);

    check_decode(parts[0], parts[1]);
    check_decode("users|sys", parts[0]);
    check_round_trip(data, size, parts[0]);
    free(copy);
    return 0;
}
