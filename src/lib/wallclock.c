#include "lib/wallclock.h"

#include <string.h>

int64_t clock_wall_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t clock_monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void clock_deadline_after_ms(int64_t ms, struct timespec *out)
{
    int64_t at = clock_monotonic_ns() + ms * 1000000LL;

    out->tv_sec = (time_t)(at / 1000000000LL);
    out->tv_nsec = (long)(at % 1000000000LL);
}

int64_t clock_virtual_now(const struct virtual_clock *c)
{
    if (strcmp(c->mode, "frozen") == 0)
        return c->time;
    return clock_wall_now() + c->offset;
}
