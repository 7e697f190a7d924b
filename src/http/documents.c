#include "http/documents.h"

#include <stdio.h>
#include <string.h>

#include "admin/routes.h"
#include "http/response.h"

#define ADMIN_BASE "/administration"
#define REFERENCE_TITLE "Abloy Keyless Administration API"
#define REFERENCE_VERSION "2.13"

/* Served byte for byte as written in schema/openapi/ (the build checked they are valid JSON),
 * so what a client downloads is exactly the reviewed file. */
static enum status serve_document(struct request *req, struct response *res, const char *name)
{
    const struct embedded_file *f = embedded_find(openapi_files, openapi_files_count, name);

    if (f == NULL)
        return request_fail(req, ST_INTERNAL, "document '%s' is not embedded", name);
    return response_text(res, 200, "application/json", (const char *)f->data, f->size);
}

enum status openapi_administration(struct request *req, struct response *res)
{
    return serve_document(req, res, "administration.json");
}

enum status openapi_control(struct request *req, struct response *res)
{
    return serve_document(req, res, "control.json");
}

/* One row of the parity list. Every row of the route table is served, hence "emulated". */
static json_object *render_operation(const struct route *r)
{
    json_object *o = json_object_new_object();
    char path[256];

    if (o == NULL)
        return NULL;
    snprintf(path, sizeof(path), "%s%s", ADMIN_BASE, r->path);
    json_object_object_add(o, "method", json_object_new_string(r->method));
    json_object_object_add(o, "path", json_object_new_string(path));
    json_object_object_add(o, "summary", json_object_new_string(r->summary));
    json_object_object_add(o, "status", json_object_new_string("emulated"));
    if (r->notes != NULL)
        json_object_object_add(o, "notes", json_object_new_string(r->notes));
    return o;
}

enum status parity_get(struct request *req, struct response *res)
{
    json_object *body = json_object_new_object(), *ops = json_object_new_array();

    (void)req;
    if (body == NULL || ops == NULL)
        goto nomem;
    for (size_t i = 0; i < admin_routes_count; i++) {
        json_object *op = render_operation(&admin_routes[i]);
        if (op == NULL || json_object_array_add(ops, op) != 0) {
            json_object_put(op);
            goto nomem;
        }
    }
    json_object_object_add(body, "api", json_object_new_string(REFERENCE_TITLE));
    json_object_object_add(body, "referenceVersion", json_object_new_string(REFERENCE_VERSION));
    json_object_object_add(body, "operationCount",
                           json_object_new_int64((int64_t)admin_routes_count));
    json_object_object_add(body, "emulatedCount",
                           json_object_new_int64((int64_t)admin_routes_count));
    json_object_object_add(body, "operations", ops);
    return respond_json(res, 200, body);
nomem:
    json_object_put(ops);
    json_object_put(body);
    return ST_NOMEM;
}
