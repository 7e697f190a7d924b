#include "control/webhooks.h"

/* Placeholder until the owner lands the real handlers. */
enum status webhooks_subscribe(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "webhooks_subscribe: pending");
}

enum status webhooks_subscriptions(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "webhooks_subscriptions: pending");
}

enum status webhooks_unsubscribe(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "webhooks_unsubscribe: pending");
}

enum status webhooks_deliveries(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "webhooks_deliveries: pending");
}

enum status webhooks_redeliver(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "webhooks_redeliver: pending");
}

enum status webhooks_flush(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "webhooks_flush: pending");
}

