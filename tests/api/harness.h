/*
 * harness.h — API tests run the real binary on an ephemeral port and call it over HTTP.
 *
 * emu_start() forks $KEYLESS_EMULATOR_BIN with --port 0 --ready-file and waits for the
 * ready file; http_call() performs one request with libcurl and parses a JSON body;
 * tenant_create() makes a system through the control API and logs its admin in.
 *
 * Below those, what the test files share: JSON readers, fixture-time helpers that report
 * instead of asserting, and checked helpers that act on the suite's one emulator `emu`
 * and fail the running Check test on a surprise, with the method, path and body in the
 * message.
 */
#ifndef KE_TESTS_HARNESS_H
#define KE_TESTS_HARNESS_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define VENDOR_TYPE "application/vnd.assaabloy.keyless.administration-2+json"

/* The number of elements of a fixed array. */
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A well-formed id that names nothing (in any system). */
#define UNKNOWN_ID "00000000-0000-4000-8000-000000000000"

/* The body of POST /_emulator/v1/systems for a system whose clock stands at t; FROZEN is the
 * suites' agreed instant, a working morning, unless a test needs its own (and says why). */
#define FROZEN_INSTANT "2030-01-01T08:00:00Z"
#define FROZEN_AT(t) "{\"clock\":{\"mode\":\"frozen\",\"time\":\"" t "\"}}"
#define FROZEN FROZEN_AT(FROZEN_INSTANT)

struct emu {
    pid_t pid;
    char url[128];
    char dir[256]; /* scratch folder: ready file, logs, database files */
};

struct http_response {
    long status;
    char *body;        /* NUL-terminated, possibly empty */
    size_t body_len;   /* its bytes (a binary body may hold NULs) */
    json_object *json; /* parsed body, or NULL */
    char *headers;     /* raw response headers */
};

/* Starts the emulator with extra flags (NULL-terminated; may be NULL). Unless the flags
 * name --db, it runs on :memory:. Returns 0 once the ready file holds the URL. */
int emu_start(struct emu *e, const char *const *extra_args);

/* Starts the emulator on the database file `file` in its new scratch folder, whose path is
 * copied into db_path (cap bytes); restarts then pass {"--db", db_path}. Returns 0. */
int emu_start_file(struct emu *e, const char *file, char *db_path, size_t cap);

/* Starts it again in the same scratch folder (same database file), e.g. after a kill. */
int emu_restart(struct emu *e, const char *const *extra_args);

/* SIGTERM, wait; returns the exit status (or -1). */
int emu_stop(struct emu *e);

/* SIGKILL, wait. */
void emu_kill(struct emu *e);

/* A growing, NUL-terminated byte buffer (data may be NULL while len is 0). */
struct http_buffer {
    char *data;
    size_t len;
};

/* A libcurl write (or header) function appending to the struct http_buffer in userdata. */
size_t http_collect(char *ptr, size_t size, size_t n, void *userdata);

/* How long one request may take unless a caller says otherwise. */
#define HTTP_TIMEOUT_S 30L

/* One HTTP request. headers: NULL-terminated "Name: value" strings. body may be NULL.
 * Returns the status (0 on transport failure). */
long http_call(const char *method, const char *url, const char *const *headers, const char *body,
               struct http_response *out);

/* http_call that may take up to timeout_s seconds. */
long http_call_within(long timeout_s, const char *method, const char *url,
                      const char *const *headers, const char *body, struct http_response *out);

/* The value of a response header (case-insensitive), copied into buf; NULL if absent. */
const char *http_header(const struct http_response *r, const char *name, char *buf, size_t cap);

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

/* A control API call with extra header lines ("Name: value", NULL-terminated; may be NULL),
 * e.g. an Origin or an Authorization (JSON body when given). */
long control_call_with(struct emu *e, const char *method, const char *path,
                       const char *const *headers, const char *body, struct http_response *out);

