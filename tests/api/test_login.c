/*
 * test_login.c — POST /administration/login and the checks in front of every
 * Administration API route: X-Api-Key (403), Accept (406), bearer token (401), role (403),
 * in that order (DESIGN.md §3). Tokens are taken apart with OpenSSL and json-c, checked
 * against the JWKS at /_emulator/v1/jwks.json, and forged to prove forgeries fail.
 */
#include <check.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "jwt.h"

#define NO_USER_ID "00000000-0000-4000-8000-000000000000"
#define FROZEN_CLOCK "{\"clock\":{\"mode\":\"frozen\",\"time\":\"2030-01-01T00:00:00Z\"}}"
#define FROZEN_IAT 1893456000L /* 2030-01-01T00:00:00Z */

static struct tenant tenant, other, frozen;

static void suite_setup(void)
{
    emu_must_start();
    new_tenant(&tenant);
    new_tenant(&other);
    new_tenant_from(&frozen, FROZEN_CLOCK);
}

/* ---- small helpers ----------------------------------------------------------------- */

/* A request to the Administration API with exactly the headers given (NULL entries are
 * skipped, so a table can leave any of them out). */
static long admin_raw(const char *method, const char *path, const char *api_key, const char *accept,
                      const char *authorization, const char *body, struct http_response *r)
{
    char url[512], key[256], acc[256], auth[8500];
    const char *headers[5];
    size_t n = 0;

    snprintf(url, sizeof(url), "%s/administration%s", emu.url, path);
    snprintf(key, sizeof(key), "X-Api-Key: %s", api_key ? api_key : "");
    snprintf(acc, sizeof(acc), "Accept: %s", accept ? accept : "");
    snprintf(auth, sizeof(auth), "Authorization: %s", authorization ? authorization : "");
    if (api_key != NULL)
        headers[n++] = key;
    if (accept != NULL)
        headers[n++] = acc;
    if (authorization != NULL)
        headers[n++] = auth;
    if (body != NULL)
        headers[n++] = "Content-Type: application/json";
    headers[n] = NULL;
    return http_call(method, url, headers, body, r);
}

/* GET /administration/user with t's key and Accept, and the given token. */
static long get_users_with(const struct tenant *t, const char *token, struct http_response *r)
{
    char auth[8400];

    snprintf(auth, sizeof(auth), "Bearer %s", token);
    return admin_raw("GET", "/user", t->api_key, VENDOR_TYPE, auth, NULL, r);
}

static long login_raw(const char *body, struct http_response *r)
{
    return admin_raw("POST", "/login", tenant.api_key, VENDOR_TYPE, NULL, body, r);
}

/* Creates a user of role in t's system; copies its id and access key. */
static void create_user(const struct tenant *t, const char *role, char *id, char *access_key)
{
    char body[64];
    struct http_response r;

    snprintf(body, sizeof(body), "{\"role\":\"%s\"}", role);
    ck_assert_int_eq(admin_call(&emu, t, "POST", "/user", body, &r), 201);
    ck_assert_ptr_nonnull(json_str(&r, "id"));
    ck_assert_ptr_nonnull(json_str(&r, "accessKey"));
    snprintf(id, 64, "%s", json_str(&r, "id"));
    snprintf(access_key, 128, "%s", json_str(&r, "accessKey"));
    http_response_free(&r);
}

/* ---- JWT plumbing ------------------------------------------------------------------ */

static const char *member_str(json_object *o, const char *key)
{
    json_object *v;

    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

static long member_int(json_object *o, const char *key)
{
    json_object *v;

    ck_assert_msg(json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int),
                  "claim '%s' missing or not an integer", key);
    return (long)json_object_get_int64(v);
}

/* The emulator's signing key, rebuilt from its JWKS entry. */
struct jwk {
    char kid[128];
    EVP_PKEY *key;
};

