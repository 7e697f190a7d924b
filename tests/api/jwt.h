/*
 * jwt.h — base64url and JWS plumbing for the token tests (test_login.c, test_tokens.c),
 * written independently of the emulator's own JWT code.
 */
#ifndef KE_TESTS_JWT_H
#define KE_TESTS_JWT_H

#include <json-c/json.h>
#include <stddef.h>

/* Unpadded base64url of the n bytes at in, NUL-terminated into out; returns its length. */
size_t b64url_encode(const unsigned char *in, size_t n, char *out);

/* Decodes len characters of unpadded base64url into out (cap bytes); the byte count or -1. */
long b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap);

/* b64url_decode of the whole string in, which must decode; the byte count. */
size_t b64url_decode_all(const char *in, unsigned char *out, size_t cap);

/* One JWS segment: base64url of a JSON text. */
void jws_segment(const char *json_text, char *out);

/* The parts of a compact JWS: header and claims as JSON, the signing input "header.payload"
 * exactly as received, and the signature as text and as bytes. */
struct jwt {
    json_object *header, *claims;
    char input[4096];
    char sig_text[1024];
    unsigned char sig[1024];
    size_t sig_len;
};

/* Splits token (exactly three segments, a non-empty signature); fails the test otherwise. */
void jwt_split(const char *token, struct jwt *j);

void jwt_release(struct jwt *j);

#endif
