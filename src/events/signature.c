#include "events/signature.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto.h"

/* Standard base64 (optionally padded) becomes base64url without padding, which is what
 * crypto_base64url_decode() reads; '-' and '_' are not standard characters. */
static enum status decode_standard(const char *in, unsigned char *out, size_t cap, size_t *len)
{
    char url[SIGNATURE_KEY_MAX * 4 / 3 + 8];
    size_t n = strlen(in), pad = 0;

    while (pad < 2 && n > pad && in[n - 1 - pad] == '=')
        pad++;
    if (n == 0 || n - pad >= sizeof(url) || (pad > 0 && n % 4 != 0))
        return ST_INVALID;
    for (size_t i = 0; i < n - pad; i++) {
        if (in[i] == '-' || in[i] == '_')
            return ST_INVALID;
        url[i] = in[i] == '+' ? '-' : in[i] == '/' ? '_' : in[i];
    }
    url[n - pad] = '\0';
    return crypto_base64url_decode(url, out, cap, len);
}

enum status signature_key(const char *secret, unsigned char *key, size_t cap, size_t *len)
{
    size_t prefix = strlen(SIGNATURE_PREFIX), n = strlen(secret);
    enum status st;

    if (strncmp(secret, SIGNATURE_PREFIX, prefix) == 0) {
        st = decode_standard(secret + prefix, key, cap, len);
        return st == ST_OK && *len == 0 ? ST_INVALID : st;
    }
    if (n == 0 || n > cap)
        return ST_INVALID;
    memcpy(key, secret, n);
    *len = n;
    return ST_OK;
}

enum status signature_secret_check(const char *secret)
{
    unsigned char key[SIGNATURE_KEY_MAX];
    size_t len = 0;

    /* A plain secret would be signed raw, which stock libraries cannot verify by default. */
    if (strncmp(secret, SIGNATURE_PREFIX, strlen(SIGNATURE_PREFIX)) != 0 ||
        signature_key(secret, key, sizeof(key), &len) != ST_OK)
        return ST_INVALID;
    return len >= SIGNATURE_NEW_KEY_MIN && len <= SIGNATURE_NEW_KEY_MAX ? ST_OK : ST_INVALID;
}

enum status signature_sign(const char *secret, const char *msg_id, int64_t timestamp,
                           const char *body, size_t body_len, char out[SIGNATURE_LEN])
{
    unsigned char key[SIGNATURE_KEY_MAX], mac[32];
    char head[160];
    size_t key_len = 0, head_len;
    char *signed_content;
    int w = snprintf(head, sizeof(head), "%s.%" PRId64 ".", msg_id, timestamp);
    enum status st = signature_key(secret, key, sizeof(key), &key_len);

    if (st != ST_OK)
        return st;
    if (w < 0 || (size_t)w >= sizeof(head))
        return ST_INVALID;
    head_len = (size_t)w;
    signed_content = malloc(head_len + body_len + 1);
    if (signed_content == NULL)
        return ST_NOMEM;
    memcpy(signed_content, head, head_len);
    memcpy(signed_content + head_len, body, body_len);
    crypto_hmac_sha256(key, key_len, signed_content, head_len + body_len, mac);
    free(signed_content);
    memcpy(out, "v1,", 3);
    crypto_base64(mac, sizeof(mac), out + 3);
    return ST_OK;
}
