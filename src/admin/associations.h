/*
 * associations.h — Gateway device associations (owner: gateways helper).
 */
#ifndef KE_ADMIN_ASSOCIATIONS_H
#define KE_ADMIN_ASSOCIATIONS_H

#include "http/request.h"

enum status associations_create(struct request *req, struct response *res);
enum status associations_list(struct request *req, struct response *res);
enum status associations_get(struct request *req, struct response *res);
enum status associations_delete(struct request *req, struct response *res);

#endif
