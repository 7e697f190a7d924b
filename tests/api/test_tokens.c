/*
 * test_tokens.c — bearer tokens an attacker or a stale client might present, beyond the
 * forgeries of test_login.c: every spelling of alg "none", RS256 signed by another key
 * (with our kid, with an embedded key, with a key URL), HS256/384/512 keyed with every
 * form of our public key, each claim and the header tampered with under the real
 * signature, expiry on the virtual clock to the second, a deleted user, and a deleted
 * system. Each is refused with 401 and a problem+json body, also when the token was used
 * (and so cached) before it went bad.
 *
 * One emulator serves the suite; every test makes its own systems, on frozen clocks unless
 * it says otherwise.
 */
#include <check.h>
#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "jwt.h"

/* ---- base64url and JWT pieces -------------------------------------------------------- */

/* A copy of o with key set to value (NULL: removed), as compact JSON; caller frees. */
static char *with(json_object *o, const char *key, json_object *value)
{
    json_object *copy = json_tokener_parse(json_object_to_json_string(o));
    char *text;

    if (value != NULL)
        json_object_object_add(copy, key, value);
    else
        json_object_object_del(copy, key);
    text = strdup(json_object_to_json_string_ext(copy, JSON_C_TO_STRING_PLAIN));
    json_object_put(copy);
    return text;
}

/* ---- keys ------------------------------------------------------------------------------ */

/* The emulator's public key, rebuilt from its JWKS. */
static EVP_PKEY *emulator_key(char *kid, size_t kid_cap)
{
    struct http_response r;
    json_object *keys, *jwk;
    unsigned char n[1024], e[16];
    size_t nlen, elen;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    EVP_PKEY *key = NULL;
    BIGNUM *bn_n, *bn_e;

    ck_assert_int_eq(control_call(&emu, "GET", "/jwks.json", NULL, &r), 200);
    ck_assert(json_object_object_get_ex(r.json, "keys", &keys));
    jwk = json_object_array_get_idx(keys, 0);
    snprintf(kid, kid_cap, "%s", json_object_get_string(json_object_object_get(jwk, "kid")));
    const char *tn = json_object_get_string(json_object_object_get(jwk, "n"));
    const char *te = json_object_get_string(json_object_object_get(jwk, "e"));
    nlen = b64url_decode_all(tn, n, sizeof(n));
    elen = b64url_decode_all(te, e, sizeof(e));
    bn_n = BN_bin2bn(n, (int)nlen, NULL);
    bn_e = BN_bin2bn(e, (int)elen, NULL);
    ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n));
    ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e));
    params = OSSL_PARAM_BLD_to_param(bld);
    ck_assert_int_eq(EVP_PKEY_fromdata_init(ctx), 1);
    ck_assert_int_eq(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params), 1);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    BN_free(bn_n);
    BN_free(bn_e);
    http_response_free(&r);
    return key;
}

enum pem_form { PEM_SPKI, PEM_SPKI_NO_NEWLINE, PEM_PKCS1, PEM_FORMS };

/* The public key as text an attacker would try as an HMAC secret; caller frees. */
static char *public_text(EVP_PKEY *key, enum pem_form form)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *copy;
    long len;

    if (form == PEM_PKCS1) { /* -----BEGIN RSA PUBLIC KEY----- */
        OSSL_ENCODER_CTX *enc =
            OSSL_ENCODER_CTX_new_for_pkey(key, EVP_PKEY_PUBLIC_KEY, "PEM", "type-specific", NULL);
        ck_assert(enc != NULL && OSSL_ENCODER_to_bio(enc, bio));
        OSSL_ENCODER_CTX_free(enc);
    } else {
        ck_assert(PEM_write_bio_PUBKEY(bio, key));
    }
    len = BIO_get_mem_data(bio, &data);
    copy = strndup(data, (size_t)len);
    if (form == PEM_SPKI_NO_NEWLINE && len > 0 && copy[len - 1] == '\n')
        copy[len - 1] = '\0';
    BIO_free(bio);
    return copy;
}

static void hmac_sign(const char *secret, const EVP_MD *md, const char *input, char *sig_out)
{
    unsigned char mac[64];
    unsigned int len = 0;

    ck_assert_ptr_nonnull(HMAC(md, secret, (int)strlen(secret), (const unsigned char *)input,
                               strlen(input), mac, &len));
    b64url_encode(mac, len, sig_out);
}

