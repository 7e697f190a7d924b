/*
 * permissions.h — permissions on the platform's side: granting and replacing one (the user
 * and the locking device must be the system's), revoking one, and the platform's own
 * clean-up of permissions 14 days after they ended. Shared by the Administration API,
 * fixtures and trigger stories; inside the caller's transaction. The clean-up is a job of
 * the system's clock: the domain schedules it, the simulator's clock runs it when due
 * (sim/cleanup.h). No platform event exists for permissions. Depends on the store only.
 */
#ifndef KE_DOMAIN_PERMISSIONS_H
#define KE_DOMAIN_PERMISSIONS_H

#include <json-c/json.h>

#include "lib/json_spec.h"
#include "store/permissions.h"

#define JOB_PERMISSIONS_CLEANUP "permissions.cleanup"
#define PERMISSION_RETENTION (14 * 86400LL)

/* A permission as an administrator describes it, its shape already validated (the
 * Administration API's and fixtures' field specs): weekdays and intervals are JSON arrays
 * of the MULTIPLE_INTERVALS and RECURRING types, NULL for SINGLE_INTERVAL. */
struct permission_request {
    const char *user_id, *locking_device_id;
    const char *operation_type;    /* OPEN, UPDATE_FIRMWARE, UPDATE_TIME */
    const char *permission_type;   /* SINGLE_INTERVAL, MULTIPLE_INTERVALS, RECURRING */
    struct spec_duration validity; /* operatingKeyValidityDuration */
    int64_t start, end;
    json_object *weekdays, *intervals;
};

/* Grants the permission at now and schedules its clean-up; out receives it (out->id
 * preset, or empty to be drawn). ST_NOT_FOUND naming the user, the locking device or both
 * in p (which may be NULL) when they are not the system's. */
enum status domain_permission_grant(struct db *db, const char *system_id,
                                    const struct permission_request *in, int64_t now,
                                    struct permission_row *out, struct problem *p);

/* Replaces every field of the permission id, checked as domain_permission_grant() checks
 * them; out receives it. ST_NOT_FOUND (no detail) when there is no such permission. */
enum status domain_permission_replace(struct db *db, const char *system_id, const char *id,
                                      const struct permission_request *in, int64_t now,
                                      struct permission_row *out, struct problem *p);

/* ST_NOT_FOUND when there is no such permission. Keys already downloaded stay valid. */
enum status domain_permission_revoke(struct db *db, const char *system_id, const char *id);

/* The clean-up at now: removes the system's permissions that ended at least
 * PERMISSION_RETENTION ago. A replaced permission needs no unscheduling, since the job only
 * removes what has ended long enough ago when it runs. */
enum status domain_permissions_clean_up(struct db *db, const char *system_id, int64_t now);

#endif
