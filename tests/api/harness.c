#include "harness.h"

#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <arpa/inet.h>
#include <ftw.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double now_ms(void)
{
    return now_s() * 1e3;
}

static int spawn(struct emu *e, const char *const *extra)
{
    const char *bin = getenv("KEYLESS_EMULATOR_BIN");
    char ready[300], out[300], err[300];
    const char *argv[64];
    int argc = 0, has_db = 0;

    if (bin == NULL)
        bin = "build/keyless-emulator";
    snprintf(ready, sizeof(ready), "%s/ready", e->dir);
    snprintf(out, sizeof(out), "%s/stdout.log", e->dir);
    snprintf(err, sizeof(err), "%s/stderr.log", e->dir);
    unlink(ready);
    argv[argc++] = bin;
    argv[argc++] = "--port";
    argv[argc++] = "0";
    argv[argc++] = "--ready-file";
    argv[argc++] = ready;
    for (size_t i = 0; extra && extra[i] && argc < 60; i++) {
        if (strcmp(extra[i], "--db") == 0)
            has_db = 1;
        argv[argc++] = extra[i];
    }
    if (!has_db) {
        argv[argc++] = "--db";
        argv[argc++] = ":memory:";
    }
    argv[argc] = NULL;
    e->pid = fork();
    if (e->pid < 0)
        return -1;
    if (e->pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
        int fe = open(err, O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(fo, 1);
        dup2(fe, 2);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    for (int i = 0; i < 2000; i++) { /* up to 20 s: sanitizer builds start slower */
        FILE *f = fopen(ready, "r");
        if (f != NULL) {
            int ok = fgets(e->url, sizeof(e->url), f) != NULL;
            fclose(f);
            if (ok) {
                e->url[strcspn(e->url, "\n")] = '\0';
                return 0;
            }
        }
        if (waitpid(e->pid, NULL, WNOHANG) == e->pid) {
            e->pid = 0;
            return -1;
        }
        sleep_ms(10);
    }
    return -1;
}

/* Every scratch folder of this process lives under one root, removed when the process that
 * made it exits (Check's forked test children exit too, and must leave it alone). */
static char scratch_root[64];
static pid_t scratch_owner;

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_scratch_root(void)
{
    if (getpid() == scratch_owner && scratch_root[0] != '\0')
        nftw(scratch_root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int make_scratch_dir(char *out, size_t cap)
{
    if (scratch_root[0] == '\0') {
        snprintf(scratch_root, sizeof(scratch_root), "/tmp/ke-test-%ld-XXXXXX", (long)getpid());
        if (mkdtemp(scratch_root) == NULL)
            return -1;
        scratch_owner = getpid();
        atexit(remove_scratch_root);
    }
    snprintf(out, cap, "%s/emu-XXXXXX", scratch_root);
    return mkdtemp(out) == NULL ? -1 : 0;
}

int emu_start(struct emu *e, const char *const *extra_args)
{
    memset(e, 0, sizeof(*e));
    if (make_scratch_dir(e->dir, sizeof(e->dir)) != 0)
        return -1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return spawn(e, extra_args);
}

int emu_start_file(struct emu *e, const char *file, char *db_path, size_t cap)
{
    const char *args[] = {"--db", db_path, NULL};

    memset(e, 0, sizeof(*e));
    if (make_scratch_dir(e->dir, sizeof(e->dir)) != 0)
        return -1;
    snprintf(db_path, cap, "%s/%s", e->dir, file);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return spawn(e, args);
}

int emu_restart(struct emu *e, const char *const *extra_args)
{
    return spawn(e, extra_args);
}

int emu_stop(struct emu *e)
{
    int status = 0;

    if (e->pid <= 0)
        return -1;
    kill(e->pid, SIGTERM);
    if (waitpid(e->pid, &status, 0) != e->pid)
        return -1;
    e->pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void emu_kill(struct emu *e)
{
    if (e->pid <= 0)
        return;
    kill(e->pid, SIGKILL);
    waitpid(e->pid, NULL, 0);
    e->pid = 0;
}

size_t http_collect(char *ptr, size_t size, size_t n, void *userdata)
{
    struct http_buffer *b = userdata;
    char *grown = realloc(b->data, b->len + size * n + 1);

    if (grown == NULL)
        return 0;
    memcpy(grown + b->len, ptr, size * n);
    b->len += size * n;
    grown[b->len] = '\0';
    b->data = grown;
    return size * n;
}

long http_call(const char *method, const char *url, const char *const *headers, const char *body,
               struct http_response *out)
{
    return http_call_within(HTTP_TIMEOUT_S, method, url, headers, body, out);
}

long http_call_within(long timeout_s, const char *method, const char *url,
                      const char *const *headers, const char *body, struct http_response *out)
{
    CURL *curl = curl_easy_init();
    struct curl_slist *list = NULL;
    struct http_buffer b = {calloc(1, 1), 0}, h = {calloc(1, 1), 0};

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, http_collect);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_s);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    out->body = b.data;
    out->body_len = b.len;
    out->headers = h.data;
    out->json = b.len > 0 ? json_tokener_parse(b.data) : NULL;
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return out->status;
}

const char *http_header(const struct http_response *r, const char *name, char *buf, size_t cap)
{
    size_t n = strlen(name);

    for (const char *line = r->headers; line && *line; line = strchr(line, '\n')) {
        if (*line == '\n')
            line++;
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            if (len >= cap)
                len = cap - 1;
            memcpy(buf, v, len);
            buf[len] = '\0';
            return buf;
        }
        if (strchr(line, '\n') == NULL)
            break;
    }
    return NULL;
}

void http_response_free(struct http_response *r)
{
    free(r->body);
    free(r->headers);
    json_object_put(r->json);
    memset(r, 0, sizeof(*r));
}

const char *json_str(const struct http_response *r, const char *path)
{
    return jstr(r->json, path);
}

long control_call(struct emu *e, const char *method, const char *path, const char *body,
                  struct http_response *out)
{
    return control_call_within(e, HTTP_TIMEOUT_S, method, path, body, out);
}

long control_call_within(struct emu *e, long timeout_s, const char *method, const char *path,
                         const char *body, struct http_response *out)
{
    const char *headers[] = {"Content-Type: application/json", NULL};
    char url[1024];

    snprintf(url, sizeof(url), "%s/_emulator/v1%s", e->url, path);
    return http_call_within(timeout_s, method, url, body ? headers : NULL, body, out);
}

long control_call_with(struct emu *e, const char *method, const char *path,
                       const char *const *headers, const char *body, struct http_response *out)
{
    const char *all[16];
    size_t n = 0;
    char url[1024];

    for (size_t i = 0; headers != NULL && headers[i] != NULL && n + 2 < 16; i++)
        all[n++] = headers[i];
    if (body != NULL)
        all[n++] = "Content-Type: application/json";
    all[n] = NULL;
    snprintf(url, sizeof(url), "%s/_emulator/v1%s", e->url, path);
    return http_call(method, url, all, body, out);
}

long tenant_login(struct emu *e, const struct tenant *t, const char *user_id,
                  const char *access_key, char *out, size_t cap)
{
    char url[512], key[256], body[512];
    const char *headers[] = {key, "Accept: " VENDOR_TYPE, "Content-Type: application/json", NULL};
    struct http_response r;
    long status;

    snprintf(url, sizeof(url), "%s/administration/login", e->url);
    snprintf(key, sizeof(key), "X-Api-Key: %s", t->api_key);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"accessKey\":\"%s\"}", user_id, access_key);
    status = http_call("POST", url, headers, body, &r);
    if (status == 200 && json_str(&r, "token") != NULL && out != NULL)
        snprintf(out, cap, "%s", json_str(&r, "token"));
    http_response_free(&r);
    return status;
}

int tenant_create(struct emu *e, struct tenant *t, const char *body)
{
    struct http_response r;
    int ok;

    memset(t, 0, sizeof(*t));
    if (control_call(e, "POST", "/systems", body ? body : "{}", &r) != 201) {
        http_response_free(&r);
        return -1;
    }
    ok = json_str(&r, "id") && json_str(&r, "apiKey") && json_str(&r, "admin.userId") &&
         json_str(&r, "admin.accessKey");
    if (ok) {
        snprintf(t->system_id, sizeof(t->system_id), "%s", json_str(&r, "id"));
        snprintf(t->api_key, sizeof(t->api_key), "%s", json_str(&r, "apiKey"));
        snprintf(t->admin_id, sizeof(t->admin_id), "%s", json_str(&r, "admin.userId"));
        snprintf(t->access_key, sizeof(t->access_key), "%s", json_str(&r, "admin.accessKey"));
    }
    http_response_free(&r);
    if (!ok || tenant_login(e, t, t->admin_id, t->access_key, t->token, sizeof(t->token)) != 200)
        return -1;
    return 0;
}

long admin_call(struct emu *e, const struct tenant *t, const char *method, const char *path,
                const char *body, struct http_response *out)
{
    char url[2048], key[256], auth[4200];
    const char *type = strcmp(method, "PATCH") == 0 ? "Content-Type: application/json-patch+json"
                                                    : "Content-Type: application/json";
    const char *headers[] = {key, "Accept: " VENDOR_TYPE, auth, body ? type : NULL, NULL};

    snprintf(url, sizeof(url), "%s/administration%s", e->url, path);
    snprintf(key, sizeof(key), "X-Api-Key: %s", t->api_key);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t->token);
    return http_call(method, url, headers, body, out);
}

