/*
 * hardware.h — the control API's factory: physical locking devices and gateways that exist
 * outside every system until they are claimed (DESIGN.md §5, §8).
 *
 * POST /hardware/locking-devices {hardwareModel, hardwareVersion?, firmwareVersion?} and
 * POST /hardware/gateway-devices {hardwareVersion?, firmwareVersion?} (body optional) answer
 * 201 with the new device; serial numbers and claiming codes are drawn from the seeded
 * generator, so --seed reproduces them. GET .../{serial-number} answers 200 (a gateway also
 * shows claimedBy {systemId, gatewayDeviceId} while claimed) or 404.
 * Depends on the store (hardware.h) and rng only.
 */
#ifndef KE_CONTROL_HARDWARE_H
#define KE_CONTROL_HARDWARE_H

#include "http/request.h"

enum status hardware_locking_device_create(struct request *req, struct response *res);
enum status hardware_locking_device_get(struct request *req, struct response *res);
enum status hardware_gateway_device_create(struct request *req, struct response *res);
enum status hardware_gateway_device_get(struct request *req, struct response *res);

#endif
