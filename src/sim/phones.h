/*
 * phones.h — simulated phones: what an operating device does at a lock and online.
 *
 * A sync is the phone going online: it downloads an operating key for each of its user's
 * permissions (valid for the permission's operatingKeyValidityDuration from the download,
 * never past the permission's end), uploads the log entries it carries and relays any CSR it
 * carries for re-keying. A visit is one Bluetooth session: a sync first when online; the
 * lock refuses the session if its battery is empty or either of its certificates has expired
 * (sim_lock_operable); it checks the key against the operation and its own clock, logs an
 * audit entry, runs the re-keying steps of both profiles, and hands its pending entries to
 * the phone, which uploads them when online.
 */
#ifndef KE_SIM_PHONES_H
#define KE_SIM_PHONES_H

#include "sim/rekey.h"
#include "store/invitations.h"
#include "store/lock_states.h"
#include "store/operating_devices.h"

struct sync_report {
    int keys_downloaded;
    int entries_uploaded;
    int certificates_issued;
};

struct visit_request {
    const char *locking_device_id;
    const char *operation; /* unlock, lock, update-firmware, update-time */
    int online;
    const char *offline_key; /* NULL: use the downloaded operating keys */
};

struct visit_report {
    int online;  /* the visit ran online: asked so, and the phone has network */
    int refused; /* the lock refused the session (certificate expired, battery empty):
                  * the lock logs nothing */
    int granted;
    char reason[160];
    struct pending_entry audit; /* the audit entry the lock logged */
    struct rekey_report rekey;
    int entries_handed_over;
    struct sync_report sync;
};

/* Issues the phone's operational certificate (activation). */
enum status sim_phone_provision(struct db *db, const char *operating_device_id, int64_t now);

/* A phone accepts the invitation inv at now: the platform creates its operating device
 * (domain_invitation_accept: its refusals, with the detail in p), the phone receives its
 * operational certificate and the platform records the activation
 * (OperatingDeviceActivated). out receives the activated device. */
enum status sim_phone_accept(struct db *db, const struct invitation_row *inv, int64_t now,
                             struct operating_device_row *out, struct problem *p);

/* A phone from before version 2's invitations (domain_operating_device_add_legacy: its
 * refusals, detail in p), holding its operational certificate: it visits, syncs and claims
 * like any other, but the platform deletes it only with its user. */
enum status sim_phone_add_legacy(struct db *db, const struct system_row *system,
                                 const char *user_id, int64_t now, struct operating_device_row *out,
                                 struct problem *p);

/* The phone of user_id, online, claims the factory-fresh lock serial into the placeholder
 * locking_device_id (sim_lock_claim: its refusals) and passes the lock's BOOT entry straight
 * on to the platform. *uploaded (may be NULL) receives the entries uploaded. */
enum status sim_phone_claim(struct db *db, const struct system_row *system, const char *phone_id,
                            const char *user_id, const char *locking_device_id, const char *serial,
                            int64_t now, int *uploaded);

/* The same for a lock whose certificates were issued at certified_at (sim_lock_claim_certified). */
enum status sim_phone_claim_certified(struct db *db, const struct system_row *system,
                                      const char *phone_id, const char *user_id,
                                      const char *locking_device_id, const char *serial,
                                      int64_t now, int64_t certified_at, int *uploaded);

enum status sim_phone_sync(struct db *db, const struct system_row *system,
                           const struct operating_device_row *phone, int64_t now,
                           struct sync_report *report);

/* ST_CONFLICT (detail in p, which may be NULL) when the phone has no network: what a sync
 * or a claim needs. */
enum status sim_phone_require_network(struct db *db, const char *phone_id, struct problem *p);

/* Gives the phone network (online 1) or takes it away (0). Without it, every visit runs
 * offline, whatever it asks: the lock's entries are carried, not uploaded. */
enum status sim_phone_set_network(struct db *db, const char *phone_id, int online);

/* A visit asked online runs offline when the phone has no network (report->online says how
 * it ran). The lock refuses the session, logging nothing, when its battery is empty or its
 * operational certificate has expired. ST_INVALID for an unknown operation (detail in
 * report->reason); ST_NOT_FOUND for a lock not in the system; ST_CONFLICT when the phone is not
 * activated or the lock not claimed. */
enum status sim_phone_visit(struct db *db, const struct system_row *system,
                            const struct operating_device_row *phone,
                            const struct visit_request *visit, int64_t now,
                            struct visit_report *report);

/* The operation type a conversation name needs, or NULL when the name is unknown. */
const char *sim_operation_type(const char *operation);

#endif