/* ---- JSON readers -------------------------------------------------------------------- */

json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;

    return o != NULL && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

json_object *jget(json_object *o, const char *path)
{
    char key[128];

    while (o != NULL && *path != '\0') {
        size_t len = strcspn(path, ".");
        if (len >= sizeof(key))
            return NULL;
        memcpy(key, path, len);
        key[len] = '\0';
        if (!json_object_object_get_ex(o, key, &o))
            return NULL;
        path += len + (path[len] == '.');
    }
    return o;
}

const char *jstr(json_object *o, const char *path)
{
    json_object *v = jget(o, path);

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int64_t jint(json_object *o, const char *path)
{
    json_object *v = jget(o, path);

    return v != NULL && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
}

/* 1 or 0 for a boolean, -1 when absent or not a boolean. */
int jbool(json_object *o, const char *path)
{
    json_object *v = jget(o, path);

    return v != NULL && json_object_is_type(v, json_type_boolean) ? json_object_get_boolean(v) : -1;
}

char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    char *text;
    long len;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = calloc(1, (size_t)len + 1);
    if (text != NULL && fread(text, 1, (size_t)len, f) != (size_t)len) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

void source_path(const char *rel, char *out, size_t cap)
{
    const char *root = getenv("KEYLESS_EMULATOR_SOURCE_ROOT");

    snprintf(out, cap, "%s/%s", root ? root : ".", rel);
}

void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, cap - 1, f) : 0;

    buf[n] = '\0';
    if (f != NULL)
        fclose(f);
}

