/*
 * routes.h — THE route table of the Administration API (base /administration).
 */
#ifndef KE_ADMIN_ROUTES_H
#define KE_ADMIN_ROUTES_H

#include "http/router.h"

extern const struct route admin_routes[];
extern const size_t admin_routes_count;

#endif
