/*
 * metrics.h — the emulator's counters, kept in memory for GET /_emulator/v1/metrics.
 *
 * Counting never allocates and never takes a lock: every counter is a relaxed C11 atomic in
 * an array sized at compile time, so HTTP workers (per request), the scheduler (per clock
 * advance) and the webhook dispatcher (per attempt) may all count at any moment. Requests
 * are kept per route and per HTTP status: a route's slot is its position in its table
 * (src/admin/routes.c first, then src/control/routes.c), plus one slot for the index page and
 * one for paths no route matches; statuses 100..599 each have their own counter. Only
 * metrics_write() walks the arrays (a scrape), and only it formats text.
 *
 * The scheduler and the dispatcher, below the HTTP layer, count in lib/counters.h. Counters are
 * process-wide and start at zero; they survive POST /reset and snapshot restores, like any
 * Prometheus counter.
 */
#ifndef KE_HTTP_METRICS_H
#define KE_HTTP_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "lib/counters.h" /* the scheduler's and the dispatcher's counters, written here */

struct request;

/* Effects of an injected fault (a firing may have two: latency and then status or reset). */
enum metrics_fault {
    METRICS_FAULT_STATUS,
    METRICS_FAULT_LATENCY,
    METRICS_FAULT_RESET,
};

/* Remembers when the server started (process_start_time_seconds, uptime). Call once, before
 * the server accepts connections. */
void metrics_init(void);

/* Counts an answered request as its answer is queued: its route (req->match.route, or the
 * index page, or none), its HTTP status (req->status) and its latency from req->started_ns
 * (headers received) to now. A request that gets no answer (a dropped connection) is not
 * counted. */
void metrics_count_request(const struct request *req);

void metrics_count_fault(enum metrics_fault effect);

/* Writes every in-memory metric in the Prometheus text format 0.0.4 (HELP, TYPE, samples). */
void metrics_write(FILE *out);

#endif