char *read_source(const char *relative)
{
    char path[1024];
    char *text;

    source_path(relative, path, sizeof(path));
    text = read_text(path);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    return text;
}

void assert_strings(json_object *o, const char *const *pairs)
{
    for (size_t i = 0; pairs[i] != NULL; i += 2)
        ck_assert_msg(jstr(o, pairs[i]) != NULL && strcmp(jstr(o, pairs[i]), pairs[i + 1]) == 0,
                      "%s is %s, want \"%s\" in %s", pairs[i],
                      jstr(o, pairs[i]) ? jstr(o, pairs[i]) : "(not a string)", pairs[i + 1],
                      json_object_to_json_string(o));
}

/* ---- fixture-time helpers ------------------------------------------------------------ */

int setup_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

int try_post_id(struct emu *e, const struct tenant *t, const char *path, const char *body,
                char id[64])
{
    struct http_response r;
    long status = admin_call(e, t, "POST", path, body, &r);
    int ok = status == 201 && json_str(&r, "id") != NULL;

    if (ok)
        snprintf(id, 64, "%s", json_str(&r, "id"));
    else
        setup_fail("POST %s %s: %ld %s", path, body, status, r.body);
    http_response_free(&r);
    return ok ? 0 : -1;
}

int try_claim_gateway(struct emu *e, const struct tenant *t, char id[64])
{
    struct http_response r;
    char body[128];
    int ok = control_call(e, "POST", "/hardware/gateway-devices", NULL, &r) == 201 &&
             json_str(&r, "claimingCode") != NULL;

    if (ok)
        snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", json_str(&r, "claimingCode"));
    http_response_free(&r);
    return ok ? try_post_id(e, t, "/gateway-device", body, id) : setup_fail("no gateway hardware");
}

