/*
 * hardware.h — Physical hardware (owner: gateways helper).
 */
#ifndef KE_CONTROL_HARDWARE_H
#define KE_CONTROL_HARDWARE_H

#include "http/request.h"

enum status hardware_locking_device_create(struct request *req, struct response *res);
enum status hardware_locking_device_get(struct request *req, struct response *res);
enum status hardware_gateway_device_create(struct request *req, struct response *res);
enum status hardware_gateway_device_get(struct request *req, struct response *res);

#endif
