/*
 * invitations.h — placeholder; the owner replaces it.
 */
#ifndef KE_STORE_INVITATIONS_H
#define KE_STORE_INVITATIONS_H

#include "store/db.h"

#endif
