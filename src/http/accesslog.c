#include "http/accesslog.h"

#include <stdio.h>

#include "sim/clock.h"

void accesslog_write(const struct request *req)
{
    double ms = (double)(clock_monotonic_ns() - req->started_ns) / 1e6;

    if (req->options->log_format == LOG_JSON) {
        json_object *line = json_object_new_object();
        if (line == NULL)
            return;
        json_object_object_add(line, "requestId", json_object_new_string(req->request_id));
        json_object_object_add(line, "method", json_object_new_string(req->method));
        json_object_object_add(line, "path", json_object_new_string(req->path));
        json_object_object_add(line, "status", json_object_new_int(req->status));
        json_object_object_add(line, "durationMs", json_object_new_double(ms));
        if (req->system.id[0] != '\0')
            json_object_object_add(line, "systemId", json_object_new_string(req->system.id));
        fprintf(stderr, "%s\n", json_object_to_json_string_ext(line, JSON_C_TO_STRING_PLAIN));
        json_object_put(line);
        return;
    }
    fprintf(stderr, "%s %s %d %.3fms id=%s\n", req->method, req->path, req->status, ms,
            req->request_id);
}
