/*
 * associations.h — which locking devices a gateway may control: both must be of the
 * system (either may still be unclaimed or pending activation), a pair exists once, and a
 * gateway holds at most ASSOCIATIONS_PER_GATEWAY. Shared by the Administration API,
 * fixtures and trigger stories; inside the caller's transaction. Depends on the store only.
 */
#ifndef KE_DOMAIN_ASSOCIATIONS_H
#define KE_DOMAIN_ASSOCIATIONS_H

#include "lib/problem.h"
#include "store/associations.h"

/* The reference says both 5 and "currently allows 6"; DESIGN.md §3 chose 6. */
#define ASSOCIATIONS_PER_GATEWAY 6

/* Associates the locking device with the gateway at now; out receives the association.
 * ST_NOT_FOUND naming which device is not the system's; ST_CONFLICT when the pair exists
 * or the gateway is full (detail in p, which may be NULL). */
enum status domain_association_add(struct db *db, const char *system_id,
                                   const char *gateway_device_id, const char *locking_device_id,
                                   int64_t now, struct association_row *out, struct problem *p);

#endif
