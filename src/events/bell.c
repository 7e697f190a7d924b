#include "events/bell.h"

#include "sim/clock.h"

void bell_init(struct bell *b)
{
    pthread_condattr_t attr;

    pthread_mutex_init(&b->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&b->cond, &attr);
    pthread_condattr_destroy(&attr);
    b->rings = 0;
}

void bell_ring(struct bell *b)
{
    pthread_mutex_lock(&b->lock);
    b->rings++;
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
}

uint64_t bell_rings(struct bell *b)
{
    uint64_t n;

    pthread_mutex_lock(&b->lock);
    n = b->rings;
    pthread_mutex_unlock(&b->lock);
    return n;
}

void bell_wait(struct bell *b, uint64_t seen, int64_t ms)
{
    struct timespec deadline;

    clock_deadline_after_ms(ms, &deadline);
    pthread_mutex_lock(&b->lock);
    while (b->rings == seen && pthread_cond_timedwait(&b->cond, &b->lock, &deadline) == 0)
        ;
    pthread_mutex_unlock(&b->lock);
}