static EVP_PKEY *rsa_public_key(const char *n64, const char *e64)
{
    unsigned char n[1024], e[16];
    long nl = b64url_decode(n64, strlen(n64), n, sizeof(n));
    long el = b64url_decode(e64, strlen(e64), e, sizeof(e));
    BIGNUM *bn, *be;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    EVP_PKEY *key = NULL;

    ck_assert_int_gt(nl, 0);
    ck_assert_int_gt(el, 0);
    bn = BN_bin2bn(n, (int)nl, NULL);
    be = BN_bin2bn(e, (int)el, NULL);
    ck_assert(bld && ctx && bn && be);
    ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn));
    ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be));
    params = OSSL_PARAM_BLD_to_param(bld);
    ck_assert_ptr_nonnull(params);
    ck_assert_int_eq(EVP_PKEY_fromdata_init(ctx), 1);
    ck_assert_int_eq(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params), 1);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    BN_free(bn);
    BN_free(be);
    return key;
}

static void jwks_fetch(struct jwk *out)
{
    struct http_response r;
    json_object *keys, *k;

    ck_assert_int_eq(control_call(&emu, "GET", "/jwks.json", NULL, &r), 200);
    ck_assert_str_eq(header(&r, "Content-Type"), "application/json");
    ck_assert(json_object_object_get_ex(r.json, "keys", &keys));
    ck_assert_int_ge(json_object_array_length(keys), 1);
    k = json_object_array_get_idx(keys, 0);
    ck_assert_str_eq(member_str(k, "kty"), "RSA");
    ck_assert_str_eq(member_str(k, "alg"), "RS256");
    ck_assert_str_eq(member_str(k, "use"), "sig");
    ck_assert_ptr_nonnull(member_str(k, "kid"));
    ck_assert_ptr_nonnull(member_str(k, "n"));
    ck_assert_ptr_nonnull(member_str(k, "e"));
    snprintf(out->kid, sizeof(out->kid), "%s", member_str(k, "kid"));
    out->key = rsa_public_key(member_str(k, "n"), member_str(k, "e"));
    http_response_free(&r);
}

static int rs256_verifies(EVP_PKEY *key, const struct jwt *j)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md != NULL && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
             EVP_DigestVerify(md, j->sig, j->sig_len, (const unsigned char *)j->input,
                              strlen(j->input)) == 1;

    EVP_MD_CTX_free(md);
    return ok;
}

/* ---- login ------------------------------------------------------------------------- */

START_TEST(login_answers_a_token)
{
    struct http_response r;
    char body[512];

    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"accessKey\":\"%s\"}", tenant.admin_id,
             tenant.access_key);
    ck_assert_int_eq(login_raw(body, &r), 200);
    ck_assert_str_eq(header(&r, "Content-Type"), VENDOR_TYPE);
    ck_assert_ptr_nonnull(json_str(&r, "token"));
    ck_assert_int_eq(json_object_object_length(r.json), 1);
    http_response_free(&r);
}
END_TEST

START_TEST(token_is_rs256_with_the_jwks_kid_and_signature)
{
    struct jwk jwk;
    struct jwt j;

    jwks_fetch(&jwk);
    jwt_split(tenant.token, &j);
    ck_assert_str_eq(member_str(j.header, "alg"), "RS256");
    ck_assert_str_eq(member_str(j.header, "kid"), jwk.kid);
    ck_assert_msg(rs256_verifies(jwk.key, &j), "the token's signature fails with the JWKS key");
    jwt_release(&j);
    EVP_PKEY_free(jwk.key);
}
END_TEST

START_TEST(token_claims_follow_the_frozen_clock)
{
    struct jwt j;

    jwt_split(frozen.token, &j);
    ck_assert_str_eq(member_str(j.claims, "sub"), frozen.admin_id);
    ck_assert_str_eq(member_str(j.claims, "custom:tenant-id"), frozen.system_id);
    ck_assert_str_eq(member_str(j.claims, "token_use"), "id");
    ck_assert_int_eq(member_int(j.claims, "iat"), FROZEN_IAT);
    ck_assert_int_eq(member_int(j.claims, "exp"), FROZEN_IAT + 3600);
    jwt_release(&j);
}
END_TEST

