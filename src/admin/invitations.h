/*
 * invitations.h — operating device invitations of the Administration API v2: an admin
 * invites a phone for a user; the platform delivers the invitation by SMS or e-mail (the
 * emulator records the message; see store/messages.h) or hands the code back (NONE).
 * Creating and revoking are the domain's (domain/invitations.h); a phone accepts an
 * invitation through the control API.
 */
#ifndef KE_ADMIN_INVITATIONS_H
#define KE_ADMIN_INVITATIONS_H

#include "http/request.h"

/* The environmentUrl answered for NONE + INVITATION_LINK. The handler does not know the
 * address the emulator is reached at, so this is a fixed, never-resolving name. */
#define INVITATION_ENVIRONMENT_URL "https://keyless-emulator.invalid"

/* The shortest and longest validity (the reference: > 0 s and <= 365 days). */
#define INVITATION_MIN_SECONDS 1
#define INVITATION_MAX_SECONDS (365 * 86400)

/* POST /operating-device-invitation: 201 {id, expirationDatetime} (+ invitationCode and,
 * for INVITATION_LINK, environmentUrl when delivery is NONE). 400 naming every bad field;
 * 404 when userId is not a user of the caller's system. */
enum status invitations_create(struct request *req, struct response *res);

/* DELETE /operating-device-invitation/{invitation-id}: 204, also when already revoked;
 * 409 when accepted; 404 when unknown or of another system. */
enum status invitations_revoke(struct request *req, struct response *res);

#endif
