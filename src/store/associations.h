/*
 * associations.h — which locking devices a gateway may control. A pair (gateway, locking
 * device) of one system appears at most once; the row goes when either side is deleted
 * (ON DELETE CASCADE). The per-gateway limit is the caller's rule, read with
 * store_association_count(). Every query is scoped by system.
 *
 * Writes assert they run inside db_transact().
 */
#ifndef KE_STORE_ASSOCIATIONS_H
#define KE_STORE_ASSOCIATIONS_H

#include "lib/rng.h"
#include "store/db.h"

struct association_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char gateway_device_id[UUID_STR_LEN];
    char locking_device_id[UUID_STR_LEN];
    int64_t created_at;
};

struct association_filter {
    const char *gateway_device_id; /* NULL: any */
};

/* Inserts an association. ST_CONFLICT when the pair already exists (or either side does
 * not: callers check both first, so that they can answer 404). */
enum status store_association_insert(struct db *db, const struct association_row *row);

/* The association id of system_id; ST_NOT_FOUND when absent or in another system. */
enum status store_association_get(struct db *db, const char *system_id, const char *id,
                                  struct association_row *out);

/* The association of the pair in system_id; ST_NOT_FOUND when they are not associated. */
enum status store_association_find(struct db *db, const char *system_id,
                                   const char *gateway_device_id, const char *locking_device_id,
                                   struct association_row *out);

/* The number of associations of the gateway in system_id (0 for an unknown gateway). */
enum status store_association_count(struct db *db, const char *system_id,
                                    const char *gateway_device_id, int64_t *count);

/* At most cap associations of system_id matching filter with seq > after_seq, in seq order;
 * *n gets the count. */
enum status store_association_list(struct db *db, const char *system_id,
                                   const struct association_filter *filter, int64_t after_seq,
                                   struct association_row *rows, size_t cap, size_t *n);

/* Deletes the association. ST_NOT_FOUND when absent or in another system. */
enum status store_association_delete(struct db *db, const char *system_id, const char *id);

#endif
