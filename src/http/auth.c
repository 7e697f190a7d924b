#include "http/auth.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/credentials.h"
#include "http/ratelimit.h"
#include "http/response.h"
#include "lib/crypto.h"
#include "sim/clock.h"

static const char *header(const struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, name);
}

static enum status check_api_key(struct request *req)
{
    const char *key = header(req, "X-Api-Key");
    struct api_key_row row;
    enum status st;

    if (key == NULL || *key == '\0')
        return request_fail(req, ST_FORBIDDEN, "missing X-Api-Key header");
    st = credentials_api_key(req->db, key, &row);
    if (st == ST_NOT_FOUND)
        return request_fail(req, ST_FORBIDDEN, "invalid API key");
    if (st != ST_OK)
        return st;
    st = ratelimit_take(row.key, row.requests_per_second, row.burst, &req->retry_after);
    if (st != ST_OK)
        return request_fail(req, st, "rate limit of this API key exceeded; retry in %d s",
                            req->retry_after);
    return ST_OK;
}

/* Whether the parameters of one media range (the text from its first ';' to end) give it
 * weight 0, "not acceptable" (RFC 9110 §12.4.2). */
static int weighs_zero(const char *params, const char *end)
{
    for (const char *p = params; p < end; p++) {
        if (*p != ';')
            continue;
        p += 1 + strspn(p + 1, " \t");
        if (p + 1 < end && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
            return strtod(p + 2, NULL) <= 0;
    }
    return 0;
}

/* True when one of the Accept header's media ranges is the vendor type, exactly, and not
 * weighed 0. */
static int accepts_vendor_type(const char *accept)
{
    const size_t vlen = strlen(VENDOR_MEDIA_TYPE);

    while (accept != NULL && *accept != '\0') {
        while (*accept == ' ' || *accept == ',')
            accept++;
        const char *end = accept + strcspn(accept, ","), *params = accept + strcspn(accept, ",;");
        size_t len = (size_t)(params - accept);
        while (len > 0 && accept[len - 1] == ' ')
            len--;
        if (len == vlen && strncasecmp(accept, VENDOR_MEDIA_TYPE, vlen) == 0)
            return !weighs_zero(params, end);
        accept = strchr(accept, ',');
    }
    return 0;
}

static enum status check_bearer(struct request *req)
{
    const char *auth = header(req, MHD_HTTP_HEADER_AUTHORIZATION);
    struct bearer b;
    enum status st;

    if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0 || auth[7] == '\0')
        return request_fail(req, ST_UNAUTHENTICATED, "missing bearer token");
    st =
        credentials_bearer(req->db, auth + 7, &b, req->problem.detail, sizeof(req->problem.detail));
    if (st == ST_NOT_FOUND)
        return request_fail(req, ST_UNAUTHENTICATED, "the token's user no longer exists");
    if (st != ST_OK)
        return st;
    req->system = b.system;
    req->caller = b.user;
    if (clock_system_now(&req->system) >= b.claims.expires_at)
        return request_fail(req, ST_UNAUTHENTICATED, "token expired");
    if (strcmp(req->caller.role, "ADMIN") != 0)
        return request_fail(req, ST_FORBIDDEN, "the Administration API is for ADMIN users");
    return ST_OK;
}

/* Whether origin is one that --allowed-origin names (each value a comma-separated list). */
static int origin_allowed(const struct options *opts, const char *origin)
{
    size_t n = strlen(origin);

    for (size_t i = 0; i < opts->norigins; i++)
        for (const char *p = opts->allowed_origins[i]; *p != '\0'; p += strspn(p, ", ")) {
            size_t len = strcspn(p, ", ");
            if ((len == 1 && *p == '*') || (len == n && strncasecmp(p, origin, n) == 0))
                return 1;
            p += len;
        }
    return 0;
}

/* Whether host (a Host header: name or address, then perhaps :port) is an address, the
 * loopback name, or the name the emulator was told to listen on: names a page cannot have
 * re-pointed at the emulator by DNS. */
static int host_is_known(const struct options *opts, const char *host)
{
    char name[256];
    size_t len;
    unsigned char addr[16];

    if (host[0] == '[') /* an IPv6 address, [::1]:8080 */
        return strchr(host, ']') != NULL;
    len = strcspn(host, ":");
    if (len == 0 || len >= sizeof(name))
        return 0;
    memcpy(name, host, len);
    name[len] = '\0';
    return inet_pton(AF_INET, name, addr) == 1 || strcasecmp(name, "localhost") == 0 ||
           (len > 10 && strcasecmp(name + len - 10, ".localhost") == 0) ||
           (opts->host != NULL && strcasecmp(name, opts->host) == 0);
}

