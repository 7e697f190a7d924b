/*
 * gateway_states.h — what a physical gateway keeps of its own: its log's running
 * sequence number and whether it has power (both survive deletion and re-claiming, like
 * the hardware).
 */
#ifndef KE_STORE_GATEWAY_STATES_H
#define KE_STORE_GATEWAY_STATES_H

#include "store/db.h"

/* The gateway's next sequence number, counted up (the first is 1). */
enum status store_gateway_next_sequence(struct db *db, const char *serial, int64_t *out);

/* Plugs the gateway in (powered 1) or pulls its plug (0). */
enum status store_gateway_power_set(struct db *db, const char *serial, int powered);

/* Whether the gateway has power: 1 unless its plug was pulled. */
enum status store_gateway_powered(struct db *db, const char *serial, int *powered);

#endif
