/*
 * factory.h — where physical hardware comes from: serial numbers and claiming codes drawn
 * from the seeded generator, and for locks their key pairs and certificates. The control
 * API's hardware endpoints and fixture documents both order from here.
 */
#ifndef KE_SIM_FACTORY_H
#define KE_SIM_FACTORY_H

#include "sim/locks.h"
#include "store/hardware.h"

/* The versions hardware leaves the factory with unless it is ordered otherwise. */
#define FACTORY_LOCK_HARDWARE_VERSION "1" /* the reference's locking device example */
#define FACTORY_VERSION "1.0.0"

/* Makes a lock of d->hardware_model with d's versions (empty ones get the defaults above);
 * d->serial_number is drawn unless preset (a preset serial that is taken is ST_CONFLICT).
 * Inside the caller's transaction. */
enum status factory_make_lock(struct db *db, struct hardware_locking_device_row *d,
                              const struct lock_lifetimes *lifetimes, int64_t now);

/* factory_make_lock() for a lock its buyer claims in the same transaction: no certificates
 * until the claim (sim_lock_manufacture_for_claim). */
enum status factory_make_lock_for_claim(struct db *db, struct hardware_locking_device_row *d,
                                        const struct lock_lifetimes *lifetimes);

/* Makes a gateway with g's versions (empty ones: FACTORY_VERSION), model BEAT_GW_A1, its
 * serial and claiming code drawn. */
enum status factory_make_gateway(struct db *db, struct hardware_gateway_device_row *g);

/* The serial prefix of a lock model, or NULL for an unknown model. */
const char *factory_serial_prefix(const char *model);

#endif
