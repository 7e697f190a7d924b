#include "lib/page_token.h"

#include <string.h>

#include "lib/crypto.h"

#define MAC_LEN 12 /* truncated HMAC: forging needs 2^96 tries */
#define RAW_LEN (1 + 16 + MAC_LEN)
#define TOKEN_VERSION 1

static void put64(unsigned char *b, int64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
}

static int64_t get64(const unsigned char *b)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return (int64_t)v;
}

/* MAC over version, keys and scope. The scope enters as its SHA-256, so that a scope of
 * any length is bound whole (a fixed buffer would have to cut long filter strings). */
static void mac(const unsigned char key[PAGE_TOKEN_KEY_LEN], const char *scope,
                const unsigned char *head, unsigned char out[32])
{
    unsigned char buf[1 + 16 + SHA256_HEX_LEN];

    memcpy(buf, head, 17);
    crypto_sha256_hex(scope, strlen(scope), (char *)buf + 17);
    crypto_hmac_sha256(key, PAGE_TOKEN_KEY_LEN, buf, 17 + SHA256_HEX_LEN - 1, out);
}

void page_token_encode(const unsigned char key[PAGE_TOKEN_KEY_LEN], const char *scope,
                       const int64_t keys[2], char *out)
{
    unsigned char raw[RAW_LEN], m[32];

    raw[0] = TOKEN_VERSION;
    put64(raw + 1, keys[0]);
    put64(raw + 9, keys[1]);
    mac(key, scope, raw, m);
    memcpy(raw + 17, m, MAC_LEN);
    crypto_base64url(raw, sizeof(raw), out);
}

enum status page_token_decode(const unsigned char key[PAGE_TOKEN_KEY_LEN], const char *scope,
                              const char *token, int64_t keys[2])
{
    unsigned char raw[RAW_LEN + 1], m[32];
    size_t len;

    if (token == NULL || strlen(token) >= PAGE_TOKEN_MAX_LEN)
        return ST_INVALID;
    if (crypto_base64url_decode(token, raw, sizeof(raw), &len) != ST_OK || len != RAW_LEN ||
        raw[0] != TOKEN_VERSION)
        return ST_INVALID;
    mac(key, scope, raw, m);
    if (!crypto_equal(m, raw + 17, MAC_LEN))
        return ST_INVALID;
    keys[0] = get64(raw + 1);
    keys[1] = get64(raw + 9);
    return ST_OK;
}