/* The wall clock as the emulator reads it: time() may lag CLOCK_REALTIME by a tick across a
 * second's boundary. */
static long wall_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long)ts.tv_sec;
}

START_TEST(token_claims_follow_the_real_clock)
{
    char token[4096];
    long before = wall_seconds(), after;
    struct jwt j;

    ck_assert_int_eq(
        tenant_login(&emu, &other, other.admin_id, other.access_key, token, sizeof(token)), 200);
    after = wall_seconds();
    jwt_split(token, &j);
    ck_assert_str_eq(member_str(j.claims, "sub"), other.admin_id);
    ck_assert_str_eq(member_str(j.claims, "custom:tenant-id"), other.system_id);
    ck_assert_int_ge(member_int(j.claims, "iat"), before);
    ck_assert_int_le(member_int(j.claims, "iat"), after);
    ck_assert_int_eq(member_int(j.claims, "exp"), member_int(j.claims, "iat") + 3600);
    jwt_release(&j);
}
END_TEST

/* Wrong key, unknown user and someone else's key: all the same 401, nothing to learn. */
START_TEST(bad_credentials_are_401_with_one_detail)
{
    const char *const creds[][2] = {
        {NO_USER_ID, tenant.access_key},
        {tenant.admin_id, "mA4OKvw59GXsivxQ0TSfg0BISsr94jyYVbNlFVr0Nn4="},
        {tenant.admin_id, other.access_key},
        {other.admin_id, tenant.access_key},
    };
    char body[512], first_detail[512] = "";
    struct http_response r;

    for (size_t i = 0; i < N(creds); i++) {
        snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"accessKey\":\"%s\"}", creds[i][0],
                 creds[i][1]);
        login_raw(body, &r);
        assert_problem(&r, 401, "/administration/login");
        if (i == 0)
            snprintf(first_detail, sizeof(first_detail), "%s", json_str(&r, "detail"));
        ck_assert_str_eq(json_str(&r, "detail"), first_detail);
        http_response_free(&r);
    }
}
END_TEST

static const struct {
    const char *body;
    const char *invalid[3]; /* NULL-terminated */
} login_bodies[] = {
    {"{}", {"userId", "accessKey"}},
    {"{\"userId\":\"" NO_USER_ID "\"}", {"accessKey"}},
    {"{\"accessKey\":\"mA4OKvw59GXsivxQ0TSfg0BISsr94jyYVbNlFVr0Nn4=\"}", {"userId"}},
    {"{\"userId\":\"not-a-uuid\",\"accessKey\":\"abc\"}", {"userId"}},
    {"{\"userId\":5,\"accessKey\":true}", {"userId", "accessKey"}},
};

START_TEST(missing_or_bad_login_fields_are_400)
{
    struct http_response r;
    json_object *params;
    size_t want = 0;

    login_raw(login_bodies[_i].body, &r);
    assert_problem(&r, 400, "/administration/login");
    ck_assert_msg(json_object_object_get_ex(r.json, "invalidParams", &params),
                  "no invalidParams for %s", login_bodies[_i].body);
    for (; login_bodies[_i].invalid[want] != NULL; want++) {
        int found = 0;
        for (size_t k = 0; k < json_object_array_length(params); k++) {
            json_object *p = json_object_array_get_idx(params, k);
            found |= member_str(p, "name") != NULL && member_str(p, "reason") != NULL &&
                     strcmp(member_str(p, "name"), login_bodies[_i].invalid[want]) == 0;
        }
        ck_assert_msg(found, "%s: invalidParams lacks '%s': %s", login_bodies[_i].body,
                      login_bodies[_i].invalid[want], r.body);
    }
    ck_assert_uint_eq(json_object_array_length(params), want);
    http_response_free(&r);
}
END_TEST

