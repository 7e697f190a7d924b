/*
 * accesslog.h — what the HTTP layer writes on stderr about requests, as text or as JSON
 * (--log-format): one access line per finished request, and notes (errors, injected faults)
 * that carry the same request id, so a line can be traced to its request either way.
 */
#ifndef KE_HTTP_ACCESSLOG_H
#define KE_HTTP_ACCESSLOG_H

#include "http/request.h"

/* The access line: method, path, status, duration, request id (and system in JSON). */
void accesslog_write(const struct request *req);

/* A note about req at level ("error", "warn"): in text,
 *   keyless-emulator: GET /path: <message> id=<request id>
 * in JSON, {"level", "requestId", "method", "path", "message"} (plus "systemId" when known). */
void accesslog_note(const struct request *req, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
