/*
 * invitations.h — operating device invitations on the platform's side: an administrator
 * invites a phone for a user; the platform delivers the code by SMS or e-mail (recorded as a
 * message, store/messages.h) or hands it back (NONE); a phone accepting it becomes the
 * user's operating device. Shared by the Administration API, the control API's phones,
 * fixtures and trigger stories. Inside the caller's transaction, events included.
 * Depends on the store, events and lib only.
 */
#ifndef KE_DOMAIN_INVITATIONS_H
#define KE_DOMAIN_INVITATIONS_H

#include "lib/json_spec.h"
#include "store/invitations.h"
#include "store/operating_devices.h"

/* Where a delivered INVITATION_LINK points; the code follows "?code=". */
#define INVITATION_LINK_BASE "https://keyless.assaabloy.com/invitation"

/* What an administrator asks for, already validated. phone_number goes with SMS, email with
 * EMAIL; either is NULL otherwise. */
struct invitation_request {
    const char *user_id;
    struct spec_duration validity;
    const char *mechanism; /* SMS, EMAIL or NONE */
    const char *phone_number;
    const char *email;
    const char *format; /* INVITATION_LINK or INVITATION_CODE */
};

/* Creates a PENDING invitation with a code unique across systems (a phone presents nothing
 * else) and delivers it unless the mechanism is NONE. ST_NOT_FOUND (detail in p, which may
 * be NULL) when the user is not in the system. out receives the invitation. */
enum status domain_invitation_create(struct db *db, const char *system_id,
                                     const struct invitation_request *in, int64_t now,
                                     struct invitation_row *out, struct problem *p);

/* Revokes a pending invitation; revoking twice is no error. ST_NOT_FOUND when unknown;
 * ST_CONFLICT once it was accepted. */
enum status domain_invitation_revoke(struct db *db, const char *system_id, const char *id,
                                     struct problem *p);

/* A phone accepts inv at now (on the invitation's system's clock): the user's operating
 * device is created, not yet activated, the invitation becomes ACCEPTED and
 * OperatingDeviceCreated {operatingDeviceId, userId, invitationId} is emitted. ST_CONFLICT
 * when it was accepted already or its user has a device (a user has one at most);
 * ST_GONE when it was revoked or has expired. out receives the device. */
enum status domain_invitation_accept(struct db *db, const struct invitation_row *inv, int64_t now,
                                     struct operating_device_row *out, struct problem *p);

#endif
