/*
 * offline_keys.h — placeholder; the owner replaces it.
 */
#ifndef KE_STORE_OFFLINE_KEYS_H
#define KE_STORE_OFFLINE_KEYS_H

#include "store/db.h"

#endif