/* control_call that may take up to timeout_s seconds. */
long control_call_within(struct emu *e, long timeout_s, const char *method, const char *path,
                         const char *body, struct http_response *out);

/* A string member of r->json (or of a nested object by "a.b" path); NULL if absent. */
const char *json_str(const struct http_response *r, const char *path);

/* ---- JSON readers -------------------------------------------------------------------- */

/* The member key of o, or NULL (also when o is NULL). */
json_object *member(json_object *o, const char *key);

/* The member at a dotted path of o ("a.b"), or NULL; typed readers answer NULL, -1. */
json_object *jget(json_object *o, const char *path);
const char *jstr(json_object *o, const char *path);
int64_t jint(json_object *o, const char *path);
int jbool(json_object *o, const char *path);

/* ---- time ------------------------------------------------------------------------------ */

/* Sleeps ms milliseconds. */
void sleep_ms(long ms);

/* The monotonic clock in seconds and in milliseconds, for measuring spans. */
double now_s(void);
double now_ms(void);

/* ---- metrics ------------------------------------------------------------------------- */

/* The /metrics text of e (caller frees); fails the running test unless it answers 200. */
char *metrics_scrape(struct emu *e);

/* The value of the sample named exactly series ("name" or "name{labels}") in text, or -1
 * when absent. */
double metrics_sample(const char *text, const char *series);

/* ---- connections that stay open -------------------------------------------------------- */

/* A plain HTTP/1.1 request to e over its own socket, for answers that do not end soon (event
 * streams, long polls) and for many of them at once: sends method and path with the extra
 * header lines given ("Name: value", NULL-terminated; may be NULL). Returns the socket (the
 * caller closes it), or -1. */
int raw_request(const struct emu *e, const char *method, const char *path,
                const char *const *headers);

/* What a raw connection has answered so far. */
struct raw_answer {
    char data[1 << 16];
    size_t len;
    int closed; /* the emulator closed the connection */
};

/* Reads from fd into a until needle appears in all that was read (NULL: until the
 * connection closes), or timeout_ms pass. Returns 1 when found (or closed, for NULL), else
 * 0. The data read stays in a, NUL-terminated; a full buffer counts as not found. */
int raw_read_until(int fd, struct raw_answer *a, const char *needle, long timeout_ms);

/* ---- files ---------------------------------------------------------------------------- */

/* The whole text of the file at path (caller frees), or NULL when it cannot be read. */
char *read_text(const char *path);

/* Up to cap - 1 bytes of the file at path into buf, NUL-terminated ("" when unreadable). */
void slurp(const char *path, char *buf, size_t cap);

/* The path of relative in the source tree ($KEYLESS_EMULATOR_SOURCE_ROOT, else "."). */
void source_path(const char *relative, char *out, size_t cap);

/* read_text of a file of the source tree; fails the running test when it cannot be read. */
char *read_source(const char *relative);

/* ---- checking JSON ------------------------------------------------------------------- */

/* Asserts that o's member at each dotted path is the string given after it: pairs is
 * "path", "value", "path", "value", ..., NULL. */
void assert_strings(json_object *o, const char *const *pairs);

/* ---- fixture-time helpers: they report on stderr and return -1 instead of asserting -- */

/* Prints the formatted message and a newline on stderr; returns -1. */
int setup_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An Administration POST on e that must answer 201 with an id; copies it (64 bytes). */
int try_post_id(struct emu *e, const struct tenant *t, const char *path, const char *body,
                char id[64]);

/* A gateway made by POST /hardware/gateway-devices and claimed by t with its code. */
int try_claim_gateway(struct emu *e, const struct tenant *t, char id[64]);

/* ---- running the binary as a command ------------------------------------------------- */

/* How a command run of the binary ended: its exit status (128 + N when signal N killed it)
 * and the start of its standard output and error. */
struct command_run {
    int status;
    char out[16384], err[16384];
};

