#include "lib/offline_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PAYLOAD_LEN 82
#define SCALAR_LEN 32
#define GROUP_NAME "prime256v1"

/* ---- encoding ---------------------------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The 16 bytes of a canonical 8-4-4-4-12 UUID; 0 when s is not one. */
static int uuid_to_bytes(const char *s, unsigned char out[16])
{
    size_t n = 0;

    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash) {
            if (s[i] != '-')
                return 0;
            continue;
        }
        int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
        if (hi < 0 || lo < 0)
            return 0;
        out[n++] = (unsigned char)(hi << 4 | lo);
        i++;
    }
    return n == 16;
}

static void uuid_from_bytes(const unsigned char in[16], char out[UUID_STR_LEN])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;

    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[in[i] >> 4];
        out[o++] = hex[in[i] & 15];
    }
    out[o] = '\0';
}

static void put_i64(unsigned char *p, int64_t v)
{
    uint64_t u = (uint64_t)v;

    for (int i = 7; i >= 0; i--, u >>= 8)
        p[i] = (unsigned char)(u & 0xff);
}

static int64_t get_i64(const unsigned char *p)
{
    uint64_t u = 0;

    for (int i = 0; i < 8; i++)
        u = u << 8 | p[i];
    return (int64_t)u;
}

static int encode_payload(const struct offline_key_claims *c, unsigned char p[PAYLOAD_LEN])
{
    p[0] = OFFLINE_KEY_VERSION;
    p[1] = (unsigned char)c->slot;
    put_i64(p + 66, c->start);
    put_i64(p + 74, c->end);
    return uuid_to_bytes(c->key_id, p + 2) && uuid_to_bytes(c->system_id, p + 18) &&
           uuid_to_bytes(c->operating_device_id, p + 34) &&
           uuid_to_bytes(c->locking_device_id, p + 50);
}

static void decode_payload(const unsigned char p[PAYLOAD_LEN], struct offline_key_claims *c)
{
    c->slot = p[1] == OFFLINE_KEY_SLOT_NEXT ? OFFLINE_KEY_SLOT_NEXT : OFFLINE_KEY_SLOT_CURRENT;
    uuid_from_bytes(p + 2, c->key_id);
    uuid_from_bytes(p + 18, c->system_id);
    uuid_from_bytes(p + 34, c->operating_device_id);
    uuid_from_bytes(p + 50, c->locking_device_id);
    c->start = get_i64(p + 66);
    c->end = get_i64(p + 74);
}

/* Decodes exactly one canonical encoding of a blob: 195 alphabet characters, then '=',
 * with the unused low bits of the last character zero. */
static int blob_from_base64(const char *value, unsigned char out[OFFLINE_KEY_BLOB_LEN])
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char tmp[OFFLINE_KEY_VALUE_LEN];
    const char *last;

    if (strlen(value) != OFFLINE_KEY_VALUE_LEN - 1 || value[OFFLINE_KEY_VALUE_LEN - 2] != '=')
        return 0;
    if (strspn(value, alphabet) != OFFLINE_KEY_VALUE_LEN - 2)
        return 0;
    last = strchr(alphabet, value[OFFLINE_KEY_VALUE_LEN - 3]);
    if (((last - alphabet) & 3) != 0)
        return 0;
    if (EVP_DecodeBlock(tmp, (const unsigned char *)value, OFFLINE_KEY_VALUE_LEN - 1) !=
        OFFLINE_KEY_BLOB_LEN + 1) /* EVP_DecodeBlock counts the padding as a zero byte */
        return 0;
    memcpy(out, tmp, OFFLINE_KEY_BLOB_LEN);
    return out[0] == OFFLINE_KEY_VERSION && out[1] <= OFFLINE_KEY_SLOT_NEXT;
}

/* ---- keys -------------------------------------------------------------------------- */

/* A malloc'ed NUL-terminated copy of a memory BIO's contents. */
static char *bio_string(BIO *bio)
{
    char *data, *copy;
    long len = BIO_get_mem_data(bio, &data);

    copy = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (copy != NULL) {
        memcpy(copy, data, (size_t)len);
        copy[len] = '\0';
    }
    return copy;
}

