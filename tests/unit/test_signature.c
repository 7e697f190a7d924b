/*
 * test_signature.c — Standard Webhooks signing: the spec's own example, key decoding of
 * whsec_ and plain secrets, the refusals, and which secrets a new subscription may have.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "events/signature.h"
#include "unit_main.h"

#define SPEC_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define SPEC_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define SPEC_BODY "{\"test\": 2432232314}"

START_TEST(signs_the_spec_example)
{
    char sig[SIGNATURE_LEN];

    ck_assert_int_eq(
        signature_sign(SPEC_SECRET, SPEC_ID, 1614265330, SPEC_BODY, strlen(SPEC_BODY), sig), ST_OK);
    ck_assert_str_eq(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}
END_TEST

START_TEST(any_change_changes_the_signature)
{
    char a[SIGNATURE_LEN], b[SIGNATURE_LEN];

    signature_sign(SPEC_SECRET, SPEC_ID, 1614265330, SPEC_BODY, strlen(SPEC_BODY), a);
    signature_sign(SPEC_SECRET, SPEC_ID, 1614265331, SPEC_BODY, strlen(SPEC_BODY), b);
    ck_assert_str_ne(a, b);
    signature_sign(SPEC_SECRET, "msg_other", 1614265330, SPEC_BODY, strlen(SPEC_BODY), b);
    ck_assert_str_ne(a, b);
    signature_sign(SPEC_SECRET, SPEC_ID, 1614265330, SPEC_BODY, strlen(SPEC_BODY) - 1, b);
    ck_assert_str_ne(a, b);
    signature_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", SPEC_ID, 1614265330, SPEC_BODY,
                   strlen(SPEC_BODY), b);
    ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(whsec_key_is_the_decoded_rest)
{
    unsigned char key[SIGNATURE_KEY_MAX];
    size_t len = 0;

    ck_assert_int_eq(signature_key(SPEC_SECRET, key, sizeof(key), &len), ST_OK);
    ck_assert_uint_eq(len, 24);
    ck_assert_uint_eq(key[0], 0x31);
    ck_assert_uint_eq(key[1], 0xf2);
    ck_assert_uint_eq(key[2], 0x90);
    /* Padding is optional, '+' and '/' are the standard alphabet. */
    ck_assert_int_eq(signature_key("whsec_+/8=", key, sizeof(key), &len), ST_OK);
    ck_assert_uint_eq(len, 2);
    ck_assert_uint_eq(key[0], 0xfb);
    ck_assert_uint_eq(key[1], 0xff);
    ck_assert_int_eq(signature_key("whsec_+/8", key, sizeof(key), &len), ST_OK);
    ck_assert_uint_eq(len, 2);
}
END_TEST

START_TEST(plain_secret_is_its_own_bytes)
{
    unsigned char key[SIGNATURE_KEY_MAX];
    char a[SIGNATURE_LEN], b[SIGNATURE_LEN];
    size_t len = 0;

    ck_assert_int_eq(signature_key("hunter2", key, sizeof(key), &len), ST_OK);
    ck_assert_uint_eq(len, 7);
    ck_assert_mem_eq(key, "hunter2", 7);
    /* "whsec_aGk=" decodes to "hi": the same key as the plain secret "hi". */
    ck_assert_int_eq(signature_sign("hi", "id", 1, "{}", 2, a), ST_OK);
    ck_assert_int_eq(signature_sign("whsec_aGk=", "id", 1, "{}", 2, b), ST_OK);
    ck_assert_str_eq(a, b);
    /* HMAC-SHA256(key "hi", "id.1.{}"), computed independently with openssl dgst. */
    ck_assert_str_eq(a, "v1,QSsEJd6HILQ1BF9jjVAzJJ0SzBPQy+5C5rJYa/ty/MY=");
}
END_TEST

START_TEST(refuses_unusable_secrets)
{
    static const char *const bad[] = {
        "",            /* empty */
        "whsec_",      /* nothing after the prefix */
        "whsec_a",     /* one character cannot encode a byte */
        "whsec_ab-c",  /* url alphabet is not standard base64 */
        "whsec_ab_c",  /* likewise */
        "whsec_ab*c",  /* not base64 at all */
        "whsec_aGl",   /* leftover bits set: not the canonical encoding of "hi" */
        "whsec_aGk==", /* padding that does not fill a group of four */
        "whsec_=",     /* padding only */
    };
    unsigned char key[SIGNATURE_KEY_MAX];
    char sig[SIGNATURE_LEN];
    size_t len;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(signature_key(bad[i], key, sizeof(key), &len) == ST_INVALID,
                      "'%s' was accepted", bad[i]);
        ck_assert_int_eq(signature_sign(bad[i], "id", 1, "{}", 2, sig), ST_INVALID);
    }
    ck_assert_int_eq(signature_key("abcdef", key, 5, &len), ST_INVALID);
}
END_TEST

START_TEST(new_secrets_take_the_standard_format)
{
    static const char *const good[] = {
        SPEC_SECRET, /* 24 bytes, the least */
        "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAA==",             /* 64 bytes, the most */
        "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* 25 bytes, unpadded */
    };
    static const char *const bad[] = {
        "plain-secret",                           /* signed raw: stock libraries cannot */
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",       /* the base64 without its prefix */
        "whsec_",                                 /* no key */
        "whsec_aGk=",                             /* 2 bytes */
        "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", /* 23 bytes */
        "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",           /* 65 bytes */
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La*aSw", /* not base64 */
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La_aSw", /* base64url */
    };

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        ck_assert_msg(signature_secret_check(good[i]) == ST_OK, "'%s' was refused", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(signature_secret_check(bad[i]) == ST_INVALID, "'%s' was accepted", bad[i]);
}
END_TEST

/* What a stock verifier recomputes from the headers of one attempt: the spec's vector at
 * another timestamp is another signature, so each attempt's own time must be the one signed. */
START_TEST(the_timestamp_signed_is_the_one_given)
{
    char a[SIGNATURE_LEN], b[SIGNATURE_LEN];

    ck_assert_int_eq(
        signature_sign(SPEC_SECRET, SPEC_ID, 1614265330, SPEC_BODY, strlen(SPEC_BODY), a), ST_OK);
    ck_assert_int_eq(
        signature_sign(SPEC_SECRET, SPEC_ID, 4102444800, SPEC_BODY, strlen(SPEC_BODY), b), ST_OK);
    ck_assert_str_eq(a, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    ck_assert_str_ne(a, b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("signature");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, signs_the_spec_example);
    tcase_add_test(tc, any_change_changes_the_signature);
    tcase_add_test(tc, whsec_key_is_the_decoded_rest);
    tcase_add_test(tc, plain_secret_is_its_own_bytes);
    tcase_add_test(tc, refuses_unusable_secrets);
    tcase_add_test(tc, new_secrets_take_the_standard_format);
    tcase_add_test(tc, the_timestamp_signed_is_the_one_given);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
