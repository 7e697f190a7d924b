#include "store/associations.h"

/* Placeholder; the owner replaces it. */
enum status store_associations_placeholder(void);
enum status store_associations_placeholder(void)
{
    return ST_OK;
}
