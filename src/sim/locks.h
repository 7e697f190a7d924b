/*
 * locks.h — simulated physical locking devices.
 *
 * A lock has two key pairs with certificates from the emulator CA (operational and
 * manufacturing) and its own log with running sequence numbers. Its entries reach the
 * platform only when a phone or a gateway carries them: sim_upload() turns the entries a
 * holder carries into rows of the log endpoints and into the vendor's events.
 */
#ifndef KE_SIM_LOCKS_H
#define KE_SIM_LOCKS_H

#include "store/hardware.h"
#include "store/lock_states.h"
#include "store/locking_devices.h"
#include "store/jobs.h"
#include "store/systems.h"

#define LOCK_OP_LIFETIME (365 * 86400LL)
#define LOCK_MFG_LIFETIME (10 * 365 * 86400LL)
#define LOCK_ELIGIBILITY_WINDOW (30 * 86400LL)

#define JOB_ELIGIBLE_OPERATIONAL "certificate.eligible.operational"
#define JOB_ELIGIBLE_MANUFACTURING "certificate.eligible.manufacturing"

#define PROFILE_OPERATIONAL "OPERATIONAL"
#define PROFILE_MANUFACTURING "MANUFACTURING"

/* The system entries a lock logs when it has installed a re-keyed certificate, one per
 * profile: the platform learns from the entry's name which certificate changed. */
#define LOCK_EVENT_REKEYED "CERTIFICATE_REKEYED"
#define LOCK_EVENT_MFG_REKEYED "MANUFACTURING_CERTIFICATE_REKEYED"

struct lock_lifetimes {
    int64_t operational;
    int64_t manufacturing;
    int64_t eligibility_window;
};

/* The vendor's CertificateProfile name of p: PROFILE_OPERATIONAL or PROFILE_MANUFACTURING. */
const char *sim_profile_name(enum cert_profile p);

/* The system entry the lock logs when it has installed profile p's re-keyed certificate. */
const char *sim_rekeyed_event(enum cert_profile p);

/* How long a certificate of profile p lasts on this lock. */
int64_t sim_lock_lifetime(const struct lock_state *s, enum cert_profile p);

/* THE rule of a lock in service: it can be operated (by a phone or a gateway) only while
 * both of its certificates are valid; a certificate not re-keyed in time stops the lock
 * being operable ("the locking device will stop being operable"). When it cannot be,
 * *lapsed (may be NULL) receives the profile that expired (the operational one when both). */
int sim_lock_operable(const struct lock_state *s, int64_t now, enum cert_profile *lapsed);

/* Gives a new physical lock its key pairs and certificates, valid from now. */
enum status sim_lock_manufacture(struct db *db, const char *serial,
                                 const struct lock_lifetimes *lifetimes, int64_t now);

/* A new physical lock that is claimed in the same transaction, without the factory's
 * certificates: the claim makes them (and would replace the factory's anyway), so a
 * generated fleet pays for one pair per lock, not two. */
enum status sim_lock_manufacture_for_claim(struct db *db, const char *serial,
                                           const struct lock_lifetimes *lifetimes);

/* The lock logs an entry (kind LOG_KIND_SYSTEM or LOG_KIND_AUDIT); client fields of e->entry
 * are taken as given. Fills e->entry.sequence_number. */
enum status sim_lock_log(struct db *db, const char *serial, struct pending_entry *e);

/* Shorthand for a system entry. */
enum status sim_lock_log_system(struct db *db, const char *serial, const char *event_name,
                                int64_t now);

/* A phone of `system` binds the factory-fresh lock `serial` to the UNCLAIMED placeholder
 * locking_device_id, for user_id. The lock gets certificates valid from now (it leaves the
 * factory when it is installed), the placeholder its serial, model, versions and certificate
 * expirations; re-keying eligibility is scheduled; LockingDeviceClaimed is emitted.
 * ST_NOT_FOUND for an unknown serial or placeholder; ST_CONFLICT when either is claimed. */
enum status sim_lock_claim(struct db *db, const struct system_row *system, const char *user_id,
                           const char *locking_device_id, const char *serial, int64_t now);

/* sim_lock_claim() for a lock installed before now: its certificates were issued at
 * certified_at (<= now) and expire a lifetime after it, so that a generated site's locks fall
 * due for re-keying at different times. */
enum status sim_lock_claim_certified(struct db *db, const struct system_row *system,
                                     const char *user_id, const char *locking_device_id,
                                     const char *serial, int64_t now, int64_t certified_at);

/* The platform receives every entry `holder` carries (a phone's operating device id, or a
 * gateway's id): log rows plus LockingDeviceSystemLogEntryReceived, ...AuditLogEntryReceived
 * (phone operations only) and ...AuditLogEntryReceivedV2, and ReKeyingCompleted for a
 * re-keying entry. Entries of locks not claimed into `system` stay with the holder.
 * *uploaded (may be NULL) receives the count. */
enum status sim_upload(struct db *db, const struct system_row *system, const char *holder,
                       int64_t now, int *uploaded);

/* Whether the lock is claimed into system (an upload receives its entries). */
int sim_lock_in_system(const struct lock_state *lock, const struct system_row *system);

/* The end of an online session: the lock hands its entries to phone_id, whose own sync has
 * just uploaded everything else it carried, and the phone passes them straight on. Leaves
 * the database as store_pending_hand_over() then sim_upload() would, without moving each
 * entry to the phone first or reading the lock again: lock is its current state (a brief
 * read will do). unstored (may be NULL) is an entry the lock logged in this session but
 * that was only numbered (store_pending_number), not stored: it is received after the
 * stored entries with seq <= mark, where its own seq would have put it; it needs a lock in
 * the system (sim_lock_in_system). *uploaded (may be NULL) receives the count. */
enum status sim_upload_from_lock(struct db *db, const struct system_row *system,
                                 const char *phone_id, const struct lock_state *lock,
                                 const struct pending_entry *unstored, int64_t mark, int64_t now,
                                 int *uploaded);

/* Job: a certificate entered its re-keying window (payload: the profile). A re-keyed
 * certificate reschedules its own job, so an outdated one finds nothing to do. */
enum status sim_job_certificate_eligible(struct db *db, const struct system_row *system,
                                         const struct job_row *job);

/* Marks a certificate eligible now on the platform and emits the event (the testing
 * endpoint and the job share it). */
enum status sim_certificate_make_eligible(struct db *db, const struct system_row *system,
                                          const char *locking_device_id, const char *profile,
                                          int64_t now);

/* With a flat battery nothing can operate the lock: no session, no remote command, no log.
 * (Powered and operable are two rules: sim_lock_operable() is about its certificates.) */
int sim_lock_powered(const struct lock_state *lock);

/* Whether the lock's gateway can talk to it: powered and within its radio range. */
int sim_lock_reaches_gateway(const struct lock_state *lock);

/* What the control API sets on a physical lock: battery (LOCK_BATTERY_*; NULL: unchanged)
 * and range (-1: unchanged). A battery that turns LOW logs BATTERY_LOW; one that comes back
 * from EMPTY starts the lock again, which logs BOOT first. lock is updated to the new
 * state. */
enum status sim_lock_set_condition(struct db *db, struct lock_state *lock, const char *battery,
                                   int in_gateway_range, int64_t now);

#endif
