/*
 * devices.h — simulated hardware that belongs to a system, through the control API: a
 * gateway is powered on or woken, a lock logs an internal event.
 */
#ifndef KE_CONTROL_DEVICES_H
#define KE_CONTROL_DEVICES_H

#include "http/request.h"

/* POST /gateway-devices/{id}/power-on → 200, the gateway as the Administration API shows it. */
enum status devices_gateway_power_on(struct request *req, struct response *res);

/* POST /gateway-devices/{id}/wake → 200 {commandsRun, entriesUploaded}; 409 while pending. */
enum status devices_gateway_wake(struct request *req, struct response *res);

/* POST /locking-devices/{id}/system-events {eventName} → 201 {sequenceNumber}: the lock logs
 * it; it reaches the platform at the lock's next contact with a phone or gateway. */
enum status devices_lock_system_event(struct request *req, struct response *res);

#endif
