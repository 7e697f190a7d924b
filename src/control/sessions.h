/*
 * sessions.h — the dashboard's hold on the control token.
 *
 * A page cannot send an Authorization header with an EventSource, and must not put the
 * token in a URL (logs, history, Referer) or in storage that scripts can read. So the page
 * asks the person for the token once and exchanges it for a cookie that only the emulator's
 * own requests carry: HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), scoped to /_emulator/v1.
 */
#ifndef KE_CONTROL_SESSIONS_H
#define KE_CONTROL_SESSIONS_H

#include "http/request.h"

/* POST /_emulator/v1/control-session {token}: 204 with the cookie when token is the control
 * token; 401 when it is not; 204 without a cookie when the emulator has no control token
 * (nothing to hold). */
enum status control_session_create(struct request *req, struct response *res);

/* DELETE /_emulator/v1/control-session: 204, the cookie cleared. */
enum status control_session_delete(struct request *req, struct response *res);

#endif
