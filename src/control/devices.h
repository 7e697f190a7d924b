/*
 * devices.h — simulated hardware that belongs to a system, through the control API: a
 * gateway is powered on or off or woken, a lock logs an internal event or has its battery
 * and range set.
 */
#ifndef KE_CONTROL_DEVICES_H
#define KE_CONTROL_DEVICES_H

#include "http/request.h"

/* POST /gateway-devices/{id}/power-on → 200, the gateway as the Administration API shows it. */
enum status devices_gateway_power_on(struct request *req, struct response *res);

/* POST /gateway-devices/{id}/power-off → 200, the gateway as the Administration API shows
 * it: unpowered, it does not wake until power-on. */
enum status devices_gateway_power_off(struct request *req, struct response *res);

/* POST /gateway-devices/{id}/wake → 200 {commandsRun, entriesUploaded}; 409 while pending. */
enum status devices_gateway_wake(struct request *req, struct response *res);

/* POST /locking-devices/{id}/system-events {eventName} → 201 {sequenceNumber}: the lock logs
 * it; it reaches the platform at the lock's next contact with a phone or gateway. */
enum status devices_lock_system_event(struct request *req, struct response *res);

/* POST /locking-devices/{id}/state {battery?, inGatewayRange?} (at least one) → 200
 * {lockingDeviceId, serialNumber, battery, inGatewayRange}; 409 for an unclaimed device. */
enum status devices_lock_state(struct request *req, struct response *res);

#endif
