#include "store/operating_devices.h"

/* Placeholder; the owner replaces it. */
enum status store_operating_devices_placeholder(void);
enum status store_operating_devices_placeholder(void)
{
    return ST_OK;
}