/* Runs $KEYLESS_EMULATOR_BIN with args (NULL-terminated, argv[1] on) in a scratch folder,
 * its output to files there, and waits for it (60 s at most, then kills it and fails the
 * test). env (NULL-terminated, may be NULL) changes the child's environment first:
 * "NAME=VALUE" sets, a bare "NAME" unsets. */
void emu_command(const char *const *args, const char *const *env, struct command_run *run);

/* ---- running a suite -------------------------------------------------------------------- */

typedef struct Suite Suite; /* check.h's */

/* Runs every test of s, each in its own forked process (Check's default); the exit status
 * for main: EXIT_SUCCESS when none failed. */
int run_suite(Suite *s);

/* run_suite in this one process, for suites whose teardown must see what a failed test left
 * (a server to stop, threads) or whose fixture follows a restart. */
int run_suite_nofork(Suite *s);

/* ---- checked helpers: they fail the running Check test ------------------------------- */

/* The emulator a suite shares, and whether its fixture (emu_setup, or a suite's own) got it
 * ready. */
extern struct emu emu;
extern int emu_ok;

/* Unchecked fixtures: start emu on :memory: (emu_ok says whether it did) and stop it. */
void emu_setup(void);
void emu_teardown(void);

/* An unchecked fixture that starts emu on :memory: or fails the whole test case. */
void emu_must_start(void);

/* Starts emu with extra flags (NULL-terminated); sets emu_ok, naming stderr.log on failure. */
void emu_setup_with(const char *const *args);

/* A new system on emu (body NULL for {}), its admin logged in; fails the test otherwise. */
void new_tenant(struct tenant *t);
void new_tenant_from(struct tenant *t, const char *body);

/* Logs t's admin in again on emu (a token lasts one hour of virtual time). */
void relogin_admin(struct tenant *t);

/* A header of r; the value lives in one of 4 rotating buffers, so a few can be compared. */
const char *header(const struct http_response *r, const char *name);

/* Asserts r is an about:blank application/problem+json of status, with a detail, for
 * instance. */
void assert_problem(const struct http_response *r, long status, const char *instance);

/* assert_problem for an Administration API path (its query is not part of the instance). */
void assert_admin_problem(const struct http_response *r, long status, const char *path);

/* assert_problem for a control API path (under /_emulator/v1). */
void assert_control_problem(const struct http_response *r, long status, const char *path);

/* The reason invalidParams gives for field name, or NULL when it is not named. */
const char *invalid_reason(const struct http_response *r, const char *name);

/* Asserts invalidParams names exactly the fields in names (NULL-terminated), with reasons. */
void assert_invalid_params(const struct http_response *r, const char *const *names);

/* An Administration API call on e that must answer want; the caller frees r. */
void admin_expect_on(struct emu *e, const struct tenant *t, const char *method, const char *path,
                     const char *body, long want, struct http_response *r);

/* admin_expect_on on emu (which must be running) that also checks the answer's form: exactly the
 * vendor type on success (no body on 204), on failure the problem document of that status
 * (assert_admin_problem). */
void admin_strict(const struct tenant *t, const char *method, const char *path, const char *body,
                  long want, struct http_response *r);

/* admin_strict, then frees the answer. */
void expect_status(const struct tenant *t, const char *method, const char *path, const char *body,
                   long want);

/* Calls on e whose status is returned (the answer is dropped). */
long admin_status(struct emu *e, const struct tenant *t, const char *method, const char *path,
                  const char *body);
long control_status(struct emu *e, const char *method, const char *path, const char *body);

/* A 404 problem "Resource not found" from the call on emu. */
void expect_not_found(const struct tenant *t, const char *method, const char *path,
                      const char *body);

/* A call on emu that must fail with the problem of status (admin_strict) whose detail is
 * exactly detail_is (unless NULL). */
void expect_problem(const struct tenant *t, const char *method, const char *path, const char *body,
                    long status, const char *detail_is);

