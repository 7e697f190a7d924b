/*
 * receiver.h — a loopback HTTP server for the webhook tests to subscribe: every request's
 * body is gathered and handed to the test, which says what to answer.
 */
#ifndef KE_TESTS_RECEIVER_H
#define KE_TESTS_RECEIVER_H

#include <microhttpd.h>
#include <stddef.h>

/* Called once a request's whole body (NUL-terminated, len bytes) has arrived; returns the
 * status to answer and may set *delay_ms, how long to wait before answering. */
typedef unsigned (*receiver_fn)(struct MHD_Connection *c, const char *url, const char *body,
                                size_t len, unsigned *delay_ms);

struct receiver {
    struct MHD_Daemon *daemon;
    unsigned port;
    receiver_fn fn;
};

/* Starts listening on 127.0.0.1 on a free port, a thread per connection; fails the running
 * test when it cannot. */
void receiver_start(struct receiver *r, receiver_fn fn);

void receiver_stop(struct receiver *r);

/* The value of request header name, or NULL. */
const char *receiver_header(struct MHD_Connection *c, const char *name);

/* Whether header (a webhook-signature value) is "v1," and the base64 HMAC-SHA256 of
 * "id.ts.body" under secret ("whsec_" and base64, or the raw key): Standard Webhooks, written
 * independently of the emulator's signature.c. */
int webhook_signature_ok(const char *secret, const char *id, const char *ts, const char *body,
                         const char *header);

#endif
