/*
 * autopilot.h — Simulated everyday activity per system.
 */
#ifndef KE_CONTROL_AUTOPILOT_H
#define KE_CONTROL_AUTOPILOT_H

#include "http/request.h"

enum status autopilot_set(struct request *req, struct response *res);

#endif
