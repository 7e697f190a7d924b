/*
 * crypto.h — thin helpers over OpenSSL's libcrypto: encodings, digests, MACs, key pairs.
 *
 * Nothing here invents cryptography; it only gives the rest of the emulator short names
 * for what OpenSSL does. Functions that allocate say who frees.
 */
#ifndef KE_LIB_CRYPTO_H
#define KE_LIB_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/problem.h"

#define SHA256_HEX_LEN 65

/* Standard base64 with padding. Returns the length written (out must hold 4*ceil(n/3)+1). */
size_t crypto_base64(const unsigned char *in, size_t n, char *out);

/* base64url without padding (JWT, page tokens). out must hold 4*ceil(n/3)+1. */
size_t crypto_base64url(const unsigned char *in, size_t n, char *out);

/* Decodes base64url without padding. Returns ST_OK and the length in *out_len, or
 * ST_INVALID for bad characters or when out (out_cap bytes) is too small. */
enum status crypto_base64url_decode(const char *in, unsigned char *out, size_t out_cap,
                                    size_t *out_len);

/* Lower-case hex SHA-256 of data. */
void crypto_sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN]);

/* HMAC-SHA256 of data with key into out (32 bytes). */
void crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t n,
                        unsigned char out[32]);

/* Constant-time comparison of two equal-length buffers; 1 when equal. */
int crypto_equal(const void *a, const void *b, size_t n);

/* A fresh random secret of n bytes as standard base64 (access keys, API keys).
 * out must hold 4*ceil(n/3)+1 bytes. Draws from rng_bytes(). */
void crypto_random_base64(size_t n, char *out);

/* The same as base64url (no padding, no '/' or '+'), for secrets that travel in paths. */
void crypto_random_base64url(size_t n, char *out);

/* Generates an RSA-2048 private key and returns it as PEM (PKCS#8), malloc'ed, caller
 * frees. It uses OpenSSL's own generator even under --seed: a key is made once per
 * database, and tokens carry the clock's time, so they are not byte-reproducible anyway. */
enum status crypto_rsa_generate_pem(char **out_pem);

/* Derives the public key PEM and the JWK modulus/exponent (base64url) from a private
 * PEM. All three outputs are malloc'ed; caller frees. */
enum status crypto_rsa_public_parts(const char *private_pem, char **out_public_pem,
                                    char **out_n_b64url, char **out_e_b64url);

#endif
