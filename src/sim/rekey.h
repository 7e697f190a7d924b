/*
 * rekey.h — re-keying a lock's certificates, as phones carry it out.
 *
 * A lock has two certificates (operational and manufacturing) and re-keys each the same way,
 * on its own: when the platform has marked the certificate eligible, a visiting phone has the
 * lock make a new key pair and a CSR for that profile; the platform issues a certificate for
 * it; a phone installs it and the lock logs the profile's entry (sim_rekeyed_event()), whose
 * upload completes the process. Online, the phone relays the CSR at once and everything
 * happens in one visit; offline it carries the CSR to its next sync and installs the
 * certificate at a second visit. Both profiles may be in progress at once; one visit moves
 * each as far as it can, the operational one first.
 */
#ifndef KE_SIM_REKEY_H
#define KE_SIM_REKEY_H

#include "store/lock_states.h"
#include "store/locking_devices.h"
#include "store/systems.h"

/* What one visit did to one profile's re-keying. */
struct rekey_steps {
    int csr_created;
    int certificate_issued;
    int certificate_installed;
    char stage[16]; /* the profile's stage after the visit */
};

struct rekey_report {
    struct rekey_steps profile[CERT_PROFILES]; /* indexed by enum cert_profile */
};

/* The steps one visit allows. s may be a brief read: when re-keying moves on it is read in
 * full, updated and stored; otherwise nothing is written. offered[p]: whether the platform
 * offers profile p's certificate for re-keying now (the visit has read it). */
enum status sim_rekey_visit(struct db *db, const struct system_row *system,
                            const char *operating_device_id, const int offered[CERT_PROFILES],
                            struct lock_state *s, int online, int64_t now,
                            struct rekey_report *report);

/* At a phone's sync: every CSR it carries reaches the platform, which issues certificates.
 * *issued (may be NULL) receives the count (one per profile). */
enum status sim_rekey_sync(struct db *db, const struct system_row *system,
                           const char *operating_device_id, int64_t now, int *issued);

#endif
