#include "sim/ca.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto.h"
#include "lib/rng.h"
#include "lib/rng_openssl.h"
#include "store/settings.h"

#define SETTING_KEY "ca_private_key_pem"
#define SETTING_CERT "ca_certificate_pem"
#define CA_NAME "keyless-emulator CA"
#define CA_NOT_BEFORE 946684800LL /* 2000-01-01: the CA outlives any simulated time */
#define CA_NOT_AFTER 4102444800LL /* 2100-01-01 */

static pthread_mutex_t ca_lock = PTHREAD_MUTEX_INITIALIZER;
static EVP_PKEY *ca_key;
static X509 *ca_cert;
static atomic_int ca_stale; /* set by ca_forget(): reload before the next use */

static char *bio_to_string(BIO *bio)
{
    char *data, *copy;
    long len = BIO_get_mem_data(bio, &data);

    copy = malloc((size_t)len + 1);
    if (copy != NULL) {
        memcpy(copy, data, (size_t)len);
        copy[len] = '\0';
    }
    return copy;
}

/* Keys are read into the seeded context under --seed: what they sign is then
 * reproducible (lib/rng_openssl.h). */
static EVP_PKEY *read_key(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *key =
        bio ? PEM_read_bio_PrivateKey_ex(bio, NULL, NULL, NULL, rng_openssl_libctx(), NULL) : NULL;

    BIO_free(bio);
    return key;
}

static X509 *read_cert(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

    BIO_free(bio);
    return cert;
}

/* A P-256 key pair, drawn from the seeded generator under --seed. */
static EVP_PKEY *generate_key(void)
{
    return EVP_PKEY_Q_keygen(rng_openssl_libctx(), NULL, "EC", "P-256");
}

/* Every key here is P-256, so its DER forms are fixed templates around the key's two
 * numbers. They are written by hand because OpenSSL 3.0's encoders (PEM_write_bio_PrivateKey,
 * X509_set_pubkey) look their implementation up on every call, which cost ~100 us and
 * ~400 us an issue against ~30 us for the key and the signature together. */
#define P256_POINT_LEN 65 /* 04 || x || y */
#define P256_SCALAR_LEN 32

/* The key's public point and private scalar (priv may be NULL). */
static int key_numbers(EVP_PKEY *key, unsigned char pub[P256_POINT_LEN],
                       unsigned char priv[P256_SCALAR_LEN])
{
    size_t len = 0;
    BIGNUM *d = NULL;
    int ok =
        EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, pub, P256_POINT_LEN, &len) &&
        len == P256_POINT_LEN;

    if (ok && priv != NULL)
        ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) &&
             BN_bn2binpad(d, priv, P256_SCALAR_LEN) == P256_SCALAR_LEN;
    BN_clear_free(d);
    return ok;
}

/* PKCS#8 PrivateKeyInfo of a P-256 key holding its public point, as OpenSSL writes it. */
static const unsigned char pkcs8_head[] = {0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06,
                                           0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
                                           0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
                                           0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20};
static const unsigned char pkcs8_middle[] = {0xa1, 0x44, 0x03, 0x42, 0x00};
#define PKCS8_LEN (sizeof(pkcs8_head) + P256_SCALAR_LEN + sizeof(pkcs8_middle) + P256_POINT_LEN)
#define PEM_LINE_BYTES 48 /* 64 base64 characters */

static char *pem_armour(const unsigned char *der, size_t n, const char *label)
{
    size_t cap = 2 * strlen(label) + 40 + (n + 2) / 3 * 4 + n / PEM_LINE_BYTES + 2;
    char *out = malloc(cap);
    size_t k;

    if (out == NULL)
        return NULL;
    k = (size_t)snprintf(out, cap, "-----BEGIN %s-----\n", label);
    for (size_t i = 0; i < n; i += PEM_LINE_BYTES) {
        size_t take = n - i < PEM_LINE_BYTES ? n - i : PEM_LINE_BYTES;
        k += crypto_base64(der + i, take, out + k);
        out[k++] = '\n';
    }
    snprintf(out + k, cap - k, "-----END %s-----\n", label);
    return out;
}

static enum status write_key(EVP_PKEY *key, char **out)
{
    unsigned char der[PKCS8_LEN], *at = der;

    memcpy(at, pkcs8_head, sizeof(pkcs8_head));
    at += sizeof(pkcs8_head);
    if (!key_numbers(key, at + P256_SCALAR_LEN + sizeof(pkcs8_middle), at))
        return ST_INTERNAL;
    memcpy(at + P256_SCALAR_LEN, pkcs8_middle, sizeof(pkcs8_middle));
    *out = pem_armour(der, sizeof(der), "PRIVATE KEY");
    OPENSSL_cleanse(der, sizeof(der));
    return *out ? ST_OK : ST_NOMEM;
}

