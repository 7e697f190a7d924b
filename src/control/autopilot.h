/*
 * autopilot.h — Simulated everyday activity per system.
 */
#ifndef KE_CONTROL_AUTOPILOT_H
#define KE_CONTROL_AUTOPILOT_H

#include "http/request.h"

/* POST /systems/{id}/autopilot {enabled, opensPerUserPerDay?, batteryEventsPerMonth?}: 200
 * the setting. */
enum status autopilot_set(struct request *req, struct response *res);

/* GET /systems/{id}/autopilot: 200 {enabled, opensPerUserPerDay, batteryEventsPerMonth};
 * off with the default rates for a system that never set one. */
enum status autopilot_get(struct request *req, struct response *res);

#endif
