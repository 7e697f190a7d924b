/*
 * server.h — the HTTP server: libmicrohttpd's thread pool with epoll, three surfaces on one
 * port (/administration, /_emulator/v1, and the dashboard's files at /).
 *
 * For every request, before any handler: route match (404, 405 with Allow), the 1 MiB body
 * cap (413), authentication of the route's class, media type (415) and JSON parsing (400).
 */
#ifndef KE_HTTP_SERVER_H
#define KE_HTTP_SERVER_H

#include "lib/problem.h"
#include "options.h"

struct server;

/* Starts listening. *base_url receives "http://host:port" (at least 128 bytes). */
enum status server_start(const struct options *opts, struct server **out, char *base_url,
                         size_t base_url_len);

/* Stops accepting, finishes in-flight requests, and frees the server. */
void server_stop(struct server *srv);

#endif
