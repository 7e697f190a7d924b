#include "domain/vendor_json.h"

#include <string.h>

#include "lib/timefmt.h"
#include "store/gateway_devices.h"
#include "store/locking_devices.h"

static void add_string(json_object *o, const char *key, const char *value)
{
    if (value[0] != '\0')
        json_object_object_add(o, key, json_object_new_string(value));
}

static json_object *render_certificate(const struct cert_state *c)
{
    json_object *o = json_object_new_object();
    char when[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(c->expiration, when);
    json_object_object_add(o, "eligibleForReKeying", json_object_new_boolean(c->eligible));
    json_object_object_add(o, "expirationDatetime", json_object_new_string(when));
    json_object_object_add(o, "revoked", json_object_new_boolean(c->revoked));
    return o;
}

json_object *locking_device_render(const void *row)
{
    const struct locking_device_row *d = row;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_string(d->id));
    json_object_object_add(o, "name", json_object_new_string(d->name));
    json_object_object_add(o, "claimingStatus", json_object_new_string(d->claiming_status));
    add_string(o, "serialNumber", d->serial_number);
    if (d->operational.expiration != 0)
        json_object_object_add(o, "operationalCertificate", render_certificate(&d->operational));
    if (d->manufacturing.expiration != 0)
        json_object_object_add(o, "manufacturingCertificate",
                               render_certificate(&d->manufacturing));
    add_string(o, "hardwareModel", d->hardware_model);
    add_string(o, "hardwareVersion", d->hardware_version);
    add_string(o, "firmwareVersion", d->firmware_version);
    return o;
}

static void add_datetime(json_object *o, const char *key, int64_t seconds)
{
    char text[TIMEFMT_DATETIME_LEN];

    timefmt_format_datetime(seconds, text);
    json_object_object_add(o, key, json_object_new_string(text));
}

/* The reference's shapes: a pending gateway has four fields; an activated one adds its
 * activation time and what the hardware reported when it came up. */
json_object *gateway_device_render(const void *row)
{
    const struct gateway_device_row *g = row;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_string(g->id));
    json_object_object_add(o, "serialNumber", json_object_new_string(g->serial_number));
    json_object_object_add(o, "activationStatus", json_object_new_string(g->activation_status));
    add_datetime(o, "creationDatetime", g->created_at);
    if (strcmp(g->activation_status, GATEWAY_ACTIVATED) == 0) {
        add_datetime(o, "activationDatetime", g->activated_at);
        add_string(o, "hardwareModel", g->hardware_model);
        add_string(o, "hardwareVersion", g->hardware_version);
        add_string(o, "firmwareVersion", g->firmware_version);
    }
    return o;
}
