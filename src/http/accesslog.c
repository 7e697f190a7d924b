#include "http/accesslog.h"

#include <stdarg.h>
#include <stdio.h>

#include "lib/wallclock.h"

/* The fields every JSON line about a request starts with. NULL when out of memory. */
static json_object *json_line(const struct request *req)
{
    json_object *line = json_object_new_object();

    if (line == NULL)
        return NULL;
    json_object_object_add(line, "requestId", json_object_new_string(req->request_id));
    json_object_object_add(line, "method", json_object_new_string(req->method));
    json_object_object_add(line, "path", json_object_new_string(req->path));
    if (req->system.id[0] != '\0')
        json_object_object_add(line, "systemId", json_object_new_string(req->system.id));
    return line;
}

static void json_emit(json_object *line)
{
    fprintf(stderr, "%s\n", json_object_to_json_string_ext(line, JSON_C_TO_STRING_PLAIN));
    json_object_put(line);
}

void accesslog_write(const struct request *req)
{
    double ms = (double)(clock_monotonic_ns() - req->started_ns) / 1e6;
    json_object *line;

    if (req->options->log_format != LOG_JSON) {
        fprintf(stderr, "%s %s %d %.3fms id=%s\n", req->method, req->path, req->status, ms,
                req->request_id);
        return;
    }
    if ((line = json_line(req)) == NULL)
        return;
    json_object_object_add(line, "status", json_object_new_int(req->status));
    json_object_object_add(line, "durationMs", json_object_new_double(ms));
    json_emit(line);
}

void accesslog_note(const struct request *req, const char *level, const char *fmt, ...)
{
    char message[768];
    json_object *line;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    if (req->options->log_format != LOG_JSON) {
        fprintf(stderr, "keyless-emulator: %s %s: %s id=%s\n", req->method, req->path, message,
                req->request_id);
        return;
    }
    if ((line = json_line(req)) == NULL)
        return;
    json_object_object_add(line, "level", json_object_new_string(level));
    json_object_object_add(line, "message", json_object_new_string(message));
    json_emit(line);
}