/* The key of pem if it is a P-256 key (private or public as asked), else NULL. */
static EVP_PKEY *read_key(const char *pem, int private)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *key = NULL;
    char group[32] = "";

    if (bio == NULL)
        return NULL;
    key = private ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)
                  : PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (key != NULL && (!EVP_PKEY_is_a(key, "EC") ||
                        !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                                        sizeof(group), NULL) ||
                        strcmp(group, GROUP_NAME) != 0)) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    return key;
}

/* An EC key pair from its scalar d, through the provider interface (EC_KEY is deprecated). */
static EVP_PKEY *key_from_scalar(const EC_GROUP *g, const BIGNUM *d, BN_CTX *bn)
{
    unsigned char pub[65];
    EC_POINT *point = EC_POINT_new(g);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *key = NULL;
    size_t len = 0;

    if (point != NULL && EC_POINT_mul(g, point, d, NULL, NULL, bn))
        len = EC_POINT_point2oct(g, point, POINT_CONVERSION_UNCOMPRESSED, pub, sizeof(pub), bn);
    if (len == 0 || bld == NULL || ctx == NULL ||
        !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, GROUP_NAME, 0) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, len))
        goto out;
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) <= 0)
        key = NULL;
out:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    EC_POINT_free(point);
    return key;
}

enum status offline_key_generate_pem(const unsigned char seed[OFFLINE_KEY_SEED_LEN], char **out_pem)
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BN_CTX *bn = BN_CTX_new();
    BIGNUM *d = BN_bin2bn(seed, OFFLINE_KEY_SEED_LEN, NULL);
    BIO *bio = BIO_new(BIO_s_mem());
    EVP_PKEY *key = NULL;
    enum status st = ST_INTERNAL;

    if (g == NULL || bn == NULL || d == NULL || bio == NULL ||
        !BN_nnmod(d, d, EC_GROUP_get0_order(g), bn) || (BN_is_zero(d) && !BN_one(d)))
        goto out;
    key = key_from_scalar(g, d, bn);
    if (key == NULL || !PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))
        goto out;
    *out_pem = bio_string(bio);
    st = *out_pem != NULL ? ST_OK : ST_NOMEM;
out:
    BN_clear_free(d);
    BN_CTX_free(bn);
    EC_GROUP_free(g);
    EVP_PKEY_free(key);
    BIO_free(bio);
    return st;
}

enum status offline_key_public_pem(const char *private_pem, char **out_pem)
{
    EVP_PKEY *key = read_key(private_pem, 1);
    BIO *bio = BIO_new(BIO_s_mem());
    enum status st = ST_INVALID;

    if (key != NULL && bio != NULL && PEM_write_bio_PUBKEY(bio, key)) {
        *out_pem = bio_string(bio);
        st = *out_pem != NULL ? ST_OK : ST_NOMEM;
    }
    EVP_PKEY_free(key);
    BIO_free(bio);
    return st;
}

/* ---- signing ----------------------------------------------------------------------- */

/* RFC 6979 §3.2 nonce generation with HMAC-SHA256, specialised to a 256-bit order. */
struct nonce_gen {
    unsigned char k[32], v[32];
    int drawn;
};

static void hmac_update_kv(struct nonce_gen *n, int sep, const unsigned char *x,
                           const unsigned char *h)
{
    unsigned char msg[32 + 1 + 2 * SCALAR_LEN];
    size_t len = 32;
    unsigned int out = 32;

    memcpy(msg, n->v, 32);
    msg[len++] = (unsigned char)sep;
    if (x != NULL) {
        memcpy(msg + len, x, SCALAR_LEN);
        memcpy(msg + len + SCALAR_LEN, h, SCALAR_LEN);
        len += 2 * SCALAR_LEN;
    }
    HMAC(EVP_sha256(), n->k, 32, msg, len, n->k, &out);
    HMAC(EVP_sha256(), n->k, 32, n->v, 32, n->v, &out);
}

