#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "control/fixtures.h"
#include "control/health.h"
#include "events/dispatcher.h"
#include "events/outbox.h"
#include "http/paging.h"
#include "http/server.h"
#include "lib/rng.h"
#include "sim/gateways.h"
#include "sim/scheduler.h"
#include "store/checkpoint.h"
#include "store/db.h"
#include "store/faulty_disk.h"
#include "store/snapshots.h"
#include "store/template.h"

#define READY_MAX 4096
#define STOP_WAIT_STEPS 200 /* 50 ms apart: ten seconds for the server to stop */

/* ---- serving ----------------------------------------------------------------------- */

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

static const struct fixture_system *first_system(const struct fixture_result *results, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (results[i].count > 0)
            return &results[i].systems[0];
    return NULL;
}

/* What exec exports to CMD, one NAME=VALUE a line, closed by an empty line. */
static int write_ready_fd(int fd, const char *base_url, const struct fixture_result *results,
                          size_t n)
{
    const struct fixture_system *s = first_system(results, n);
    int rc = dprintf(fd, "KEYLESS_EMULATOR_URL=%s\n", base_url);

    if (rc >= 0 && s != NULL)
        rc = dprintf(fd,
                     "KEYLESS_EMULATOR_SYSTEM_ID=%s\nKEYLESS_EMULATOR_API_KEY=%s\n"
                     "KEYLESS_EMULATOR_USER_ID=%s\nKEYLESS_EMULATOR_ACCESS_KEY=%s\n",
                     s->id, s->api_key, s->admin_user_id, s->admin_access_key);
    if (rc >= 0)
        rc = dprintf(fd, "\n");
    close(fd);
    return rc < 0 ? -1 : 0;
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

static void print_banner(FILE *out, const char *base_url, const struct fixture_result *results,
                         size_t n)
{
    fprintf(out, "keyless-emulator %s listening on %s\n", KE_VERSION, base_url);
    fprintf(out, "  Administration API: %s/administration\n", base_url);
    fprintf(out, "  Control API:        %s/_emulator/v1\n", base_url);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < results[i].count; j++) {
            const struct fixture_system *s = &results[i].systems[j];
            fprintf(out, "system %s (%s)%s\n  apiKey:    %s\n  userId:    %s\n  accessKey: %s\n",
                    s->id, s->name, s->existed ? " [already in the database]" : "", s->api_key,
                    s->admin_user_id, s->admin_access_key);
        }
    }
    fflush(out);
}

/* Everything up to accepting connections; *srv and base_url are set on success. */
static enum status start(const struct options *opts, struct fixture_result *results,
                         struct server **srv, char *base_url, size_t len)
{
    rng_init(opts->seed);
    health_init();
    sim_gateways_listen();
    db_use_template(&schema_template);
    db_on_commit(outbox_announce);
    if (opts->test_disk_full_file != NULL &&
        faulty_disk_install(opts->test_disk_full_file) != ST_OK)
        return ST_INTERNAL;
    if (paging_seed() != ST_OK || db_open(opts->db_path) != ST_OK ||
        paging_init(db_thread()) != ST_OK)
        return ST_INTERNAL;
    if (load_fixtures(opts, results) != ST_OK)
        return ST_INVALID;
    if (checkpoint_start() != ST_OK || scheduler_start() != ST_OK || dispatcher_start() != ST_OK)
        return ST_INTERNAL;
    return server_start(opts, srv, base_url, len);
}

int exec_serve(const struct options *opts, int ready_fd)
{
    struct fixture_result results[OPTIONS_MAX_FIXTURES] = {0};
    struct server *srv = NULL;
    char base_url[300];
    sigset_t stop_signals;
    int rc = 1, sig;

    /* Blocked before any thread starts, so that every thread inherits the mask and the
     * signal can only be taken by sigwait() below. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (start(opts, results, &srv, base_url, sizeof(base_url)) != ST_OK)
        goto out;
    print_banner(ready_fd >= 0 ? stderr : stdout, base_url, results, opts->nfixtures);
    if (opts->ready_file != NULL && write_ready_file(opts->ready_file, base_url) != 0) {
        perror("keyless-emulator: cannot write the ready file");
        goto out;
    }
    if (ready_fd >= 0 && write_ready_fd(ready_fd, base_url, results, opts->nfixtures) != 0)
        goto out;
    sigwait(&stop_signals, &sig);
    fprintf(stderr, "keyless-emulator: %s received, stopping\n", strsignal(sig));
    rc = 0;
out:
    server_stop(srv);
    scheduler_stop();
    dispatcher_stop();
    checkpoint_stop();
    db_close_all();
    store_snapshots_release();
    for (size_t i = 0; i < opts->nfixtures; i++)
        fixtures_result_release(&results[i]);
    return rc;
}

/* ---- exec -------------------------------------------------------------------------- */

static volatile sig_atomic_t command_pid;

/* SIGTERM and SIGHUP meant for the wrapper go to CMD, which decides how to end. */
static void forward_signal(int sig)
{
    if (command_pid > 0)
        kill((pid_t)command_pid, sig);
}

/* The server child: its own process group (a terminal's Ctrl-C is for CMD), and it dies
 * when the wrapper does, even by SIGKILL. */
static void run_server_child(const struct options *opts, int ready_fd, pid_t wrapper)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != wrapper)
        _exit(1);
    exit(exec_serve(opts, ready_fd));
}

