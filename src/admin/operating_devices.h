/*
 * operating_devices.h — the Administration API's operating devices (phones): listed per
 * system or per user, deleted one by one unless legacy, and deleted with their user.
 * Deleting is the domain's (domain/operating_devices.h); devices come to exist when a
 * phone accepts an invitation.
 */
#ifndef KE_ADMIN_OPERATING_DEVICES_H
#define KE_ADMIN_OPERATING_DEVICES_H

#include "http/request.h"

/* GET /operating-device?user-id=: 200 page of {id, userId}; 400 for a malformed user-id. */
enum status operating_devices_list(struct request *req, struct response *res);

/* DELETE /operating-device/{operating-device-id}: 204 and OperatingDeviceDeleted; 409 for a
 * legacy device; 404 when unknown or of another system. */
enum status operating_devices_delete(struct request *req, struct response *res);

#endif
