/*
 * metrics.h — GET /_emulator/v1/metrics: Prometheus text format 0.0.4.
 *
 * The in-memory counters (http/metrics.h: requests by route and status, latencies, webhook
 * attempts, jobs, faults, start time and uptime) followed by gauges read at scrape time:
 * outbox events, fault rules, each system's virtual clock and pending webhook deliveries.
 */
#ifndef KE_CONTROL_METRICS_H
#define KE_CONTROL_METRICS_H

#include "http/request.h"

enum status metrics_get(struct request *req, struct response *res);

#endif
