/*
 * test_offline_key.c — the signed offline-key value: key derivation from a
 * seed, RFC 6979 determinism, what a lock decides (ok, malformed, bad
 * signature, wrong device, not yet valid, expired), and the strict encoding.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/offline_key.h"
#include "unit_main.h"

#define PHONE "07ca923d-80af-40d1-ae3c-31b0477ad648"
#define LOCK "c4d85dba-913b-49bc-ab0a-4a1031b118d1"
#define START 1893456000
#define END (START + 3600)

static const struct offline_key_claims claims = {
    .key_id = "d7386e98-75d4-4c0b-abb9-9618f4a930f4",
    .system_id = "7e8e68c3-bca3-48c0-8f29-a757ef2b3c3f",
    .operating_device_id = PHONE,
    .locking_device_id = LOCK,
    .start = START,
    .end = END,
    .slot = OFFLINE_KEY_SLOT_CURRENT,
};

static char *key_from(unsigned char fill)
{
    unsigned char seed[OFFLINE_KEY_SEED_LEN];
    char *pem = NULL;

    memset(seed, fill, sizeof(seed));
    ck_assert_int_eq(offline_key_generate_pem(seed, &pem), ST_OK);
    return pem;
}

static char *public_of(const char *private_pem)
{
    char *pub = NULL;

    ck_assert_int_eq(offline_key_public_pem(private_pem, &pub), ST_OK);
    return pub;
}

START_TEST(seed_determines_the_key)
{
    char *a = key_from(7), *b = key_from(7), *c = key_from(8), *zero = key_from(0);

    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    ck_assert_ptr_nonnull(strstr(a, "-----BEGIN PRIVATE KEY-----"));
    ck_assert_ptr_nonnull(zero); /* a zero scalar becomes 1, still a valid key */
    free(a);
    free(b);
    free(c);
    free(zero);
}
END_TEST

START_TEST(signatures_are_deterministic_and_verify)
{
    char *priv = key_from(42), *pub = public_of(priv);
    char v1[OFFLINE_KEY_VALUE_LEN], v2[OFFLINE_KEY_VALUE_LEN];
    struct offline_key_claims got;

    ck_assert_int_eq(offline_key_sign(priv, &claims, v1), ST_OK);
    ck_assert_int_eq(offline_key_sign(priv, &claims, v2), ST_OK);
    ck_assert_str_eq(v1, v2);
    ck_assert_int_eq(strlen(v1), OFFLINE_KEY_VALUE_LEN - 1);
    ck_assert_int_eq(offline_key_verify(v1, pub, PHONE, LOCK, START, &got), OFFLINE_KEY_OK);
    ck_assert_str_eq(got.key_id, claims.key_id);
    ck_assert_str_eq(got.system_id, claims.system_id);
    ck_assert_str_eq(got.operating_device_id, PHONE);
    ck_assert_str_eq(got.locking_device_id, LOCK);
    ck_assert_int_eq(got.start, START);
    ck_assert_int_eq(got.end, END);
    ck_assert_int_eq(got.slot, OFFLINE_KEY_SLOT_CURRENT);
    free(priv);
    free(pub);
}
END_TEST

START_TEST(verdicts)
{
    char *priv = key_from(1), *pub = public_of(priv), *other = key_from(2);
    char *other_pub = public_of(other), value[OFFLINE_KEY_VALUE_LEN];
    struct offline_key_claims next = claims;

    ck_assert_int_eq(offline_key_sign(priv, &claims, value), ST_OK);
    ck_assert_int_eq(offline_key_verify(value, pub, PHONE, LOCK, END - 1, NULL), OFFLINE_KEY_OK);
    ck_assert_int_eq(offline_key_verify(value, pub, PHONE, LOCK, START - 1, NULL),
                     OFFLINE_KEY_NOT_YET_VALID);
    ck_assert_int_eq(offline_key_verify(value, pub, PHONE, LOCK, END, NULL), OFFLINE_KEY_EXPIRED);
    ck_assert_int_eq(offline_key_verify(value, pub, LOCK, LOCK, START, NULL),
                     OFFLINE_KEY_WRONG_DEVICE);
    ck_assert_int_eq(offline_key_verify(value, pub, PHONE, PHONE, START, NULL),
                     OFFLINE_KEY_WRONG_DEVICE);
    ck_assert_int_eq(offline_key_verify(value, other_pub, PHONE, LOCK, START, NULL),
                     OFFLINE_KEY_BAD_SIGNATURE);
    ck_assert_int_eq(offline_key_verify(value, "not a key", PHONE, LOCK, START, NULL),
                     OFFLINE_KEY_ERROR);
    /* Upper-case ids name the same devices. */
    ck_assert_int_eq(
        offline_key_verify(value, pub, "07CA923D-80AF-40D1-AE3C-31B0477AD648", LOCK, START, NULL),
        OFFLINE_KEY_OK);

    next.slot = OFFLINE_KEY_SLOT_NEXT;
    ck_assert_int_eq(offline_key_sign(priv, &next, value), ST_OK);
    ck_assert_int_eq(offline_key_decode(value, &next), ST_OK);
    ck_assert_int_eq(next.slot, OFFLINE_KEY_SLOT_NEXT);
    ck_assert_str_eq(offline_key_verdict_name(OFFLINE_KEY_EXPIRED), "expired");
    ck_assert_str_eq(offline_key_verdict_name(OFFLINE_KEY_WRONG_DEVICE), "wrong device");
    ck_assert_str_eq(offline_key_verdict_name((enum offline_key_verdict)99), "error");
    free(priv);
    free(pub);
    free(other);
    free(other_pub);
}
END_TEST

