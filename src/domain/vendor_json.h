/*
 * vendor_json.h — the vendor's JSON shapes of the platform's resources, in one place: the
 * Administration API answers with them, and the control API shows the same objects (a claim's
 * locking device, a powered-on gateway), so neither surface renders its own copy.
 */
#ifndef KE_DOMAIN_VENDOR_JSON_H
#define KE_DOMAIN_VENDOR_JSON_H

#include <json-c/json.h>

/* A locking device (a struct locking_device_row), as GET /locking-device/{id} answers it. */
json_object *locking_device_render(const void *row);

/* A gateway device (a struct gateway_device_row): a pending gateway has four fields; an
 * activated one adds its activation time and what the hardware reported when it came up. */
json_object *gateway_device_render(const void *row);

#endif
