#include "sim/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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

int64_t clock_system_now(const struct system_row *system)
{
    if (strcmp(system->clock_mode, "frozen") == 0)
        return system->clock_time;
    return clock_wall_now() + system->clock_offset;
}

void clock_setup(struct system_row *system, const char *mode, int64_t time)
{
    int64_t wall = clock_wall_now();

    snprintf(system->clock_mode, sizeof(system->clock_mode), "%s", mode);
    if (strcmp(mode, "frozen") == 0) {
        system->clock_time = time;
        system->clock_offset = time - wall;
    } else {
        /* A real clock may start at a chosen instant and then run. */
        system->clock_offset = time != 0 ? time - wall : 0;
        system->clock_time = 0;
    }
}
