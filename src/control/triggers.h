/*
 * triggers.h — "make any event happen": POST /systems/{system-id}/trigger {eventType} runs
 * the shortest real story through the simulated world that makes the system emit that
 * vendor event (sim/stories.h), all of it in one transaction, its events to the outbox and
 * the webhooks like any other, and answers what happened.
 */
#ifndef KE_CONTROL_TRIGGERS_H
#define KE_CONTROL_TRIGGERS_H

#include "http/request.h"

/* 200 {eventType, story, created: [{kind, id}], deleted: [{kind, id}], emitted: [{eventId,
 * eventType}]}; 400 naming eventType when it is missing or no vendor event type; 404 for an
 * unknown system; 500 when the story did not emit the event (nothing is written then). */
enum status triggers_run(struct request *req, struct response *res);

#endif