/* ---- the checks in front of every route, in order ---------------------------------- */

enum key_kind { KEY_NONE, KEY_EMPTY, KEY_UNKNOWN, KEY_GOOD };
enum auth_kind { AUTH_NONE, AUTH_GOOD };

static const struct {
    const char *method, *path;
    enum key_kind key;
    const char *accept; /* NULL: no Accept header */
    enum auth_kind auth;
    long want;
} gates[] = {
    {"GET", "/user", KEY_NONE, NULL, AUTH_NONE, 403},
    {"GET", "/user", KEY_NONE, VENDOR_TYPE, AUTH_GOOD, 403},
    {"GET", "/user", KEY_EMPTY, VENDOR_TYPE, AUTH_GOOD, 403},
    {"GET", "/user", KEY_UNKNOWN, VENDOR_TYPE, AUTH_GOOD, 403},
    {"GET", "/user", KEY_UNKNOWN, "application/json", AUTH_NONE, 403},
    {"GET", "/user", KEY_GOOD, NULL, AUTH_NONE, 406},
    {"GET", "/user", KEY_GOOD, NULL, AUTH_GOOD, 406},
    {"GET", "/user", KEY_GOOD, "application/json", AUTH_GOOD, 406},
    {"GET", "/user", KEY_GOOD, "*/*", AUTH_GOOD, 406},
    {"GET", "/user", KEY_GOOD, "application/vnd.assaabloy.keyless.administration-1+json", AUTH_GOOD,
     406},
    {"GET", "/user", KEY_GOOD, "application/vnd.assaabloy.keyless.administration-2+jsonx",
     AUTH_GOOD, 406},
    /* A media range of weight 0 is one the client refuses (RFC 9110 §12.4.2). */
    {"GET", "/user", KEY_GOOD, VENDOR_TYPE ";q=0", AUTH_GOOD, 406},
    {"GET", "/user", KEY_GOOD, VENDOR_TYPE " ; charset=utf-8; q=0.0, */*", AUTH_GOOD, 406},
    {"GET", "/user", KEY_GOOD, VENDOR_TYPE "; q=0.5", AUTH_GOOD, 200},
    {"GET", "/user", KEY_GOOD, VENDOR_TYPE, AUTH_NONE, 401},
    {"GET", "/user", KEY_GOOD, VENDOR_TYPE, AUTH_GOOD, 200},
    {"GET", "/user", KEY_GOOD, "application/json, " VENDOR_TYPE, AUTH_GOOD, 200},
    {"POST", "/login", KEY_NONE, VENDOR_TYPE, AUTH_NONE, 403},
    {"POST", "/login", KEY_UNKNOWN, VENDOR_TYPE, AUTH_NONE, 403},
    {"POST", "/login", KEY_GOOD, NULL, AUTH_NONE, 406},
    {"POST", "/login", KEY_GOOD, "application/json", AUTH_NONE, 406},
    {"POST", "/login", KEY_GOOD, VENDOR_TYPE, AUTH_NONE, 200},
};

