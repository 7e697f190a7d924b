/*
 * locking_devices.h — the platform's locking devices as an administrator makes them:
 * unclaimed placeholders that a phone later binds to physical hardware (sim/locks.h).
 * Shared by the Administration API, fixtures and trigger stories; inside the caller's
 * transaction. Depends on the store only.
 */
#ifndef KE_DOMAIN_LOCKING_DEVICES_H
#define KE_DOMAIN_LOCKING_DEVICES_H

#include "store/locking_devices.h"

/* Creates an UNCLAIMED locking device called name. out->id may be preset (fixtures);
 * otherwise it is generated. No event exists for it. */
enum status domain_locking_device_add(struct db *db, const char *system_id, const char *name,
                                      int64_t now, struct locking_device_row *out);

#endif
