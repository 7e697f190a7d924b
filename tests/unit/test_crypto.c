/*
 * test_crypto.c — encodings, digests, MACs and key pairs (src/lib/crypto.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto.h"
#include "lib/rng.h"
#include "unit_main.h"

static void to_hex(const unsigned char *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* ---- base64 ---- */

struct b64_case {
    const char *plain;
    const char *std;
    const char *url;
};

/* RFC 4648 section 10. */
static const struct b64_case rfc4648[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

START_TEST(base64_known_vectors)
{
    const struct b64_case *c = &rfc4648[_i];
    char out[32];
    unsigned char back[32];
    size_t n = strlen(c->plain), len = 99;

    ck_assert_uint_eq(crypto_base64((const unsigned char *)c->plain, n, out), strlen(c->std));
    ck_assert_str_eq(out, c->std);
    ck_assert_uint_eq(crypto_base64url((const unsigned char *)c->plain, n, out), strlen(c->url));
    ck_assert_str_eq(out, c->url);
    ck_assert_int_eq(crypto_base64url_decode(c->url, back, sizeof(back), &len), ST_OK);
    ck_assert_uint_eq(len, n);
    ck_assert_mem_eq(back, c->plain, n);
}
END_TEST

START_TEST(base64url_alphabet)
{
    /* Bytes whose standard encoding uses '+' and '/'. */
    static const unsigned char plus_slash[] = {0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff, 0xfb, 0xff};
    char out[16];
    unsigned char back[16];
    size_t len = 0;

    crypto_base64(plus_slash, sizeof(plus_slash), out);
    ck_assert_str_eq(out, "++++////+/8=");
    ck_assert_uint_eq(crypto_base64url(plus_slash, sizeof(plus_slash), out), 11);
    ck_assert_str_eq(out, "----____-_8");
    ck_assert_int_eq(crypto_base64url_decode(out, back, sizeof(back), &len), ST_OK);
    ck_assert_uint_eq(len, sizeof(plus_slash));
    ck_assert_mem_eq(back, plus_slash, sizeof(plus_slash));
}
END_TEST

START_TEST(base64url_round_trip)
{
    /* Every length from 0 to 100 and every byte value. */
    unsigned char in[100], back[100];
    char text[4 * 34 + 1];
    size_t len;

    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof(in); n++) {
        size_t written = crypto_base64url(in, n, text);
        ck_assert_uint_eq(written, strlen(text));
        ck_assert_uint_eq(written, (4 * n + 2) / 3); /* unpadded length */
        ck_assert_ptr_null(strchr(text, '='));
        ck_assert_int_eq(crypto_base64url_decode(text, back, sizeof(back), &len), ST_OK);
        ck_assert_uint_eq(len, n);
        ck_assert_mem_eq(back, in, n);
    }
    unsigned char all[256];
    char all_text[4 * 86 + 1];
    unsigned char all_back[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    crypto_base64url(all, sizeof(all), all_text);
    ck_assert_int_eq(crypto_base64url_decode(all_text, all_back, sizeof(all_back), &len), ST_OK);
    ck_assert_uint_eq(len, 256);
    ck_assert_mem_eq(all_back, all, sizeof(all));
}
END_TEST

struct bad_text {
    const char *text;
    const char *why;
};

static const struct bad_text bad_base64url[] = {
    {"Zm9v+A", "standard alphabet"},
    {"Zm9/", "standard alphabet"},
    {"+++", "standard alphabet"},
    {"////", "standard alphabet"},
    {"Zg==", "padding"},
    {"Zg=", "padding"},
    {"Zm8=", "padding"},
    {"====", "padding"},
    {"Z", "a length of 4k+1"},
    {"Zm9vY", "a length of 4k+1"},
    {"Zm9vYmFyZ", "a length of 4k+1"},
    {"Zm 9v", "whitespace"},
    {" Zm9v", "whitespace"},
    {"Zm9v ", "whitespace"},
    {"Zm9v\n", "whitespace"},
    {"Zm9v    ", "whitespace"},
    {"\tZm9v", "whitespace"},
    {"Zm9v!", "punctuation"},
    {"Zm.9", "punctuation"},
    {"Zm9\x80", "a non-ASCII byte"},
    {"Zh", "non-zero unused bits (\"Zg\" is canonical)"},
    {"Zm9", "non-zero unused bits (\"Zm8\" is canonical)"},
};

START_TEST(base64url_decode_refuses)
{
    const struct bad_text *c = &bad_base64url[_i];
    unsigned char out[16];
    size_t len = 777;

    ck_assert_msg(crypto_base64url_decode(c->text, out, sizeof(out), &len) == ST_INVALID,
                  "accepted '%s' (%s)", c->text, c->why);
    ck_assert_uint_eq(len, 777);
}
END_TEST

START_TEST(base64url_decode_capacity)
{
    unsigned char out[6];
    size_t len = 0;

    ck_assert_int_eq(crypto_base64url_decode("Zm9vYmFy", out, 6, &len), ST_OK);
    ck_assert_uint_eq(len, 6);
    ck_assert_mem_eq(out, "foobar", 6);
    ck_assert_int_eq(crypto_base64url_decode("Zm9vYmFy", out, 5, &len), ST_INVALID);
    ck_assert_int_eq(crypto_base64url_decode("Zm9v", out, 2, &len), ST_INVALID);
    ck_assert_int_eq(crypto_base64url_decode("", out, 0, &len), ST_OK);
    ck_assert_uint_eq(len, 0);
}
END_TEST

/* ---- digests and MACs ---- */

START_TEST(sha256_vectors)
{
    static const struct {
        const char *in, *hex;
    } vectors[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char out[SHA256_HEX_LEN];

    for (size_t i = 0; i < N(vectors); i++) {
        memset(out, 'X', sizeof(out));
        crypto_sha256_hex(vectors[i].in, strlen(vectors[i].in), out);
        ck_assert_str_eq(out, vectors[i].hex);
    }
}
END_TEST

START_TEST(hmac_sha256_rfc4231)
{
    unsigned char key1[20], mac[32];
    char hex[65];

    /* Test case 2. */
    crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
    to_hex(mac, sizeof(mac), hex);
    ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

    /* Test case 1. */
    memset(key1, 0x0b, sizeof(key1));
    crypto_hmac_sha256(key1, sizeof(key1), "Hi There", 8, mac);
    to_hex(mac, sizeof(mac), hex);
    ck_assert_str_eq(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");

    /* Test case 6: a key longer than the block size is hashed first. */
    unsigned char key6[131];
    memset(key6, 0xaa, sizeof(key6));
    crypto_hmac_sha256(key6, sizeof(key6), "Test Using Larger Than Block-Size Key - Hash Key First",
                       54, mac);
    to_hex(mac, sizeof(mac), hex);
    ck_assert_str_eq(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

START_TEST(equal_compares_bytes)
{
    unsigned char a[32], b[32];

    for (size_t i = 0; i < sizeof(a); i++)
        a[i] = b[i] = (unsigned char)i;
    ck_assert_int_eq(crypto_equal(a, b, sizeof(a)), 1);
    ck_assert_int_eq(crypto_equal(a, b, 0), 1);
    for (size_t i = 0; i < sizeof(a); i++) {
        b[i] ^= 0x80;
        ck_assert_msg(crypto_equal(a, b, sizeof(a)) == 0, "difference at %zu missed", i);
        ck_assert_int_eq(crypto_equal(a, b, i), 1); /* only the first i bytes compared */
        b[i] ^= 0x80;
    }
}
END_TEST

START_TEST(random_base64_secrets)
{
    char a[45], b[45], c[45];
    unsigned char raw[32];

    rng_init("secrets");
    crypto_random_base64(32, a);
    crypto_random_base64(32, b);
    rng_init("secrets");
    crypto_random_base64(32, c);
    ck_assert_uint_eq(strlen(a), 44);
    ck_assert_int_eq(a[43], '=');
    ck_assert_str_ne(a, b);
    ck_assert_str_eq(a, c); /* drawn from rng_bytes(), so reproducible under a seed */

    /* It is exactly the standard encoding of the seeded bytes. */
    rng_init("secrets");
    rng_bytes(raw, 32);
    crypto_base64(raw, 32, c);
    ck_assert_str_eq(a, c);
    rng_init(NULL);
}
END_TEST

/* ---- RSA ---- */

START_TEST(rsa_key_pair)
{
    char *pem = NULL, *pub = NULL, *n = NULL, *e = NULL;
    unsigned char modulus[300];
    size_t len = 0;

    ck_assert_int_eq(crypto_rsa_generate_pem(&pem), ST_OK);
    ck_assert_ptr_nonnull(pem);
    ck_assert_msg(strncmp(pem, "-----BEGIN PRIVATE KEY-----\n", 28) == 0, "not PKCS#8: %.40s", pem);
    ck_assert_ptr_nonnull(strstr(pem, "-----END PRIVATE KEY-----"));

    ck_assert_int_eq(crypto_rsa_public_parts(pem, &pub, &n, &e), ST_OK);
    ck_assert_msg(strncmp(pub, "-----BEGIN PUBLIC KEY-----\n", 27) == 0, "%.40s", pub);
    ck_assert_ptr_null(strstr(pub, "PRIVATE"));
    ck_assert_str_eq(e, "AQAB"); /* 65537 */
    ck_assert_uint_eq(strlen(n), 342);
    ck_assert_int_eq(crypto_base64url_decode(n, modulus, sizeof(modulus), &len), ST_OK);
    ck_assert_uint_eq(len, 256);
    ck_assert_msg(modulus[0] & 0x80, "modulus is shorter than 2048 bits");
    ck_assert_msg(modulus[255] & 0x01, "modulus is even");

    /* Deriving twice gives the same parts; another key gives another modulus. */
    char *pub2 = NULL, *n2 = NULL, *e2 = NULL, *pem2 = NULL;
    ck_assert_int_eq(crypto_rsa_public_parts(pem, &pub2, &n2, &e2), ST_OK);
    ck_assert_str_eq(pub, pub2);
    ck_assert_str_eq(n, n2);
    free(pub2);
    free(n2);
    free(e2);
    ck_assert_int_eq(crypto_rsa_generate_pem(&pem2), ST_OK);
    ck_assert_int_eq(crypto_rsa_public_parts(pem2, &pub2, &n2, &e2), ST_OK);
    ck_assert_str_ne(n, n2);
    free(pem2);
    free(pub2);
    free(n2);
    free(e2);

    /* A public key is not a private one. */
    pub2 = n2 = e2 = NULL;
    ck_assert_int_ne(crypto_rsa_public_parts(pub, &pub2, &n2, &e2), ST_OK);
    ck_assert_ptr_null(pub2);

    free(pem);
    free(pub);
    free(n);
    free(e);
}
END_TEST

START_TEST(rsa_public_parts_refuses_garbage)
{
    static const char *const not_keys[] = {
        "",
        "not a key",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    };
    char *pub = NULL, *n = NULL, *e = NULL;

    for (size_t i = 0; i < N(not_keys); i++) {
        ck_assert_msg(crypto_rsa_public_parts(not_keys[i], &pub, &n, &e) != ST_OK,
                      "accepted key %zu", i);
        ck_assert_ptr_null(pub);
        ck_assert_ptr_null(n);
        ck_assert_ptr_null(e);
    }
}
END_TEST

static Suite *crypto_suite(void)
{
    Suite *s = suite_create("crypto");
    TCase *enc = tcase_create("encoding");
    TCase *mac = tcase_create("digests");
    TCase *rsa = tcase_create("rsa");

    tcase_add_loop_test(enc, base64_known_vectors, 0, N(rfc4648));
    tcase_add_test(enc, base64url_alphabet);
    tcase_add_test(enc, base64url_round_trip);
    tcase_add_loop_test(enc, base64url_decode_refuses, 0, N(bad_base64url));
    tcase_add_test(enc, base64url_decode_capacity);
    suite_add_tcase(s, enc);

    tcase_add_test(mac, sha256_vectors);
    tcase_add_test(mac, hmac_sha256_rfc4231);
    tcase_add_test(mac, equal_compares_bytes);
    tcase_add_test(mac, random_base64_secrets);
    suite_add_tcase(s, mac);

    tcase_set_timeout(rsa, 60); /* key generation is slow under sanitizers */
    tcase_add_test(rsa, rsa_key_pair);
    tcase_add_test(rsa, rsa_public_parts_refuses_garbage);
    suite_add_tcase(s, rsa);
    return s;
}

int main(void)
{
    return unit_run(crypto_suite());
}
