#include "domain/associations.h"

#include <stdio.h>

#include "domain/gateway_devices.h"

static enum status check_room(struct db *db, const char *system_id, const char *gateway_id,
                              const char *lock_id, struct problem *p)
{
    struct association_row existing;
    int64_t count = 0;
    enum status st = store_association_find(db, system_id, gateway_id, lock_id, &existing);

    if (st == ST_OK)
        return problem_set(p, ST_CONFLICT,
                           "locking device '%s' is already associated with gateway device '%s'",
                           lock_id, gateway_id);
    if (st != ST_NOT_FOUND)
        return st;
    if ((st = store_association_count(db, system_id, gateway_id, &count)) != ST_OK)
        return st;
    if (count >= ASSOCIATIONS_PER_GATEWAY)
        return problem_set(p, ST_CONFLICT,
                           "gateway device '%s' already has %d associations, the most allowed",
                           gateway_id, ASSOCIATIONS_PER_GATEWAY);
    return ST_OK;
}

enum status domain_association_add(struct db *db, const char *system_id,
                                   const char *gateway_device_id, const char *locking_device_id,
                                   int64_t now, struct association_row *out, struct problem *p)
{
    struct gateway_device_row gateway;
    struct locking_device_row lock;
    enum status st = domain_gateway_and_lock(db, system_id, gateway_device_id, locking_device_id,
                                             &gateway, &lock, p);

    if (st == ST_OK)
        st = check_room(db, system_id, gateway_device_id, locking_device_id, p);
    if (st != ST_OK)
        return st;
    rng_uuid(out->id);
    snprintf(out->system_id, sizeof(out->system_id), "%s", system_id);
    snprintf(out->gateway_device_id, sizeof(out->gateway_device_id), "%s", gateway_device_id);
    snprintf(out->locking_device_id, sizeof(out->locking_device_id), "%s", locking_device_id);
    out->created_at = now;
    return store_association_insert(db, out);
}
