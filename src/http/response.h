/*
 * response.h — the one place where statuses become HTTP.
 *
 * A table maps each enum status to its HTTP status; every failure is rendered as
 * application/problem+json (type, title, status, detail, instance, invalidParams). Every
 * answer carries X-Request-Id and X-Emulator-Version; Administration API answers whose
 * caller's system is known also carry X-Emulator-Time, the system's virtual now (RFC 3339).
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

/* Queues len bytes of body, which outlive the server (embedded files: not copied), with a
 * content type (NULL: none) and extra headers given as name, value, ..., NULL (may be NULL).
 * Returns an MHD_Result. */
int response_send_static(struct request *req, unsigned status, const char *type, const void *body,
                         size_t len, const char *const *headers);

/* Queues a libmicrohttpd response that the caller made (an event stream) with the headers
 * every answer carries plus headers (as for response_send_static); consumes it. */
int response_queue_raw(struct request *req, unsigned status, const char *type, void *mhd_response,
                       const char *const *headers);

/* Queues the problem+json answer of an injected fault: status (400..599), with a detail
 * naming the fault and saying the request was not processed. Returns an MHD_Result. */
int response_send_injected(struct request *req, int status, const char *fault_id);

/* For handlers whose answer is not JSON (Prometheus metrics): sets res to send len bytes of
 * text (copied) as type (a string literal). The text travels as a json-c string tagged with
 * its media type (json-c userdata), so struct response keeps one body field and one owner. */
enum status response_text(struct response *res, int status, const char *type, const char *text,
                          size_t len);

#endif