/* x: the private scalar; h: bits2octets of the digest (already reduced modulo the order). */
static void nonce_init(struct nonce_gen *n, const unsigned char *x, const unsigned char *h)
{
    memset(n->v, 0x01, sizeof(n->v));
    memset(n->k, 0x00, sizeof(n->k));
    n->drawn = 0;
    hmac_update_kv(n, 0x00, x, h);
    hmac_update_kv(n, 0x01, x, h);
}

/* The next candidate k; every call after the first first applies the rejection step. */
static void nonce_next(struct nonce_gen *n, unsigned char out[32])
{
    unsigned int len = 32;

    if (n->drawn)
        hmac_update_kv(n, 0x00, NULL, NULL);
    HMAC(EVP_sha256(), n->k, 32, n->v, 32, n->v, &len);
    memcpy(out, n->v, 32);
    n->drawn = 1;
}

/* r and s for nonce k: 1 when usable, 0 when k must be rejected, -1 on failure. */
static int sign_with_nonce(const EC_GROUP *g, const BIGNUM *d, const BIGNUM *z, const BIGNUM *k,
                           BIGNUM *r, BIGNUM *s, BN_CTX *bn)
{
    const BIGNUM *q = EC_GROUP_get0_order(g);
    EC_POINT *p = EC_POINT_new(g);
    BIGNUM *x = BN_new(), *kinv = BN_new();
    int rc = -1;

    if (BN_is_zero(k) || BN_cmp(k, q) >= 0) {
        rc = 0;
        goto out;
    }
    if (p == NULL || x == NULL || kinv == NULL || !EC_POINT_mul(g, p, k, NULL, NULL, bn) ||
        !EC_POINT_get_affine_coordinates(g, p, x, NULL, bn) || !BN_nnmod(r, x, q, bn) ||
        BN_mod_inverse(kinv, k, q, bn) == NULL || !BN_mod_mul(s, r, d, q, bn) ||
        !BN_mod_add(s, s, z, q, bn) || !BN_mod_mul(s, s, kinv, q, bn))
        goto out;
    rc = BN_is_zero(r) || BN_is_zero(s) ? 0 : 1;
out:
    BN_clear_free(kinv);
    BN_free(x);
    EC_POINT_free(p);
    return rc;
}

/* sig = r || s over the SHA-256 digest of msg, with the private scalar d. */
static enum status sign_message(const BIGNUM *d, const unsigned char *msg, size_t len,
                                unsigned char sig[2 * SCALAR_LEN])
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BN_CTX *bn = BN_CTX_new();
    BIGNUM *z = BN_new(), *k = BN_new(), *r = BN_new(), *s = BN_new();
    unsigned char digest[SHA256_DIGEST_LENGTH], x[SCALAR_LEN], h[SCALAR_LEN], cand[32];
    struct nonce_gen n;
    int rc = -1;

    SHA256(msg, len, digest);
    if (g == NULL || bn == NULL || z == NULL || k == NULL || r == NULL || s == NULL ||
        BN_bin2bn(digest, sizeof(digest), z) == NULL ||
        !BN_nnmod(z, z, EC_GROUP_get0_order(g), bn) || BN_bn2binpad(d, x, SCALAR_LEN) < 0 ||
        BN_bn2binpad(z, h, SCALAR_LEN) < 0)
        goto out;
    nonce_init(&n, x, h);
    do {
        nonce_next(&n, cand);
        rc = BN_bin2bn(cand, sizeof(cand), k) == NULL ? -1 : sign_with_nonce(g, d, z, k, r, s, bn);
    } while (rc == 0);
    if (rc == 1 &&
        (BN_bn2binpad(r, sig, SCALAR_LEN) < 0 || BN_bn2binpad(s, sig + SCALAR_LEN, SCALAR_LEN) < 0))
        rc = -1;
out:
    OPENSSL_cleanse(x, sizeof(x));
    OPENSSL_cleanse(&n, sizeof(n));
    BN_clear_free(k);
    BN_free(z);
    BN_free(r);
    BN_free(s);
    BN_CTX_free(bn);
    EC_GROUP_free(g);
    return rc == 1 ? ST_OK : ST_INTERNAL;
}

