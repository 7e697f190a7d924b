#include "store/offline_keys.h"

/* Placeholder; the owner replaces it. */
enum status store_offline_keys_placeholder(void);
enum status store_offline_keys_placeholder(void)
{
    return ST_OK;
}
