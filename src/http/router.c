#include "http/router.h"

#include <string.h>

#include "lib/json_spec.h"

/* An {…-id} segment holding a UUID in upper or mixed case (Swift's uuidString) names the same
 * resource as its lower-case form, which is how ids are stored. Other segments (serial
 * numbers, snapshot names) keep their case. */
static void lower_uuid_segment(struct route_match *m, const char *close)
{
    size_t i = m->nparams;
    char lowered[37];

    if (m->params[i].name_len > 3 && memcmp(close - 3, "-id", 3) == 0 &&
        spec_uuid_lowered(m->params[i].value, lowered))
        memcpy(m->params[i].value, lowered, sizeof(lowered));
}

/* Matches path against a template, capturing {named} segments into m. Returns 1 on a
 * match. A captured segment may not be empty, contain '/', or exceed ROUTE_PARAM_LEN-1. */
static int match_template(const char *tpl, const char *path, struct route_match *m)
{
    m->nparams = 0;
    while (*tpl != '\0' && *path != '\0') {
        if (*tpl == '{') {
            const char *close = strchr(tpl, '}');
            size_t len = strcspn(path, "/");
            if (close == NULL || len == 0 || len >= ROUTE_PARAM_LEN ||
                m->nparams == ROUTE_MAX_PARAMS)
                return 0;
            m->params[m->nparams].name = tpl + 1;
            m->params[m->nparams].name_len = (size_t)(close - tpl - 1);
            memcpy(m->params[m->nparams].value, path, len);
            m->params[m->nparams].value[len] = '\0';
            lower_uuid_segment(m, close);
            m->nparams++;
            tpl = close + 1;
            path += len;
        } else if (*tpl++ != *path++) {
            return 0;
        }
    }
    return *tpl == '\0' && *path == '\0';
}

static void allow_add(char *allow, size_t cap, const char *method)
{
    size_t len = strlen(allow), mlen = strlen(method);
    char probe[16];

    /* A method may appear in several rows (aliases); list it once. */
    if (mlen + 3 > sizeof(probe))
        return;
    memcpy(probe, method, mlen + 1);
    for (const char *at = strstr(allow, probe); at != NULL; at = strstr(at + 1, probe))
        if ((at == allow || at[-1] == ' ') && (at[mlen] == ',' || at[mlen] == '\0'))
            return;
    if (len + mlen + 3 > cap)
        return;
    if (len > 0) {
        memcpy(allow + len, ", ", 2);
        len += 2;
    }
    memcpy(allow + len, method, mlen + 1);
}

enum status router_match(const struct route *table, size_t n, const char *method, const char *path,
                         struct route_match *m)
{
    const char *wanted = strcmp(method, "HEAD") == 0 ? "GET" : method;
    struct route_match probe;
    int path_known = 0;

    m->route = NULL;
    m->allow[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!match_template(table[i].path, path, &probe))
            continue;
        path_known = 1;
        allow_add(m->allow, sizeof(m->allow), table[i].method);
        if (strcmp(table[i].method, "GET") == 0)
            allow_add(m->allow, sizeof(m->allow), "HEAD"); /* served as GET without the body */
        if (m->route == NULL && strcmp(table[i].method, wanted) == 0) {
            *m = probe;
            m->route = &table[i];
            m->allow[0] = '\0';
            return ST_OK;
        }
    }
    if (!path_known)
        return ST_NOT_FOUND;
    return ST_METHOD;
}

const char *route_param(const struct route_match *m, const char *name)
{
    size_t len = strlen(name);

    for (size_t i = 0; i < m->nparams; i++)
        if (m->params[i].name_len == len && memcmp(m->params[i].name, name, len) == 0)
            return m->params[i].value;
    return NULL;
}
