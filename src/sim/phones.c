#include "sim/phones.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/invitations.h"
#include "domain/operating_devices.h"
#include "lib/offline_key.h"
#include "lib/text.h"
#include "lib/time_window.h"
#include "lib/timefmt.h"
#include "sim/ca.h"
#include "sim/locks.h"
#include "store/locking_devices.h"
#include "store/offline_keys.h"
#include "store/operating_keys.h"
#include "store/permissions.h"

#define PHONE_CERT_LIFETIME (2 * 365 * 86400LL)
#define KEYS_MAX 16

const char *sim_operation_type(const char *operation)
{
    static const struct {
        const char *operation, *type;
    } map[] = {
        {"unlock", "OPEN"},
        {"lock", "OPEN"},
        {"update-firmware", "UPDATE_FIRMWARE"},
        {"update-time", "UPDATE_TIME"},
    };
    for (size_t i = 0; operation != NULL && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i].operation, operation) == 0)
            return map[i].type;
    return NULL;
}

enum status sim_phone_provision(struct db *db, const char *operating_device_id, int64_t now)
{
    char *key = NULL, *cert = NULL;
    enum status st = ca_issue(db, operating_device_id, now, now + PHONE_CERT_LIFETIME, &key, &cert);

    if (st == ST_OK)
        st = store_phone_certificate_put(db, operating_device_id, key, cert,
                                         now + PHONE_CERT_LIFETIME);
    free(key);
    free(cert);
    return st;
}

enum status sim_phone_accept(struct db *db, const struct invitation_row *inv, int64_t now,
                             struct operating_device_row *out, struct problem *p)
{
    enum status st = domain_invitation_accept(db, inv, now, out, p);

    if (st == ST_OK)
        st = sim_phone_provision(db, out->id, now);
    return st == ST_OK ? domain_operating_device_activate(db, out, now) : st;
}

enum status sim_phone_add_legacy(struct db *db, const struct system_row *system,
                                 const char *user_id, int64_t now, struct operating_device_row *out,
                                 struct problem *p)
{
    enum status st = domain_operating_device_add_legacy(db, system->id, user_id, now, out, p);

    return st == ST_OK ? sim_phone_provision(db, out->id, now) : st;
}

enum status sim_phone_claim(struct db *db, const struct system_row *system, const char *phone_id,
                            const char *user_id, const char *locking_device_id, const char *serial,
                            int64_t now, int *uploaded)
{
    return sim_phone_claim_certified(db, system, phone_id, user_id, locking_device_id, serial, now,
                                     now, uploaded);
}

enum status sim_phone_claim_certified(struct db *db, const struct system_row *system,
                                      const char *phone_id, const char *user_id,
                                      const char *locking_device_id, const char *serial,
                                      int64_t now, int64_t certified_at, int *uploaded)
{
    enum status st =
        sim_lock_claim_certified(db, system, user_id, locking_device_id, serial, now, certified_at);

    if (st == ST_OK)
        st = store_pending_hand_over(db, serial, phone_id);
    return st == ST_OK ? sim_upload(db, system, phone_id, now, uploaded) : st;
}

enum status sim_phone_sync(struct db *db, const struct system_row *system,
                           const struct operating_device_row *phone, int64_t now,
                           struct sync_report *r)
{
    enum status st;

    memset(r, 0, sizeof(*r));
    /* The platform hands out one key per permission that has not ended. */
    st = store_operating_keys_download(db, system->id, phone->id, phone->user_id, now,
                                       &r->keys_downloaded);
    if (st == ST_OK)
        st = sim_rekey_sync(db, system, phone->id, now, &r->certificates_issued);
    if (st == ST_OK)
        st = sim_upload(db, system, phone->id, now, &r->entries_uploaded);
    return st;
}

