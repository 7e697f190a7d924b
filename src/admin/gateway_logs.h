/*
 * gateway_logs.h — Gateway device logs (owner: commands helper).
 */
#ifndef KE_ADMIN_GATEWAY_LOGS_H
#define KE_ADMIN_GATEWAY_LOGS_H

#include "http/request.h"

enum status gateway_logs_system(struct request *req, struct response *res);
enum status gateway_logs_audit(struct request *req, struct response *res);

#endif
