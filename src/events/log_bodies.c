#include "events/log_bodies.h"

#include "lib/timefmt.h"

/* The members every entry has, in the reference's order. */
static json_object *body_common(const struct gateway_log_row *e)
{
    json_object *o = json_object_new_object();
    char when[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(e->occurred_at, when);
    json_object_object_add(o, "sequenceNumber", json_object_new_int64(e->sequence_number));
    json_object_object_add(o, "datetime", json_object_new_string(when));
    return o;
}

json_object *log_body_gateway_system(const struct gateway_log_row *e)
{
    json_object *o = body_common(e), *details;

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "eventName", json_object_new_string(e->event_name));
    details = e->details[0] != '\0' ? json_tokener_parse(e->details) : NULL;
    if (json_object_is_type(details, json_type_object)) {
        json_object_object_foreach(details, key, value)
        {
            /* The stored columns win over a detail of the same name. */
            if (!json_object_object_get_ex(o, key, NULL))
                json_object_object_add(o, key, json_object_get(value));
        }
    }
    json_object_put(details);
    return o;
}

json_object *log_body_gateway_audit(const struct gateway_log_row *e)
{
    json_object *o = body_common(e);

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "conversationName", json_object_new_string(e->conversation_name));
    json_object_object_add(o, "lockingDeviceId", json_object_new_string(e->locking_device_id));
    if (e->remote_command_id[0] != '\0')
        json_object_object_add(o, "remoteCommandId", json_object_new_string(e->remote_command_id));
    return o;
}
