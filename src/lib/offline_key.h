/*
 * offline_key.h — the signed value of an offline key, and the system signing keys behind it.
 *
 * An offline key value is standard base64 (with padding) of a fixed 146-byte blob: an 82-byte
 * payload followed by an ECDSA P-256 signature over SHA-256 of the payload, made with the
 * issuing system's key. All integers are big-endian.
 *
 *   offset  size  payload field
 *        0     1  version, OFFLINE_KEY_VERSION
 *        1     1  certificate slot: OFFLINE_KEY_SLOT_CURRENT or OFFLINE_KEY_SLOT_NEXT
 *        2    16  key id (UUID bytes)
 *       18    16  system id
 *       34    16  operating device id
 *       50    16  locking device id
 *       66     8  start, seconds since the epoch (signed)
 *       74     8  end, seconds since the epoch (signed); the key is valid in [start, end)
 *       82    64  signature: r || s, 32 bytes each
 *
 * Signatures are deterministic (RFC 6979 nonces), and a key pair is derived from 32 bytes the
 * caller draws from rng_bytes(), so that --seed reproduces every value byte for byte.
 * Pure: depends on OpenSSL's libcrypto only (UUID_STR_LEN comes from rng.h).
 */
#ifndef KE_LIB_OFFLINE_KEY_H
#define KE_LIB_OFFLINE_KEY_H

#include <stdint.h>

#include "lib/problem.h"
#include "lib/rng.h"

#define OFFLINE_KEY_VERSION 1
#define OFFLINE_KEY_BLOB_LEN 146
#define OFFLINE_KEY_VALUE_LEN 197 /* base64 of the blob (196 characters) and NUL */
#define OFFLINE_KEY_SEED_LEN 32

/* Which operational certificate of the lock the key is for: the one it has now, or the one
 * that replaces it after re-keying (the response's alternativeKey). */
enum offline_key_slot {
    OFFLINE_KEY_SLOT_CURRENT = 0,
    OFFLINE_KEY_SLOT_NEXT = 1,
};

struct offline_key_claims {
    char key_id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char operating_device_id[UUID_STR_LEN];
    char locking_device_id[UUID_STR_LEN];
    int64_t start, end;
    enum offline_key_slot slot;
};

enum offline_key_verdict {
    OFFLINE_KEY_OK,
    OFFLINE_KEY_MALFORMED,     /* not base64 of a blob of this version */
    OFFLINE_KEY_BAD_SIGNATURE, /* not signed by the given public key, or altered */
    OFFLINE_KEY_WRONG_DEVICE,  /* issued for another operating device or locking device */
    OFFLINE_KEY_NOT_YET_VALID, /* now < start */
    OFFLINE_KEY_EXPIRED,       /* now >= end */
    OFFLINE_KEY_ERROR,         /* the public key is unusable, or out of memory */
};

/* Makes a P-256 private key whose scalar is seed (reduced modulo the group order; 0 becomes
 * 1) and returns it as PKCS#8 PEM in *out_pem, malloc'ed, caller frees. Pass fresh
 * rng_bytes() output. ST_OK, ST_NOMEM or ST_INTERNAL. */
enum status offline_key_generate_pem(const unsigned char seed[OFFLINE_KEY_SEED_LEN],
                                     char **out_pem);

/* The SubjectPublicKeyInfo PEM of a private key PEM, malloc'ed in *out_pem, caller frees.
 * ST_INVALID when private_pem is not a P-256 private key. */
enum status offline_key_public_pem(const char *private_pem, char **out_pem);

/* Signs claims with private_pem and writes the base64 value (NUL-terminated) into out.
 * ST_INVALID when an id is not a UUID or the key is not a P-256 private key. */
enum status offline_key_sign(const char *private_pem, const struct offline_key_claims *claims,
                             char out[OFFLINE_KEY_VALUE_LEN]);

/* Reads the claims of a value without checking its signature (for display and logs).
 * ST_OK or ST_INVALID. */
enum status offline_key_decode(const char *value, struct offline_key_claims *out);

/* What a lock decides: checks, in this order, the encoding, the signature against
 * public_pem, that the key names operating_device_id and locking_device_id, and that now
 * lies in [start, end). The certificate slot is reported in *out (may be NULL; filled
 * whenever the value decodes) and left to the caller to judge. */
enum offline_key_verdict offline_key_verify(const char *value, const char *public_pem,
                                            const char *operating_device_id,
                                            const char *locking_device_id, int64_t now,
                                            struct offline_key_claims *out);

/* A short lower-case name of a verdict ("ok", "expired", ...), for logs and responses. */
const char *offline_key_verdict_name(enum offline_key_verdict v);

#endif
