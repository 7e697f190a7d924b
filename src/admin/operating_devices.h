/*
 * operating_devices.h — the Administration API's operating devices (phones): listed per
 * system or per user, deleted one by one unless legacy, and deleted with their user.
 * Devices come to exist when a phone accepts an invitation (control/phones.h).
 */
#ifndef KE_ADMIN_OPERATING_DEVICES_H
#define KE_ADMIN_OPERATING_DEVICES_H

#include "http/request.h"

/* Deletes every operating device of a user, legacy ones included, and emits
 * OperatingDeviceDeleted for each, inside the caller's transaction. User deletion calls it
 * before deleting the user, so the events are not lost to the cascade. */
enum status operating_devices_delete_of_user(struct db *db, const char *system_id,
                                             const char *user_id, int64_t now);

/* GET /operating-device?user-id=: 200 page of {id, userId}; 400 for a malformed user-id. */
enum status operating_devices_list(struct request *req, struct response *res);

/* DELETE /operating-device/{operating-device-id}: 204 and OperatingDeviceDeleted; 409 for a
 * legacy device; 404 when unknown or of another system. */
enum status operating_devices_delete(struct request *req, struct response *res);

#endif
