/*
 * routes.h — THE route table of the emulator's control API (base /_emulator/v1).
 */
#ifndef KE_CONTROL_ROUTES_H
#define KE_CONTROL_ROUTES_H

#include "http/router.h"

extern const struct route control_routes[];
extern const size_t control_routes_count;

#endif