/* Reads the server's NAME=VALUE lines into the environment. -1 when it ended first. */
static int import_ready(int fd)
{
    char buf[READY_MAX], *line, *next;
    size_t len = 0;
    ssize_t got;

    while (len < sizeof(buf) - 1 && (got = read(fd, buf + len, sizeof(buf) - 1 - len)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        len += (size_t)got;
        buf[len] = '\0';
        if (strstr(buf, "\n\n") != NULL)
            break;
    }
    buf[len] = '\0';
    if (strstr(buf, "\n\n") == NULL)
        return -1;
    for (line = buf; *line != '\n'; line = next) {
        char *eq = strchr(line, '=');
        next = strchr(line, '\n') + 1;
        next[-1] = '\0';
        if (eq == NULL)
            return -1;
        *eq = '\0';
        setenv(line, eq + 1, 1);
    }
    return 0;
}

/* Forks and execs CMD; reports exec's errno through a close-on-exec pipe, so that a
 * command that cannot run is told apart from one that exits 127. */
static pid_t spawn_command(char **cmd)
{
    int report[2], err = 0;
    pid_t pid;

    if (pipe2(report, O_CLOEXEC) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        close(report[0]);
        execvp(cmd[0], cmd);
        err = errno;
        if (write(report[1], &err, sizeof(err)) < 0)
            _exit(EXEC_FAILED);
        _exit(EXEC_FAILED);
    }
    close(report[1]);
    if (pid > 0 && read(report[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
        fprintf(stderr, "keyless-emulator: exec: cannot run '%s': %s\n", cmd[0], strerror(err));
        waitpid(pid, NULL, 0);
        pid = -1;
    }
    close(report[0]);
    return pid;
}

/* SIGTERM, then SIGKILL if it has not stopped within STOP_WAIT_STEPS. */
static void stop_server(pid_t server)
{
    for (int i = 0; i < STOP_WAIT_STEPS; i++) {
        if (i == 0)
            kill(server, SIGTERM);
        if (waitpid(server, NULL, WNOHANG) == server)
            return;
        usleep(50000);
    }
    kill(server, SIGKILL);
    waitpid(server, NULL, 0);
}

static int wait_command(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return EXEC_FAILED;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : EXEC_FAILED;
}

static void handle_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = forward_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* As system(3) does: the terminal sends these to CMD itself. */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
}

int exec_main(int argc, char **argv)
{
    struct options opts;
    int ready[2], command = 0, rc = options_parse_exec(&opts, argc, argv, &command);
    pid_t wrapper = getpid(), server, cmd;

    if (rc != 0)
        return rc == 1 ? 0 : EXEC_FAILED;
    fflush(NULL);
    if (pipe2(ready, O_CLOEXEC) != 0 || (server = fork()) < 0) {
        perror("keyless-emulator: exec");
        return EXEC_FAILED;
    }
    if (server == 0) {
        close(ready[0]);
        run_server_child(&opts, ready[1], wrapper);
    }
    close(ready[1]);
    rc = import_ready(ready[0]);
    close(ready[0]);
    if (rc != 0) {
        fprintf(stderr, "keyless-emulator: exec: the emulator did not start\n");
        stop_server(server);
        return EXEC_FAILED;
    }
    handle_signals();
    cmd = spawn_command(argv + command);
    command_pid = cmd;
    rc = cmd > 0 ? wait_command(cmd) : EXEC_FAILED;
    command_pid = 0;
    stop_server(server);
    return rc;
}
