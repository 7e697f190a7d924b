/*
 * associations.h — Gateway device associations of the Administration API v2 (DESIGN.md §3
 * rows 18-19).
 *
 * POST /gateway-device-association {gatewayDeviceId, lockingDeviceId}: the rules are the
 * domain's (domain/associations.h): 404 for a device not in the caller's system, 409 for a
 * pair that exists or a gateway that is full. GET lists them (paged, optional
 * gateway-device-id filter); GET and DELETE by id.
 */
#ifndef KE_ADMIN_ASSOCIATIONS_H
#define KE_ADMIN_ASSOCIATIONS_H

#include "http/request.h"

enum status associations_create(struct request *req, struct response *res);
enum status associations_list(struct request *req, struct response *res);
enum status associations_get(struct request *req, struct response *res);
enum status associations_delete(struct request *req, struct response *res);

#endif
