/*
 * bench_ca.c — what one certificate costs: ca_issue() (a fresh P-256 key pair and an X.509
 * certificate signed by the emulator CA, both rendered as PEM, as a lock or a phone is
 * provisioned with) timed over BENCH_CERTS issues (default 2000), unseeded and seeded.
 * Prints microseconds per issue; a benchmark (`meson test --benchmark`, `make bench`),
 * never a pass/fail test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/rng.h"
#include "sim/ca.h"
#include "store/db.h"

static double seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(struct db *db, const char *label, int n)
{
    double t0 = seconds();

    for (int i = 0; i < n; i++) {
        char *key = NULL, *cert = NULL;
        if (ca_issue(db, "BPLAD123456 OPERATIONAL", 1700000000, 1731536000, &key, &cert) != ST_OK) {
            fprintf(stderr, "bench_ca: ca_issue failed\n");
            return 1;
        }
        free(key);
        free(cert);
    }
    printf("ca_issue %-9s %8.1f us per certificate (%d issues)\n", label,
           (seconds() - t0) * 1e6 / n, n);
    return 0;
}

int main(void)
{
    const char *env = getenv("BENCH_CERTS");
    int n = env ? atoi(env) : 2000;
    struct db *db;
    int rc;

    rng_init(NULL);
    if (db_open(":memory:") != ST_OK || (db = db_thread()) == NULL) {
        fprintf(stderr, "bench_ca: cannot open the store\n");
        return 1;
    }
    rc = run(db, "unseeded", n);
    rng_init("bench");
    rc = rc || run(db, "seeded", n);
    db_close_all();
    return rc;
}