/* ---- running a suite ------------------------------------------------------------------ */

static int run(Suite *s, enum fork_status fork)
{
    SRunner *sr = srunner_create(s);
    int failed;

    if (fork == CK_NOFORK)
        srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int run_suite(Suite *s)
{
    return run(s, CK_FORK);
}

int run_suite_nofork(Suite *s)
{
    return run(s, CK_NOFORK);
}

/* ---- checked helpers ----------------------------------------------------------------- */

struct emu emu;
int emu_ok;

void emu_setup_with(const char *const *args)
{
    emu_ok = emu_start(&emu, args) == 0;
    if (!emu_ok)
        fprintf(stderr, "the emulator did not start; see %s/stderr.log\n", emu.dir);
}

void emu_setup(void)
{
    emu_setup_with(NULL);
}

void emu_must_start(void)
{
    emu_setup();
    ck_assert_msg(emu_ok, "the emulator did not start; see %s/stderr.log", emu.dir);
}

void emu_teardown(void)
{
    emu_stop(&emu);
}

/* The child's side of emu_command(): environment, output files, exec. */
static void exec_command(const char *const *args, const char *const *env, const char *dir)
{
    const char *bin = getenv("KEYLESS_EMULATOR_BIN");
    const char *argv[64];
    char out[320], err[320];
    int argc = 0;

    for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
        const char *eq = strchr(env[i], '=');
        char name[128];
        snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - env[i] : (long)strlen(env[i])),
                 env[i]);
        if (eq != NULL)
            setenv(name, eq + 1, 1);
        else
            unsetenv(name);
    }
    argv[argc++] = bin ? bin : "build/keyless-emulator";
    for (size_t i = 0; args[i] != NULL && argc < 63; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;
    snprintf(out, sizeof(out), "%s/stdout", dir);
    snprintf(err, sizeof(err), "%s/stderr", dir);
    dup2(open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
    dup2(open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
    execv(argv[0], (char *const *)argv);
    _exit(127);
}

void emu_command(const char *const *args, const char *const *env, struct command_run *run)
{
    char dir[256], path[320];
    int status = 0, ended = 0;
    pid_t pid;

    memset(run, 0, sizeof(*run));
    ck_assert_int_eq(make_scratch_dir(dir, sizeof(dir)), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        exec_command(args, env, dir);
    for (int i = 0; i < 6000 && !ended; i++) { /* 10 ms apart: 60 s */
        ended = waitpid(pid, &status, WNOHANG) == pid;
        if (!ended)
            sleep_ms(10);
    }
    if (!ended) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        ck_abort_msg("%s did not end within 60 s", args[0]);
    }
    run->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    snprintf(path, sizeof(path), "%s/stdout", dir);
    slurp(path, run->out, sizeof(run->out));
    snprintf(path, sizeof(path), "%s/stderr", dir);
    slurp(path, run->err, sizeof(run->err));
}

void new_tenant_from(struct tenant *t, const char *body)
{
    ck_assert_msg(emu_ok, "the emulator did not start");
    ck_assert_int_eq(tenant_create(&emu, t, body), 0);
}

void new_tenant(struct tenant *t)
{
    new_tenant_from(t, NULL);
}

void relogin_admin(struct tenant *t)
{
    ck_assert_int_eq(tenant_login(&emu, t, t->admin_id, t->access_key, t->token, sizeof(t->token)),
                     200);
}

const char *header(const struct http_response *r, const char *name)
{
    static char buf[4][512];
    static int next;

    next = (next + 1) % 4;
    return http_header(r, name, buf[next], sizeof(buf[next]));
}

/* The reason phrase the emulator gives for status ("?" for one it does not use). */
static const char *reason_phrase(long status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 507:
        return "Insufficient Storage";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "?";
    }
}

void assert_problem(const struct http_response *r, long status, const char *instance)
{
    ck_assert_msg(r->status == status, "%s: status %ld, want %ld; body %s", instance, r->status,
                  status, r->body);
    ck_assert_pstr_eq(header(r, "Content-Type"), "application/problem+json");
    ck_assert_msg(r->json != NULL, "%s: body is not JSON: %s", instance, r->body);
    ck_assert_pstr_eq(json_str(r, "type"), "about:blank");
    ck_assert_pstr_eq(json_str(r, "title"), reason_phrase(status));
    ck_assert_msg(json_object_is_type(member(r->json, "status"), json_type_int), "no status: %s",
                  r->body);
    ck_assert_int_eq(json_object_get_int(member(r->json, "status")), status);
    ck_assert_msg(json_str(r, "detail") != NULL && json_str(r, "detail")[0] != '\0',
                  "problem without detail: %s", r->body);
    ck_assert_pstr_eq(json_str(r, "instance"), instance);
}

void assert_admin_problem(const struct http_response *r, long status, const char *path)
{
    char instance[1100];

    snprintf(instance, sizeof(instance), "/administration%.*s", (int)strcspn(path, "?"), path);
    assert_problem(r, status, instance);
}

void assert_control_problem(const struct http_response *r, long status, const char *path)
{
    char instance[1100];

    snprintf(instance, sizeof(instance), "/_emulator/v1%s", path);
    assert_problem(r, status, instance);
}

const char *invalid_reason(const struct http_response *r, const char *name)
{
    json_object *list = member(r->json, "invalidParams");

    for (size_t i = 0; list != NULL && i < json_object_array_length(list); i++) {
        json_object *p = json_object_array_get_idx(list, i);
        const char *reason = json_object_get_string(member(p, "reason"));
        if (strcmp(json_object_get_string(member(p, "name")), name) == 0 && reason != NULL &&
            reason[0] != '\0')
            return reason;
    }
    return NULL;
}

void assert_invalid_params(const struct http_response *r, const char *const *names)
{
    json_object *list = member(r->json, "invalidParams");
    size_t expected = 0;

    ck_assert_msg(json_object_is_type(list, json_type_array), "no invalidParams: %s", r->body);
    for (; names[expected] != NULL; expected++)
        ck_assert_msg(invalid_reason(r, names[expected]) != NULL, "'%s' not named: %s",
                      names[expected], r->body);
    ck_assert_msg(json_object_array_length(list) == expected, "expected %zu entries: %s", expected,
                  r->body);
}

void admin_expect_on(struct emu *e, const struct tenant *t, const char *method, const char *path,
                     const char *body, long want, struct http_response *r)
{
    long got = admin_call(e, t, method, path, body, r);

    ck_assert_msg(got == want, "%s %s %s: expected %ld, got %ld: %s", method, path,
                  body ? body : "", want, got, r->body);
}

/* admin_expect_on on emu, which must be running. */
static void admin_expect(const struct tenant *t, const char *method, const char *path,
                         const char *body, long want, struct http_response *r)
{
    ck_assert_msg(emu.pid > 0, "the emulator is not running");
    admin_expect_on(&emu, t, method, path, body, want, r);
}

void admin_strict(const struct tenant *t, const char *method, const char *path, const char *body,
                  long want, struct http_response *r)
{
    admin_expect(t, method, path, body, want, r);
    if (want >= 400) {
        assert_admin_problem(r, want, path);
    } else if (want == 204) {
        ck_assert_msg(r->body[0] == '\0', "204 with a body: %s", r->body);
    } else {
        ck_assert_pstr_eq(header(r, "Content-Type"), VENDOR_TYPE);
    }
}

void expect_status(const struct tenant *t, const char *method, const char *path, const char *body,
                   long want)
{
    struct http_response r;

    admin_strict(t, method, path, body, want, &r);
    http_response_free(&r);
}

long admin_status(struct emu *e, const struct tenant *t, const char *method, const char *path,
                  const char *body)
{
    struct http_response r;
    long status = admin_call(e, t, method, path, body, &r);

    http_response_free(&r);
    return status;
}

long control_status(struct emu *e, const char *method, const char *path, const char *body)
{
    struct http_response r;
    long status = control_call(e, method, path, body, &r);

    http_response_free(&r);
    return status;
}

void expect_not_found(const struct tenant *t, const char *method, const char *path,
                      const char *body)
{
    expect_problem(t, method, path, body, 404, "Resource not found");
}

void expect_problem(const struct tenant *t, const char *method, const char *path, const char *body,
                    long status, const char *detail_is)
{
    struct http_response r;

    admin_strict(t, method, path, body, status, &r);
    if (detail_is != NULL)
        ck_assert_pstr_eq(json_str(&r, "detail"), detail_is);
    http_response_free(&r);
}

void expect_invalid(const struct tenant *t, const char *method, const char *path, const char *body,
                    const char *const *names)
{
    struct http_response r;

    admin_strict(t, method, path, body, 400, &r);
    assert_invalid_params(&r, names);
    http_response_free(&r);
}

void expect_invalid_bodies(const struct tenant *t, const char *method, const char *path,
                           const struct invalid_body *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        expect_invalid(t, method, path, cases[i].body, cases[i].names);
}

void expect_control_problem(const char *method, const char *path, const char *body, long status)
{
    struct http_response r;

    control_expect(method, path, body, status, &r);
    assert_control_problem(&r, status, path);
    http_response_free(&r);
}

void expect_control_invalid_bodies(const char *path, const struct invalid_body *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct http_response r;

        control_expect("POST", path, cases[i].body, 400, &r);
        assert_control_problem(&r, 400, path);
        assert_invalid_params(&r, cases[i].names);
        http_response_free(&r);
    }
}

