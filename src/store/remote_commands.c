#include "store/remote_commands.h"

/* Placeholder; the owner replaces it. */
enum status store_remote_commands_placeholder(void);
enum status store_remote_commands_placeholder(void)
{
    return ST_OK;
}