enum status offline_key_sign(const char *private_pem, const struct offline_key_claims *claims,
                             char out[OFFLINE_KEY_VALUE_LEN])
{
    unsigned char blob[OFFLINE_KEY_BLOB_LEN];
    EVP_PKEY *key = read_key(private_pem, 1);
    BIGNUM *d = NULL;
    enum status st = ST_INVALID;

    if (key == NULL || !encode_payload(claims, blob))
        goto out;
    st = ST_INTERNAL;
    if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d))
        goto out;
    st = sign_message(d, blob, PAYLOAD_LEN, blob + PAYLOAD_LEN);
    if (st == ST_OK)
        EVP_EncodeBlock((unsigned char *)out, blob, OFFLINE_KEY_BLOB_LEN);
out:
    BN_clear_free(d);
    EVP_PKEY_free(key);
    return st;
}

/* ---- verification ------------------------------------------------------------------ */

enum status offline_key_decode(const char *value, struct offline_key_claims *out)
{
    unsigned char blob[OFFLINE_KEY_BLOB_LEN];

    if (value == NULL || !blob_from_base64(value, blob))
        return ST_INVALID;
    decode_payload(blob, out);
    return ST_OK;
}

/* 1 when blob's signature verifies with key, 0 when it does not, -1 on failure. */
static int signature_valid(EVP_PKEY *key, const unsigned char blob[OFFLINE_KEY_BLOB_LEN])
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(blob + PAYLOAD_LEN, SCALAR_LEN, NULL);
    BIGNUM *s = BN_bin2bn(blob + PAYLOAD_LEN + SCALAR_LEN, SCALAR_LEN, NULL);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *der = NULL;
    int der_len, rc = -1;

    if (sig == NULL || r == NULL || s == NULL || md == NULL || !ECDSA_SIG_set0(sig, r, s))
        goto out;
    r = s = NULL; /* owned by sig now */
    der_len = i2d_ECDSA_SIG(sig, &der);
    if (der_len > 0 && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1)
        rc = EVP_DigestVerify(md, der, (size_t)der_len, blob, PAYLOAD_LEN) == 1;
out:
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    ECDSA_SIG_free(sig);
    BN_free(r);
    BN_free(s);
    return rc;
}

enum offline_key_verdict offline_key_verify(const char *value, const char *public_pem,
                                            const char *operating_device_id,
                                            const char *locking_device_id, int64_t now,
                                            struct offline_key_claims *out)
{
    unsigned char blob[OFFLINE_KEY_BLOB_LEN];
    struct offline_key_claims c;
    EVP_PKEY *key;
    int valid;

    if (value == NULL || !blob_from_base64(value, blob))
        return OFFLINE_KEY_MALFORMED;
    decode_payload(blob, &c);
    if (out != NULL)
        *out = c;
    if ((key = read_key(public_pem, 0)) == NULL)
        return OFFLINE_KEY_ERROR;
    valid = signature_valid(key, blob);
    EVP_PKEY_free(key);
    if (valid < 0)
        return OFFLINE_KEY_ERROR;
    if (!valid)
        return OFFLINE_KEY_BAD_SIGNATURE;
    if (strcasecmp(c.operating_device_id, operating_device_id) != 0 ||
        strcasecmp(c.locking_device_id, locking_device_id) != 0)
        return OFFLINE_KEY_WRONG_DEVICE;
    if (now < c.start)
        return OFFLINE_KEY_NOT_YET_VALID;
    return now >= c.end ? OFFLINE_KEY_EXPIRED : OFFLINE_KEY_OK;
}

const char *offline_key_verdict_name(enum offline_key_verdict v)
{
    static const char *const names[] = {
        "ok", "malformed", "bad signature", "wrong device", "not yet valid", "expired", "error"};

    return (size_t)v < sizeof(names) / sizeof(names[0]) ? names[v] : "error";
}