/* Checks the phone's downloaded keys; on refusal says why in reason. */
static enum status check_operating_keys(struct db *db, const struct operating_device_row *phone,
                                        const char *lock_id, const char *type, int64_t now,
                                        int *granted, char *reason, size_t len)
{
    struct operating_key_row keys[KEYS_MAX];
    size_t n = 0;
    enum status st = store_operating_keys_for(db, phone->id, lock_id, type, keys, KEYS_MAX, &n);

    *granted = 0;
    text_copy(reason, len, "the phone holds no operating key for this lock and operation");
    for (size_t i = 0; st == ST_OK && i < n && !*granted; i++) {
        const struct operating_key_row *k = &keys[i];
        if (now >= k->valid_until)
            text_copy(reason, len, "the operating key expired; the phone must sync");
        else if (now < k->permission_start || now >= k->permission_end)
            text_copy(reason, len, "outside the permission's validity");
        else if (!time_window_allows(k->weekdays, k->intervals, now))
            text_copy(reason, len, "outside the permission's weekdays or intervals");
        else
            *granted = 1;
    }
    if (*granted)
        reason[0] = '\0';
    return st;
}

/* Offline keys open and lock only; the lock checks signature, devices and window. */
static enum status check_offline_key(struct db *db, const struct system_row *system,
                                     const struct operating_device_row *phone,
                                     const struct visit_request *v, int64_t now, int *granted,
                                     char *reason, size_t len)
{
    char *private_pem = NULL, *public_pem = NULL;
    enum offline_key_verdict verdict = OFFLINE_KEY_ERROR;
    enum status st = store_system_key_get(db, system->id, &private_pem);

    *granted = 0;
    if (st == ST_NOT_FOUND) {
        snprintf(reason, len, "offline key: %s",
                 offline_key_verdict_name(OFFLINE_KEY_BAD_SIGNATURE));
        return ST_OK;
    }
    if (st == ST_OK)
        st = offline_key_public_pem(private_pem, &public_pem);
    if (st == ST_OK)
        verdict = offline_key_verify(v->offline_key, public_pem, phone->id, v->locking_device_id,
                                     now, NULL);
    if (st == ST_OK && strcmp(sim_operation_type(v->operation), "OPEN") != 0)
        text_copy(reason, len, "offline keys allow only unlock and lock");
    else if (st == ST_OK && verdict != OFFLINE_KEY_OK)
        snprintf(reason, len, "offline key: %s", offline_key_verdict_name(verdict));
    else if (st == ST_OK)
        *granted = 1;
    free(private_pem);
    free(public_pem);
    return st;
}

/* Stored in the lock's log, or, when the platform receives it in this session, only
 * numbered: storing it would last only until the upload deletes it. */
static enum status log_audit(struct db *db, const struct lock_state *lock,
                             const struct operating_device_row *phone, const char *operation,
                             int granted, int64_t now, int store, struct pending_entry *e)
{
    memset(e, 0, sizeof(*e));
    text_copy(e->entry.kind, sizeof(e->entry.kind), LOG_KIND_AUDIT);
    text_copy(e->entry.event_name, sizeof(e->entry.event_name), operation);
    text_copy(e->entry.client_type, sizeof(e->entry.client_type), LOG_CLIENT_OPERATING_DEVICE);
    text_copy(e->entry.operating_device_id, sizeof(e->entry.operating_device_id), phone->id);
    text_copy(e->entry.user_id, sizeof(e->entry.user_id), phone->user_id);
    e->entry.occurred_at = now;
    e->entry.granted = granted;
    if (store)
        return sim_lock_log(db, lock->serial_number, e);
    text_copy(e->serial_number, sizeof(e->serial_number), lock->serial_number);
    return store_pending_number(db, e);
}

/* The session itself, once the lock accepted it. */
static enum status run_session(struct db *db, const struct system_row *system,
                               const struct operating_device_row *phone,
                               const int rekeying_offered[CERT_PROFILES], struct lock_state *lock,
                               const struct visit_request *v, int64_t now, struct visit_report *r)
{
    const char *type = sim_operation_type(v->operation);
    int direct = v->online && sim_lock_in_system(lock, system); /* the platform gets it now */
    int64_t mark = 0;
    enum status st = v->offline_key != NULL
                         ? check_offline_key(db, system, phone, v, now, &r->granted, r->reason,
                                             sizeof(r->reason))
                         : check_operating_keys(db, phone, v->locking_device_id, type, now,
                                                &r->granted, r->reason, sizeof(r->reason));

    /* Online, every entry stored after mark was logged after the audit entry. */
    if (st == ST_OK && direct)
        st = store_pending_last_seq(db, &mark);
    if (st == ST_OK)
        st = log_audit(db, lock, phone, v->operation, r->granted, now, !direct, &r->audit);
    /* Re-keying is an administrative conversation: it needs a permission, not an offline key. */
    if (st == ST_OK && r->granted && v->offline_key == NULL)
        st = sim_rekey_visit(db, system, phone->id, rekeying_offered, lock, v->online, now,
                             &r->rekey);
    /* Online, the sync has just uploaded what the phone carried: the lock's entries go on
     * to the platform at once. Offline, the phone keeps them until its next sync. */
    if (st == ST_OK && v->online)
        st = sim_upload_from_lock(db, system, phone->id, lock, direct ? &r->audit : NULL, mark, now,
                                  &r->entries_handed_over);
    else if (st == ST_OK)
        st = store_pending_hand_over(db, lock->serial_number, phone->id);
    return st;
}

