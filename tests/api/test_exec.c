/*
 * test_exec.c — `keyless-emulator exec [flags] -- CMD ARGS...`, the CI wrapper.
 *
 * CMD sees KEYLESS_EMULATOR_URL (a free port, :memory: by default) and the first fixture
 * system's credentials, reaches the emulator while it runs, and finds it stopped when it
 * ends; the wrapper exits with CMD's status (128 + signal when killed) and with 125 for its
 * own failures. CMD's stdout stays its own. A SIGTERM to the wrapper goes to CMD; a SIGKILL
 * takes the emulator down with the wrapper.
 *
 * CMD is often this test binary itself: `test_api_exec --probe FILE` writes what it sees
 * to FILE (its environment, the health answer, a login with the exported credentials).
 */
#include <check.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define DEMO_SYSTEM "5d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10"
#define DEMO_API_KEY "demo-api-key-7f3c9a1e5b2d4c6a"
#define DEMO_ADMIN "0b1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c20"
#define DEMO_ADMIN_KEY "ZGVtby1hZG1pbi1hY2Nlc3Mta2V5LTAwMDAwMDA="
#define WAIT_STEPS 3000 /* 10 ms apart: 30 s */

static char self[512];
static char scratch[] = "/tmp/ke-exec-XXXXXX";

/* ---- the probe (runs as CMD) ------------------------------------------------------------- */

static int probe(const char *out_path)
{
    static const char *const names[] = {"KEYLESS_EMULATOR_URL", "KEYLESS_EMULATOR_SYSTEM_ID",
                                        "KEYLESS_EMULATOR_API_KEY", "KEYLESS_EMULATOR_USER_ID",
                                        "KEYLESS_EMULATOR_ACCESS_KEY"};
    FILE *f = fopen(out_path, "w");
    const char *url = getenv("KEYLESS_EMULATOR_URL");
    struct emu e = {0};
    struct tenant t = {0};
    struct http_response r;
    long health;

    if (f == NULL || url == NULL)
        return 4;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    for (size_t i = 0; i < N(names); i++)
        fprintf(f, "%s=%s\n", names[i], getenv(names[i]) ? getenv(names[i]) : "");
    snprintf(e.url, sizeof(e.url), "%s", url);
    health = control_call(&e, "GET", "/health", NULL, &r);
    fprintf(f, "health=%ld %s\n", health, r.body ? r.body : "");
    http_response_free(&r);
    if (getenv("KEYLESS_EMULATOR_API_KEY") != NULL) {
        snprintf(t.api_key, sizeof(t.api_key), "%s", getenv("KEYLESS_EMULATOR_API_KEY"));
        fprintf(f, "login=%ld\n",
                tenant_login(&e, &t, getenv("KEYLESS_EMULATOR_USER_ID"),
                             getenv("KEYLESS_EMULATOR_ACCESS_KEY"), NULL, 0));
    }
    fclose(f);
    return health == 200 ? 0 : 3;
}

/* ---- running the wrapper ----------------------------------------------------------------- */

struct run {
    int status; /* exit code, or 128 + signal */
    char out[8192], err[16384];
};

