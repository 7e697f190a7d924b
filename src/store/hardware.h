/*
 * hardware.h — placeholder; the owner replaces it.
 */
#ifndef KE_STORE_HARDWARE_H
#define KE_STORE_HARDWARE_H

#include "store/db.h"

#endif