void post_id(const struct tenant *t, const char *path, const char *body, char id[64])
{
    struct http_response r;

    admin_strict(t, "POST", path, body, 201, &r);
    ck_assert_msg(json_str(&r, "id") != NULL, "POST %s %s: no id in %s", path, body, r.body);
    snprintf(id, 64, "%s", json_str(&r, "id"));
    http_response_free(&r);
}

void new_user(const struct tenant *t, char id[64])
{
    post_id(t, "/user", "{\"role\":\"USER\"}", id);
}

void new_lock(const struct tenant *t, const char *name, char id[64])
{
    char body[256];

    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
    post_id(t, "/locking-device", body, id);
}

void new_gateway(const struct tenant *t, char id[64], char serial[64])
{
    char body[128];
    json_object *hw = control("POST", "/hardware/gateway-devices", NULL, 201);

    ck_assert_msg(jstr(hw, "claimingCode") != NULL, "no claiming code: %s",
                  json_object_to_json_string(hw));
    snprintf(body, sizeof(body), "{\"claimingCode\":\"%s\"}", jstr(hw, "claimingCode"));
    if (serial != NULL)
        snprintf(serial, 64, "%s", jstr(hw, "serialNumber"));
    json_object_put(hw);
    post_id(t, "/gateway-device", body, id);
}

