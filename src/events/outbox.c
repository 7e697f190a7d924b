#include "events/outbox.h"

#include <stdio.h>

#include "lib/rng.h"
#include "store/outbox.h"

enum status outbox_emit(struct db *db, const char *system_id, int64_t now,
                        const char *event_type, json_object *fields)
{
    struct outbox_row row = {0};
    json_object *body = json_object_new_object();
    enum status st = ST_NOMEM;

    if (body == NULL || fields == NULL)
        goto out;
    rng_uuid(row.id);
    snprintf(row.system_id, sizeof(row.system_id), "%s", system_id);
    snprintf(row.event_type, sizeof(row.event_type), "%s", event_type);
    row.occurred_at = now;
    json_object_object_add(body, "eventId", json_object_new_string(row.id));
    json_object_object_add(body, "eventSystemId", json_object_new_string(system_id));
    json_object_object_add(body, "eventType", json_object_new_string(event_type));
    json_object_object_foreach(fields, key, val) json_object_object_add(body, key,
                                                                        json_object_get(val));
    row.body = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
    st = store_outbox_insert(db, &row);
out:
    json_object_put(body);
    json_object_put(fields);
    return st;
}
