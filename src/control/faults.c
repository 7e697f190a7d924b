#include "control/faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/faults.h"

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", NULL};

struct rule_in {
    const char *method, *path, *system_id;
    int64_t status, latency_ms, count;
    int reset;
    double probability;
};

static const struct spec_field rule_fields[] = {
    {"method", SPEC_ENUM, 0, 0, 0, methods, offsetof(struct rule_in, method)},
    {"path", SPEC_STRING, 0, 1, FAULT_PATH_MAX - 1, NULL, offsetof(struct rule_in, path)},
    {"systemId", SPEC_UUID, 0, 0, 0, NULL, offsetof(struct rule_in, system_id)},
    {"status", SPEC_INT, 0, 400, 599, NULL, offsetof(struct rule_in, status)},
    {"latencyMs", SPEC_INT, 0, 0, FAULT_LATENCY_MAX_MS, NULL, offsetof(struct rule_in, latency_ms)},
    {"reset", SPEC_BOOL, 0, 0, 0, NULL, offsetof(struct rule_in, reset)},
    {"probability", SPEC_NUMBER, SPEC_REQUIRED, 0, 1, NULL, offsetof(struct rule_in, probability)},
    {"count", SPEC_INT, 0, 1, 1000000000, NULL, offsetof(struct rule_in, count)},
};

static json_object *render(const struct fault_rule *r)
{
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_string(r->id));
    if (r->method[0] != '\0')
        json_object_object_add(o, "method", json_object_new_string(r->method));
    if (r->path[0] != '\0')
        json_object_object_add(o, "path", json_object_new_string(r->path));
    if (r->system_id[0] != '\0')
        json_object_object_add(o, "systemId", json_object_new_string(r->system_id));
    if (r->status > 0)
        json_object_object_add(o, "status", json_object_new_int(r->status));
    if (r->latency_ms > 0)
        json_object_object_add(o, "latencyMs", json_object_new_int64(r->latency_ms));
    json_object_object_add(o, "reset", json_object_new_boolean(r->reset));
    json_object_object_add(o, "probability", json_object_new_double(r->probability));
    if (r->count > 0)
        json_object_object_add(o, "count", json_object_new_int64(r->count));
    json_object_object_add(o, "fired", json_object_new_int64(r->fired));
    return o;
}

/* A path must be able to match: Administration API paths only, templates that exist. */
static void check_path(const char *path, struct problem *p)
{
    size_t n = strlen(FAULT_ADMIN_PREFIX);

    if (strncmp(path, "/_emulator", 10) == 0)
        problem_invalid(p, "path", "faults never apply to the control API (/_emulator/v1)");
    else if (strncmp(path, FAULT_ADMIN_PREFIX, n) != 0 || (path[n] != '\0' && path[n] != '/'))
        problem_invalid(p, "path", "must start with " FAULT_ADMIN_PREFIX);
    else if (strlen(path) >= FAULT_PATH_MAX)
        problem_invalid(p, "path", "must be at most %d bytes", FAULT_PATH_MAX - 1);
    else if (strchr(path, '{') != NULL && !faults_is_admin_template(path))
        problem_invalid(p, "path", "'%s' is not a route template of the Administration API", path);
}

/* The body's value of name, or NULL when absent or null. Fields with bad values count as
 * given: their own problem is reported already. */
static json_object *given(json_object *body, const char *name)
{
    json_object *v = NULL;

    json_object_object_get_ex(body, name, &v);
    return v;
}

static void check_rule(const struct rule_in *in, json_object *body, struct problem *p)
{
    json_object *reset = given(body, "reset");

    if (in->path != NULL)
        check_path(in->path, p);
    if (!given(body, "status") && !given(body, "latencyMs") &&
        (reset == NULL || (json_object_is_type(reset, json_type_boolean) && !in->reset)))
        problem_invalid(p, "status", "a rule needs an effect: status, latencyMs or reset: true");
    if (in->status > 0 && in->reset)
        problem_invalid(p, "reset",
                        "a reset drops the connection, so it cannot also answer a "
                        "status");
}

static void to_rule(const struct rule_in *in, struct fault_rule *r)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->method, sizeof(r->method), "%s", in->method ? in->method : "");
    snprintf(r->path, sizeof(r->path), "%s", in->path ? in->path : "");
    snprintf(r->system_id, sizeof(r->system_id), "%s", in->system_id ? in->system_id : "");
    r->status = (int)in->status;
    r->latency_ms = in->latency_ms;
    r->reset = in->reset;
    r->probability = in->probability;
    r->count = in->count;
}

enum status faults_create(struct request *req, struct response *res)
{
    struct rule_in in = {0};
    struct fault_rule rule;
    enum status st = request_decode_body(req, rule_fields, COUNT_OF(rule_fields), &in, NULL);

    if (st == ST_NOMEM)
        return st;
    if (json_object_is_type(req->body, json_type_object))
        check_rule(&in, req->body, &req->problem);
    if (st != ST_OK || problem_has_invalid(&req->problem))
        return ST_INVALID;
    to_rule(&in, &rule);
    if (faults_add(&rule) != ST_OK)
        return request_fail(req, ST_CONFLICT, "at most %d fault rules; delete one first",
                            FAULTS_MAX);
    return respond_json(res, 201, render(&rule));
}

enum status faults_list(struct request *req, struct response *res)
{
    struct fault_rule *rules = calloc(FAULTS_MAX, sizeof(*rules));
    json_object *items = json_object_new_array(), *page = json_object_new_object();
    size_t n = rules != NULL ? faults_rules(rules, FAULTS_MAX) : 0;

    (void)req;
    for (size_t i = 0; rules != NULL && items != NULL && i < n; i++)
        json_object_array_add(items, render(&rules[i]));
    free(rules);
    if (rules == NULL || items == NULL || page == NULL) {
        json_object_put(items);
        json_object_put(page);
        return ST_NOMEM;
    }
    json_object_object_add(page, "items", items);
    return respond_json(res, 200, page);
}

enum status faults_delete(struct request *req, struct response *res)
{
    enum status st = faults_remove(request_param(req, "fault-id"));

    return st != ST_OK ? st : respond_empty(res);
}
