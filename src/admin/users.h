/*
 * users.h — the Administration API's users: list, create, get, delete. Creating and
 * deleting are the domain's (domain/users.h).
 */
#ifndef KE_ADMIN_USERS_H
#define KE_ADMIN_USERS_H

#include "http/request.h"

enum status users_list(struct request *req, struct response *res);
enum status users_create(struct request *req, struct response *res);
enum status users_get(struct request *req, struct response *res);
enum status users_delete(struct request *req, struct response *res);

#endif
