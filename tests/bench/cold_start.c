/*
 * cold_start.c — how long the emulator takes from exec to its ready file.
 *
 * A shell loop that spins on `[ -s ready ]` costs a core and a fork per look, which on a
 * 2-core machine slows the very start it measures. This spawns the binary, sleeps on
 * inotify until the ready file is renamed into place, and takes the time between the two
 * on the monotonic clock. Each run gets a fresh database unless `existing` is given, in
 * which case one database (migrated by a first, unmeasured run) is reused.
 *
 *   cold_start BIN [RUNS] [fresh|existing] [reference]   prints "median min max" in ms
 *
 * With `reference`, BIN is tests/bench/reference_server (arguments DB READY THREADS, two
 * threads as on the project machine), spawned and watched exactly the same way, so that the
 * two servers' figures make a ratio.
 *
 * Exits 0 unless a start failed; nothing about time is asserted.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS_MAX 200
#define READY_TIMEOUT_MS 10000

extern char **environ;

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Waits until an event on inotify fd names "ready"; 0 when it did, -1 on timeout. */
static int wait_ready(int fd)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    struct pollfd p = {.fd = fd, .events = POLLIN};

    while (poll(&p, 1, READY_TIMEOUT_MS) == 1) {
        ssize_t n = read(fd, buf, sizeof(buf));
        for (char *at = buf; n > 0 && at < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)at;
            if (e->len > 0 && strcmp(e->name, "ready") == 0)
                return 0;
            at += sizeof(*e) + e->len;
        }
    }
    return -1;
}

static void remove_database(const char *dir)
{
    static const char *const names[] = {"db", "db-wal", "db-shm", "ready"};
    char path[PATH_MAX];

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
}

/* One start: the milliseconds from spawn to the ready file, or a negative number. */
static int reference;

static double one_start(const char *bin, const char *dir)
{
    char db[PATH_MAX], ready[PATH_MAX];
    char *emulator_argv[] = {(char *)bin, "--db", db, "--port", "0", "--ready-file", ready, NULL};
    char *reference_argv[] = {(char *)bin, db, ready, "2", NULL};
    char **argv = reference ? reference_argv : emulator_argv;
    posix_spawn_file_actions_t actions;
    double t0, elapsed = -1;
    pid_t pid;
    int fd = inotify_init1(IN_CLOEXEC);

    snprintf(db, sizeof(db), "%s/db", dir);
    snprintf(ready, sizeof(ready), "%s/ready", dir);
    if (fd < 0 || inotify_add_watch(fd, dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
        goto out;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    t0 = now_ms();
    if (posix_spawn(&pid, bin, &actions, NULL, argv, environ) == 0) {
        if (wait_ready(fd) == 0)
            elapsed = now_ms() - t0;
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    posix_spawn_file_actions_destroy(&actions);
out:
    if (fd >= 0)
        close(fd);
    unlink(ready);
    return elapsed;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/keyless-cold-XXXXXX";
    double times[RUNS_MAX];
    int runs = argc > 2 ? atoi(argv[2]) : 10;
    int existing = argc > 3 && strcmp(argv[3], "existing") == 0;
    int rc = 1;

    reference = argc > 4 && strcmp(argv[4], "reference") == 0;
    if (argc < 2 || runs < 1 || runs > RUNS_MAX) {
        fprintf(stderr, "usage: cold_start BIN [RUNS 1..%d] [fresh|existing] [reference]\n",
                RUNS_MAX);
        return 2;
    }
    if (mkdtemp(dir) == NULL) {
        perror("cold_start: mkdtemp");
        return 1;
    }
    if (existing && one_start(argv[1], dir) < 0)
        goto out;
    for (int i = 0; i < runs; i++) {
        if (!existing)
            remove_database(dir);
        if ((times[i] = one_start(argv[1], dir)) < 0) {
            fprintf(stderr, "cold_start: run %d never became ready\n", i + 1);
            goto out;
        }
    }
    qsort(times, (size_t)runs, sizeof(times[0]), by_value);
    printf("%.1f %.1f %.1f\n", times[runs / 2], times[0], times[runs - 1]);
    rc = 0;
out:
    remove_database(dir);
    rmdir(dir);
    return rc;
}
