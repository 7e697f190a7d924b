#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
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

struct buffer {
    char *data;
    size_t len;
};

static size_t collect(char *ptr, size_t size, size_t n, void *userdata)
{
    struct buffer *b = userdata;
    char *grown = realloc(b->data, b->len + size * n + 1);

    if (grown == NULL)
        return 0;
    memcpy(grown + b->len, ptr, size * n);
    b->len += size * n;
    grown[b->len] = '\0';
    b->data = grown;
    return size * n;
}

long http_call(const char *method, const char *url, const char *const *headers,
               const char *body, struct http_response *out)
{
    CURL *curl = curl_easy_init();
    struct curl_slist *list = NULL;
    struct buffer b = {calloc(1, 1), 0}, h = {calloc(1, 1), 0};

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    out->body = b.data;
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
    json_object *o = r->json;
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
    return o != NULL && json_object_is_type(o, json_type_string) ? json_object_get_string(o)
                                                                 : NULL;
}

long control_call(struct emu *e, const char *method, const char *path, const char *body,
                  struct http_response *out)
{
    const char *headers[] = {"Content-Type: application/json", NULL};
    char url[1024];

    snprintf(url, sizeof(url), "%s/_emulator/v1%s", e->url, path);
    return http_call(method, url, body ? headers : NULL, body, out);
}

long tenant_login(struct emu *e, const struct tenant *t, const char *user_id,
                  const char *access_key, char *out, size_t cap)
{
    char url[512], key[256], body[512];
    const char *headers[] = {key, "Accept: " VENDOR_TYPE, "Content-Type: application/json",
                             NULL};
    struct http_response r;
    long status;

    snprintf(url, sizeof(url), "%s/administration/login", e->url);
    snprintf(key, sizeof(key), "X-Api-Key: %s", t->api_key);
    snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"accessKey\":\"%s\"}", user_id,
             access_key);
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