/* A control API call on e that must answer want; the caller frees r. */
static void control_expect_on(struct emu *e, const char *method, const char *path, const char *body,
                              long want, struct http_response *r)
{
    long got = control_call(e, method, path, body, r);

    ck_assert_msg(got == want, "%s %s %s: expected %ld, got %ld: %s", method, path,
                  body ? body : "", want, got, r->body);
}

void control_expect(const char *method, const char *path, const char *body, long want,
                    struct http_response *r)
{
    ck_assert_msg(emu.pid > 0, "the emulator is not running");
    control_expect_on(&emu, method, path, body, want, r);
}

json_object *control(const char *method, const char *path, const char *body, long want)
{
    struct http_response r;
    json_object *o;

    control_expect(method, path, body, want, &r);
    o = json_object_get(r.json);
    http_response_free(&r);
    return o;
}

json_object *admin(const struct tenant *t, const char *method, const char *path, const char *body,
                   long want)
{
    struct http_response r;
    json_object *o;

    admin_strict(t, method, path, body, want, &r);
    o = json_object_get(r.json);
    http_response_free(&r);
    return o;
}

void make_phone(const struct tenant *t, char user_id[64], char phone_id[64], char invitation_id[64])
{
    char body[256];
    json_object *inv, *accepted;

    post_id(t, "/user", "{\"role\":\"USER\"}", user_id);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"deliveryMechanism\":\"NONE\"}", user_id);
    inv = admin(t, "POST", "/operating-device-invitation", body, 201);
    ck_assert_ptr_nonnull(jstr(inv, "invitationCode"));
    if (invitation_id != NULL)
        snprintf(invitation_id, 64, "%s", jstr(inv, "id"));
    snprintf(body, sizeof(body), "{\"invitationCode\":\"%s\"}", jstr(inv, "invitationCode"));
    accepted = control("POST", "/invitations/accept", body, 201);
    ck_assert_ptr_nonnull(jstr(accepted, "operatingDeviceId"));
    snprintf(phone_id, 64, "%s", jstr(accepted, "operatingDeviceId"));
    json_object_put(inv);
    json_object_put(accepted);
}

