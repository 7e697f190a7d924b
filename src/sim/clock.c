#include "sim/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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

void clock_set(struct system_row *system, int64_t now)
{
    if (strcmp(system->clock_mode, "frozen") == 0)
        system->clock_time = now;
    else
        system->clock_offset = now - clock_wall_now();
}

void clock_freeze(struct system_row *system)
{
    int64_t now = clock_system_now(system);

    snprintf(system->clock_mode, sizeof(system->clock_mode), "frozen");
    system->clock_time = now;
}

void clock_resume(struct system_row *system)
{
    int64_t now = clock_system_now(system);

    snprintf(system->clock_mode, sizeof(system->clock_mode), "real");
    system->clock_offset = now - clock_wall_now();
    system->clock_time = 0;
}
