/*
 * operating_devices.h — the platform's operating devices (phones): activated once the phone
 * holds its operational certificate, deleted one by one unless legacy, and deleted with
 * their user. A device comes to exist when its invitation is accepted (domain/invitations.h).
 * Inside the caller's transaction, events included. Depends on the store and events only.
 */
#ifndef KE_DOMAIN_OPERATING_DEVICES_H
#define KE_DOMAIN_OPERATING_DEVICES_H

#include "lib/problem.h"
#include "store/operating_devices.h"

/* Records that the device received its operational certificate at now (the simulated phone
 * provisions it first) and emits OperatingDeviceActivated. */
enum status domain_operating_device_activate(struct db *db, struct operating_device_row *device,
                                             int64_t now);

/* A legacy operating device for user_id, as if it had been made before version 2's
 * invitations: legacy, with no invitation, in service since now (activated), and announced by
 * no event (the platform made it long ago). out->id is used when set, else drawn.
 * ST_NOT_FOUND when the user is not in the system, ST_CONFLICT when it already has a device
 * (a user has one) or the id is taken; detail in p (may be NULL). */
enum status domain_operating_device_add_legacy(struct db *db, const char *system_id,
                                               const char *user_id, int64_t now,
                                               struct operating_device_row *out, struct problem *p);

/* Deletes one device and emits OperatingDeviceDeleted. ST_NOT_FOUND when it is not in the
 * system; ST_CONFLICT for a legacy device, which goes only with its user (detail in p, which
 * may be NULL). */
enum status domain_operating_device_delete(struct db *db, const char *system_id, const char *id,
                                           int64_t now, struct problem *p);

/* Deletes every device of a user, legacy ones included, each announced. */
enum status domain_operating_devices_delete_of_user(struct db *db, const char *system_id,
                                                    const char *user_id, int64_t now);

#endif