START_TEST(checks_run_in_order_key_accept_token)
{
    const char *key[] = {[KEY_NONE] = NULL,
                         [KEY_EMPTY] = "",
                         [KEY_UNKNOWN] = "no-such-api-key-0123456789",
                         [KEY_GOOD] = tenant.api_key};
    char auth[8400], body[512], instance[128];
    struct http_response r;
    int is_login = strcmp(gates[_i].path, "/login") == 0;

    snprintf(auth, sizeof(auth), "Bearer %s", tenant.token);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"accessKey\":\"%s\"}", tenant.admin_id,
             tenant.access_key);
    snprintf(instance, sizeof(instance), "/administration%s", gates[_i].path);
    admin_raw(gates[_i].method, gates[_i].path, key[gates[_i].key], gates[_i].accept,
              gates[_i].auth == AUTH_GOOD ? auth : NULL, is_login ? body : NULL, &r);
    if (gates[_i].want < 400) {
        ck_assert_msg(r.status == gates[_i].want, "row %d: %ld %s", _i, r.status, r.body);
        ck_assert_str_eq(header(&r, "Content-Type"), VENDOR_TYPE);
    } else {
        assert_problem(&r, gates[_i].want, instance);
    }
    /* RFC 6750 §3: a 401 names the scheme; no error code when no token was sent. */
    if (gates[_i].want == 401)
        ck_assert_str_eq(header(&r, "WWW-Authenticate"), "Bearer realm=\"administration\"");
    http_response_free(&r);
}
END_TEST

/* Every route but login needs a bearer token. */
static const struct {
    const char *method, *path;
} guarded[] = {
    {"GET", "/user"},
    {"POST", "/user"},
    {"GET", "/user/" NO_USER_ID},
    {"DELETE", "/user/" NO_USER_ID},
    {"GET", "/locking-device"},
    {"POST", "/locking-device"},
    {"GET", "/locking-device/" NO_USER_ID},
    {"PATCH", "/locking-device/" NO_USER_ID},
    {"DELETE", "/locking-device/" NO_USER_ID},
};

START_TEST(every_route_but_login_needs_a_token)
{
    struct http_response r;
    char instance[128];

    snprintf(instance, sizeof(instance), "/administration%s", guarded[_i].path);
    admin_raw(guarded[_i].method, guarded[_i].path, tenant.api_key, VENDOR_TYPE, NULL, NULL, &r);
    assert_problem(&r, 401, instance);
    http_response_free(&r);
}
END_TEST

/* ---- bad tokens -------------------------------------------------------------------- */

enum forgery {
    BEARER_EMPTY,
    SCHEME_BASIC,
    NOT_A_JWT,
    THREE_GARBAGE_PARTS,
    TWO_PARTS,
    FLIPPED_SIGNATURE,
    NO_SIGNATURE,
    ALG_NONE,
    HS256_WITH_PUBLIC_KEY,
    TAMPERED_SUB,
    TAMPERED_TENANT,
    TAMPERED_EXP,
    FOREIGN_RSA_KEY,
    FORGERY_COUNT
};

static char *claims_with(const struct jwt *j, const char *key, json_object *value)
{
    json_object *copy = json_tokener_parse(json_object_to_json_string(j->claims));
    char *text;

    json_object_object_add(copy, key, value);
    text = strdup(json_object_to_json_string_ext(copy, JSON_C_TO_STRING_PLAIN));
    json_object_put(copy);
    return text;
}

static void sign_hs256_with_public_pem(EVP_PKEY *key, const char *input, char *sig_out)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *pem;
    long len;
    unsigned char mac[32];
    unsigned int mac_len = 0;

    ck_assert(PEM_write_bio_PUBKEY(bio, key)); /* the PEM the emulator itself holds */
    len = BIO_get_mem_data(bio, &pem);
    ck_assert_ptr_nonnull(HMAC(EVP_sha256(), pem, (int)len, (const unsigned char *)input,
                               strlen(input), mac, &mac_len));
    b64url_encode(mac, mac_len, sig_out);
    BIO_free(bio);
}

static void sign_rs256_with_fresh_key(const char *input, char *sig_out)
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sig[512];
    size_t len = sizeof(sig);

    ck_assert(key && md);
    ck_assert_int_eq(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key), 1);
    ck_assert_int_eq(EVP_DigestSign(md, sig, &len, (const unsigned char *)input, strlen(input)), 1);
    b64url_encode(sig, len, sig_out);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
}

