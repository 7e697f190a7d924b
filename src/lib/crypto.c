#include "lib/crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"

size_t crypto_base64(const unsigned char *in, size_t n, char *out)
{
    return (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

size_t crypto_base64url(const unsigned char *in, size_t n, char *out)
{
    size_t len = crypto_base64(in, n, out);

    while (len > 0 && out[len - 1] == '=')
        out[--len] = '\0';
    for (size_t i = 0; i < len; i++) {
        if (out[i] == '+')
            out[i] = '-';
        else if (out[i] == '/')
            out[i] = '_';
    }
    return len;
}

/* The 6-bit value of a base64url character, or -1. */
static int b64url_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

enum status crypto_base64url_decode(const char *in, unsigned char *out, size_t out_cap,
                                    size_t *out_len)
{
    size_t n = strlen(in), padded = (n + 3) / 4 * 4, decoded_len;
    unsigned char *std = NULL, *tmp = NULL;
    enum status st = ST_INVALID;
    int got;

    if (n % 4 == 1 || n > 4096)
        return ST_INVALID;
    std = malloc(padded + 1);
    tmp = malloc(padded / 4 * 3 + 1);
    if (std == NULL || tmp == NULL) {
        st = ST_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        /* Only the url-safe alphabet, unpadded: EVP_DecodeBlock alone would also take
         * '+', '/', '=' and trim surrounding whitespace. */
        if (b64url_value(in[i]) < 0)
            goto out;
        std[i] = (unsigned char)(in[i] == '-' ? '+' : in[i] == '_' ? '/' : in[i]);
    }
    /* The bits after the last whole byte must be zero, so that each byte string has
     * exactly one encoding (a flipped last character must not decode to the same bytes). */
    if ((n % 4 == 2 && (b64url_value(in[n - 1]) & 0x0f) != 0) ||
        (n % 4 == 3 && (b64url_value(in[n - 1]) & 0x03) != 0))
        goto out;
    for (size_t i = n; i < padded; i++)
        std[i] = '=';
    std[padded] = '\0';
    got = EVP_DecodeBlock(tmp, std, (int)padded);
    if (got < 0)
        goto out;
    decoded_len = (size_t)got - (padded - n); /* EVP_DecodeBlock counts padding as zeros */
    if (decoded_len > out_cap)
        goto out;
    memcpy(out, tmp, decoded_len);
    *out_len = decoded_len;
    st = ST_OK;
out:
    free(std);
    free(tmp);
    return st;
}

/* OpenSSL 3 looks an algorithm up by name on every one-shot SHA256(): half its cost for
 * short inputs. Fetched once, it is looked up never again. */
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha256_md;

static void fetch_sha256(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void crypto_sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[SHA256_DIGEST_LENGTH];

    pthread_once(&sha256_once, fetch_sha256);
    if (sha256_md == NULL || !EVP_Digest(data, n, md, NULL, sha256_md, NULL))
        SHA256(data, n, md);
    for (size_t i = 0; i < sizeof(md); i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * sizeof(md)] = '\0';
}

void crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t n,
                        unsigned char out[32])
{
    unsigned int len = 32;

    HMAC(EVP_sha256(), key, (int)key_len, data, n, out, &len);
}

int crypto_equal(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}

void crypto_random_base64(size_t n, char *out)
{
    unsigned char buf[64];

    if (n > sizeof(buf))
        n = sizeof(buf);
    rng_bytes(buf, n);
    crypto_base64(buf, n, out);
}

void crypto_random_base64url(size_t n, char *out)
{
    unsigned char buf[64];

    if (n > sizeof(buf))
        n = sizeof(buf);
    rng_bytes(buf, n);
    crypto_base64url(buf, n, out);
}

enum status crypto_rsa_generate_pem(char **out_pem)
{
    EVP_PKEY *key = NULL;
    BIO *bio = NULL;
    char *data, *pem = NULL;
    long len;
    enum status st = ST_INTERNAL;

    key = EVP_RSA_gen(2048);
    bio = BIO_new(BIO_s_mem());
    if (key == NULL || bio == NULL)
        goto out;
    if (!PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))
        goto out;
    len = BIO_get_mem_data(bio, &data);
    pem = malloc((size_t)len + 1);
    if (pem == NULL) {
        st = ST_NOMEM;
        goto out;
    }
    memcpy(pem, data, (size_t)len);
    pem[len] = '\0';
    *out_pem = pem;
    st = ST_OK;
out:
    BIO_free(bio);
    EVP_PKEY_free(key);
    return st;
}

/* Encodes a big number as unpadded base64url, malloc'ed. */
static char *bn_base64url(const BIGNUM *bn)
{
    int n = BN_num_bytes(bn);
    unsigned char *bytes = malloc((size_t)n);
    char *out = malloc((size_t)(n + 2) / 3 * 4 + 1);

    if (bytes == NULL || out == NULL) {
        free(bytes);
        free(out);
        return NULL;
    }
    BN_bn2bin(bn, bytes);
    crypto_base64url(bytes, (size_t)n, out);
    free(bytes);
    return out;
}

enum status crypto_rsa_public_parts(const char *private_pem, char **out_public_pem,
                                    char **out_n_b64url, char **out_e_b64url)
{
    BIO *in = NULL, *outb = NULL;
    EVP_PKEY *key = NULL;
    BIGNUM *n = NULL, *e = NULL;
    char *data, *pub = NULL, *n64 = NULL, *e64 = NULL;
    long len;
    enum status st = ST_INTERNAL;

    in = BIO_new_mem_buf(private_pem, -1);
    outb = BIO_new(BIO_s_mem());
    if (in == NULL || outb == NULL)
        goto out;
    key = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
    if (key == NULL || !PEM_write_bio_PUBKEY(outb, key))
        goto out;
    if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) ||
        !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e))
        goto out;
    len = BIO_get_mem_data(outb, &data);
    pub = malloc((size_t)len + 1);
    n64 = bn_base64url(n);
    e64 = bn_base64url(e);
    if (pub == NULL || n64 == NULL || e64 == NULL) {
        st = ST_NOMEM;
        goto out;
    }
    memcpy(pub, data, (size_t)len);
    pub[len] = '\0';
    *out_public_pem = pub;
    *out_n_b64url = n64;
    *out_e_b64url = e64;
    pub = n64 = e64 = NULL;
    st = ST_OK;
out:
    free(pub);
    free(n64);
    free(e64);
    BN_free(n);
    BN_free(e);
    EVP_PKEY_free(key);
    BIO_free(in);
    BIO_free(outb);
    return st;
}
