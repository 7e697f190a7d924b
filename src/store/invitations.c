#include "store/invitations.h"

/* Placeholder; the owner replaces it. */
enum status store_invitations_placeholder(void);
enum status store_invitations_placeholder(void)
{
    return ST_OK;
}
