/*
 * systems.h — the systems (tenants) table. Every other tenant-owned row references a
 * system and is deleted with it (ON DELETE CASCADE).
 */
#ifndef KE_STORE_SYSTEMS_H
#define KE_STORE_SYSTEMS_H

#include "lib/rng.h"
#include "lib/wallclock.h"
#include "store/db.h"

struct system_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char name[1024];
    struct virtual_clock clock; /* its clock columns */
    int64_t created_at;
};

enum status store_system_insert(struct db *db, const struct system_row *row);
/* ST_NOT_FOUND when no such system. */
enum status store_system_get(struct db *db, const char *id, struct system_row *out);
/* Rows with seq > after_seq in seq order, at most cap. */
enum status store_system_list(struct db *db, int64_t after_seq, struct system_row *rows, size_t cap,
                              size_t *n);
/* Deletes the system and, by cascade, everything it owns. ST_NOT_FOUND if absent. */
enum status store_system_delete(struct db *db, const char *id);
/* Stores a new clock setting. */
enum status store_system_set_clock(struct db *db, const char *id, const char *mode, int64_t offset,
                                   int64_t time);

#endif
