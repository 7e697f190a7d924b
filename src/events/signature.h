/*
 * signature.h — Standard Webhooks signatures (https://www.standardwebhooks.com).
 *
 * A delivery carries webhook-id, webhook-timestamp and webhook-signature; the signature is
 * "v1," followed by the standard base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>". The
 * HMAC key is the secret's bytes: for a "whsec_" secret, the base64-decoded text after the
 * prefix; for any other secret, the secret's own characters. New subscriptions take only the
 * standard format (signature_secret_check); the plain form is still signed so that the
 * subscriptions stored with one before that rule keep their signatures. The timestamp signed
 * is the caller's: the dispatcher passes the wall-clock time of each attempt. Pure: depends
 * on lib/crypto.
 */
#ifndef KE_EVENTS_SIGNATURE_H
#define KE_EVENTS_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/problem.h"

#define SIGNATURE_PREFIX "whsec_"
#define SIGNATURE_LEN 48         /* "v1," + 44 base64 characters + NUL */
#define SIGNATURE_KEY_MAX 512    /* longest key signed with, in bytes */
#define SIGNATURE_NEW_KEY_MIN 24 /* the Standard Webhooks bounds of a secret's key, in bytes */
#define SIGNATURE_NEW_KEY_MAX 64

/* The HMAC key of secret into key (cap bytes); *len gets its length. ST_INVALID when the
 * secret is empty, a "whsec_" secret is not followed by standard base64 of at least one
 * byte (padding optional), or the key would not fit in cap. */
enum status signature_key(const char *secret, unsigned char *key, size_t cap, size_t *len);

/* Whether a new subscription may have secret: ST_OK for "whsec_" followed by standard
 * base64 (padding optional) of SIGNATURE_NEW_KEY_MIN to SIGNATURE_NEW_KEY_MAX bytes, the
 * form stock Standard Webhooks libraries verify with; ST_INVALID for anything else. */
enum status signature_secret_check(const char *secret);

/* Signs one delivery: out receives "v1,<base64>". ST_INVALID when the secret is unusable
 * (see signature_key). body need not be NUL-terminated. */
enum status signature_sign(const char *secret, const char *msg_id, int64_t timestamp,
                           const char *body, size_t body_len, char out[SIGNATURE_LEN]);

#endif
