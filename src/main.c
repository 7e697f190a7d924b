/*
 * main.c — flags and environment, start, stop. No business logic lives here.
 *
 * SIGINT and SIGTERM are blocked before any thread starts and awaited with sigwait() in
 * this thread, so a signal landing on a server thread cannot be missed.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/fixtures.h"
#include "control/health.h"
#include "events/dispatcher.h"
#include "http/paging.h"
#include "http/server.h"
#include "lib/rng.h"
#include "options.h"
#include "sim/scheduler.h"
#include "store/db.h"

/* Writes the ready file atomically, so a watcher never reads half a URL. */
static int write_ready_file(const char *path, const char *base_url)
{
    char tmp[4096];
    FILE *f;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return -1;
    f = fopen(tmp, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "%s\n", base_url);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

static enum status load_fixtures(const struct options *opts, struct fixture_result *results)
{
    struct db *db = db_thread();

    for (size_t i = 0; i < opts->nfixtures; i++) {
        enum status st = fixtures_load_file(db, opts->fixtures[i], &results[i]);
        if (st != ST_OK)
            return st;
    }
    return ST_OK;
}

static void print_banner(const char *base_url, const struct fixture_result *results, size_t n)
{
    printf("keyless-emulator %s listening on %s\n", KE_VERSION, base_url);
    printf("  Administration API: %s/administration\n", base_url);
    printf("  Control API:        %s/_emulator/v1\n", base_url);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < results[i].count; j++) {
            const struct fixture_system *s = &results[i].systems[j];
            printf("system %s (%s)%s\n  apiKey:    %s\n  userId:    %s\n  accessKey: %s\n",
                   s->id, s->name, s->existed ? " [already in the database]" : "", s->api_key,
                   s->admin_user_id, s->admin_access_key);
        }
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    struct options opts;
    struct fixture_result results[OPTIONS_MAX_FIXTURES] = {0};
    struct server *srv = NULL;
    char base_url[300];
    sigset_t stop_signals;
    int rc = options_parse(&opts, argc, argv), sig;

    if (rc != 0)
        return rc == 1 ? 0 : rc;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    rng_init(opts.seed);
    health_init();
    rc = 1;
    if (db_open(opts.db_path) != ST_OK || paging_init(db_thread()) != ST_OK)
        goto out;
    if (load_fixtures(&opts, results) != ST_OK)
        goto out;
    if (scheduler_start() != ST_OK || dispatcher_start() != ST_OK)
        goto out;
    if (server_start(&opts, &srv, base_url, sizeof(base_url)) != ST_OK)
        goto out;
    print_banner(base_url, results, opts.nfixtures);
    if (opts.ready_file != NULL && write_ready_file(opts.ready_file, base_url) != 0) {
        perror("keyless-emulator: cannot write the ready file");
        goto out;
    }
    sigwait(&stop_signals, &sig);
    fprintf(stderr, "keyless-emulator: %s received, stopping\n", strsignal(sig));
    rc = 0;
out:
    server_stop(srv);
    scheduler_stop();
    dispatcher_stop();
    db_close_all();
    for (size_t i = 0; i < opts.nfixtures; i++)
        fixtures_result_release(&results[i]);
    return rc;
}
