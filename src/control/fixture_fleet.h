/*
 * fixture_fleet.h — a generated site: a fixture system's "generate" member
 * ({"users", "lockingDevices", "gatewayDevices", "permissionsPerUser", "reKeyingWaves"})
 * becomes users with activated phones, locks of every model claimed by those phones with
 * real certificates, permissions of all three types and gateways with one to six
 * associations each, all drawn from the seed and made by the same domain and simulator
 * functions as the rest of a fixture.
 *
 * A fleet is made in chunks of FLEET_CHUNK items, each chunk its own write transaction, so
 * that other systems' writes go on between them: loading 10,000 locks never holds the one
 * writer for more than a few tens of milliseconds at a time. The system is visible (and
 * growing) while it is made; a failure deletes the systems the document created, so a
 * failed load still leaves nothing behind.
 *
 * The site starts quiet: no history is run. What making it emits (users and phones
 * created, locks claimed and booted, gateways activated) is in the system's event log but
 * reaches no receiver, since the system has no webhook subscription until the load answers.
 */
#ifndef KE_CONTROL_FIXTURE_FLEET_H
#define KE_CONTROL_FIXTURE_FLEET_H

#include "control/fixture_site.h"

#define FLEET_CHUNK 250 /* items (a user and phone, a claimed lock, a gateway) a transaction */

/* Generates the fleet of fx (fx->fleet.given) into its system, which load_tx has created,
 * then sets the document's autopilot. Not inside a transaction: it runs its own. */
enum status fixture_fleet_generate(struct db *db, const struct fixture_spec *fx, struct problem *p);

#endif
