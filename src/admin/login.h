/*
 * login.h — POST /login: API credentials in, a one-hour token out.
 */
#ifndef KE_ADMIN_LOGIN_H
#define KE_ADMIN_LOGIN_H

#include "http/request.h"

enum status login(struct request *req, struct response *res);

#endif
