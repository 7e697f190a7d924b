#include "control/metrics.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/faults.h"
#include "http/metrics.h"
#include "http/parking.h"
#include "http/response.h"
#include "http/sse.h"
#include "sim/clock.h"
#include "store/outbox.h"
#include "store/storage.h"
#include "store/webhooks.h"

#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define SYSTEMS_BATCH 64

typedef enum status (*system_writer)(FILE *out, struct db *db, const struct system_row *s);

static enum status write_clock(FILE *out, struct db *db, const struct system_row *s)
{
    (void)db;
    fprintf(out, "keyless_emulator_clock_seconds{system_id=\"%s\",mode=\"%s\"} %" PRId64 "\n",
            s->id, s->clock.mode, clock_system_now(s));
    return ST_OK;
}

static enum status write_pending(FILE *out, struct db *db, const struct system_row *s)
{
    struct webhook_summary sum;
    enum status st = store_webhook_summary(db, s->id, clock_system_now(s), &sum);

    if (st == ST_OK)
        fprintf(out, "keyless_emulator_webhook_deliveries_pending{system_id=\"%s\"} %" PRId64 "\n",
                s->id, sum.pending);
    return st;
}

/* Calls write for every system, in creation order. */
static enum status each_system(FILE *out, struct db *db, system_writer write)
{
    struct system_row *rows = calloc(SYSTEMS_BATCH, sizeof(*rows));
    int64_t after = 0;
    size_t n = SYSTEMS_BATCH;
    enum status st = rows == NULL ? ST_NOMEM : ST_OK;

    while (st == ST_OK && n == SYSTEMS_BATCH) {
        st = store_system_list(db, after, rows, SYSTEMS_BATCH, &n);
        for (size_t i = 0; st == ST_OK && i < n; i++)
            st = write(out, db, &rows[i]);
        if (n > 0)
            after = rows[n - 1].seq;
    }
    free(rows);
    return st;
}

/* The gauges read from the database and the fault rules. */
static enum status write_state(FILE *out, struct db *db)
{
    int64_t events = 0;
    uint64_t groups, transactions;
    enum status st = store_outbox_count(db, NULL, &events);

    if (st != ST_OK)
        return st;
    fprintf(out,
            "# HELP keyless_emulator_outbox_events Events in the transactional outbox "
            "(every system's event log).\n# TYPE keyless_emulator_outbox_events gauge\n"
            "keyless_emulator_outbox_events %" PRId64 "\n",
            events);
    db_transact_counts(&groups, &transactions);
    fprintf(out,
            "# HELP keyless_emulator_write_commits_total Commits of the store: each holds one "
            "or more write transactions (group commit).\n"
            "# TYPE keyless_emulator_write_commits_total counter\n"
            "keyless_emulator_write_commits_total %" PRIu64 "\n"
            "# HELP keyless_emulator_write_transactions_total Write transactions committed.\n"
            "# TYPE keyless_emulator_write_transactions_total counter\n"
            "keyless_emulator_write_transactions_total %" PRIu64 "\n",
            groups, transactions);
    fprintf(out,
            "# HELP keyless_emulator_storage_degraded 1 while writes fail for want of disk "
            "space (see /health), else 0.\n"
            "# TYPE keyless_emulator_storage_degraded gauge\n"
            "keyless_emulator_storage_degraded %d\n"
            "# HELP keyless_emulator_storage_full_failures_total Writes that failed because the "
            "disk was full.\n"
            "# TYPE keyless_emulator_storage_full_failures_total counter\n"
            "keyless_emulator_storage_full_failures_total %" PRIu64 "\n",
            storage_degraded(NULL, 0, NULL), storage_full_failures());
    fprintf(out,
            "# HELP keyless_emulator_event_streams Event streams open.\n"
            "# TYPE keyless_emulator_event_streams gauge\nkeyless_emulator_event_streams %d\n"
            "# HELP keyless_emulator_waiting_connections Long polls, flushes and streams that "
            "have waited and are not done, parked or not.\n"
            "# TYPE keyless_emulator_waiting_connections gauge\n"
            "keyless_emulator_waiting_connections %d\n",
            sse_open_streams(), parking_waiters());
    fprintf(out,
            "# HELP keyless_emulator_fault_rules Injected fault rules held.\n"
            "# TYPE keyless_emulator_fault_rules gauge\nkeyless_emulator_fault_rules %zu\n",
            faults_count());
    fprintf(out, "# HELP keyless_emulator_clock_seconds Each system's virtual now, in seconds "
                 "since the Unix epoch.\n# TYPE keyless_emulator_clock_seconds gauge\n");
    st = each_system(out, db, write_clock);
    fprintf(out, "# HELP keyless_emulator_webhook_deliveries_pending Webhook deliveries not yet "
                 "made, including those waiting for a retry.\n"
                 "# TYPE keyless_emulator_webhook_deliveries_pending gauge\n");
    return st != ST_OK ? st : each_system(out, db, write_pending);
}

enum status metrics_get(struct request *req, struct response *res)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    enum status st;

    if (out == NULL)
        return ST_NOMEM;
    metrics_write(out);
    st = write_state(out, req->db);
    if (fclose(out) != 0 && st == ST_OK)
        st = ST_NOMEM;
    if (st == ST_OK)
        st = response_text(res, 200, METRICS_TYPE, text, len);
    free(text);
    return st;
}
