/*
 * invitations.h — operating device invitations: who is invited, until when, how the code
 * was delivered, and whether the invitation is still pending, accepted or revoked.
 *
 * Queries of the Administration API are scoped by system id. Accepting is done by a phone
 * that knows only a code or an invitation id, so two lookups search every system; their
 * callers take the system from the row they find.
 */
#ifndef KE_STORE_INVITATIONS_H
#define KE_STORE_INVITATIONS_H

#include "lib/rng.h"
#include "store/db.h"

#define INVITATION_CODE_LEN 20     /* "XXXX-XXXX-XXXX-XXXX" and NUL */
#define INVITATION_DURATION_LEN 64 /* the validity duration as the client wrote it */

struct invitation_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char user_id[UUID_STR_LEN];
    char validity_duration[INVITATION_DURATION_LEN];
    int64_t expires_at;
    char delivery_mechanism[8]; /* "SMS", "EMAIL" or "NONE" */
    char phone_number[32];      /* SMS only, else "" */
    char email[320];            /* EMAIL only, else "" */
    char format[16];            /* "INVITATION_LINK" or "INVITATION_CODE" */
    char invitation_code[INVITATION_CODE_LEN];
    char state[12];                         /* "PENDING", "ACCEPTED" or "REVOKED" */
    char operating_device_id[UUID_STR_LEN]; /* set once accepted, else "" */
    int64_t created_at;
    int64_t accepted_at; /* 0 until accepted */
};

/* Inserts a PENDING invitation. ST_CONFLICT when the id or the code is already taken. */
enum status store_invitation_insert(struct db *db, const struct invitation_row *row);

/* The invitation in system_id; ST_NOT_FOUND when absent or in another system. */
enum status store_invitation_get(struct db *db, const char *system_id, const char *id,
                                 struct invitation_row *out);

/* The invitation with this id or this code, in whatever system (phones only);
 * ST_NOT_FOUND when there is none. */
enum status store_invitation_find_by_id(struct db *db, const char *id, struct invitation_row *out);
enum status store_invitation_find_by_code(struct db *db, const char *code,
                                          struct invitation_row *out);

/* Marks the invitation REVOKED. ST_NOT_FOUND when absent or in another system. */
enum status store_invitation_revoke(struct db *db, const char *system_id, const char *id);

/* Marks the invitation ACCEPTED by the operating device at time now. ST_NOT_FOUND when
 * absent or in another system. */
enum status store_invitation_accept(struct db *db, const char *system_id, const char *id,
                                    const char *operating_device_id, int64_t now);

#endif
