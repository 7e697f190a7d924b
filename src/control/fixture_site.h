/*
 * fixture_site.h — one system of a fixture document, decoded (fixtures.c validates it) and
 * built through the simulator's own functions, as the control API would build it: users
 * with "phone" accept an invitation, claimed locks are manufactured and claimed by a phone,
 * gateways are claimed and powered on, and a "history" runs the autopilot over the days
 * before the clock's now, re-keying locks on the way.
 */
#ifndef KE_CONTROL_FIXTURE_SITE_H
#define KE_CONTROL_FIXTURE_SITE_H

#include "control/systems.h"
#include "domain/permissions.h"
#include "store/autopilots.h"

/* Strings are borrowed from the parsed document. */
struct fixture_user {
    const char *id, *role, *access_key;
    int phone;
    const char *legacy_id;       /* a legacy operating device with this id, or NULL */
    char phone_id[UUID_STR_LEN]; /* the operating device, once made */
};

struct fixture_lock {
    const char *id, *name;
    json_object *claim;
    const char *model, *serial, *hardware_version, *firmware_version, *user_id;
};

struct fixture_permission {
    const char *id; /* NULL: drawn */
    struct permission_request grant;
};

struct fixture_gateway {
    const char *id;
    json_object *associations;
    int activated;
};

/* A "generate" member: how big a site to draw (control/fixture_fleet.h). */
struct fixture_fleet_spec {
    int64_t users, locks, gateways, permissions_per_user, waves;
};

/* One system entry; the arrays are the decoder's (malloc'ed). */
struct fixture_spec {
    struct system_spec spec;
    json_object *admin, *clock, *users_in, *locks_in, *perms_in, *gateways_in, *autopilot_in,
        *history_in, *generate_in;
    struct fixture_user *users; /* users[0] is the admin */
    size_t nusers;
    struct fixture_lock *locks;
    size_t nlocks;
    struct fixture_permission *perms;
    size_t nperms;
    struct fixture_gateway *gateways;
    size_t ngateways;
    struct autopilot_row autopilot;
    int64_t history_days; /* 0: no history */
    json_object *rekeying;
    int clock_time_given;
    struct fixture_fleet_spec fleet; /* when generate_in */
};

/* The user (users[0] is the admin) or locking device of the entry with this id, or NULL. */
struct fixture_user *fixture_find_user(const struct fixture_spec *s, const char *id);
struct fixture_lock *fixture_find_lock(const struct fixture_spec *s, const char *id);

/* An administrator invites the user's phone, which accepts and is activated, as through
 * the two APIs; phone_id receives the operating device's id. */
enum status fixture_site_phone(struct db *db, const char *system_id, const char *user_id,
                               int64_t now, char phone_id[UUID_STR_LEN], struct problem *p);

/* Creates the system and everything the entry describes inside the caller's transaction.
 * The entry must be valid; what only the database can refuse (a serial number taken, a
 * re-keying visit the permissions do not allow) is named in p under pointer
 * ("/systems/N") and fails the load. Fills the users' phone ids. */
enum status fixture_site_create(struct db *db, struct fixture_spec *fx, const char *pointer,
                                struct problem *p);

#endif
