/*
 * accesslog.h — one line per finished request on stderr, as text or as JSON.
 */
#ifndef KE_HTTP_ACCESSLOG_H
#define KE_HTTP_ACCESSLOG_H

#include "http/request.h"

void accesslog_write(const struct request *req);

#endif
