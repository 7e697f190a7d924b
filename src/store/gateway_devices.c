#include "store/gateway_devices.h"

/* Placeholder; the owner replaces it. */
enum status store_gateway_devices_placeholder(void);
enum status store_gateway_devices_placeholder(void)
{
    return ST_OK;
}
