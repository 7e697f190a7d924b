/*
 * associations.h — Gateway device associations of the Administration API v2 (DESIGN.md §3
 * rows 18-19).
 *
 * POST /gateway-device-association {gatewayDeviceId, lockingDeviceId}: both must be in the
 * caller's system (404 otherwise); claiming or activation is not required. A pair exists
 * once (409), and a gateway holds at most ASSOCIATIONS_PER_GATEWAY (409 past it). GET lists
 * them (paged, optional gateway-device-id filter); GET and DELETE by id.
 */
#ifndef KE_ADMIN_ASSOCIATIONS_H
#define KE_ADMIN_ASSOCIATIONS_H

#include "http/request.h"

/* The reference says both 5 and "currently allows 6"; DESIGN.md §3 chose 6. */
#define ASSOCIATIONS_PER_GATEWAY 6

enum status associations_create(struct request *req, struct response *res);
enum status associations_list(struct request *req, struct response *res);
enum status associations_get(struct request *req, struct response *res);
enum status associations_delete(struct request *req, struct response *res);

#endif
