#include "sim/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t clock_system_now(const struct system_row *system)
{
    return clock_virtual_now(&system->clock);
}

void clock_setup(struct system_row *system, const char *mode, int64_t time)
{
    int64_t wall = clock_wall_now();

    snprintf(system->clock.mode, sizeof(system->clock.mode), "%s", mode);
    if (strcmp(mode, "frozen") == 0) {
        system->clock.time = time;
        system->clock.offset = time - wall;
    } else {
        /* A real clock may start at a chosen instant and then run. */
        system->clock.offset = time != 0 ? time - wall : 0;
        system->clock.time = 0;
    }
}

void clock_set(struct system_row *system, int64_t now)
{
    if (strcmp(system->clock.mode, "frozen") == 0)
        system->clock.time = now;
    else
        system->clock.offset = now - clock_wall_now();
}

void clock_freeze(struct system_row *system)
{
    int64_t now = clock_system_now(system);

    snprintf(system->clock.mode, sizeof(system->clock.mode), "frozen");
    system->clock.time = now;
}

void clock_resume(struct system_row *system)
{
    int64_t now = clock_system_now(system);

    snprintf(system->clock.mode, sizeof(system->clock.mode), "real");
    system->clock.offset = now - clock_wall_now();
    system->clock.time = 0;
}