/* A call on emu that must fail with 400 naming exactly these fields (NULL-terminated). */
void expect_invalid(const struct tenant *t, const char *method, const char *path, const char *body,
                    const char *const *names);

/* A row of a table of routes: method, the path up to the id (if any), which id completes it
 * (a value of the test's own enum) and the body to send (or NULL). */
struct route {
    const char *method;
    const char *prefix;
    int target;
    const char *body;
};

/* A request body and the fields (NULL-terminated) its 400 must name in invalidParams. */
struct invalid_body {
    const char *body;
    const char *names[8];
};

/* expect_invalid for each of the n bodies, sent by t with method to path. */
void expect_invalid_bodies(const struct tenant *t, const char *method, const char *path,
                           const struct invalid_body *cases, size_t n);

/* A control call on emu that must fail with the problem of status for path. */
void expect_control_problem(const char *method, const char *path, const char *body, long status);

/* Each of the n bodies POSTed to the control path must fail with the problem of 400 naming
 * exactly its fields. */
void expect_control_invalid_bodies(const char *path, const struct invalid_body *cases, size_t n);

/* An Administration POST on emu that must answer 201 (admin_strict) with an id; copies it
 * (64 bytes). */
void post_id(const struct tenant *t, const char *path, const char *body, char id[64]);

/* A new user of role USER in t's system (post_id); copies its id. */
void new_user(const struct tenant *t, char id[64]);

/* A placeholder locking device called name (JSON-safe) in t's system; copies its id. */
void new_lock(const struct tenant *t, const char *name, char id[64]);

/* A physical gateway (POST /hardware/gateway-devices) claimed into t by its code, pending
 * activation; copies the gateway device id, and its serial number unless serial is NULL. */
void new_gateway(const struct tenant *t, char id[64], char serial[64]);

/* A control API call on emu, which must be running, that must answer want; the caller
 * frees r. */
void control_expect(const char *method, const char *path, const char *body, long want,
                    struct http_response *r);

/* Calls on emu that must answer want (control_expect, admin_strict); the parsed body is
 * returned (caller puts). */
json_object *control(const char *method, const char *path, const char *body, long want);
json_object *admin(const struct tenant *t, const char *method, const char *path, const char *body,
                   long want);

/* A user with an activated phone: an invitation (delivery NONE) accepted through the control
 * API. invitation_id may be NULL. */
void make_phone(const struct tenant *t, char user_id[64], char phone_id[64],
                char invitation_id[64]);

/* The hardware model most locks here are made from (a body of POST /hardware/locking-devices). */
#define PADLOCK "{\"hardwareModel\":\"PADLOCK\"}"

/* A physical lock made from hardware (a body of POST /hardware/locking-devices) and claimed
 * by phone_id into the placeholder lock_id; copies its serial number unless serial is NULL.
 * Returns the claim's answer, the locking device (caller puts). */
json_object *claim_new_lock(const char *phone_id, const char *lock_id, const char *hardware,
                            char serial[64]);

/* Every item of a paged Administration list on emu (path may carry a query), over all its
 * pages, as one array (caller puts). Each page must answer 200 (admin_strict) with items, exactly
 * the path's limit= when it names one (the last page at most that); the last page holds items
 * alone. */
json_object *admin_list_all(const struct tenant *t, const char *path);

/* admin_list_all that also counts the pages it read. */
json_object *admin_list_pages(const struct tenant *t, const char *path, size_t *pages);

/* The ids of admin_list_pages's items, in order, copied into ids (at most cap); their
 * count. pages may be NULL. */
size_t admin_list_ids(const struct tenant *t, const char *path, char ids[][64], size_t cap,
                      size_t *pages);

/* How many items admin_list_all finds. */
size_t admin_count(const struct tenant *t, const char *path);

/* Every event of t's system (of type, when given), in log order, over all pages of
 * GET /_emulator/v1/systems/{id}/events (caller puts). */
json_object *system_events(const struct tenant *t, const char *type);

#endif
