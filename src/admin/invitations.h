/*
 * invitations.h — Operating device invitations (owner: invitations helper).
 */
#ifndef KE_ADMIN_INVITATIONS_H
#define KE_ADMIN_INVITATIONS_H

#include "http/request.h"

enum status invitations_create(struct request *req, struct response *res);
enum status invitations_revoke(struct request *req, struct response *res);

#endif
