/*
 * admin_tokens.h — credentials for the dashboard (and any tool that drives a system it did
 * not create): access keys are stored hashed, so nothing but this call can log in to a
 * fixture's system without being told its keys.
 */
#ifndef KE_CONTROL_ADMIN_TOKENS_H
#define KE_CONTROL_ADMIN_TOKENS_H

#include "http/request.h"

/* POST /_emulator/v1/systems/{id}/admin-token: 200 {token, apiKey, userId,
 * expirationDatetime}, a login token of the system's first administrator (its earliest ADMIN
 * still there) valid one hour of the system's clock, and the system's API key to send with
 * it. 404 for an unknown system; 409 when it has no ADMIN user or no API key left. */
enum status admin_token_create(struct request *req, struct response *res);

#endif
