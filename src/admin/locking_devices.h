/*
 * locking_devices.h — the Administration API's locking devices: unclaimed placeholders
 * created by an admin, claimed by phones (see src/sim/), renamed by JSON Patch.
 */
#ifndef KE_ADMIN_LOCKING_DEVICES_H
#define KE_ADMIN_LOCKING_DEVICES_H

#include "http/request.h"
#include "store/locking_devices.h"

enum status locking_devices_list(struct request *req, struct response *res);
enum status locking_devices_create(struct request *req, struct response *res);
enum status locking_devices_get(struct request *req, struct response *res);
enum status locking_devices_patch(struct request *req, struct response *res);
enum status locking_devices_delete(struct request *req, struct response *res);

#endif