static EVP_PKEY *foreign_key(void)
{
    static EVP_PKEY *key;

    if (key == NULL)
        key = EVP_RSA_gen(2048);
    ck_assert_ptr_nonnull(key);
    return key;
}

static void rs256_sign(EVP_PKEY *key, const char *input, char *sig_out)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sig[512];
    size_t len = sizeof(sig);

    ck_assert_int_eq(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key), 1);
    ck_assert_int_eq(EVP_DigestSign(md, sig, &len, (const unsigned char *)input, strlen(input)), 1);
    b64url_encode(sig, len, sig_out);
    EVP_MD_CTX_free(md);
}

/* ---- calls ------------------------------------------------------------------------------ */

/* GET /administration/user with t's API key and token; the answer in r. */
static long get_users(const struct tenant *t, const char *token, struct http_response *r)
{
    char url[512], key[256], auth[10400];
    const char *headers[] = {key, "Accept: " VENDOR_TYPE, auth, NULL};

    snprintf(url, sizeof(url), "%s/administration/user", emu.url);
    snprintf(key, sizeof(key), "X-Api-Key: %s", t->api_key);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    return http_call("GET", url, headers, NULL, r);
}

static void assert_401(const struct tenant *t, const char *token, const char *what)
{
    struct http_response r;
    char type[128];

    get_users(t, token, &r);
    ck_assert_msg(r.status == 401, "%s: %ld %s", what, r.status, r.body);
    ck_assert_str_eq(http_header(&r, "Content-Type", type, sizeof(type)),
                     "application/problem+json");
    ck_assert_int_eq(json_object_get_int(json_object_object_get(r.json, "status")), 401);
    ck_assert_str_eq(json_str(&r, "instance"), "/administration/user");
    http_response_free(&r);
}

static void assert_200(const struct tenant *t, const char *token, const char *what)
{
    struct http_response r;

    ck_assert_msg(get_users(t, token, &r) == 200, "%s: %ld %s", what, r.status, r.body);
    http_response_free(&r);
}

static void advance(const struct tenant *t, const char *by)
{
    struct http_response r;
    char path[160], body[128];

    snprintf(path, sizeof(path), "/systems/%s/clock/advance", t->system_id);
    snprintf(body, sizeof(body), "{\"by\":\"%s\"}", by);
    ck_assert_int_eq(control_call(&emu, "POST", path, body, &r), 200);
    http_response_free(&r);
}

/* ---- alg none ------------------------------------------------------------------------ */

START_TEST(alg_none_in_any_spelling_is_401)
{
    static const char *const algs[] = {"none", "None", "NONE", "nOnE", ""};
    struct tenant t;
    struct jwt j;
    char kid[128], head_json[512], head[1024], body[4096], token[10240];
    const char *claims;
    EVP_PKEY *key;

    new_tenant_from(&t, FROZEN);
    key = emulator_key(kid, sizeof(kid));
    jwt_split(t.token, &j);
    claims = json_object_to_json_string_ext(j.claims, JSON_C_TO_STRING_PLAIN);
    jws_segment(claims, body);
    for (size_t i = 0; i < N(algs); i++) {
        snprintf(head_json, sizeof(head_json), "{\"alg\":\"%s\",\"kid\":\"%s\",\"typ\":\"JWT\"}",
                 algs[i], kid);
        jws_segment(head_json, head);
        snprintf(token, sizeof(token), "%s.%s.", head, body);
        assert_401(&t, token, head_json);
        snprintf(token, sizeof(token), "%s.%s", head, body);
        assert_401(&t, token, "two segments");
        snprintf(token, sizeof(token), "%s.%s.%s", head, body, j.sig_text); /* a real signature */
        assert_401(&t, token, "none with the real signature");
    }
    snprintf(head_json, sizeof(head_json), "{\"kid\":\"%s\"}", kid); /* no alg at all */
    jws_segment(head_json, head);
    snprintf(token, sizeof(token), "%s.%s.%s", head, body, j.sig_text);
    assert_401(&t, token, "no alg");
    assert_200(&t, t.token, "the real token");
    jwt_release(&j);
    EVP_PKEY_free(key);
}
END_TEST

/* ---- RS256 by another key ------------------------------------------------------------ */

