/*
 * associations.h — placeholder; the owner replaces it.
 */
#ifndef KE_STORE_ASSOCIATIONS_H
#define KE_STORE_ASSOCIATIONS_H

#include "store/db.h"

#endif
