#include "store/hardware.h"

/* Placeholder; the owner replaces it. */
enum status store_hardware_placeholder(void);
enum status store_hardware_placeholder(void)
{
    return ST_OK;
}