json_object *claim_new_lock(const char *phone_id, const char *lock_id, const char *hardware,
                            char serial[64])
{
    char body[256], path[128];
    json_object *hw = control("POST", "/hardware/locking-devices", hardware, 201);

    ck_assert_msg(jstr(hw, "serialNumber") != NULL, "no serial number: %s",
                  json_object_to_json_string(hw));
    snprintf(body, sizeof(body), "{\"lockingDeviceId\":\"%s\",\"serialNumber\":\"%s\"}", lock_id,
             jstr(hw, "serialNumber"));
    if (serial != NULL)
        snprintf(serial, 64, "%s", jstr(hw, "serialNumber"));
    json_object_put(hw);
    snprintf(path, sizeof(path), "/operating-devices/%s/claim", phone_id);
    return control("POST", path, body, 200);
}

json_object *admin_list_pages(const struct tenant *t, const char *path, size_t *pages)
{
    json_object *all = json_object_new_array();
    const char *limit = strstr(path, "limit=");
    char page_path[2048], token[512] = "";

    for (size_t n = 1; n <= 100; n++) {
        struct http_response r;
        json_object *items;
        const char *next;

        snprintf(page_path, sizeof(page_path), "%s%s%s%s", path,
                 token[0] ? (strchr(path, '?') ? "&" : "?") : "",
                 token[0] ? "next-page-token=" : "", token);
        admin_strict(t, "GET", page_path, NULL, 200, &r);
        items = member(r.json, "items");
        ck_assert_msg(json_object_is_type(items, json_type_array), "no items: %s", r.body);
        if (limit != NULL)
            ck_assert_int_le(json_object_array_length(items), atoi(limit + 6));
        for (size_t i = 0; i < json_object_array_length(items); i++)
            json_object_array_add(all, json_object_get(json_object_array_get_idx(items, i)));
        next = json_str(&r, "nextPageToken");
        if (next != NULL && limit != NULL) /* only the last page may be short */
            ck_assert_int_eq(json_object_array_length(items), atoi(limit + 6));
        snprintf(token, sizeof(token), "%s", next ? next : "");
        if (token[0] == '\0')
            ck_assert_msg(json_object_object_length(r.json) == 1, "last page: %s", r.body);
        http_response_free(&r);
        if (token[0] == '\0') {
            if (pages != NULL)
                *pages = n;
            return all;
        }
    }
    ck_abort_msg("GET %s never reached its last page", path);
    return all;
}

json_object *admin_list_all(const struct tenant *t, const char *path)
{
    return admin_list_pages(t, path, NULL);
}

