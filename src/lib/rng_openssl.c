#include "lib/rng_openssl.h"

#include <limits.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/rng.h"

#define PROVIDER_NAME "keyless-emulator-rng"
#define RAND_NAME "KE-SEEDED"

/* A provider that offers one random generator, RAND_NAME, whose bytes are rng_bytes(). Its
 * instances keep only their state: the generator behind them is the process's one. */
struct seeded_rand {
    int state;
};

static void *rand_new(void *provctx, void *parent, const OSSL_DISPATCH *parent_calls)
{
    struct seeded_rand *r = calloc(1, sizeof(*r));

    (void)provctx, (void)parent, (void)parent_calls; /* nothing is drawn from a parent */
    if (r != NULL)
        r->state = EVP_RAND_STATE_UNINITIALISED;
    return r;
}

static void rand_free(void *r)
{
    free(r);
}

static int rand_instantiate(void *r, unsigned int strength, int prediction_resistance,
                            const unsigned char *pstr, size_t pstr_len, const OSSL_PARAM params[])
{
    (void)strength, (void)prediction_resistance, (void)pstr, (void)pstr_len, (void)params;
    ((struct seeded_rand *)r)->state = EVP_RAND_STATE_READY;
    return 1;
}

static int rand_uninstantiate(void *r)
{
    ((struct seeded_rand *)r)->state = EVP_RAND_STATE_UNINITIALISED;
    return 1;
}

static int rand_generate(void *r, unsigned char *out, size_t n, unsigned int strength,
                         int prediction_resistance, const unsigned char *adin, size_t adin_len)
{
    (void)r, (void)strength, (void)prediction_resistance, (void)adin, (void)adin_len;
    rng_bytes(out, n);
    return 1;
}

/* rng_bytes() takes its own lock. */
static int rand_enable_locking(void *r)
{
    (void)r;
    return 1;
}

static int rand_get_params(void *r, OSSL_PARAM params[])
{
    OSSL_PARAM *p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STATE);

    if (p != NULL && !OSSL_PARAM_set_int(p, ((struct seeded_rand *)r)->state))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STRENGTH);
    if (p != NULL && !OSSL_PARAM_set_uint(p, 256))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_MAX_REQUEST);
    return p == NULL || OSSL_PARAM_set_size_t(p, INT_MAX);
}

static const OSSL_PARAM *rand_gettable_params(void *r, void *provctx)
{
    static const OSSL_PARAM gettable[] = {
        OSSL_PARAM_int(OSSL_RAND_PARAM_STATE, NULL),
        OSSL_PARAM_uint(OSSL_RAND_PARAM_STRENGTH, NULL),
        OSSL_PARAM_size_t(OSSL_RAND_PARAM_MAX_REQUEST, NULL),
        OSSL_PARAM_END,
    };

    (void)r, (void)provctx;
    return gettable;
}

typedef void (*any_fn)(void);

static const OSSL_DISPATCH rand_calls[] = {
    {OSSL_FUNC_RAND_NEWCTX, (any_fn)rand_new},
    {OSSL_FUNC_RAND_FREECTX, (any_fn)rand_free},
    {OSSL_FUNC_RAND_INSTANTIATE, (any_fn)rand_instantiate},
    {OSSL_FUNC_RAND_UNINSTANTIATE, (any_fn)rand_uninstantiate},
    {OSSL_FUNC_RAND_GENERATE, (any_fn)rand_generate},
    {OSSL_FUNC_RAND_ENABLE_LOCKING, (any_fn)rand_enable_locking},
    {OSSL_FUNC_RAND_GET_CTX_PARAMS, (any_fn)rand_get_params},
    {OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, (any_fn)rand_gettable_params},
    {0, NULL},
};

static const OSSL_ALGORITHM rand_algorithms[] = {
    {RAND_NAME, "provider=" PROVIDER_NAME, rand_calls, "rng_bytes() as OpenSSL's DRBG"},
    {NULL, NULL, NULL, NULL},
};

static const OSSL_ALGORITHM *provider_query(void *provctx, int operation, int *no_cache)
{
    (void)provctx;
    *no_cache = 0;
    return operation == OSSL_OP_RAND ? rand_algorithms : NULL;
}

static const OSSL_DISPATCH provider_calls[] = {
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, (any_fn)provider_query},
    {0, NULL},
};

static int provider_init(const OSSL_CORE_HANDLE *handle, const OSSL_DISPATCH *in,
                         const OSSL_DISPATCH **out, void **provctx)
{
    (void)handle, (void)in;
    *out = provider_calls;
    *provctx = NULL;
    return 1;
}

static OSSL_LIB_CTX *seeded_ctx;
static pthread_once_t seeded_once = PTHREAD_ONCE_INIT;

/* The default provider for the algorithms, ours for the generator behind all of them. */
static void make_seeded_ctx(void)
{
    OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();

    if (ctx == NULL || !OSSL_PROVIDER_add_builtin(ctx, PROVIDER_NAME, provider_init) ||
        OSSL_PROVIDER_load(ctx, "default") == NULL ||
        OSSL_PROVIDER_load(ctx, PROVIDER_NAME) == NULL ||
        !RAND_set_DRBG_type(ctx, RAND_NAME, NULL, NULL, NULL) || RAND_get0_primary(ctx) == NULL) {
        fprintf(stderr, "keyless-emulator: cannot make OpenSSL's seeded context\n");
        abort();
    }
    seeded_ctx = ctx;
}

OSSL_LIB_CTX *rng_openssl_libctx(void)
{
    if (!rng_is_seeded())
        return NULL;
    pthread_once(&seeded_once, make_seeded_ctx);
    return seeded_ctx;
}
