#include "http/static_files.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/response.h"

/* The page's own origin for everything; inline styles and scripts are refused as well, so
 * that text which slipped into the page unescaped could still not run. */
#define CONTENT_SECURITY_POLICY                                                                    \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "                 \
    "frame-ancestors 'none'"

static const char *header_of(const struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, name);
}

/* Whether an Accept-Encoding value admits gzip: the token listed without q=0, or, when gzip
 * is not named, "*" listed without q=0 (RFC 9110 §12.5.3: "*" stands for what the value does
 * not name, so "*;q=0, gzip" still asks for gzip). */
static int accepts_gzip(const char *accept)
{
    char item[64];
    int star = 0;

    for (const char *p = accept; p != NULL && *p != '\0'; p += strspn(p, ",")) {
        size_t len = strcspn(p, ",");
        snprintf(item, sizeof(item), "%.*s", (int)(len < sizeof(item) ? len : sizeof(item) - 1), p);
        p += len;
        char *name = item + strspn(item, " \t"), *q = strstr(name, "q=");
        size_t name_len = strcspn(name, " \t;");
        int wanted = q == NULL || strtod(q + 2, NULL) > 0;
        if (name_len == 4 && strncasecmp(name, "gzip", 4) == 0)
            return wanted;
        if (name_len == 1 && name[0] == '*')
            star = wanted;
    }
    return star;
}

/* Whether If-None-Match lists tag (weakly compared, as RFC 9110 §13.1.2 asks) or "*". */
static int matches_tag(const char *if_none_match, const char *tag)
{
    size_t n = strlen(tag);

    if (if_none_match == NULL)
        return 0;
    if (strcmp(if_none_match, "*") == 0)
        return 1;
    for (const char *p = strstr(if_none_match, tag); p != NULL; p = strstr(p + 1, tag))
        if (p[n] == '\0' || p[n] == ',' || p[n] == ' ')
            return 1;
    return 0;
}

enum status static_files_serve(struct request *req, int *mhd_result)
{
    /* The page has one address, "/": its file name is not a second one. */
    const char *name = req->path[1] == '\0'                    ? "index.html"
                       : strcmp(req->path, "/index.html") == 0 ? ""
                                                               : req->path + 1;
    const struct embedded_file *f = embedded_find(web_files, web_files_count, name);
    const char *headers[16];
    size_t h = 0;
    int gzip;
    char tag[64];

    if (f == NULL)
        return request_fail(req, ST_NOT_FOUND, "no resource at '%s'", req->path);
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        snprintf(req->match.allow, sizeof(req->match.allow), "GET, HEAD");
        return request_fail(req, ST_METHOD, "%s is not allowed here; allowed: GET, HEAD",
                            req->method);
    }
    gzip = f->gzip != NULL && accepts_gzip(header_of(req, MHD_HTTP_HEADER_ACCEPT_ENCODING));
    /* Each encoding is its own representation, so each has its own strong tag. */
    snprintf(tag, sizeof(tag), "%.*s%s\"", (int)strlen(f->etag) - 1, f->etag, gzip ? "-gzip" : "");
    headers[h++] = MHD_HTTP_HEADER_ETAG, headers[h++] = tag;
    headers[h++] = MHD_HTTP_HEADER_CACHE_CONTROL, headers[h++] = "no-cache";
    headers[h++] = "Content-Security-Policy", headers[h++] = CONTENT_SECURITY_POLICY;
    headers[h++] = "X-Content-Type-Options", headers[h++] = "nosniff";
    headers[h++] = "Referrer-Policy", headers[h++] = "no-referrer";
    if (f->gzip != NULL)
        headers[h++] = MHD_HTTP_HEADER_VARY, headers[h++] = "Accept-Encoding";
    if (gzip)
        headers[h++] = MHD_HTTP_HEADER_CONTENT_ENCODING, headers[h++] = "gzip";
    headers[h] = NULL;
    /* libmicrohttpd leaves the body out of a HEAD answer itself. */
    if (matches_tag(header_of(req, MHD_HTTP_HEADER_IF_NONE_MATCH), tag))
        *mhd_result = response_send_static(req, 304, NULL, "", 0, headers);
    else
        *mhd_result = response_send_static(req, 200, f->type, gzip ? f->gzip : f->data,
                                           gzip ? f->gzip_size : f->size, headers);
    return ST_OK;
}
