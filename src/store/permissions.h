/*
 * permissions.h — placeholder; the owner replaces it.
 */
#ifndef KE_STORE_PERMISSIONS_H
#define KE_STORE_PERMISSIONS_H

#include "store/db.h"

#endif