/* Builds the Authorization header value of one forgery from the tenant's real token. */
static void forge(enum forgery f, const struct jwk *jwk, char *out, size_t cap)
{
    char head_json[512], head[1024], body[4096], sig[1024], input[8192], *claims = NULL;
    const char *valid_claims;
    struct jwt j;

    jwt_split(tenant.token, &j);
    valid_claims = json_object_to_json_string_ext(j.claims, JSON_C_TO_STRING_PLAIN);
    snprintf(head, sizeof(head), "%.*s", (int)strcspn(tenant.token, "."), tenant.token);
    b64url_encode(j.sig, j.sig_len, sig);
    switch (f) {
    case BEARER_EMPTY:
        snprintf(out, cap, "Bearer ");
        break;
    case SCHEME_BASIC:
        snprintf(out, cap, "Basic %s", tenant.token);
        break;
    case NOT_A_JWT:
        snprintf(out, cap, "Bearer not-a-jwt");
        break;
    case THREE_GARBAGE_PARTS:
        snprintf(out, cap, "Bearer a.b.c");
        break;
    case TWO_PARTS:
        snprintf(out, cap, "Bearer %s", j.input);
        break;
    case FLIPPED_SIGNATURE:
        j.sig[j.sig_len / 2] ^= 0x01;
        b64url_encode(j.sig, j.sig_len, sig);
        snprintf(out, cap, "Bearer %s.%s", j.input, sig);
        break;
    case NO_SIGNATURE:
        snprintf(out, cap, "Bearer %s.", j.input);
        break;
    case ALG_NONE:
        snprintf(head_json, sizeof(head_json), "{\"alg\":\"none\",\"kid\":\"%s\"}", jwk->kid);
        jws_segment(head_json, head);
        jws_segment(valid_claims, body);
        snprintf(out, cap, "Bearer %s.%s.", head, body);
        break;
    case HS256_WITH_PUBLIC_KEY:
        snprintf(head_json, sizeof(head_json), "{\"alg\":\"HS256\",\"kid\":\"%s\"}", jwk->kid);
        jws_segment(head_json, head);
        jws_segment(valid_claims, body);
        snprintf(input, sizeof(input), "%s.%s", head, body);
        sign_hs256_with_public_pem(jwk->key, input, sig);
        snprintf(out, cap, "Bearer %s.%s", input, sig);
        break;
    case TAMPERED_SUB: /* the real header and signature over claims that were changed */
        claims = claims_with(&j, "sub", json_object_new_string(other.admin_id));
        break;
    case TAMPERED_TENANT:
        claims = claims_with(&j, "custom:tenant-id", json_object_new_string(other.system_id));
        break;
    case TAMPERED_EXP:
        claims = claims_with(&j, "exp", json_object_new_int64(4102444800)); /* year 2100 */
        break;
    case FOREIGN_RSA_KEY:
        sign_rs256_with_fresh_key(j.input, sig);
        snprintf(out, cap, "Bearer %s.%s", j.input, sig);
        break;
    case FORGERY_COUNT:
        break;
    }
    if (claims != NULL) {
        jws_segment(claims, body);
        snprintf(out, cap, "Bearer %s.%s.%s", head, body, sig);
    }
    free(claims);
    jwt_release(&j);
}

START_TEST(forged_or_malformed_token_is_401)
{
    struct jwk jwk;
    char auth[8400];
    struct http_response r;

    jwks_fetch(&jwk);
    forge((enum forgery)_i, &jwk, auth, sizeof(auth));
    admin_raw("GET", "/user", tenant.api_key, VENDOR_TYPE, auth, NULL, &r);
    ck_assert_msg(r.status == 401, "forgery %d: %ld %s", _i, r.status, r.body);
    assert_problem(&r, 401, "/administration/user");
    ck_assert_str_eq(header(&r, "WWW-Authenticate"),
                     "Bearer realm=\"administration\", error=\"invalid_token\"");
    http_response_free(&r);
    EVP_PKEY_free(jwk.key);
}
END_TEST

