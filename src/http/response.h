/*
 * response.h — the one place where statuses become HTTP.
 *
 * A table maps each enum status to its HTTP status; every failure is rendered as
 * application/problem+json (type, title, status, detail, instance, invalidParams).
 */
#ifndef KE_HTTP_RESPONSE_H
#define KE_HTTP_RESPONSE_H

#include "http/request.h"

#define VENDOR_MEDIA_TYPE "application/vnd.assaabloy.keyless.administration-2+json"

/* The HTTP status for a failure status. */
unsigned response_http_status(enum status st);

/* The reason phrase of an HTTP status ("Not Found"). */
const char *response_reason(unsigned http_status);

/* Queues the answer: res on success, else the problem for st. success_type is the
 * Content-Type of a successful JSON body. Returns an MHD_Result. */
int response_send(struct request *req, enum status st, struct response *res,
                  const char *success_type);

/* Queues a fixed body with a content type (the index page). */
int response_send_text(struct request *req, unsigned status, const char *type, const char *body);

#endif
