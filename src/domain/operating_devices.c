#include "domain/operating_devices.h"

#include <stdio.h>

#include "events/outbox.h"
#include "store/users.h"

/* A user has at most one device (UNIQUE user_id); the margin costs nothing. */
#define DEVICES_PER_USER_CAP 8

/* The one-member events of a device. */
static enum status emit_device(struct db *db, const char *system_id, const char *device_id,
                               int64_t now, const char *event_type)
{
    json_object *event = json_object_new_object();

    if (event == NULL)
        return ST_NOMEM;
    json_object_object_add(event, "operatingDeviceId", json_object_new_string(device_id));
    return outbox_emit(db, system_id, now, event_type, event);
}

enum status domain_operating_device_activate(struct db *db, struct operating_device_row *device,
                                             int64_t now)
{
    enum status st = store_operating_device_activate(db, device->system_id, device->id, now);

    if (st != ST_OK)
        return st;
    device->activated_at = now;
    return emit_device(db, device->system_id, device->id, now, "OperatingDeviceActivated");
}

enum status domain_operating_device_add_legacy(struct db *db, const char *system_id,
                                               const char *user_id, int64_t now,
                                               struct operating_device_row *out, struct problem *p)
{
    struct user_row user;
    struct operating_device_row existing;
    size_t n = 0;
    enum status st = store_user_get(db, system_id, user_id, &user);

    if (st == ST_NOT_FOUND)
        return problem_set(p, st, "no user '%s' in this system", user_id);
    if (st == ST_OK)
        st = store_operating_device_list_of_user(db, system_id, user_id, &existing, 1, &n);
    if (st == ST_OK && n > 0)
        return problem_set(p, ST_CONFLICT,
                           "user '%s' already has an operating device; a user can have only one",
                           user_id);
    if (st != ST_OK)
        return st;
    if (out->id[0] == '\0')
        rng_uuid(out->id);
    snprintf(out->system_id, sizeof(out->system_id), "%s", system_id);
    snprintf(out->user_id, sizeof(out->user_id), "%s", user_id);
    out->invitation_id[0] = '\0';
    out->legacy = 1;
    out->activated_at = out->created_at = now;
    st = store_operating_device_insert(db, out);
    if (st == ST_CONFLICT)
        return problem_set(p, st, "operating device id '%s' is taken", out->id);
    return st;
}

static enum status delete_device(struct db *db, const char *system_id, const char *id, int64_t now)
{
    enum status st = store_operating_device_delete(db, system_id, id);

    return st == ST_OK ? emit_device(db, system_id, id, now, "OperatingDeviceDeleted") : st;
}

enum status domain_operating_device_delete(struct db *db, const char *system_id, const char *id,
                                           int64_t now, struct problem *p)
{
    struct operating_device_row device;
    enum status st = store_operating_device_get(db, system_id, id, &device);

    if (st != ST_OK)
        return st;
    if (device.legacy)
        return problem_set(p, ST_CONFLICT,
                           "operating device '%s' is a legacy operating device: it was not "
                           "invited with version 2 of the API and can't be deleted on its own; "
                           "delete its user instead",
                           device.id);
    return delete_device(db, system_id, device.id, now);
}

enum status domain_operating_devices_delete_of_user(struct db *db, const char *system_id,
                                                    const char *user_id, int64_t now)
{
    struct operating_device_row rows[DEVICES_PER_USER_CAP];
    size_t n = 0;
    enum status st =
        store_operating_device_list_of_user(db, system_id, user_id, rows, DEVICES_PER_USER_CAP, &n);

    for (size_t i = 0; st == ST_OK && i < n; i++)
        st = delete_device(db, system_id, rows[i].id, now);
    return st;
}
