/*
 * events.h — the control API's read side of the outbox: every event of a system in the
 * order it happened, and the simulated SMS/e-mail messages, so tests can assert without
 * a webhook receiver or a phone.
 */
#ifndef KE_CONTROL_EVENTS_H
#define KE_CONTROL_EVENTS_H

#include "http/request.h"

/* GET /systems/{system-id}/events?type=A,B&after=<event-id>&limit=&next-page-token=&wait=
 * wait=<seconds> (0..30) holds the request until a matching event exists; it waits parked,
 * without holding a worker thread. */
enum status events_list(struct request *req, struct response *res);

/* GET /systems/{system-id}/events/stream?type=A,B&tail=N&after=<event-id>: the same events as
 * Server-Sent Events, live (http/sse.h): `id:` the event id, `event:` its type, `data:` the
 * item GET /events shows. It starts after Last-Event-ID (a reconnect), else after `after`,
 * else with the last `tail` (0..1000, default 0) matching events. A reset, a restore or the
 * system's deletion ends it with `event: end` and data {"reason": "reset" | "restore" |
 * "system-deleted"} ("shutdown" when the server stops). 400 naming Last-Event-ID or after
 * when that is not an event of this system (any more). */
enum status events_stream(struct request *req, struct response *res);

/* GET /systems/{system-id}/outbox-messages */
enum status messages_list(struct request *req, struct response *res);

#endif