/* The certificate's SubjectPublicKeyInfo: id-ecPublicKey, prime256v1, the point. */
static int set_public_key(X509 *cert, EVP_PKEY *key)
{
    unsigned char point[P256_POINT_LEN], *copy;

    if (!key_numbers(key, point, NULL) || (copy = OPENSSL_memdup(point, sizeof(point))) == NULL)
        return 0;
    if (!X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert), OBJ_nid2obj(NID_X9_62_id_ecPublicKey),
                                V_ASN1_OBJECT, OBJ_nid2obj(NID_X9_62_prime256v1), copy,
                                sizeof(point))) {
        OPENSSL_free(copy);
        return 0;
    }
    return 1;
}

enum status ca_new_key(char **out_private_pem)
{
    EVP_PKEY *key = generate_key();
    enum status st = key ? write_key(key, out_private_pem) : ST_INTERNAL;

    EVP_PKEY_free(key);
    return st;
}

static int set_subject(X509_NAME *name, const char *common_name)
{
    return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                      (const unsigned char *)"keyless-emulator", -1, -1, 0) &&
           X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name,
                                      -1, -1, 0);
}

/* A CSR of key for CN=common_name, as PEM. */
static enum status write_csr(EVP_PKEY *key, const char *common_name, char **out)
{
    X509_REQ *req = X509_REQ_new_ex(rng_openssl_libctx(), NULL);
    BIO *bio = BIO_new(BIO_s_mem());
    enum status st = ST_INTERNAL;

    if (req != NULL && bio != NULL && set_subject(X509_REQ_get_subject_name(req), common_name) &&
        X509_REQ_set_pubkey(req, key) && X509_REQ_sign(req, key, EVP_sha256()) &&
        PEM_write_bio_X509_REQ(bio, req)) {
        *out = bio_to_string(bio);
        st = *out ? ST_OK : ST_NOMEM;
    }
    BIO_free(bio);
    X509_REQ_free(req);
    return st;
}

enum status ca_new_csr(const char *private_pem, const char *common_name, char **out_csr_pem)
{
    EVP_PKEY *key = read_key(private_pem);
    enum status st = key ? write_csr(key, common_name, out_csr_pem) : ST_INTERNAL;

    EVP_PKEY_free(key);
    return st;
}

enum status ca_new_key_csr(const char *common_name, char **out_private_pem, char **out_csr_pem)
{
    EVP_PKEY *key = generate_key();
    enum status st = key ? write_key(key, out_private_pem) : ST_INTERNAL;

    if (st == ST_OK && (st = write_csr(key, common_name, out_csr_pem)) != ST_OK) {
        free(*out_private_pem);
        *out_private_pem = NULL;
    }
    EVP_PKEY_free(key);
    return st;
}

/* Builds and signs a certificate for pubkey with the given issuer key and name. */
static X509 *make_cert(EVP_PKEY *pubkey, X509_NAME *subject, X509_NAME *issuer, EVP_PKEY *signer,
                       int64_t not_before, int64_t not_after)
{
    /* Made in the signer's context, so that X509_sign() draws its nonce there. */
    X509 *cert = X509_new_ex(rng_openssl_libctx(), NULL);
    unsigned char serial[16];
    BIGNUM *bn = NULL;
    ASN1_INTEGER *sn = NULL;

    rng_bytes(serial, sizeof(serial));
    serial[0] &= 0x7f; /* a positive serial */
    bn = BN_bin2bn(serial, sizeof(serial), NULL);
    sn = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    if (cert == NULL || sn == NULL || !X509_set_version(cert, 2) ||
        !X509_set_serialNumber(cert, sn) ||
        !ASN1_TIME_set(X509_getm_notBefore(cert), (time_t)not_before) ||
        !ASN1_TIME_set(X509_getm_notAfter(cert), (time_t)not_after) ||
        !X509_set_subject_name(cert, subject) || !X509_set_issuer_name(cert, issuer) ||
        !set_public_key(cert, pubkey) || !X509_sign(cert, signer, EVP_sha256())) {
        X509_free(cert);
        cert = NULL;
    }
    ASN1_INTEGER_free(sn);
    BN_free(bn);
    return cert;
}

static enum status write_cert(X509 *cert, char **out)
{
    BIO *bio = BIO_new(BIO_s_mem());
    enum status st = ST_INTERNAL;

    if (bio != NULL && PEM_write_bio_X509(bio, cert)) {
        *out = bio_to_string(bio);
        st = *out ? ST_OK : ST_NOMEM;
    }
    BIO_free(bio);
    return st;
}

struct ca_material {
    char *key_pem;
    char *cert_pem;
};

static enum status store_ca(struct db *db, void *ctx)
{
    struct ca_material *m = ctx;
    enum status st = store_setting_put_once(db, SETTING_KEY, m->key_pem, strlen(m->key_pem));

    return st != ST_OK ? st
                       : store_setting_put_once(db, SETTING_CERT, m->cert_pem, strlen(m->cert_pem));
}

/* Makes a self-signed CA and stores it; a concurrent first use keeps whichever won. */
static enum status create_ca(struct db *db)
{
    struct ca_material m = {0};
    EVP_PKEY *key = NULL;
    X509_NAME *name = X509_NAME_new();
    X509 *cert = NULL;
    enum status st = (key = generate_key()) != NULL ? write_key(key, &m.key_pem) : ST_INTERNAL;

