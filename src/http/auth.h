/*
 * auth.h — the checks that run before any handler, in the vendor's order.
 *
 * Administration API: X-Api-Key (missing or unknown → 403), its rate limit (429),
 * Accept must be the vendor media type (406), then for every route but login a bearer
 * token (missing, malformed, bad signature, wrong algorithm, expired on the system's
 * virtual clock, or of a deleted user → 401; of a USER-role user → 403).
 * Control API: the control token when one is configured (401), as a bearer token or as the
 * dashboard session's cookie; a call that changes state
 * and carries an Origin other than the emulator's own (or one --allowed-origin names): 403.
 */
#ifndef KE_HTTP_AUTH_H
#define KE_HTTP_AUTH_H

#include "http/request.h"

/* The cookie that carries the control token for the dashboard (control/sessions.h). */
#define AUTH_CONTROL_COOKIE "keyless_emulator_control"

/* Whether given is the --control-token (compared in constant time); 0 when none is set. */
int auth_control_token_is(const struct options *opts, const char *given);

/* Runs the checks of route auth class `auth`; on success fills req->system and
 * req->caller for AUTH_ADMIN. */
enum status auth_check(struct request *req, enum route_auth auth);

#endif
