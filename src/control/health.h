/*
 * health.h — GET /health and GET /jwks.json: liveness, version, and the token keys.
 */
#ifndef KE_CONTROL_HEALTH_H
#define KE_CONTROL_HEALTH_H

#include "http/request.h"

/* Marks the process start, for uptime. */
void health_init(void);

enum status health_get(struct request *req, struct response *res);
enum status jwks_get(struct request *req, struct response *res);

#endif
