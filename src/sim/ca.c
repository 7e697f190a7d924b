#include "sim/ca.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "store/settings.h"

#define SETTING_KEY "ca_private_key_pem"
#define SETTING_CERT "ca_certificate_pem"
#define CA_NAME "keyless-emulator CA"
#define CA_NOT_BEFORE 946684800LL   /* 2000-01-01: the CA outlives any simulated time */
#define CA_NOT_AFTER 4102444800LL   /* 2100-01-01 */

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

static EVP_PKEY *read_key(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;

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

enum status ca_new_key(char **out_private_pem)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    BIO *bio = BIO_new(BIO_s_mem());
    enum status st = ST_INTERNAL;

    if (key != NULL && bio != NULL && PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)) {
        *out_private_pem = bio_to_string(bio);
        st = *out_private_pem ? ST_OK : ST_NOMEM;
    }
    BIO_free(bio);
    EVP_PKEY_free(key);
    return st;
}

static int set_subject(X509_NAME *name, const char *common_name)
{
    return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"keyless-emulator",
                                      -1, -1, 0) &&
           X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                      (const unsigned char *)common_name, -1, -1, 0);
}

enum status ca_new_csr(const char *private_pem, const char *common_name, char **out_csr_pem)
{
    EVP_PKEY *key = read_key(private_pem);
    X509_REQ *req = X509_REQ_new();
    BIO *bio = BIO_new(BIO_s_mem());
    enum status st = ST_INTERNAL;

    if (key == NULL || req == NULL || bio == NULL)
        goto out;
    if (!set_subject(X509_REQ_get_subject_name(req), common_name) ||
        !X509_REQ_set_pubkey(req, key) || !X509_REQ_sign(req, key, EVP_sha256()) ||
        !PEM_write_bio_X509_REQ(bio, req))
        goto out;
    *out_csr_pem = bio_to_string(bio);
    st = *out_csr_pem ? ST_OK : ST_NOMEM;
out:
    BIO_free(bio);
    X509_REQ_free(req);
    EVP_PKEY_free(key);
    return st;
}

/* Builds and signs a certificate for pubkey with the given issuer key and name. */
static X509 *make_cert(EVP_PKEY *pubkey, X509_NAME *subject, X509_NAME *issuer,
                       EVP_PKEY *signer, int64_t not_before, int64_t not_after)
{
    X509 *cert = X509_new();
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
        !X509_set_pubkey(cert, pubkey) || !X509_sign(cert, signer, EVP_sha256())) {
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

    return st != ST_OK ? st : store_setting_put_once(db, SETTING_CERT, m->cert_pem,
                                                     strlen(m->cert_pem));
}

/* Makes a self-signed CA and stores it; a concurrent first use keeps whichever won. */
static enum status create_ca(struct db *db)
{
    struct ca_material m = {0};
    EVP_PKEY *key = NULL;
    X509_NAME *name = X509_NAME_new();
    X509 *cert = NULL;
    enum status st = ca_new_key(&m.key_pem);

    if (st == ST_OK && ((key = read_key(m.key_pem)) == NULL || name == NULL ||
                        !set_subject(name, CA_NAME)))
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

enum status ca_sign_csr(struct db *db, const char *csr_pem, int64_t not_before,
                        int64_t not_after, char **out_cert_pem)
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

enum status ca_issue(struct db *db, const char *common_name, int64_t not_before,
                     int64_t not_after, char **out_private_pem, char **out_cert_pem)
{
    char *key = NULL, *csr = NULL;
    enum status st = ca_new_key(&key);

    if (st == ST_OK)
        st = ca_new_csr(key, common_name, &csr);
    if (st == ST_OK)
        st = ca_sign_csr(db, csr, not_before, not_after, out_cert_pem);
    free(csr);
    if (st == ST_OK)
        *out_private_pem = key;
    else
        free(key);
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
