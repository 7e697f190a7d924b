#include "control/sessions.h"

#include <stdio.h>

#include "http/auth.h"

#define COOKIE_ATTRIBUTES "Path=/_emulator/v1; HttpOnly; SameSite=Strict"

enum status control_session_create(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"token", SPEC_STRING, SPEC_REQUIRED, 1, 256, NULL, 0},
    };
    const char *token = NULL;
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), &token, NULL);

    if (st != ST_OK)
        return st;
    if (req->options->control_token == NULL)
        return respond_empty(res);
    if (!auth_control_token_is(req->options, token))
        return request_fail(req, ST_UNAUTHENTICATED, "that is not the control token");
    /* The cookie carries the token itself: the emulator keeps no session state to lose. */
    if ((size_t)snprintf(res->set_cookie, sizeof(res->set_cookie), "%s=%s; %s", AUTH_CONTROL_COOKIE,
                         token, COOKIE_ATTRIBUTES) >= sizeof(res->set_cookie))
        return request_fail(req, ST_INTERNAL, "the control token is too long for a cookie");
    return respond_empty(res);
}

enum status control_session_delete(struct request *req, struct response *res)
{
    (void)req;
    snprintf(res->set_cookie, sizeof(res->set_cookie), "%s=; Max-Age=0; %s", AUTH_CONTROL_COOKIE,
             COOKIE_ATTRIBUTES);
    return respond_empty(res);
}
