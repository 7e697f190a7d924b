#include "store/permissions.h"

/* Placeholder; the owner replaces it. */
enum status store_permissions_placeholder(void);
enum status store_permissions_placeholder(void)
{
    return ST_OK;
}
