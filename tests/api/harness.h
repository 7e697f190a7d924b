/*
 * harness.h — API tests run the real binary on an ephemeral port and call it over HTTP.
 *
 * emu_start() forks $KEYLESS_EMULATOR_BIN with --port 0 --ready-file and waits for the
 * ready file; http_call() performs one request with libcurl and parses a JSON body;
 * tenant_create() makes a system through the control API and logs its admin in.
 */
#ifndef KE_TESTS_HARNESS_H
#define KE_TESTS_HARNESS_H

#include <json-c/json.h>
#include <sys/types.h>

#define VENDOR_TYPE "application/vnd.assaabloy.keyless.administration-2+json"

struct emu {
    pid_t pid;
    char url[128];
    char dir[256]; /* scratch folder: ready file, logs, database files */
};

struct http_response {
    long status;
    char *body;        /* NUL-terminated, possibly empty */
    json_object *json; /* parsed body, or NULL */
    char *headers;     /* raw response headers */
};

/* Starts the emulator with extra flags (NULL-terminated; may be NULL). Unless the flags
 * name --db, it runs on :memory:. Returns 0 once the ready file holds the URL. */
int emu_start(struct emu *e, const char *const *extra_args);

/* Starts it again in the same scratch folder (same database file), e.g. after a kill. */
int emu_restart(struct emu *e, const char *const *extra_args);

/* SIGTERM, wait; returns the exit status (or -1). */
int emu_stop(struct emu *e);

/* SIGKILL, wait. */
void emu_kill(struct emu *e);

/* One HTTP request. headers: NULL-terminated "Name: value" strings. body may be NULL.
 * Returns the status (0 on transport failure). */
long http_call(const char *method, const char *url, const char *const *headers,
               const char *body, struct http_response *out);

/* The value of a response header (case-insensitive), copied into buf; NULL if absent. */
const char *http_header(const struct http_response *r, const char *name, char *buf,
                        size_t cap);

void http_response_free(struct http_response *r);

/* A system with its credentials and a fresh admin token. */
struct tenant {
    char system_id[64];
    char api_key[128];
    char admin_id[64];
    char access_key[128];
    char token[4096];
};

/* POST /_emulator/v1/systems with body (NULL for {}), then log the admin in. Returns 0. */
int tenant_create(struct emu *e, struct tenant *t, const char *body);

/* POST /administration/login for user_id/access_key with t's API key; copies the token
 * into out (cap bytes). Returns the HTTP status. */
long tenant_login(struct emu *e, const struct tenant *t, const char *user_id,
                  const char *access_key, char *out, size_t cap);

/* An Administration API call with t's API key, the vendor Accept and t's token. The body,
 * when given, is sent as application/json (application/json-patch+json for PATCH). */
long admin_call(struct emu *e, const struct tenant *t, const char *method, const char *path,
                const char *body, struct http_response *out);

/* A control API call (JSON body when given). */
long control_call(struct emu *e, const char *method, const char *path, const char *body,
                  struct http_response *out);

/* A string member of r->json (or of a nested object by "a.b" path); NULL if absent. */
const char *json_str(const struct http_response *r, const char *path);

#endif
