/*
 * jwt.c — the token tests' base64url and JWS helpers (see jwt.h).
 */
#include "jwt.h"

#include <check.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t b64url_encode(const unsigned char *in, size_t n, char *out)
{
    int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);

    for (int i = 0; i < len; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    while (len > 0 && out[len - 1] == '=')
        len--;
    out[len] = '\0';
    return (size_t)len;
}

long b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
    char *padded = malloc(len + 4);
    size_t plen = len;
    int n;

    ck_assert_ptr_nonnull(padded);
    for (size_t i = 0; i < len; i++)
        padded[i] = in[i] == '-' ? '+' : in[i] == '_' ? '/' : in[i];
    while (plen % 4 != 0)
        padded[plen++] = '=';
    if (plen / 4 * 3 > cap) {
        free(padded);
        return -1;
    }
    n = EVP_DecodeBlock(out, (unsigned char *)padded, (int)plen);
    free(padded);
    return n < 0 ? -1 : n - (long)(plen - len);
}

size_t b64url_decode_all(const char *in, unsigned char *out, size_t cap)
{
    long n = b64url_decode(in, strlen(in), out, cap);

    ck_assert_msg(n >= 0, "not base64url: %s", in);
    return (size_t)n;
}

void jws_segment(const char *json_text, char *out)
{
    b64url_encode((const unsigned char *)json_text, strlen(json_text), out);
}

/* A segment's JSON (caller puts), or NULL. */
static json_object *decode_json_segment(const char *seg, size_t len)
{
    unsigned char text[4096];
    long n = b64url_decode(seg, len, text, sizeof(text) - 1);

    ck_assert_int_ge(n, 0);
    text[n] = '\0';
    return json_tokener_parse((const char *)text);
}

void jwt_split(const char *token, struct jwt *j)
{
    const char *dot1 = strchr(token, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    long n;

    ck_assert_msg(dot2 != NULL && strchr(dot2 + 1, '.') == NULL, "not a JWS: %s", token);
    j->header = decode_json_segment(token, (size_t)(dot1 - token));
    j->claims = decode_json_segment(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    ck_assert_ptr_nonnull(j->header);
    ck_assert_ptr_nonnull(j->claims);
    snprintf(j->input, sizeof(j->input), "%.*s", (int)(dot2 - token), token);
    snprintf(j->sig_text, sizeof(j->sig_text), "%s", dot2 + 1);
    n = b64url_decode(dot2 + 1, strlen(dot2 + 1), j->sig, sizeof(j->sig));
    ck_assert_int_gt(n, 0);
    j->sig_len = (size_t)n;
}

void jwt_release(struct jwt *j)
{
    json_object_put(j->header);
    json_object_put(j->claims);
}
