#include "events/outbox.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "store/outbox.h"

/* Letters, digits, '-' and '_': JSON text as they are, json-c escapes none of them. */
static int is_word(const char *s)
{
    for (; *s != '\0'; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return 0;
    return 1;
}

/* The body as json-c would write it, without copying every field into a second object:
 * json-c writes an object as {"key":value,...} in insertion order, so the three common
 * members are written ahead of the caller's serialised object. NULL when that shortcut does
 * not apply (a string that needs escaping, a field named like a common member) or memory ran
 * out; the caller then builds the body the long way. */
static char *splice_body(const char *id, const char *system_id, const char *event_type,
                         json_object *fields)
{
    static const char *const common[] = {"eventId", "eventSystemId", "eventType"};
    size_t tail_len, len;
    const char *tail;
    char *out;

    if (!is_word(id) || !is_word(system_id) || !is_word(event_type))
        return NULL;
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        if (json_object_object_get_ex(fields, common[i], NULL))
            return NULL;
    tail = json_object_to_json_string_length(fields, JSON_C_TO_STRING_PLAIN, &tail_len);
    if (tail == NULL || tail_len < 2 || tail[0] != '{')
        return NULL;
    len = strlen(id) + strlen(system_id) + strlen(event_type) + tail_len + 64;
    out = malloc(len);
    if (out == NULL)
        return NULL;
    /* tail is "{}" or "{...}": its first member, if any, follows the common ones. */
    snprintf(out, len, "{\"eventId\":\"%s\",\"eventSystemId\":\"%s\",\"eventType\":\"%s\"%s%s",
             id, system_id, event_type, tail_len > 2 ? "," : "", tail + 1);
    return out;
}

/* The long way: a new object with the common members, then the caller's. */
static char *build_body(const char *id, const char *system_id, const char *event_type,
                        json_object *fields)
{
    json_object *body = json_object_new_object();
    char *out = NULL;

    if (body == NULL)
        return NULL;
    json_object_object_add(body, "eventId", json_object_new_string(id));
    json_object_object_add(body, "eventSystemId", json_object_new_string(system_id));
    json_object_object_add(body, "eventType", json_object_new_string(event_type));
    json_object_object_foreach(fields, key, val) json_object_object_add(body, key,
                                                                        json_object_get(val));
    out = strdup(json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN));
    json_object_put(body);
    return out;
}

enum status outbox_emit(struct db *db, const char *system_id, int64_t now,
                        const char *event_type, json_object *fields)
{
    struct outbox_row row = {0};
    char *body = NULL;
    enum status st = ST_NOMEM;

    if (fields == NULL)
        goto out;
    rng_uuid(row.id);
    snprintf(row.system_id, sizeof(row.system_id), "%s", system_id);
    snprintf(row.event_type, sizeof(row.event_type), "%s", event_type);
    row.occurred_at = now;
    body = splice_body(row.id, system_id, event_type, fields);
    if (body == NULL)
        body = build_body(row.id, system_id, event_type, fields);
    if (body == NULL)
        goto out;
    row.body = body;
    st = store_outbox_insert(db, &row);
out:
    free(body);
    json_object_put(fields);
    return st;
}
