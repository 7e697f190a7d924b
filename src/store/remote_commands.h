/*
 * remote_commands.h — placeholder; the owner replaces it.
 */
#ifndef KE_STORE_REMOTE_COMMANDS_H
#define KE_STORE_REMOTE_COMMANDS_H

#include "store/db.h"

#endif
