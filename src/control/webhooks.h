/*
 * webhooks.h — webhook subscriptions and deliveries through the control API (owner:
 * webhooks work).
 */
#ifndef KE_CONTROL_WEBHOOKS_H
#define KE_CONTROL_WEBHOOKS_H

#include "http/request.h"

enum status webhooks_subscribe(struct request *req, struct response *res);
enum status webhooks_subscriptions(struct request *req, struct response *res);
enum status webhooks_unsubscribe(struct request *req, struct response *res);
enum status webhooks_deliveries(struct request *req, struct response *res);
enum status webhooks_redeliver(struct request *req, struct response *res);
enum status webhooks_flush(struct request *req, struct response *res);

#endif
