/*
 * operating_devices.h — Operating devices (owner: invitations helper).
 */
#ifndef KE_ADMIN_OPERATING_DEVICES_H
#define KE_ADMIN_OPERATING_DEVICES_H

#include "http/request.h"

enum status operating_devices_list(struct request *req, struct response *res);
enum status operating_devices_delete(struct request *req, struct response *res);

#endif
