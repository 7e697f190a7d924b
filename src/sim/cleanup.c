#include "sim/cleanup.h"

#include "sim/clock.h"
#include "store/permissions.h"

enum status sim_cleanup_schedule_permission(struct db *db, const char *system_id, int64_t end_at)
{
    if (end_at > INT64_MAX - PERMISSION_RETENTION)
        return ST_OK; /* never */
    return store_job_schedule(db, system_id, end_at + PERMISSION_RETENTION,
                              JOB_PERMISSIONS_CLEANUP, system_id, NULL);
}

enum status sim_job_permissions_cleanup(struct db *db, const struct system_row *system,
                                        const struct job_row *job)
{
    (void)job;
    /* Everything that ended at least the retention ago, this instant included. */
    return store_permission_delete_ended_before(
        db, system->id, clock_system_now(system) - PERMISSION_RETENTION + 1, NULL);
}
