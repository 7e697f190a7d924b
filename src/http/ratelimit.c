#include "http/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include "lib/wallclock.h"

#define BUCKETS 1024
#define KEY_MAX 64

/* Open addressing over a fixed table: API keys are few (one per system plus a handful).
 * When the table is full, the least recently used bucket is recycled. */
static struct bucket {
    char key[KEY_MAX];
    double tokens;
    int64_t last_ns;
} buckets[BUCKETS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t hash(const char *s)
{
    size_t h = 5381;

    while (*s != '\0')
        h = h * 33 + (unsigned char)*s++;
    return h;
}

/* Finds key's bucket, or claims an empty (else the stalest) one. Called with lock held. */
static struct bucket *find(const char *key, double burst, int64_t now)
{
    size_t start = hash(key) % BUCKETS;
    struct bucket *stalest = &buckets[start];

    for (size_t i = 0; i < BUCKETS; i++) {
        struct bucket *b = &buckets[(start + i) % BUCKETS];
        if (strcmp(b->key, key) == 0)
            return b;
        if (b->key[0] == '\0' || b->last_ns < stalest->last_ns) {
            stalest = b;
            if (b->key[0] == '\0')
                break;
        }
    }
    strncpy(stalest->key, key, KEY_MAX - 1);
    stalest->key[KEY_MAX - 1] = '\0';
    stalest->tokens = burst;
    stalest->last_ns = now;
    return stalest;
}

enum status ratelimit_take(const char *key, double rate, int64_t burst, int *retry_after)
{
    int64_t now = clock_monotonic_ns();
    enum status st = ST_OK;
    struct bucket *b;

    pthread_mutex_lock(&lock);
    b = find(key, (double)burst, now);
    b->tokens += (double)(now - b->last_ns) / 1e9 * rate;
    if (b->tokens > (double)burst)
        b->tokens = (double)burst;
    b->last_ns = now;
    if (b->tokens >= 1.0) {
        b->tokens -= 1.0;
    } else {
        *retry_after = (int)ceil((1.0 - b->tokens) / rate);
        if (*retry_after < 1)
            *retry_after = 1;
        st = ST_RATE_LIMITED;
    }
    pthread_mutex_unlock(&lock);
    return st;
}

void ratelimit_forget(const char *key)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < BUCKETS; i++)
        if (strcmp(buckets[i].key, key) == 0)
            buckets[i].key[0] = '\0';
    pthread_mutex_unlock(&lock);
}

void ratelimit_forget_all(void)
{
    pthread_mutex_lock(&lock);
    memset(buckets, 0, sizeof(buckets));
    pthread_mutex_unlock(&lock);
}