START_TEST(rs256_signed_by_another_key_is_401)
{
    struct tenant t;
    struct jwt j;
    char kid[128], head_json[2048], head[4096], body[4096], input[8192], sig[1024], token[10240];
    EVP_PKEY *ours;
    BIO *bio = BIO_new(BIO_s_mem());
    char *pem;

    new_tenant_from(&t, FROZEN);
    ours = emulator_key(kid, sizeof(kid));
    jwt_split(t.token, &j);
    jws_segment(json_object_to_json_string_ext(j.claims, JSON_C_TO_STRING_PLAIN), body);
    ck_assert(PEM_write_bio_PUBKEY(bio, foreign_key()));
    BIO_get_mem_data(bio, &pem);

    const char *const headers[] = {
        "{\"alg\":\"RS256\",\"kid\":\"%s\",\"typ\":\"JWT\"}", /* our kid */
        "{\"alg\":\"RS256\",\"kid\":\"attacker-%s\"}",        /* its own kid */
        "{\"alg\":\"RS256\",\"kid\":\"%s\",\"jku\":\"http://127.0.0.1:1/jwks.json\"}",
        "{\"alg\":\"RS256\",\"kid\":\"%s\",\"x5u\":\"http://127.0.0.1:1/cert.pem\"}",
        "{\"alg\":\"RS256\",\"kid\":\"%s\",\"jwk\":{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"x\"}}",
        "{\"alg\":\"RS512\",\"kid\":\"%s\"}",
        "{\"alg\":\"PS256\",\"kid\":\"%s\"}",
    };
    for (size_t i = 0; i < N(headers); i++) {
        snprintf(head_json, sizeof(head_json), headers[i], kid);
        jws_segment(head_json, head);
        snprintf(input, sizeof(input), "%s.%s", head, body);
        rs256_sign(foreign_key(), input, sig);
        snprintf(token, sizeof(token), "%s.%s", input, sig);
        assert_401(&t, token, head_json);
    }
    /* The real header and claims, another key's signature. */
    rs256_sign(foreign_key(), j.input, sig);
    snprintf(token, sizeof(token), "%s.%s", j.input, sig);
    assert_401(&t, token, "real signing input, foreign signature");
    assert_200(&t, t.token, "the real token");
    BIO_free(bio);
    jwt_release(&j);
    EVP_PKEY_free(ours);
}
END_TEST

/* ---- HMAC keyed with the public key ------------------------------------------------- */

START_TEST(hmac_keyed_with_the_public_key_is_401)
{
    static const char *const algs[] = {"HS256", "HS384", "HS512"};
    struct tenant t;
    struct jwt j;
    char kid[128], head_json[512], head[1024], body[4096], input[8192], sig[256], token[10240];
    EVP_PKEY *key;

    new_tenant_from(&t, FROZEN);
    key = emulator_key(kid, sizeof(kid));
    jwt_split(t.token, &j);
    jws_segment(json_object_to_json_string_ext(j.claims, JSON_C_TO_STRING_PLAIN), body);
    for (size_t a = 0; a < N(algs); a++) {
        const EVP_MD *md = a == 0 ? EVP_sha256() : a == 1 ? EVP_sha384() : EVP_sha512();
        for (int form = 0; form < PEM_FORMS; form++) {
            char *secret = public_text(key, (enum pem_form)form);
            snprintf(head_json, sizeof(head_json), "{\"alg\":\"%s\",\"kid\":\"%s\"}", algs[a], kid);
            jws_segment(head_json, head);
            snprintf(input, sizeof(input), "%s.%s", head, body);
            hmac_sign(secret, md, input, sig);
            snprintf(token, sizeof(token), "%s.%s", input, sig);
            assert_401(&t, token, head_json);
            free(secret);
        }
    }
    jwt_release(&j);
    EVP_PKEY_free(key);
}
END_TEST

/* ---- tampering under the real signature ------------------------------------------- */