    if (st == ST_OK && (name == NULL || !set_subject(name, CA_NAME)))
        st = ST_INTERNAL;
    if (st == ST_OK &&
        (cert = make_cert(key, name, name, key, CA_NOT_BEFORE, CA_NOT_AFTER)) == NULL)
        st = ST_INTERNAL;
    if (st == ST_OK)
        st = write_cert(cert, &m.cert_pem);
    if (st == ST_OK)
        st = db_transact(db, store_ca, &m);
    X509_free(cert);
    X509_NAME_free(name);
    EVP_PKEY_free(key);
    free(m.key_pem);
    free(m.cert_pem);
    return st;
}

static enum status load_ca(struct db *db)
{
    unsigned char *key_pem = NULL, *cert_pem = NULL;
    size_t len;
    enum status st = store_setting_get(db, SETTING_KEY, &key_pem, &len);

    if (st == ST_NOT_FOUND) {
        st = create_ca(db);
        if (st == ST_OK)
            st = store_setting_get(db, SETTING_KEY, &key_pem, &len);
    }
    if (st == ST_OK)
        st = store_setting_get(db, SETTING_CERT, &cert_pem, &len);
    if (st == ST_OK) {
        ca_key = read_key((char *)key_pem);
        ca_cert = read_cert((char *)cert_pem);
        if (ca_key == NULL || ca_cert == NULL)
            st = ST_INTERNAL;
    }
    free(key_pem);
    free(cert_pem);
    return st;
}

static enum status ensure_ca(struct db *db)
{
    enum status st = ST_OK;

    pthread_mutex_lock(&ca_lock);
    /* Every use of the CA runs inside a write transaction, so while this one replaces the
     * objects no other thread can be holding them. */
    if (atomic_exchange(&ca_stale, 0)) {
        EVP_PKEY_free(ca_key);
        X509_free(ca_cert);
        ca_key = NULL;
        ca_cert = NULL;
    }
    if (ca_key == NULL || ca_cert == NULL)
        st = load_ca(db);
    pthread_mutex_unlock(&ca_lock);
    return st;
}

enum status ca_sign_csr(struct db *db, const char *csr_pem, int64_t not_before, int64_t not_after,
                        char **out_cert_pem)
{
    BIO *bio = BIO_new_mem_buf(csr_pem, -1);
    X509_REQ *req = bio ? PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL) : NULL;
    EVP_PKEY *pub = req ? X509_REQ_get_pubkey(req) : NULL;
    X509 *cert = NULL;
    enum status st = ensure_ca(db);

    if (st == ST_OK && (pub == NULL || X509_REQ_verify(req, pub) != 1))
        st = ST_INVALID;
    if (st == ST_OK &&
        (cert = make_cert(pub, X509_REQ_get_subject_name(req), X509_get_subject_name(ca_cert),
                          ca_key, not_before, not_after)) == NULL)
        st = ST_INTERNAL;
    if (st == ST_OK)
        st = write_cert(cert, out_cert_pem);
    X509_free(cert);
    EVP_PKEY_free(pub);
    X509_REQ_free(req);
    BIO_free(bio);
    return st;
}

/* The factory's shortcut: the key pair is made here, so no CSR goes between it and the CA,
 * and nothing is parsed back from PEM: PEM is only what is handed out. */
enum status ca_issue(struct db *db, const char *common_name, int64_t not_before, int64_t not_after,
                     char **out_private_pem, char **out_cert_pem)
{
    EVP_PKEY *key = generate_key();
    X509_NAME *subject = X509_NAME_new();
    X509 *cert = NULL;
    enum status st = ensure_ca(db);

    if (st == ST_OK && (key == NULL || subject == NULL || !set_subject(subject, common_name)))
        st = ST_INTERNAL;
    if (st == ST_OK && (cert = make_cert(key, subject, X509_get_subject_name(ca_cert), ca_key,
                                         not_before, not_after)) == NULL)
        st = ST_INTERNAL;
    if (st == ST_OK)
        st = write_key(key, out_private_pem);
    if (st == ST_OK && (st = write_cert(cert, out_cert_pem)) != ST_OK) {
        free(*out_private_pem);
        *out_private_pem = NULL;
    }
    X509_free(cert);
    X509_NAME_free(subject);
    EVP_PKEY_free(key);
    return st;
}

enum status ca_cert_not_after(const char *cert_pem, int64_t *out)
{
    X509 *cert = read_cert(cert_pem);
    struct tm tm;
    enum status st = ST_INVALID;

    if (cert != NULL && ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm)) {
        *out = (int64_t)timegm(&tm);
        st = ST_OK;
    }
    X509_free(cert);
    return st;
}

enum status ca_verify(struct db *db, const char *cert_pem)
{
    X509 *cert = read_cert(cert_pem);
    enum status st = ensure_ca(db);

    if (st == ST_OK)
        st = cert != NULL && X509_verify(cert, ca_key) == 1 ? ST_OK : ST_INVALID;
    X509_free(cert);
    return st;
}

void ca_forget(void)
{
    atomic_store(&ca_stale, 1);
}
