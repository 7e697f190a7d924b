/*
 * permissions.h — Permissions (owner: permissions helper).
 */
#ifndef KE_ADMIN_PERMISSIONS_H
#define KE_ADMIN_PERMISSIONS_H

#include "http/request.h"

enum status permissions_create(struct request *req, struct response *res);
enum status permissions_list(struct request *req, struct response *res);
enum status permissions_get(struct request *req, struct response *res);
enum status permissions_replace(struct request *req, struct response *res);
enum status permissions_delete(struct request *req, struct response *res);

#endif
