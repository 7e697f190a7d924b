/*
 * gateway_devices.h — placeholder; the owner replaces it.
 */
#ifndef KE_STORE_GATEWAY_DEVICES_H
#define KE_STORE_GATEWAY_DEVICES_H

#include "store/db.h"

#endif