/* Whether the page's origin is one --allowed-origin names, trying both schemes when a
 * browser sent no Origin (a same-origin GET) and only the Host is known. */
static int page_allowed(const struct options *opts, const char *origin, const char *host)
{
    char guess[300];

    if (origin != NULL)
        return origin_allowed(opts, origin);
    snprintf(guess, sizeof(guess), "http://%.250s", host);
    if (origin_allowed(opts, guess))
        return 1;
    snprintf(guess, sizeof(guess), "https://%.250s", host);
    return origin_allowed(opts, guess);
}

/* A web page of another site may send a browser's "simple" request (a POST with no body or
 * a form body) to the emulator without any preflight: a body-less POST /reset would wipe
 * the state. So a call that changes something and says it comes from a page (Origin) must
 * come from the emulator's own page, whose origin is this request's host; programs send no
 * Origin and are not concerned. Reading stays open to other origins: the browser keeps a
 * foreign page from seeing the answer. But a page whose own name was re-pointed at the
 * emulator (DNS rebinding) is same-origin with it, so a browser's call (Origin or
 * Sec-Fetch-Site) is only taken under a Host the emulator knows is its own. */
static enum status check_origin(struct request *req)
{
    const char *origin = header(req, "Origin");
    const char *host = header(req, MHD_HTTP_HEADER_HOST);
    const char *own = origin ? strstr(origin, "://") : NULL;
    int browser = origin != NULL || header(req, "Sec-Fetch-Site") != NULL;

    if (browser && host != NULL && !host_is_known(req->options, host) &&
        !page_allowed(req->options, origin, host))
        return request_fail(req, ST_FORBIDDEN,
                            "a browser reached the emulator as '%.200s', a name it does not "
                            "know as its own (a page could have pointed that name at it); start "
                            "it with --allowed-origin http://%.200s to serve pages there",
                            host, host);
    if (origin == NULL || strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
        return ST_OK;
    if (own != NULL && host != NULL && strcasecmp(own + 3, host) == 0 &&
        (strncmp(origin, "http://", 7) == 0 || strncmp(origin, "https://", 8) == 0))
        return ST_OK;
    if (origin_allowed(req->options, origin))
        return ST_OK;
    return request_fail(req, ST_FORBIDDEN,
                        "cross-origin call refused: a page of '%.200s' may not change the "
                        "emulator's state (its own pages are served by http://%.200s); start it "
                        "with --allowed-origin %.200s to allow that origin",
                        origin, host ? host : "its host", origin);
}

int auth_control_token_is(const struct options *opts, const char *given)
{
    const char *want = opts->control_token;
    size_t n = want ? strlen(want) : 0;

    return want != NULL && given != NULL && strlen(given) == n && crypto_equal(given, want, n);
}

/* The control token comes as a bearer token (programs) or as the cookie the dashboard's
 * session set (an EventSource cannot send headers). */
static enum status check_control(struct request *req)
{
    const char *auth = header(req, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *cookie =
        MHD_lookup_connection_value(req->connection, MHD_COOKIE_KIND, AUTH_CONTROL_COOKIE);
    int bearer = auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0;

    if (req->options->control_token != NULL &&
        !auth_control_token_is(req->options, bearer ? auth + 7 : NULL) &&
        !auth_control_token_is(req->options, cookie))
        return request_fail(req, ST_UNAUTHENTICATED, "the control API needs the control token");
    return check_origin(req);
}

enum status auth_check(struct request *req, enum route_auth auth)
{
    enum status st;

    switch (auth) {
    case AUTH_NONE:
        return check_origin(req); /* reading passes; the control session's own calls don't */
    case AUTH_CONTROL:
        return check_control(req);
    case AUTH_ADMIN_LOGIN:
    case AUTH_ADMIN:
        if ((st = check_api_key(req)) != ST_OK)
            return st;
        if (!accepts_vendor_type(header(req, MHD_HTTP_HEADER_ACCEPT)))
            return request_fail(req, ST_NOT_ACCEPTABLE, "Accept must be %s", VENDOR_MEDIA_TYPE);
        return auth == AUTH_ADMIN ? check_bearer(req) : ST_OK;
    }
    return ST_INTERNAL;
}