size_t admin_list_ids(const struct tenant *t, const char *path, char ids[][64], size_t cap,
                      size_t *pages)
{
    json_object *all = admin_list_pages(t, path, pages);
    size_t n = json_object_array_length(all);

    ck_assert_msg(n <= cap, "GET %s: %zu items, room for %zu", path, n, cap);
    for (size_t i = 0; i < n; i++)
        snprintf(ids[i], 64, "%s",
                 json_object_get_string(member(json_object_array_get_idx(all, i), "id")));
    json_object_put(all);
    return n;
}

size_t admin_count(const struct tenant *t, const char *path)
{
    json_object *all = admin_list_all(t, path);
    size_t n = json_object_array_length(all);

    json_object_put(all);
    return n;
}

/* ---- metrics ------------------------------------------------------------------------- */

char *metrics_scrape(struct emu *e)
{
    struct http_response r;
    char *text;

    ck_assert_int_eq(control_call(e, "GET", "/metrics", NULL, &r), 200);
    text = strdup(r.body);
    http_response_free(&r);
    return text;
}

double metrics_sample(const char *text, const char *series)
{
    size_t n = strlen(series);

    for (const char *line = text; *line != '\0'; line += strcspn(line, "\n") + 1) {
        if (strncmp(line, series, n) == 0 && line[n] == ' ')
            return strtod(line + n + 1, NULL);
        if (line[strcspn(line, "\n")] == '\0')
            break;
    }
    return -1;
}

/* ---- connections that stay open -------------------------------------------------------- */

int raw_request(const struct emu *e, const char *method, const char *path,
                const char *const *headers)
{
    struct sockaddr_in addr = {0};
    char request[4096];
    int fd, port = 0, n;
    size_t len;

    if (sscanf(e->url, "http://127.0.0.1:%d", &port) != 1)
        return -1;
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
        goto fail;
    n = snprintf(request, sizeof(request), "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", method, path,
                 port);
    for (size_t i = 0; headers != NULL && headers[i] != NULL && n > 0; i++)
        n += snprintf(request + n, sizeof(request) - (size_t)n, "%s\r\n", headers[i]);
    n += snprintf(request + n, sizeof(request) - (size_t)n, "\r\n");
    len = (size_t)n;
    if (len >= sizeof(request) || write(fd, request, len) != (ssize_t)len)
        goto fail;
    return fd;
fail:
    if (fd >= 0)
        close(fd);
    return -1;
}

int raw_read_until(int fd, struct raw_answer *a, const char *needle, long timeout_ms)
{
    double deadline = now_ms() + (double)timeout_ms;

    for (;;) {
        a->data[a->len] = '\0';
        if (needle != NULL && strstr(a->data, needle) != NULL)
            return 1;
        if (a->closed)
            return needle == NULL;
        long left = (long)(deadline - now_ms());
        struct pollfd p = {fd, POLLIN, 0};
        if (left <= 0 || a->len + 1 >= sizeof(a->data) || poll(&p, 1, (int)left) <= 0)
            return 0;
        ssize_t got = read(fd, a->data + a->len, sizeof(a->data) - 1 - a->len);
        if (got <= 0)
            a->closed = 1;
        else
            a->len += (size_t)got;
    }
}

/* Every event of the system (of type, when given), in order, over all pages. */
json_object *system_events(const struct tenant *t, const char *type)
{
    json_object *all = json_object_new_array();
    char path[1024], token[256] = "";

    do {
        json_object *page, *items;
        snprintf(path, sizeof(path), "/systems/%s/events?limit=100%s%s%s%s", t->system_id,
                 type ? "&type=" : "", type ? type : "", token[0] ? "&next-page-token=" : "",
                 token);
        page = control("GET", path, NULL, 200);
        items = jget(page, "items");
        for (size_t i = 0; i < json_object_array_length(items); i++)
            json_object_array_add(all, json_object_get(json_object_array_get_idx(items, i)));
        snprintf(token, sizeof(token), "%s",
                 jstr(page, "nextPageToken") ? jstr(page, "nextPageToken") : "");
        json_object_put(page);
    } while (token[0] != '\0');
    return all;
}