enum status sim_phone_require_network(struct db *db, const char *phone_id, struct problem *p)
{
    int online = 1;
    enum status st = store_phone_network_online(db, phone_id, &online);

    if (st == ST_OK && !online)
        return problem_set(p, ST_CONFLICT,
                           "the phone has no network; give it one with POST "
                           "/_emulator/v1/operating-devices/%s/network {\"online\": true}",
                           phone_id);
    return st;
}

enum status sim_phone_set_network(struct db *db, const char *phone_id, int online)
{
    return store_phone_network_set(db, phone_id, online);
}

/* Why the lock refuses the session, or NULL when it accepts it. */
static const char *session_refusal(const struct lock_state *lock, int64_t now, char *reason,
                                   size_t len)
{
    char when[TIMEFMT_DATETIME_LEN];
    enum cert_profile lapsed = CERT_OPERATIONAL;

    if (!sim_lock_powered(lock)) {
        text_copy(reason, len, "the lock does not respond: its battery is empty");
        return reason;
    }
    if (sim_lock_operable(lock, now, &lapsed))
        return NULL;
    timefmt_format_datetime(lock->cert[lapsed].not_after, when);
    snprintf(reason, len, "the lock refused the session: its %s certificate expired at %s",
             lapsed == CERT_OPERATIONAL ? "operational" : "manufacturing", when);
    return reason;
}

enum status sim_phone_visit(struct db *db, const struct system_row *system,
                            const struct operating_device_row *phone,
                            const struct visit_request *asked, int64_t now, struct visit_report *r)
{
    struct lock_state *lock = malloc(sizeof(*lock));
    struct visit_request visit = *asked;
    const struct visit_request *v = &visit;
    int offered[CERT_PROFILES] = {0}, network = 1;
    enum status st = lock ? store_phone_network_online(db, phone->id, &network) : ST_NOMEM;

    memset(r, 0, sizeof(*r));
    /* Without network the phone goes to the lock all the same, offline. */
    visit.online = asked->online && network;
    r->online = visit.online;
    if (st == ST_OK && sim_operation_type(v->operation) == NULL) {
        snprintf(r->reason, sizeof(r->reason), "unknown operation '%s'", v->operation);
        st = ST_INVALID;
    }
    if (st == ST_OK)
        st = store_locking_device_rekeying_offered(db, system->id, v->locking_device_id, offered);
    if (st == ST_OK && phone->activated_at == 0) {
        text_copy(r->reason, sizeof(r->reason), "the phone is not activated");
        st = ST_CONFLICT;
    }
    if (st == ST_OK && store_lock_state_brief_of_device(db, v->locking_device_id, lock) != ST_OK) {
        text_copy(r->reason, sizeof(r->reason), "the locking device is not claimed");
        st = ST_CONFLICT;
    }
    if (st == ST_OK && v->online)
        st = sim_phone_sync(db, system, phone, now, &r->sync);
    /* The sync may have moved the lock's re-keying on (a carried CSR issued): read it again;
     * an uploaded re-keying entry changes the platform's certificate of the device. */
    if (st == ST_OK && v->online && r->sync.certificates_issued > 0)
        st = store_lock_state_brief_of_device(db, v->locking_device_id, lock);
    if (st == ST_OK && v->online && r->sync.entries_uploaded > 0)
        st = store_locking_device_rekeying_offered(db, system->id, v->locking_device_id, offered);
    if (st == ST_OK && session_refusal(lock, now, r->reason, sizeof(r->reason)) != NULL) {
        r->refused = 1;
    } else if (st == ST_OK) {
        st = run_session(db, system, phone, offered, lock, v, now, r);
    }
    free(lock);
    return st;
}
