/*
 * clock.h — a system's clock through the control API: read it, advance it (by a duration,
 * to an instant, or to the next scheduled job), freeze it, let it run again.
 */
#ifndef KE_CONTROL_CLOCK_H
#define KE_CONTROL_CLOCK_H

#include "http/request.h"

enum status clock_get(struct request *req, struct response *res);
enum status clock_advance(struct request *req, struct response *res);
enum status clock_freeze_handler(struct request *req, struct response *res);
enum status clock_resume_handler(struct request *req, struct response *res);

#endif
