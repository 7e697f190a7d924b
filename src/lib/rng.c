#include "lib/rng.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static pthread_mutex_t rng_lock = PTHREAD_MUTEX_INITIALIZER;
static int seeded;
static unsigned char seed_key[SHA256_DIGEST_LENGTH];
static uint64_t counter;
static unsigned char pool[SHA256_DIGEST_LENGTH];
static size_t pool_left;
/* Fetched once: OpenSSL 3's one-shot SHA256() looks the algorithm up and builds a context on
 * every call, which cost more than the hash itself (one refill per two UUIDs). */
static EVP_MD *sha256;
static EVP_MD_CTX *pool_ctx;

void rng_init(const char *seed)
{
    pthread_mutex_lock(&rng_lock);
    seeded = seed != NULL;
    counter = 0;
    pool_left = 0;
    if (seeded) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        if (sha256 == NULL && (sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
            abort();
        if (pool_ctx == NULL && (pool_ctx = EVP_MD_CTX_new()) == NULL)
            abort();
        if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ||
            !EVP_DigestUpdate(ctx, "keyless-emulator/rng/v1:", 24) ||
            !EVP_DigestUpdate(ctx, seed, strlen(seed)) || !EVP_DigestFinal_ex(ctx, seed_key, NULL))
            abort(); /* only out of memory gets here */
        EVP_MD_CTX_free(ctx);
    }
    pthread_mutex_unlock(&rng_lock);
}

int rng_is_seeded(void)
{
    return seeded;
}

/* Refills the pool with SHA-256(key || counter). Called with rng_lock held. */
static void refill_pool(void)
{
    unsigned char block[SHA256_DIGEST_LENGTH + 8];

    memcpy(block, seed_key, SHA256_DIGEST_LENGTH);
    for (int i = 0; i < 8; i++)
        block[SHA256_DIGEST_LENGTH + i] = (unsigned char)(counter >> (8 * i));
    counter++;
    if (!EVP_DigestInit_ex2(pool_ctx, sha256, NULL) ||
        !EVP_DigestUpdate(pool_ctx, block, sizeof(block)) ||
        !EVP_DigestFinal_ex(pool_ctx, pool, NULL))
        abort(); /* only out of memory gets here */
    pool_left = sizeof(pool);
}

static void kernel_bytes(unsigned char *out, size_t n)
{
    while (n > 0) {
        ssize_t got = getrandom(out, n, 0);
        if (got < 0 && errno == EINTR)
            continue; /* a signal arrived while the kernel pool was still filling */
        if (got < 0) {
            perror("keyless-emulator: getrandom");
            abort();
        }
        out += got;
        n -= (size_t)got;
    }
}

void rng_bytes(void *buf, size_t n)
{
    unsigned char *out = buf;

    if (!seeded) {
        kernel_bytes(out, n);
        return;
    }
    pthread_mutex_lock(&rng_lock);
    while (n > 0) {
        if (pool_left == 0)
            refill_pool();
        size_t take = n < pool_left ? n : pool_left;
        memcpy(out, pool + sizeof(pool) - pool_left, take);
        pool_left -= take;
        out += take;
        n -= take;
    }
    pthread_mutex_unlock(&rng_lock);
}

/* The text form of b, whose version and variant bits the caller has set. Every event and
 * log entry takes one: hex digits by table, not by snprintf. */
static void format_uuid(const unsigned char b[16], char out[UUID_STR_LEN])
{
    static const char hex[] = "0123456789abcdef";

    for (size_t i = 0, k = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        out[k++] = hex[b[i] >> 4];
        out[k++] = hex[b[i] & 0x0f];
    }
    out[UUID_STR_LEN - 1] = '\0';
}

void rng_uuid(char out[UUID_STR_LEN])
{
    unsigned char b[16];

    rng_bytes(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    format_uuid(b, out);
}

void rng_uuid_v7(int64_t unix_seconds, uint64_t order, char out[UUID_STR_LEN])
{
    uint64_t ms = unix_seconds > 0 ? (uint64_t)unix_seconds * 1000u : 0;
    uint64_t place = order & ((UINT64_C(1) << 42) - 1);
    unsigned char b[16];

    /* All sixteen drawn, as for version 4: the seeded sequence after it stays the same. */
    rng_bytes(b, sizeof(b));
    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)(ms >> (8 * (5 - i)));
    b[6] = (unsigned char)(0x70 | (place >> 38));          /* version, counter bits 41..38 */
    b[7] = (unsigned char)(place >> 30);                   /* bits 37..30 */
    b[8] = (unsigned char)(0x80 | ((place >> 24) & 0x3f)); /* variant, bits 29..24 */
    b[9] = (unsigned char)(place >> 16);
    b[10] = (unsigned char)(place >> 8);
    b[11] = (unsigned char)place;
    format_uuid(b, out);
}

uint64_t rng_below(uint64_t bound)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound, v;

    /* Rejection sampling keeps the result uniform. */
    do {
        rng_bytes(&v, sizeof(v));
    } while (v >= limit);
    return v % bound;
}

void rng_code(char *out, int groups)
{
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    size_t k = 0;

    for (int i = 0; i < groups * 4; i++) {
        if (i > 0 && i % 4 == 0)
            out[k++] = '-';
        out[k++] = alphabet[rng_below(sizeof(alphabet) - 1)];
    }
    out[k] = '\0';
}
