#include "domain/locking_devices.h"

#include <stdio.h>

enum status domain_locking_device_add(struct db *db, const char *system_id, const char *name,
                                      int64_t now, struct locking_device_row *out)
{
    if (out->id[0] == '\0')
        rng_uuid(out->id);
    snprintf(out->system_id, sizeof(out->system_id), "%s", system_id);
    snprintf(out->name, sizeof(out->name), "%s", name);
    snprintf(out->claiming_status, sizeof(out->claiming_status), "UNCLAIMED");
    out->created_at = now;
    return store_locking_device_insert(db, out);
}
