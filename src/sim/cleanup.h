/*
 * cleanup.h — the clock's side of what the platform removes by itself: the job that runs
 * the permission clean-up the domain scheduled (domain/permissions.h) when it falls due.
 */
#ifndef KE_SIM_CLEANUP_H
#define KE_SIM_CLEANUP_H

#include "domain/permissions.h"
#include "store/jobs.h"
#include "store/systems.h"

enum status sim_job_permissions_cleanup(struct db *db, const struct system_row *system,
                                        const struct job_row *job);

#endif
