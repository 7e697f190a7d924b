/*
 * jobs.h — what a system's clock will make happen next, read through the control API.
 */
#ifndef KE_CONTROL_JOBS_H
#define KE_CONTROL_JOBS_H

#include "http/request.h"

/* GET /_emulator/v1/systems/{id}/jobs?limit=&next-page-token=: the system's scheduled jobs
 * in the order an advance runs them (due time, then when they were scheduled), paged like
 * every list: {items: [{kind, dueDatetime, subjectType, subjectId, summary, ...}],
 * nextPageToken?}. A job already due on a real clock is still listed until the scheduler
 * has run it. 404 for an unknown system. */
enum status jobs_list(struct request *req, struct response *res);

#endif
