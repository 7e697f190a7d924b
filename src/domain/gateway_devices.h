/*
 * gateway_devices.h — gateways on the platform's side: an administrator claims a physical
 * gateway into a system by the code printed on its label; it stays PENDING_ACTIVATION
 * until it powers on (sim/gateways.h). Shared by the Administration API, fixtures and
 * trigger stories; inside the caller's transaction. Depends on the store only.
 */
#ifndef KE_DOMAIN_GATEWAY_DEVICES_H
#define KE_DOMAIN_GATEWAY_DEVICES_H

#include "lib/problem.h"
#include "store/gateway_devices.h"
#include "store/locking_devices.h"

/* Claims the gateway whose label carries code (in any letter case: people type it) at
 * now; out receives the claim (out->id preset, or empty to be drawn). ST_NOT_FOUND when no
 * gateway carries the code; ST_CONFLICT while a system holds it (detail in p, which may be
 * NULL). */
enum status domain_gateway_device_claim(struct db *db, const char *system_id, const char *code,
                                        int64_t now, struct gateway_device_row *out,
                                        struct problem *p);

/* A gateway and a locking device that something is to join (an association, a command):
 * both of the system, read into gateway and lock. ST_NOT_FOUND naming the first that is not
 * (in p, which may be NULL). */
enum status domain_gateway_and_lock(struct db *db, const char *system_id, const char *gateway_id,
                                    const char *lock_id, struct gateway_device_row *gateway,
                                    struct locking_device_row *lock, struct problem *p);

#endif
