/*
 * gateway_devices.h — Gateway devices (owner: gateways helper).
 */
#ifndef KE_ADMIN_GATEWAY_DEVICES_H
#define KE_ADMIN_GATEWAY_DEVICES_H

#include "http/request.h"

enum status gateway_devices_claim(struct request *req, struct response *res);
enum status gateway_devices_list(struct request *req, struct response *res);
enum status gateway_devices_get(struct request *req, struct response *res);
enum status gateway_devices_delete(struct request *req, struct response *res);

#endif
