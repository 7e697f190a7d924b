#include "domain/users.h"

#include <stdio.h>
#include <string.h>

#include "domain/operating_devices.h"
#include "events/outbox.h"
#include "lib/crypto.h"

enum status domain_user_add(struct db *db, const char *system_id, const char *role, int64_t now,
                            struct user_row *out, char *access_key)
{
    json_object *event;
    enum status st;

    if (out->id[0] == '\0')
        rng_uuid(out->id);
    if (access_key[0] == '\0')
        crypto_random_base64(32, access_key);
    snprintf(out->system_id, sizeof(out->system_id), "%s", system_id);
    snprintf(out->role, sizeof(out->role), "%s", role);
    crypto_sha256_hex(access_key, strlen(access_key), out->access_key_hash);
    out->created_at = now;
    st = store_user_insert(db, out);
    if (st != ST_OK)
        return st;
    event = json_object_new_object();
    if (event == NULL)
        return ST_NOMEM;
    json_object_object_add(event, "userId", json_object_new_string(out->id));
    json_object_object_add(event, "role", json_object_new_string(out->role));
    return outbox_emit(db, system_id, now, "UserCreated", event);
}

enum status domain_user_delete(struct db *db, const char *system_id, const char *user_id,
                               int64_t now)
{
    json_object *event;
    enum status st = domain_operating_devices_delete_of_user(db, system_id, user_id, now);

    if (st == ST_OK)
        st = store_user_delete(db, system_id, user_id);
    if (st != ST_OK)
        return st;
    event = json_object_new_object();
    if (event == NULL)
        return ST_NOMEM;
    json_object_object_add(event, "userId", json_object_new_string(user_id));
    return outbox_emit(db, system_id, now, "UserDeleted", event);
}