/* Starts `keyless-emulator exec ARGS...` in dir with stdout and stderr to files there. */
static pid_t start_exec(const char *const *args, const char *dir)
{
    const char *bin = getenv("KEYLESS_EMULATOR_BIN");
    const char *argv[64];
    char out[600], err[600];
    int argc = 0;
    pid_t pid;

    argv[argc++] = bin ? bin : "build/keyless-emulator";
    argv[argc++] = "exec";
    for (size_t i = 0; args[i] != NULL && argc < 62; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;
    snprintf(out, sizeof(out), "%s/stdout", dir);
    snprintf(err, sizeof(err), "%s/stderr", dir);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (chdir(dir) != 0)
            _exit(126);
        dup2(fo, 1);
        dup2(fe, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status;

    for (int i = 0; i < WAIT_STEPS; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    ck_abort_msg("exec did not end in 30 s");
    return -1;
}

/* A fresh folder under the scratch one, for a run's files and working directory. */
static void fresh_dir(char *dir, size_t cap)
{
    snprintf(dir, cap, "%s/run-XXXXXX", scratch);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void run_exec(const char *const *args, struct run *run, char *dir, size_t cap)
{
    char path[600];

    fresh_dir(dir, cap);
    run->status = wait_exit(start_exec(args, dir));
    snprintf(path, sizeof(path), "%s/stdout", dir);
    slurp(path, run->out, sizeof(run->out));
    snprintf(path, sizeof(path), "%s/stderr", dir);
    slurp(path, run->err, sizeof(run->err));
}

/* Reads a probe's output with a newline in front, so that every line starts after one. */
static void read_probe(const char *path, char *text, size_t cap)
{
    text[0] = '\n';
    slurp(path, text + 1, cap - 1);
}

/* The value of NAME= in a probe's output (read_probe()); "" when absent. */
static const char *value_of(const char *text, const char *name, char *buf, size_t cap)
{
    char key[128];
    const char *at;

    snprintf(key, sizeof(key), "\n%s=", name);
    buf[0] = '\0';
    at = strstr(text, key);
    if (at != NULL)
        snprintf(buf, cap, "%.*s", (int)strcspn(at + strlen(key), "\n"), at + strlen(key));
    return buf;
}

/* Waits until path exists and holds a line; copies it into buf. */
static void wait_line(const char *path, char *buf, size_t cap)
{
    for (int i = 0; i < WAIT_STEPS; i++) {
        slurp(path, buf, cap);
        if (strchr(buf, '\n') != NULL) {
            buf[strcspn(buf, "\n")] = '\0';
            return;
        }
        sleep_ms(10);
    }
    ck_abort_msg("%s never appeared", path);
}

static long health_status(const char *url)
{
    struct emu e = {0};
    struct http_response r;
    long status;

    ck_assert_uint_lt(strlen(url), sizeof(e.url));
    memcpy(e.url, url, strlen(url) + 1);
    status = control_call(&e, "GET", "/health", NULL, &r);
    http_response_free(&r);
    return status;
}

/* 0 once url no longer answers, within a few seconds. */
static long stopped_within(const char *url, int ms)
{
    long status = 1;

    for (int i = 0; i < ms / 20 && status != 0; i++) {
        status = health_status(url);
        if (status != 0)
            sleep_ms(20);
    }
    return status;
}

/* ---- tests -------------------------------------------------------------------------------- */

START_TEST(cmd_sees_the_url_and_the_first_fixture_system)
{
    char demo[512], dir[128], file[300], text[4096], v[256];
    const char *root = getenv("KEYLESS_EMULATOR_SOURCE_ROOT");
    const char *args[] = {"--fixtures", demo, "--", self, "--probe", file, NULL};
    struct run run;

    snprintf(demo, sizeof(demo), "%s/fixtures/demo.json", root ? root : ".");
    fresh_dir(dir, sizeof(dir));
    snprintf(file, sizeof(file), "%s/probe.txt", dir);
    run.status = wait_exit(start_exec(args, dir));
    ck_assert_int_eq(run.status, 0);
    read_probe(file, text, sizeof(text));
    ck_assert_msg(
        strncmp(value_of(text, "KEYLESS_EMULATOR_URL", v, sizeof(v)), "http://127.0.0.1:", 17) == 0,
        "%s", text);
    ck_assert_str_ne(v + 17, "8080");
    ck_assert_str_eq(value_of(text, "KEYLESS_EMULATOR_SYSTEM_ID", v, sizeof(v)), DEMO_SYSTEM);
    ck_assert_str_eq(value_of(text, "KEYLESS_EMULATOR_API_KEY", v, sizeof(v)), DEMO_API_KEY);
    ck_assert_str_eq(value_of(text, "KEYLESS_EMULATOR_USER_ID", v, sizeof(v)), DEMO_ADMIN);
    ck_assert_str_eq(value_of(text, "KEYLESS_EMULATOR_ACCESS_KEY", v, sizeof(v)), DEMO_ADMIN_KEY);
    ck_assert_ptr_nonnull(strstr(text, "health=200 "));
    ck_assert_ptr_nonnull(strstr(text, "login=200"));
    /* The wrapper stopped the emulator when CMD ended. */
    value_of(text, "KEYLESS_EMULATOR_URL", v, sizeof(v));
    ck_assert_int_eq(health_status(v), 0);
}
END_TEST

START_TEST(without_fixtures_only_the_url_is_exported)
{
    char dir[128], file[300], text[4096], v[256];
    const char *args[] = {"--", self, "--probe", file, NULL};

    fresh_dir(dir, sizeof(dir));
    snprintf(file, sizeof(file), "%s/probe.txt", dir);
    ck_assert_int_eq(wait_exit(start_exec(args, dir)), 0);
    read_probe(file, text, sizeof(text));
    ck_assert_str_ne(value_of(text, "KEYLESS_EMULATOR_URL", v, sizeof(v)), "");
    ck_assert_str_eq(value_of(text, "KEYLESS_EMULATOR_SYSTEM_ID", v, sizeof(v)), "");
    ck_assert_ptr_null(strstr(text, "login="));
    /* :memory: by default: nothing was written to the working directory. */
    snprintf(file, sizeof(file), "%s/keyless-emulator.db", dir);
    ck_assert_int_ne(access(file, F_OK), 0);
}
END_TEST

START_TEST(flags_reach_the_emulator)
{
    char dir[128], file[300], text[4096];
    const char *args[] = {"--production", "--seed", "9", "--", self, "--probe", file, NULL};

    fresh_dir(dir, sizeof(dir));
    snprintf(file, sizeof(file), "%s/probe.txt", dir);
    ck_assert_int_eq(wait_exit(start_exec(args, dir)), 0);
    read_probe(file, text, sizeof(text));
    ck_assert_msg(strstr(text, "\"production\":true") != NULL, "%s", text);
}
END_TEST

static const struct {
    const char *script;
    int status;
} statuses[] = {
    {"exit 0", 0},
    {"exit 3", 3},
    {"exit 124", 124},
    {"kill -TERM $$", 128 + SIGTERM},
    {"kill -KILL $$", 128 + SIGKILL},
};

START_TEST(exits_with_the_status_of_cmd)
{
    const char *args[] = {"--", "/bin/sh", "-c", statuses[_i].script, NULL};
    struct run run;
    char dir[128];

    run_exec(args, &run, dir, sizeof(dir));
    ck_assert_msg(run.status == statuses[_i].status, "'%s': %d, stderr %s", statuses[_i].script,
                  run.status, run.err);
}
END_TEST

START_TEST(stdout_belongs_to_cmd)
{
    const char *args[] = {"--", "/bin/sh", "-c", "echo hello; echo oops >&2", NULL};
    struct run run;
    char dir[128];

    run_exec(args, &run, dir, sizeof(dir));
    ck_assert_int_eq(run.status, 0);
    ck_assert_str_eq(run.out, "hello\n");
    ck_assert_ptr_nonnull(strstr(run.err, "listening on http://127.0.0.1:"));
    ck_assert_ptr_nonnull(strstr(run.err, "oops"));
}
END_TEST

static const struct {
    const char *args[6];
    const char *says; /* on stderr */
} failures[] = {
    {{"--port", "http", "--", "touch", "ran", NULL}, "bad value 'http' for --port"},
    {{"--bogus", "--", "touch", "ran", NULL}, "unknown or incomplete flag"},
    {{"--port", "0", NULL}, "exec needs a command"},
    {{"--", NULL}, "exec needs a command"},
    {{"--", "/nonexistent/command", NULL}, "cannot run '/nonexistent/command'"},
    {{"--fixtures", "/nonexistent/fixture.json", "--", "touch", "ran", NULL},
     "the emulator did not start"},
    {{"--db", "/nonexistent/dir/x.db", "--", "touch", "ran", NULL}, "the emulator did not start"},
};

START_TEST(own_failures_exit_125_without_running_cmd)
{
    struct run run;
    char dir[128], ran[200];

    run_exec(failures[_i].args, &run, dir, sizeof(dir));
    ck_assert_msg(run.status == 125, "row %d: %d, stderr %s", _i, run.status, run.err);
    ck_assert_msg(strstr(run.err, failures[_i].says) != NULL, "row %d: stderr %s", _i, run.err);
    snprintf(ran, sizeof(ran), "%s/ran", dir);
    ck_assert_int_ne(access(ran, F_OK), 0);
}
END_TEST

START_TEST(help_exits_0)
{
    const char *args[] = {"--help", NULL};
    struct run run;
    char dir[128];

    run_exec(args, &run, dir, sizeof(dir));
    ck_assert_int_eq(run.status, 0);
    ck_assert_ptr_nonnull(strstr(run.out, "keyless-emulator exec [flags] -- CMD"));
    ck_assert_ptr_nonnull(strstr(run.out, "KEYLESS_EMULATOR_URL"));
}
END_TEST

/* CMD writes the URL and its pid, then sleeps until a signal. */
static pid_t start_sleeper(char *dir, size_t cap, char *url, char *cmd_pid)
{
    char file[300];
    const char *args[] = {"--", "/bin/sh", "-c",
                          "echo \"$$ $KEYLESS_EMULATOR_URL\" > info.tmp && mv info.tmp info && "
                          "exec sleep 60",
                          NULL};
    char line[512];
    pid_t pid;

    fresh_dir(dir, cap);
    pid = start_exec(args, dir);
    snprintf(file, sizeof(file), "%s/info", dir);
    wait_line(file, line, sizeof(line));
    snprintf(cmd_pid, 32, "%.*s", (int)strcspn(line, " "), line);
    snprintf(url, 256, "%s", strchr(line, ' ') + 1);
    ck_assert_int_eq(health_status(url), 200);
    return pid;
}

START_TEST(sigterm_to_the_wrapper_goes_to_cmd)
{
    char dir[128], url[256], cmd_pid[32];
    pid_t wrapper = start_sleeper(dir, sizeof(dir), url, cmd_pid);

    ck_assert_int_eq(kill(wrapper, SIGTERM), 0);
    ck_assert_int_eq(wait_exit(wrapper), 128 + SIGTERM);
    ck_assert_int_eq(stopped_within(url, 5000), 0);
    ck_assert_int_ne(kill((pid_t)atol(cmd_pid), 0), 0); /* CMD is gone too */
}
END_TEST

START_TEST(sigkill_of_the_wrapper_takes_the_emulator_down)
{
    char dir[128], url[256], cmd_pid[32];
    pid_t wrapper = start_sleeper(dir, sizeof(dir), url, cmd_pid);

    ck_assert_int_eq(kill(wrapper, SIGKILL), 0);
    ck_assert_int_eq(wait_exit(wrapper), 128 + SIGKILL);
    ck_assert_int_eq(stopped_within(url, 5000), 0);
    kill((pid_t)atol(cmd_pid), SIGKILL); /* the orphaned sleep, which nobody signalled */
}
END_TEST

static Suite *exec_suite(void)
{
    Suite *s = suite_create("exec");
    TCase *tc = tcase_create("exec");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, cmd_sees_the_url_and_the_first_fixture_system);
    tcase_add_test(tc, without_fixtures_only_the_url_is_exported);
    tcase_add_test(tc, flags_reach_the_emulator);
    tcase_add_loop_test(tc, exits_with_the_status_of_cmd, 0, N(statuses));
    tcase_add_test(tc, stdout_belongs_to_cmd);
    tcase_add_loop_test(tc, own_failures_exit_125_without_running_cmd, 0, N(failures));
    tcase_add_test(tc, help_exits_0);
    tcase_add_test(tc, sigterm_to_the_wrapper_goes_to_cmd);
    tcase_add_test(tc, sigkill_of_the_wrapper_takes_the_emulator_down);
    suite_add_tcase(s, tc);
    return s;
}

static int remove_tree(const char *dir)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

int main(int argc, char **argv)
{
    SRunner *sr;
    int failures_count;
    ssize_t len;

    if (argc == 3 && strcmp(argv[1], "--probe") == 0)
        return probe(argv[2]);
    len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len <= 0 || mkdtemp(scratch) == NULL)
        return 1;
    self[len] = '\0';
    sr = srunner_create(exec_suite());
    srunner_run_all(sr, CK_NORMAL);
    failures_count = srunner_ntests_failed(sr);
    srunner_free(sr);
    remove_tree(scratch);
    return failures_count == 0 ? 0 : 1;
}
