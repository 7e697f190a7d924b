#include "lib/counters.h"

#include <stdatomic.h>

static atomic_ullong deliveries[METRICS_UNREACHABLE + 1];
static atomic_ullong jobs_run;

void metrics_count_delivery(enum metrics_delivery result)
{
    atomic_fetch_add_explicit(&deliveries[result], 1, memory_order_relaxed);
}

void metrics_count_jobs(int64_t n)
{
    if (n > 0)
        atomic_fetch_add_explicit(&jobs_run, (unsigned long long)n, memory_order_relaxed);
}

unsigned long long metrics_deliveries(enum metrics_delivery result)
{
    return atomic_load_explicit(&deliveries[result], memory_order_relaxed);
}

unsigned long long metrics_jobs_run(void)
{
    return atomic_load_explicit(&jobs_run, memory_order_relaxed);
}
