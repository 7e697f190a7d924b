/*
 * events.h — the control API's read side of the outbox: every event of a system in the
 * order it happened, and the simulated SMS/e-mail messages, so tests can assert without
 * a webhook receiver or a phone.
 */
#ifndef KE_CONTROL_EVENTS_H
#define KE_CONTROL_EVENTS_H

#include "http/request.h"

/* GET /systems/{system-id}/events?type=&after=<event-id>&limit=&next-page-token=&wait=
 * wait=<seconds> (0..30) holds the request until a matching event exists. */
enum status events_list(struct request *req, struct response *res);

/* GET /systems/{system-id}/outbox-messages */
enum status messages_list(struct request *req, struct response *res);

#endif
