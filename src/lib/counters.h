/*
 * counters.h — the counters kept below the HTTP layer, for GET /_emulator/v1/metrics: the
 * scheduler counts the jobs a clock advance runs, the webhook dispatcher its attempts. Each
 * is a relaxed C11 atomic: counting never allocates and never takes a lock, and only a scrape
 * (http/metrics.c) reads them. Process-wide, from zero; they survive resets and restores.
 */
#ifndef KE_LIB_COUNTERS_H
#define KE_LIB_COUNTERS_H

#include <stdint.h>

/* Outcome of one webhook delivery attempt. */
enum metrics_delivery {
    METRICS_DELIVERED,   /* the receiver answered 2xx */
    METRICS_REJECTED,    /* it answered another status */
    METRICS_UNREACHABLE, /* no answer: connection refused, timeout, TLS error... */
};

void metrics_count_delivery(enum metrics_delivery result);

/* Adds the jobs one clock advance ran. */
void metrics_count_jobs(int64_t jobs_run);

/* What was counted so far. */
unsigned long long metrics_deliveries(enum metrics_delivery result);
unsigned long long metrics_jobs_run(void);

#endif
