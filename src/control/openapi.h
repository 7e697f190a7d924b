/*
 * openapi.h — OpenAPI documents and the parity list (owner: contract work).
 */
#ifndef KE_CONTROL_OPENAPI_H
#define KE_CONTROL_OPENAPI_H

#include "http/request.h"

enum status openapi_administration(struct request *req, struct response *res);
enum status openapi_control(struct request *req, struct response *res);
enum status parity_get(struct request *req, struct response *res);

#endif
