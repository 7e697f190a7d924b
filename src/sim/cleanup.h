/*
 * cleanup.h — what the platform removes by itself: permissions 14 days after their end.
 */
#ifndef KE_SIM_CLEANUP_H
#define KE_SIM_CLEANUP_H

#include "store/jobs.h"
#include "store/systems.h"

#define JOB_PERMISSIONS_CLEANUP "permissions.cleanup"
#define PERMISSION_RETENTION (14 * 86400LL)

/* Schedules the removal of a permission that ends at end_at (inside the caller's
 * transaction). A replaced permission needs no unscheduling: the job removes only what has
 * ended long enough ago when it runs. */
enum status sim_cleanup_schedule_permission(struct db *db, const char *system_id, int64_t end_at);

enum status sim_job_permissions_cleanup(struct db *db, const struct system_row *system,
                                        const struct job_row *job);

#endif
