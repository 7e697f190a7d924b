/*
 * settings.h — process-wide values kept in the database so that they survive restarts:
 * the token signing key, the page-token key.
 */
#ifndef KE_STORE_SETTINGS_H
#define KE_STORE_SETTINGS_H

#include "store/db.h"

/* Copies the value of key into a malloc'ed, NUL-terminated buffer (*out, length *len).
 * ST_NOT_FOUND when unset. Caller frees. */
enum status store_setting_get(struct db *db, const char *key, unsigned char **out, size_t *len);

/* Sets key to value unless it is already set (first writer wins, so concurrent first uses
 * agree). Must run inside a transaction. */
enum status store_setting_put_once(struct db *db, const char *key, const void *value, size_t len);

#endif