START_TEST(tampered_claims_or_header_are_401)
{
    struct tenant t, other;
    struct http_response r;
    struct jwt j;
    char head[1024], body[4096], token[10240], user_token[4096], user_id[64], key[128];
    char *text;

    new_tenant_from(&t, FROZEN);
    new_tenant_from(&other, FROZEN);
    /* A second ADMIN of the same system: its id is a sub that exists. */
    ck_assert_int_eq(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"ADMIN\"}", &r), 201);
    snprintf(user_id, sizeof(user_id), "%s", json_str(&r, "id"));
    snprintf(key, sizeof(key), "%s", json_str(&r, "accessKey"));
    http_response_free(&r);
    ck_assert_int_eq(tenant_login(&emu, &t, user_id, key, user_token, sizeof(user_token)), 200);
    assert_200(&t, t.token, "before tampering"); /* now cached */
    jwt_split(t.token, &j);
    snprintf(head, sizeof(head), "%.*s", (int)strcspn(t.token, "."), t.token);

    struct {
        const char *claim;
        json_object *value;
    } edits[] = {
        {"sub", json_object_new_string(user_id)},
        {"sub", json_object_new_string(other.admin_id)},
        {"custom:tenant-id", json_object_new_string(other.system_id)},
        {"exp", json_object_new_int64(4102444800)},
        {"iat", json_object_new_int64(0)},
        {"aud", json_object_new_string("someone-else")},
        {"iss", json_object_new_string("https://evil.invalid")},
        {"token_use", json_object_new_string("access")},
        {"admin", json_object_new_boolean(1)},
        {"exp", NULL},
        {"sub", NULL},
    };
    for (size_t i = 0; i < N(edits); i++) {
        text = with(j.claims, edits[i].claim, edits[i].value);
        jws_segment(text, body);
        snprintf(token, sizeof(token), "%s.%s.%s", head, body, j.sig_text);
        assert_401(&t, token, text);
        free(text);
    }
    /* The same claims, written differently: still not what was signed. */
    text = strdup(json_object_to_json_string_ext(j.claims, JSON_C_TO_STRING_PRETTY));
    jws_segment(text, body);
    snprintf(token, sizeof(token), "%s.%s.%s", head, body, j.sig_text);
    assert_401(&t, token, "pretty-printed claims");
    free(text);
    snprintf(token, sizeof(token), "%s=.%s", j.input, j.sig_text); /* padding */
    assert_401(&t, token, "padded claims");
    snprintf(token, sizeof(token), " %s", t.token);
    assert_401(&t, token, "leading space");
    /* The real signature with something after it: libjwt 1.10 decodes base64 leniently. */
    static const char *const tails[] = {".", "=", "==", "!!", ".xyz"};
    for (size_t i = 0; i < N(tails); i++) {
        char what[128];
        snprintf(token, sizeof(token), "%s%s", t.token, tails[i]);
        snprintf(what, sizeof(what), "the real token followed by '%s' is accepted", tails[i]);
        ck_assert_msg(get_users(&t, token, &r) == 401, "%s", what);
        http_response_free(&r);
    }
    /* The header: kid and typ changed under the real signature. */
    text = with(j.header, "kid", json_object_new_string("another-kid"));
    jws_segment(text, head);
    snprintf(token, sizeof(token), "%s.%s", head, strchr(t.token, '.') + 1);
    assert_401(&t, token, text);
    free(text);
    text = with(j.header, "typ", json_object_new_string("at+jwt"));
    jws_segment(text, head);
    snprintf(token, sizeof(token), "%s.%s", head, strchr(t.token, '.') + 1);
    assert_401(&t, token, text);
    free(text);
    /* One character of the signature changed. */
    snprintf(token, sizeof(token), "%s", t.token);
    char *mid = token + strlen(token) - 20;
    *mid = *mid == 'A' ? 'B' : 'A';
    assert_401(&t, token, "a signature character changed");
    /* The last character carries 4 unused bits: a non-canonical spelling of the same
     * signature, which a strict decoder refuses. */
    snprintf(token, sizeof(token), "%s", t.token);
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *last = token + strlen(token) - 1;
    *last = abc[(strchr(abc, *last) - abc) ^ 1]; /* 256 bytes: the low 4 bits are unused */
    ck_assert_msg(get_users(&t, token, &r) == 401,
                  "a signature whose unused low bits are set is accepted");
    http_response_free(&r);
    assert_200(&t, t.token, "the real token still works");
    assert_200(&t, user_token, "the second admin's token still works");
    jwt_release(&j);
}
END_TEST

/* ---- expiry on the virtual clock ---------------------------------------------------- */

START_TEST(token_expires_at_exp_on_the_virtual_clock)
{
    struct tenant t;
    char fresh[4096];

    new_tenant_from(&t, FROZEN);
    assert_200(&t, t.token, "fresh"); /* cached from now on */
    advance(&t, "PT59M59S");
    assert_200(&t, t.token, "one second before exp");
    advance(&t, "PT1S");
    assert_401(&t, t.token, "at exp");
    advance(&t, "P30D");
    assert_401(&t, t.token, "a month later");
    ck_assert_int_eq(tenant_login(&emu, &t, t.admin_id, t.access_key, fresh, sizeof(fresh)), 200);
    assert_200(&t, fresh, "a new login");
}
END_TEST