START_TEST(every_altered_byte_is_caught)
{
    char *priv = key_from(3), *pub = public_of(priv), value[OFFLINE_KEY_VALUE_LEN];

    ck_assert_int_eq(offline_key_sign(priv, &claims, value), ST_OK);
    for (size_t i = 0; i < OFFLINE_KEY_VALUE_LEN - 3; i++) {
        char was = value[i];
        value[i] = was == 'Q' ? 'R' : 'Q';
        enum offline_key_verdict v = offline_key_verify(value, pub, PHONE, LOCK, START, NULL);
        ck_assert_msg(v == OFFLINE_KEY_BAD_SIGNATURE || v == OFFLINE_KEY_MALFORMED,
                      "character %zu altered: %d", i, v);
        value[i] = was;
    }
    free(priv);
    free(pub);
}
END_TEST

START_TEST(encoding_is_strict)
{
    char *priv = key_from(4), *pub = public_of(priv), value[OFFLINE_KEY_VALUE_LEN + 1];
    char copy[OFFLINE_KEY_VALUE_LEN + 1];
    struct offline_key_claims c;

    ck_assert_int_eq(offline_key_sign(priv, &claims, value), ST_OK);
    ck_assert_int_eq(offline_key_verify(NULL, pub, PHONE, LOCK, START, NULL),
                     OFFLINE_KEY_MALFORMED);
    ck_assert_int_eq(offline_key_verify("", pub, PHONE, LOCK, START, NULL), OFFLINE_KEY_MALFORMED);
    memcpy(copy, value, sizeof(copy));
    copy[OFFLINE_KEY_VALUE_LEN - 2] = 'A'; /* no padding */
    ck_assert_int_eq(offline_key_decode(copy, &c), ST_INVALID);
    memcpy(copy, value, sizeof(copy));
    copy[5] = '-'; /* base64url is not base64 */
    ck_assert_int_eq(offline_key_decode(copy, &c), ST_INVALID);
    memcpy(copy, value, sizeof(copy));
    copy[0] = (char)(copy[0] == 'B' ? 'C' : 'B'); /* another version */
    ck_assert_int_eq(offline_key_decode(copy, &c), ST_INVALID);
    /* Unused low bits of the last character set: a second spelling of the same
     * bytes. */
    memcpy(copy, value, sizeof(copy));
    copy[OFFLINE_KEY_VALUE_LEN - 3] =
        strchr("AEIMQUYcgkosw048", copy[OFFLINE_KEY_VALUE_LEN - 3])[0] + 1;
    ck_assert_int_eq(offline_key_decode(copy, &c), ST_INVALID);
    free(priv);
    free(pub);
}
END_TEST

START_TEST(bad_inputs_are_refused)
{
    char *priv = key_from(5), *pub = public_of(priv), value[OFFLINE_KEY_VALUE_LEN], *out = NULL;
    struct offline_key_claims bad = claims;

    snprintf(bad.operating_device_id, sizeof(bad.operating_device_id), "not-a-uuid");
    ck_assert_int_eq(offline_key_sign(priv, &bad, value), ST_INVALID);
    ck_assert_int_eq(offline_key_sign(pub, &claims, value), ST_INVALID);
    ck_assert_int_eq(offline_key_sign("garbage", &claims, value), ST_INVALID);
    ck_assert_int_eq(offline_key_public_pem("garbage", &out), ST_INVALID);
    ck_assert_ptr_null(out);
    free(priv);
    free(pub);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("offline_key");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, seed_determines_the_key);
    tcase_add_test(tc, signatures_are_deterministic_and_verify);
    tcase_add_test(tc, verdicts);
    tcase_add_test(tc, every_altered_byte_is_caught);
    tcase_add_test(tc, encoding_is_strict);
    tcase_add_test(tc, bad_inputs_are_refused);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
