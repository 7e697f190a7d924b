/*
 * test_ca.c — the emulator CA (sim/ca.c): an issued key pair is the one its certificate
 * names, in the PEM OpenSSL itself writes; the certificate is the CA's and lasts as asked;
 * and under a seed the same calls mint byte-identical keys and certificates.
 */
#include <check.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/rng.h"
#include "sim/ca.h"
#include "store/db.h"
#include "unit_main.h"

#define NOT_BEFORE 1700000000
#define NOT_AFTER 1731536000
#define OUT_MAX 8192

static EVP_PKEY *parse_key(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);

    BIO_free(bio);
    return key;
}

static X509 *parse_cert(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);

    BIO_free(bio);
    return cert;
}

/* What OpenSSL's own encoder writes for key. */
static char *openssl_pem(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *copy;
    long len;

    ck_assert(PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL));
    len = BIO_get_mem_data(bio, &data);
    copy = strndup(data, (size_t)len);
    BIO_free(bio);
    return copy;
}

START_TEST(an_issued_key_is_the_one_its_certificate_names)
{
    char *key_pem = NULL, *cert_pem = NULL, *again;
    EVP_PKEY *key;
    X509 *cert;
    int64_t not_after = 0;

    rng_init(NULL);
    ck_assert_int_eq(db_open(":memory:"), ST_OK);
    ck_assert_int_eq(ca_issue(db_thread(), "BPLAD000001 OPERATIONAL", NOT_BEFORE, NOT_AFTER,
                              &key_pem, &cert_pem),
                     ST_OK);
    key = parse_key(key_pem);
    cert = parse_cert(cert_pem);
    ck_assert_ptr_nonnull(key);
    ck_assert_ptr_nonnull(cert);
    ck_assert_int_eq(EVP_PKEY_eq(key, X509_get0_pubkey(cert)), 1);
    again = openssl_pem(key);
    ck_assert_str_eq(key_pem, again);
    ck_assert_int_eq(ca_verify(db_thread(), cert_pem), ST_OK);
    ck_assert_int_eq(ca_cert_not_after(cert_pem, &not_after), ST_OK);
    ck_assert_int_eq(not_after, NOT_AFTER);
    free(again);
    X509_free(cert);
    EVP_PKEY_free(key);
    free(key_pem);
    free(cert_pem);
}
END_TEST

START_TEST(a_csr_is_signed_into_a_certificate_of_its_key)
{
    char *key_pem = NULL, *csr_pem = NULL, *cert_pem = NULL;
    EVP_PKEY *key;
    X509 *cert;

    rng_init(NULL);
    ck_assert_int_eq(db_open(":memory:"), ST_OK);
    ck_assert_int_eq(ca_new_key_csr("BPLAD000001 OPERATIONAL", &key_pem, &csr_pem), ST_OK);
    ck_assert_int_eq(ca_sign_csr(db_thread(), csr_pem, NOT_BEFORE, NOT_AFTER, &cert_pem), ST_OK);
    key = parse_key(key_pem);
    cert = parse_cert(cert_pem);
    ck_assert_int_eq(EVP_PKEY_eq(key, X509_get0_pubkey(cert)), 1);
    ck_assert_int_eq(ca_verify(db_thread(), cert_pem), ST_OK);
    X509_free(cert);
    EVP_PKEY_free(key);
    free(key_pem);
    free(csr_pem);
    free(cert_pem);
}
END_TEST

/* A fresh process with the seed makes a CA and issues twice; its keys and certificates go
 * down the pipe. */
static void mint_in_child(int fd, const char *seed)
{
    char *key = NULL, *cert = NULL;

    rng_init(seed);
    if (db_open(":memory:") != ST_OK)
        _exit(2);
    for (int i = 0; i < 2; i++) {
        if (ca_issue(db_thread(), "BPLAD000001 OPERATIONAL", NOT_BEFORE, NOT_AFTER, &key, &cert) !=
                ST_OK ||
            write(fd, key, strlen(key)) < 0 || write(fd, cert, strlen(cert)) < 0)
            _exit(3);
        free(key);
        free(cert);
    }
    _exit(0);
}

static char *minted(const char *seed)
{
    int fds[2], status;
    char *out;
    size_t len = 0;
    ssize_t got;
    pid_t child;

    ck_assert_int_eq(pipe(fds), 0);
    child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        close(fds[0]);
        mint_in_child(fds[1], seed);
    }
    close(fds[1]);
    /* Allocated after the fork: the child leaves by _exit, and valgrind would count a buffer
     * it inherited as lost. */
    out = calloc(1, OUT_MAX);
    ck_assert_ptr_nonnull(out);
    while ((got = read(fds[0], out + len, OUT_MAX - 1 - len)) > 0)
        len += (size_t)got;
    close(fds[0]);
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return out;
}

START_TEST(the_same_seed_mints_the_same_keys_and_certificates)
{
    char *a = minted("42"), *b = minted("42"), *c = minted("43");

    ck_assert_ptr_nonnull(strstr(a, "BEGIN CERTIFICATE"));
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    free(a);
    free(b);
    free(c);
}
END_TEST

Suite *ca_suite(void)
{
    Suite *s = suite_create("ca");
    TCase *tc = tcase_create("ca");

    tcase_add_test(tc, an_issued_key_is_the_one_its_certificate_names);
    tcase_add_test(tc, a_csr_is_signed_into_a_certificate_of_its_key);
    tcase_add_test(tc, the_same_seed_mints_the_same_keys_and_certificates);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(ca_suite());
}
