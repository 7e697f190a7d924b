#include "sim/cleanup.h"

#include "sim/clock.h"

enum status sim_job_permissions_cleanup(struct db *db, const struct system_row *system,
                                        const struct job_row *job)
{
    (void)job;
    return domain_permissions_clean_up(db, system->id, clock_system_now(system));
}
