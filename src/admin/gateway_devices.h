/*
 * gateway_devices.h — Gateway devices of the Administration API v2 (DESIGN.md §3 rows 15-16).
 *
 * POST /gateway-device {claimingCode} claims a physical gateway into the caller's system:
 * 201 PENDING_ACTIVATION; 404 for a code no gateway carries; 409 while any system holds
 * the gateway. GET /gateway-device (paged) and GET /gateway-device/{id} render id,
 * serialNumber, activationStatus, creationDatetime and, once ACTIVATED, activationDatetime
 * and the model and versions. DELETE frees the hardware for a new claim and removes the
 * gateway's associations. Activation belongs to the simulated power-on, which calls
 * store_gateway_device_activate().
 */
#ifndef KE_ADMIN_GATEWAY_DEVICES_H
#define KE_ADMIN_GATEWAY_DEVICES_H

#include "http/request.h"

enum status gateway_devices_claim(struct request *req, struct response *res);
enum status gateway_devices_list(struct request *req, struct response *res);
enum status gateway_devices_get(struct request *req, struct response *res);
enum status gateway_devices_delete(struct request *req, struct response *res);

#endif
