/*
 * gateway_states.h — what a physical gateway keeps of its own: its log's running
 * sequence number (it survives deletion and re-claiming, like the hardware).
 */
#ifndef KE_STORE_GATEWAY_STATES_H
#define KE_STORE_GATEWAY_STATES_H

#include "store/db.h"

/* The gateway's next sequence number, counted up (the first is 1). */
enum status store_gateway_next_sequence(struct db *db, const char *serial, int64_t *out);

#endif
