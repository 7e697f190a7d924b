/*
 * dispatcher.h — webhook delivery thread (owner: webhooks work).
 */
#ifndef KE_EVENTS_DISPATCHER_H
#define KE_EVENTS_DISPATCHER_H

#include "lib/problem.h"

enum status dispatcher_start(void);
void dispatcher_stop(void);

#endif