/* A token signed by another emulator (another database, another key) is not ours. Its
 * emulator is stopped before any assertion, so a failure leaves no process behind. */
START_TEST(token_of_another_emulator_is_401)
{
    struct emu elsewhere;
    struct tenant stranger;
    struct http_response r;
    int started = emu_start(&elsewhere, NULL), created = -1, stopped = -1;

    if (started == 0) {
        created = tenant_create(&elsewhere, &stranger, NULL);
        stopped = emu_stop(&elsewhere);
    }
    ck_assert_int_eq(started, 0);
    ck_assert_int_eq(created, 0);
    ck_assert_int_eq(stopped, 0);
    get_users_with(&tenant, stranger.token, &r);
    assert_problem(&r, 401, "/administration/user");
    http_response_free(&r);
}
END_TEST

/* ---- who holds the token ----------------------------------------------------------- */

START_TEST(token_of_a_user_role_is_403_everywhere)
{
    char id[64], key[128], token[4096], auth[4200], path[128];
    struct http_response r;

    create_user(&tenant, "USER", id, key);
    ck_assert_int_eq(tenant_login(&emu, &tenant, id, key, token, sizeof(token)), 200);
    snprintf(auth, sizeof(auth), "Bearer %s", token);
    for (size_t i = 0; i < N(guarded); i++) {
        snprintf(path, sizeof(path), "/administration%s", guarded[i].path);
        admin_raw(guarded[i].method, guarded[i].path, tenant.api_key, VENDOR_TYPE, auth, NULL, &r);
        assert_problem(&r, 403, path);
        http_response_free(&r);
    }
}
END_TEST

START_TEST(token_of_a_deleted_user_is_401)
{
    char id[64], key[128], token[4096], path[128];
    struct http_response r;

    create_user(&tenant, "ADMIN", id, key);
    ck_assert_int_eq(tenant_login(&emu, &tenant, id, key, token, sizeof(token)), 200);
    ck_assert_int_eq(get_users_with(&tenant, token, &r), 200);
    http_response_free(&r);

    snprintf(path, sizeof(path), "/user/%s", id);
    ck_assert_int_eq(admin_call(&emu, &tenant, "DELETE", path, NULL, &r), 204);
    http_response_free(&r);

    get_users_with(&tenant, token, &r);
    assert_problem(&r, 401, "/administration/user");
    http_response_free(&r);
    ck_assert_int_eq(tenant_login(&emu, &tenant, id, key, NULL, 0), 401);
}
END_TEST

START_TEST(a_token_is_reusable)
{
    struct http_response r;

    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(get_users_with(&tenant, tenant.token, &r), 200);
        http_response_free(&r);
    }
}
END_TEST

static Suite *login_suite(void)
{
    Suite *s = suite_create("login");
    TCase *tc = tcase_create("login");

    tcase_add_unchecked_fixture(tc, suite_setup, emu_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, login_answers_a_token);
    tcase_add_test(tc, token_is_rs256_with_the_jwks_kid_and_signature);
    tcase_add_test(tc, token_claims_follow_the_frozen_clock);
    tcase_add_test(tc, token_claims_follow_the_real_clock);
    tcase_add_test(tc, bad_credentials_are_401_with_one_detail);
    tcase_add_loop_test(tc, missing_or_bad_login_fields_are_400, 0, N(login_bodies));
    tcase_add_loop_test(tc, checks_run_in_order_key_accept_token, 0, N(gates));
    tcase_add_loop_test(tc, every_route_but_login_needs_a_token, 0, N(guarded));
    tcase_add_loop_test(tc, forged_or_malformed_token_is_401, 0, FORGERY_COUNT);
    tcase_add_test(tc, token_of_another_emulator_is_401);
    tcase_add_test(tc, token_of_a_user_role_is_403_everywhere);
    tcase_add_test(tc, token_of_a_deleted_user_is_401);
    tcase_add_test(tc, a_token_is_reusable);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(login_suite());
}
