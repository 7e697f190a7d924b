/*
 * metrics.h — Prometheus metrics (owner: observability work).
 */
#ifndef KE_CONTROL_METRICS_H
#define KE_CONTROL_METRICS_H

#include "http/request.h"

enum status metrics_get(struct request *req, struct response *res);

#endif
