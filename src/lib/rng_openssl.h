/*
 * rng_openssl.h — OpenSSL drawing its randomness from the emulator's generator.
 *
 * OpenSSL makes key pairs and ECDSA nonces from its own DRBG, which no seed reaches: a
 * seeded emulator would mint different keys and signatures on every run. Under --seed this
 * module offers an OpenSSL library context whose random generator is rng_bytes(), so that
 * what is made in it (keys generated, keys decoded in it and the signatures they make) is
 * reproducible from the seed and the order of the calls, as the emulator's ids are.
 * OpenSSL 3.0 has no deterministic ECDSA (RFC 6979's "nonce-type" came in 3.2); a nonce
 * drawn from the seeded generator is reproducible all the same.
 */
#ifndef KE_LIB_RNG_OPENSSL_H
#define KE_LIB_RNG_OPENSSL_H

#include <openssl/types.h>

/* The library context to make keys and signatures in: NULL (OpenSSL's default, its own
 * generator) when unseeded, else the seeded context, made at the first call. NULL also when
 * it cannot be made, which aborts: a seeded run must not quietly lose reproducibility. */
OSSL_LIB_CTX *rng_openssl_libctx(void);

#endif