START_TEST(token_expires_on_a_real_clock_moved_forward)
{
    struct tenant t;

    new_tenant_from(&t, NULL);
    assert_200(&t, t.token, "fresh");
    advance(&t, "PT2H");
    assert_401(&t, t.token, "two hours later");
}
END_TEST

/* Another system's clock does not age this system's tokens. */
START_TEST(expiry_follows_the_tokens_own_system)
{
    struct tenant a, b;

    new_tenant_from(&a, FROZEN);
    new_tenant_from(&b, FROZEN);
    advance(&b, "P1D");
    assert_200(&a, a.token, "A after B's clock moved");
    assert_401(&b, b.token, "B after its clock moved");
    assert_401(&a, b.token, "B's token with A's API key");
}
END_TEST

/* ---- who the token names ------------------------------------------------------------ */

START_TEST(token_of_a_deleted_user_is_401_even_when_cached)
{
    struct tenant t;
    struct http_response r;
    char id[64], key[128], token[4096], path[128];

    new_tenant_from(&t, FROZEN);
    ck_assert_int_eq(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"ADMIN\"}", &r), 201);
    snprintf(id, sizeof(id), "%s", json_str(&r, "id"));
    snprintf(key, sizeof(key), "%s", json_str(&r, "accessKey"));
    http_response_free(&r);
    ck_assert_int_eq(tenant_login(&emu, &t, id, key, token, sizeof(token)), 200);
    assert_200(&t, token, "before deletion");
    snprintf(path, sizeof(path), "/user/%s", id);
    ck_assert_int_eq(admin_call(&emu, &t, "DELETE", path, NULL, &r), 204);
    http_response_free(&r);
    assert_401(&t, token, "after deletion");
    ck_assert_int_eq(tenant_login(&emu, &t, id, key, NULL, 0), 401);
    /* The user deleted itself: its own token dies with it. */
    struct tenant self = t;
    ck_assert_int_eq(admin_call(&emu, &t, "POST", "/user", "{\"role\":\"ADMIN\"}", &r), 201);
    snprintf(id, sizeof(id), "%s", json_str(&r, "id"));
    snprintf(key, sizeof(key), "%s", json_str(&r, "accessKey"));
    http_response_free(&r);
    ck_assert_int_eq(tenant_login(&emu, &t, id, key, self.token, sizeof(self.token)), 200);
    snprintf(path, sizeof(path), "/user/%s", id);
    ck_assert_int_eq(admin_call(&emu, &self, "DELETE", path, NULL, &r), 204);
    http_response_free(&r);
    assert_401(&self, self.token, "a user that deleted itself");
    assert_200(&t, t.token, "the first admin is untouched");
}
END_TEST

START_TEST(token_of_a_deleted_system_is_401)
{
    struct tenant a, b;
    struct http_response r;
    char path[128];

    new_tenant_from(&a, FROZEN);
    new_tenant_from(&b, FROZEN);
    assert_200(&b, b.token, "B's token, B's key");
    assert_200(&a, b.token, "B's token carried by A's key (the token decides the system)");
    snprintf(path, sizeof(path), "/systems/%s", b.system_id);
    ck_assert_int_eq(control_call(&emu, "DELETE", path, NULL, &r), 204);
    http_response_free(&r);
    assert_401(&a, b.token, "B's token with A's key after B was deleted");
    /* B's own key went with B: the API key check comes first and answers 403. */
    ck_assert_int_eq(get_users(&b, b.token, &r), 403);
    http_response_free(&r);
    assert_200(&a, a.token, "A is untouched");
}
END_TEST

static Suite *tokens_suite(void)
{
    Suite *s = suite_create("tokens");
    TCase *tc = tcase_create("tokens");

    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_add_test(tc, alg_none_in_any_spelling_is_401);
    tcase_add_test(tc, rs256_signed_by_another_key_is_401);
    tcase_add_test(tc, hmac_keyed_with_the_public_key_is_401);
    tcase_add_test(tc, tampered_claims_or_header_are_401);
    tcase_add_test(tc, token_expires_at_exp_on_the_virtual_clock);
    tcase_add_test(tc, token_expires_on_a_real_clock_moved_forward);
    tcase_add_test(tc, expiry_follows_the_tokens_own_system);
    tcase_add_test(tc, token_of_a_deleted_user_is_401_even_when_cached);
    tcase_add_test(tc, token_of_a_deleted_system_is_401);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(tokens_suite());
}
