/*
 * rekey.h — re-keying a lock's operational certificate, as phones carry it out.
 *
 * When the platform has marked the certificate eligible, a visiting phone has the lock make
 * a new key pair and a CSR; the platform issues a certificate for it; a phone installs it
 * and the lock logs LOCK_EVENT_REKEYED, whose upload completes the process. Online, the
 * phone relays the CSR at once and everything happens in one visit; offline it carries the
 * CSR to its next sync and installs the certificate at a second visit.
 */
#ifndef KE_SIM_REKEY_H
#define KE_SIM_REKEY_H

#include "store/lock_states.h"
#include "store/locking_devices.h"
#include "store/systems.h"

struct rekey_report {
    int csr_created;
    int certificate_issued;
    int certificate_installed;
    char stage[16]; /* the lock's stage after the visit */
};

/* The steps one visit allows. s may be a brief read: when re-keying moves on it is read in
 * full, updated and stored; otherwise nothing is written. offered: whether the platform
 * offers the lock's operational certificate for re-keying now (the visit has read it). */
enum status sim_rekey_visit(struct db *db, const struct system_row *system,
                            const char *operating_device_id, int offered, struct lock_state *s,
                            int online, int64_t now, struct rekey_report *report);

/* At a phone's sync: every CSR it carries reaches the platform, which issues certificates.
 * *issued (may be NULL) receives the count. */
enum status sim_rekey_sync(struct db *db, const struct system_row *system,
                           const char *operating_device_id, int64_t now, int *issued);

#endif
