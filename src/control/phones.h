/*
 * phones.h — Phones: accepting invitations (owner: invitations helper).
 */
#ifndef KE_CONTROL_PHONES_H
#define KE_CONTROL_PHONES_H

#include "http/request.h"

enum status invitations_accept(struct request *req, struct response *res);

#endif
