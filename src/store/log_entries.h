/*
 * log_entries.h — placeholder; the owner replaces it.
 */
#ifndef KE_STORE_LOG_ENTRIES_H
#define KE_STORE_LOG_ENTRIES_H

#include "store/db.h"

#endif
