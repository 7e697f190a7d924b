/*
 * api_keys.h — application API keys with their rate limits, through the control API.
 */
#ifndef KE_CONTROL_API_KEYS_H
#define KE_CONTROL_API_KEYS_H

#include "http/request.h"

enum status api_keys_list(struct request *req, struct response *res);
enum status api_keys_create(struct request *req, struct response *res);
enum status api_keys_delete(struct request *req, struct response *res);

#endif
