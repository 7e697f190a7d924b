/*
 * offline_keys.h — Offline keys (owner: permissions helper).
 */
#ifndef KE_ADMIN_OFFLINE_KEYS_H
#define KE_ADMIN_OFFLINE_KEYS_H

#include "http/request.h"

enum status offline_keys_create(struct request *req, struct response *res);
enum status offline_keys_list(struct request *req, struct response *res);

#endif
