#include "sim/locks.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/outbox.h"
#include "lib/json_build.h"
#include "lib/text.h"
#include "lib/timefmt.h"
#include "sim/ca.h"
#include "store/jobs.h"
#include "sim/clock.h"
#include "store/log_entries.h"

#define UPLOAD_BATCH 32

/* Issues a fresh key pair and certificate valid [now, now + lifetime]. */
static enum status issue_certificate(struct db *db, const char *serial, const char *profile,
                                     int64_t now, int64_t lifetime, char *key_pem, char *cert_pem,
                                     int64_t *not_after)
{
    char cn[128], *key = NULL, *cert = NULL;
    enum status st;

    snprintf(cn, sizeof(cn), "%s %s", serial, profile);
    st = ca_issue(db, cn, now, now + lifetime, &key, &cert);
    if (st == ST_OK && (strlen(key) >= PEM_MAX || strlen(cert) >= PEM_MAX))
        st = ST_INTERNAL;
    if (st == ST_OK) {
        snprintf(key_pem, PEM_MAX, "%s", key);
        snprintf(cert_pem, PEM_MAX, "%s", cert);
        *not_after = now + lifetime;
    }
    free(key);
    free(cert);
    return st;
}

const char *sim_profile_name(enum cert_profile p)
{
    return p == CERT_OPERATIONAL ? PROFILE_OPERATIONAL : PROFILE_MANUFACTURING;
}

const char *sim_rekeyed_event(enum cert_profile p)
{
    return p == CERT_OPERATIONAL ? LOCK_EVENT_REKEYED : LOCK_EVENT_MFG_REKEYED;
}

int64_t sim_lock_lifetime(const struct lock_state *s, enum cert_profile p)
{
    return p == CERT_OPERATIONAL ? s->lifetimes.operational : s->lifetimes.manufacturing;
}

int sim_lock_operable(const struct lock_state *s, int64_t now, enum cert_profile *lapsed)
{
    for (int p = 0; p < CERT_PROFILES; p++)
        if (s->cert[p].not_after <= now) {
            if (lapsed != NULL)
                *lapsed = (enum cert_profile)p;
            return 0;
        }
    return 1;
}

static enum status provision(struct db *db, struct lock_state *s, int64_t now)
{
    enum status st = ST_OK;

    for (int p = 0; st == ST_OK && p < CERT_PROFILES; p++)
        st = issue_certificate(db, s->serial_number, sim_profile_name((enum cert_profile)p), now,
                               sim_lock_lifetime(s, (enum cert_profile)p), s->cert[p].key_pem,
                               s->cert[p].cert_pem, &s->cert[p].not_after);
    return st;
}

/* A new lock's state: lifetimes, no re-keying under way; certificates when certify. */
static enum status manufacture(struct db *db, const char *serial,
                               const struct lock_lifetimes *lifetimes, int certify, int64_t now)
{
    struct lock_state *s = calloc(1, sizeof(*s));
    enum status st = ST_OK;

    if (s == NULL)
        return ST_NOMEM;
    text_copy(s->serial_number, sizeof(s->serial_number), serial);
    s->lifetimes.operational = lifetimes->operational;
    s->lifetimes.manufacturing = lifetimes->manufacturing;
    s->lifetimes.eligibility_window = lifetimes->eligibility_window;
    for (int p = 0; p < CERT_PROFILES; p++)
        text_copy(s->rekey[p].stage, sizeof(s->rekey[p].stage), "NONE");
    s->has_pems = 1; /* a fresh lock: no re-keying PEMs yet, its own come next */
    if (certify)
        st = provision(db, s, now);
    if (st == ST_OK)
        st = store_lock_state_insert(db, s);
    free(s);
    return st;
}

enum status sim_lock_manufacture(struct db *db, const char *serial,
                                 const struct lock_lifetimes *lifetimes, int64_t now)
{
    return manufacture(db, serial, lifetimes, 1, now);
}

enum status sim_lock_manufacture_for_claim(struct db *db, const char *serial,
                                           const struct lock_lifetimes *lifetimes)
{
    return manufacture(db, serial, lifetimes, 0, 0);
}

enum status sim_lock_log(struct db *db, const char *serial, struct pending_entry *e)
{
    text_copy(e->serial_number, sizeof(e->serial_number), serial);
    return store_pending_append(db, e);
}

enum status sim_lock_log_system(struct db *db, const char *serial, const char *event_name,
                                int64_t now)
{
    struct pending_entry e = {0};

    text_copy(e.entry.kind, sizeof(e.entry.kind), LOG_KIND_SYSTEM);
    text_copy(e.entry.event_name, sizeof(e.entry.event_name), event_name);
    e.entry.occurred_at = now;
    e.entry.granted = -1;
    return sim_lock_log(db, serial, &e);
}

/* Schedules the moment profile p's certificate enters its re-keying window. */
static enum status schedule_eligibility(struct db *db, const char *system_id,
                                        const struct lock_state *s, enum cert_profile p,
                                        int64_t now)
{
    int64_t due = s->cert[p].not_after - s->lifetimes.eligibility_window;
    const char *kind =
        p == CERT_OPERATIONAL ? JOB_ELIGIBLE_OPERATIONAL : JOB_ELIGIBLE_MANUFACTURING;

    /* One kind per profile: both may fall due at the same instant. */
    return store_job_schedule(db, system_id, due > now ? due : now, kind, s->locking_device_id,
                              sim_profile_name(p));
}

static enum status emit_claimed(struct db *db, const struct system_row *system,
                                const char *device_id, const char *user_id, const char *serial,
                                int64_t now)
{
    json_object *e = json_object_new_object();

    if (e == NULL)
        return ST_NOMEM;
    json_object_object_add(e, "lockingDeviceId", json_object_new_string(device_id));
    json_object_object_add(e, "userId", json_object_new_string(user_id));
    json_object_object_add(e, "serialNumber", json_object_new_string(serial));
    return outbox_emit(db, system->id, now, "LockingDeviceClaimed", e);
}

/* Binds the placeholder to the hardware on the platform's side. */
static enum status claim_placeholder(struct db *db, const struct system_row *system,
                                     const char *device_id, const struct lock_state *s)
{
    struct hardware_locking_device_row hw;
    struct locking_device_row d = {0};
    enum status st = store_hardware_locking_get(db, s->serial_number, &hw);

    if (st != ST_OK)
        return st;
    text_copy(d.system_id, sizeof(d.system_id), system->id);
    text_copy(d.id, sizeof(d.id), device_id);
    text_copy(d.serial_number, sizeof(d.serial_number), s->serial_number);
    text_copy(d.hardware_model, sizeof(d.hardware_model), hw.hardware_model);
    text_copy(d.hardware_version, sizeof(d.hardware_version), hw.hardware_version);
    text_copy(d.firmware_version, sizeof(d.firmware_version), hw.firmware_version);
    d.operational.expiration = s->cert[CERT_OPERATIONAL].not_after;
    d.manufacturing.expiration = s->cert[CERT_MANUFACTURING].not_after;
    return store_locking_device_claim(db, &d);
}

enum status sim_lock_claim(struct db *db, const struct system_row *system, const char *user_id,
                           const char *locking_device_id, const char *serial, int64_t now)
{
    return sim_lock_claim_certified(db, system, user_id, locking_device_id, serial, now, now);
}

enum status sim_lock_claim_certified(struct db *db, const struct system_row *system,
                                     const char *user_id, const char *locking_device_id,
                                     const char *serial, int64_t now, int64_t certified_at)
{
    struct lock_state *s = malloc(sizeof(*s)); /* filled by the read below */
    struct locking_device_row device;
    enum status st = s ? store_lock_state_get(db, serial, s) : ST_NOMEM;

    if (st == ST_OK && s->system_id[0] != '\0')
        st = ST_CONFLICT;
    if (st == ST_OK)
        st = store_locking_device_get(db, system->id, locking_device_id, &device);
    if (st == ST_OK && strcmp(device.claiming_status, "UNCLAIMED") != 0)
        st = ST_CONFLICT;
    if (st == ST_OK)
        st = provision(db, s, certified_at);
    if (st == ST_OK)
        st = claim_placeholder(db, system, locking_device_id, s);
    if (st == ST_OK) {
        text_copy(s->system_id, sizeof(s->system_id), system->id);
        text_copy(s->locking_device_id, sizeof(s->locking_device_id), locking_device_id);
        st = store_lock_state_update(db, s);
    }
    for (int p = 0; st == ST_OK && p < CERT_PROFILES; p++)
        st = schedule_eligibility(db, system->id, s, (enum cert_profile)p, now);
    if (st == ST_OK)
        st = emit_claimed(db, system, locking_device_id, user_id, serial, now);
    if (st == ST_OK)
        st = sim_lock_log_system(db, serial, "BOOT", now);
    free(s);
    return st;
}

/* The fields every log-entry event starts with. */
static json_object *entry_event(const struct lock_log_row *r)
{
    json_object *e = json_object_new_object();
    char when[TIMEFMT_DATETIME_LEN];

    if (e == NULL)
        return NULL;
    timefmt_format_datetime(r->occurred_at, when);
    json_add_new(e, "logEntryId", json_object_new_string(r->id));
    json_add_new(e, "logEntryEventName", json_object_new_string(r->event_name));
    json_add_new(e, "logEntryDatetime", json_object_new_string(when));
    json_add_new(e, "logEntrySequenceNumber", json_object_new_int64(r->sequence_number));
    json_add_new(e, "lockingDeviceId", json_object_new_string(r->locking_device_id));
    return e;
}

static json_object *audit_client(const struct lock_log_row *r)
{
    json_object *c = json_object_new_object();
    int by_phone = strcmp(r->client_type, LOG_CLIENT_OPERATING_DEVICE) == 0;

    if (c == NULL)
        return NULL;
    json_add_new(c, "type", json_object_new_string(r->client_type));
    if (by_phone) {
        json_add_new(c, "operatingDeviceId", json_object_new_string(r->operating_device_id));
        json_add_new(c, "userId", json_object_new_string(r->user_id));
    } else {
        json_add_new(c, "gatewayDeviceId", json_object_new_string(r->gateway_device_id));
        if (r->remote_command_id[0] != '\0')
            json_add_new(c, "remoteCommandId", json_object_new_string(r->remote_command_id));
    }
    return c;
}

/* A new object sharing e's members (json-c counts the references): an audit entry's V1 body
 * starts with the members its V2 body starts with. The keys are the literals entry_event()
 * added. */
static json_object *share_members(json_object *e)
{
    json_object *copy = json_object_new_object();

    if (copy == NULL)
        return NULL;
    json_object_object_foreach(e, key, value) json_add_new(copy, key, json_object_get(value));
    return copy;
}

/* V1 is sent for phone operations only; V2 for every operation (as the reference says). */
static enum status emit_audit(struct db *db, const char *system_id, const struct lock_log_row *r,
                              int64_t now)
{
    int by_phone = strcmp(r->client_type, LOG_CLIENT_OPERATING_DEVICE) == 0;
    json_object *v2 = entry_event(r), *v1 = v2 && by_phone ? share_members(v2) : NULL;
    enum status st = ST_OK;

    if (v2 == NULL || (by_phone && v1 == NULL)) {
        json_object_put(v2);
        return ST_NOMEM;
    }
    json_add_new(v2, "client", audit_client(r));
    json_add_new(v2, "granted", json_object_new_boolean(r->granted > 0));
    if (by_phone) {
        json_add_new(v1, "operatingDeviceId", json_object_new_string(r->operating_device_id));
        json_add_new(v1, "userId", json_object_new_string(r->user_id));
        json_add_new(v1, "granted", json_object_new_boolean(r->granted > 0));
        st = outbox_emit(db, system_id, now, "LockingDeviceAuditLogEntryReceived", v1);
    }
    if (st != ST_OK) {
        json_object_put(v2);
        return st;
    }
    return outbox_emit(db, system_id, now, "LockingDeviceAuditLogEntryReceivedV2", v2);
}

/* The platform learns from the lock's entry that re-keying of profile p finished: it records
 * the new certificate (no longer eligible), schedules its window and says so. */
static enum status complete_rekeying(struct db *db, const struct system_row *system,
                                     const struct lock_state *s, enum cert_profile p, int64_t now)
{
    struct cert_state cert = {.expiration = s->cert[p].not_after};
    json_object *e;
    char when[TIMEFMT_DATETIME_LEN];
    enum status st = store_locking_device_set_certificate(db, system->id, s->locking_device_id,
                                                          sim_profile_name(p), &cert);

    if (st == ST_OK)
        st = schedule_eligibility(db, system->id, s, p, now);
    if (st != ST_OK)
        return st;
    e = json_object_new_object();
    if (e == NULL)
        return ST_NOMEM;
    timefmt_format_datetime(s->cert[p].not_after, when);
    json_add_new(e, "lockingDeviceId", json_object_new_string(s->locking_device_id));
    json_add_new(e, "certificateProfile", json_object_new_string(sim_profile_name(p)));
    json_add_new(e, "certificateExpirationDatetime", json_object_new_string(when));
    return outbox_emit(db, system->id, now, "LockingDeviceCertificateReKeyingCompleted", e);
}

/* Stores one carried entry on the platform and emits what it causes. */
static enum status receive_entry(struct db *db, const struct system_row *system,
                                 struct pending_entry *p, const struct lock_state *s, int64_t now)
{
    struct lock_log_row *r = &p->entry;
    int inserted = 0;
    enum status st;

    /* The id encodes the row's place: one instant's entries sort as they were recorded. */
    if ((st = store_lock_log_last_seq(db, &r->seq)) != ST_OK)
        return st;
    r->seq++;
    rng_uuid_v7(now, (uint64_t)r->seq, r->id);
    text_copy(r->system_id, sizeof(r->system_id), system->id);
    text_copy(r->locking_device_id, sizeof(r->locking_device_id), s->locking_device_id);
    st = store_lock_log_insert(db, r, &inserted);
    if (st == ST_OK && inserted && strcmp(r->kind, LOG_KIND_AUDIT) == 0)
        st = emit_audit(db, system->id, r, now);
    if (st == ST_OK && inserted && strcmp(r->kind, LOG_KIND_SYSTEM) == 0) {
        json_object *e = entry_event(r);
        st = e ? outbox_emit(db, system->id, now, "LockingDeviceSystemLogEntryReceived", e)
               : ST_NOMEM;
        for (int k = 0; st == ST_OK && k < CERT_PROFILES; k++)
            if (strcmp(r->event_name, sim_rekeyed_event((enum cert_profile)k)) == 0)
                st = complete_rekeying(db, system, s, (enum cert_profile)k, now);
    }
    /* An entry received as the lock logged it was never stored (seq 0). */
    return st == ST_OK && p->seq != 0 ? store_pending_delete(db, p->seq) : st;
}

enum status sim_upload(struct db *db, const struct system_row *system, const char *holder,
                       int64_t now, int *uploaded)
{
    struct pending_entry *rows = malloc(UPLOAD_BATCH * sizeof(*rows));
    struct lock_state *s = malloc(sizeof(*s));
    int64_t after = 0;
    size_t n = 0;
    int count = 0;
    enum status st = rows && s ? ST_OK : ST_NOMEM;

    if (s != NULL)
        s->serial_number[0] = '\0'; /* no lock read yet */
    do {
        if (st == ST_OK)
            st = store_pending_list(db, holder, after, rows, UPLOAD_BATCH, &n);
        for (size_t i = 0; st == ST_OK && i < n; i++) {
            after = rows[i].seq;
            if (strcmp(s->serial_number, rows[i].serial_number) != 0)
                st = store_lock_state_brief(db, rows[i].serial_number, s);
            if (st != ST_OK || strcmp(s->system_id, system->id) != 0 ||
                s->locking_device_id[0] == '\0')
                continue; /* not this system's lock (any more): the holder keeps it */
            st = receive_entry(db, system, &rows[i], s, now);
            count += st == ST_OK;
        }
    } while (st == ST_OK && n == UPLOAD_BATCH);
    if (uploaded != NULL)
        *uploaded = count;
    free(rows);
    free(s);
    return st;
}

int sim_lock_in_system(const struct lock_state *lock, const struct system_row *system)
{
    return strcmp(lock->system_id, system->id) == 0 && lock->locking_device_id[0] != '\0';
}

enum status sim_upload_from_lock(struct db *db, const struct system_row *system,
                                 const char *phone_id, const struct lock_state *lock,
                                 const struct pending_entry *unstored, int64_t mark, int64_t now,
                                 int *uploaded)
{
    struct pending_entry *rows, held;
    int64_t after = 0;
    size_t n = 0;
    int count = 0, held_done = unstored == NULL;
    enum status st;

    /* Entries of a lock outside this system stay with the phone: the long way. */
    if (!sim_lock_in_system(lock, system)) {
        assert(unstored == NULL);
        st = store_pending_hand_over(db, lock->serial_number, phone_id);
        return st == ST_OK ? sim_upload(db, system, phone_id, now, uploaded) : st;
    }
    if (unstored != NULL)
        held = *unstored; /* receiving names the entry: the caller's copy stays as logged */
    /* The phone's sync left it only entries of other systems' locks, which an upload skips;
     * the lock's own entries are received in their order, as the upload would, the unstored
     * one where its seq would have put it: after every entry up to mark. */
    rows = malloc(UPLOAD_BATCH * sizeof(*rows));
    st = rows ? ST_OK : ST_NOMEM;
    do {
        if (st == ST_OK)
            st = store_pending_in_lock(db, lock->serial_number, after, rows, UPLOAD_BATCH, &n);
        for (size_t i = 0; st == ST_OK && i < n; i++) {
            after = rows[i].seq;
            if (!held_done && rows[i].seq > mark) {
                held_done = 1;
                st = receive_entry(db, system, &held, lock, now);
                count += st == ST_OK;
            }
            if (st == ST_OK)
                st = receive_entry(db, system, &rows[i], lock, now);
            count += st == ST_OK;
        }
    } while (st == ST_OK && n == UPLOAD_BATCH);
    if (st == ST_OK && !held_done) {
        st = receive_entry(db, system, &held, lock, now);
        count += st == ST_OK;
    }
    if (uploaded != NULL)
        *uploaded = count;
    free(rows);
    return st;
}

enum status sim_certificate_make_eligible(struct db *db, const struct system_row *system,
                                          const char *locking_device_id, const char *profile,
                                          int64_t now)
{
    struct locking_device_row d;
    struct cert_state *cert;
    json_object *e;
    char when[TIMEFMT_DATETIME_LEN];
    enum status st = store_locking_device_get(db, system->id, locking_device_id, &d);

    if (st != ST_OK)
        return st;
    cert = strcmp(profile, PROFILE_OPERATIONAL) == 0 ? &d.operational : &d.manufacturing;
    if (cert->eligible)
        return ST_OK; /* said once */
    cert->eligible = 1;
    st = store_locking_device_set_certificate(db, system->id, locking_device_id, profile, cert);
    if (st != ST_OK)
        return st;
    e = json_object_new_object();
    if (e == NULL)
        return ST_NOMEM;
    timefmt_format_datetime(cert->expiration, when);
    json_object_object_add(e, "lockingDeviceId", json_object_new_string(locking_device_id));
    json_object_object_add(e, "certificateProfile", json_object_new_string(profile));
    json_object_object_add(e, "certificateExpirationDatetime", json_object_new_string(when));
    return outbox_emit(db, system->id, now, "LockingDeviceCertificateEligibleForReKeying", e);
}

enum status sim_job_certificate_eligible(struct db *db, const struct system_row *system,
                                         const struct job_row *job)
{
    int64_t now = clock_system_now(system);
    struct lock_state *s = malloc(sizeof(*s));
    struct locking_device_row d;
    enum status st = s ? store_lock_state_brief_of_device(db, job->subject_id, s) : ST_NOMEM;

    if (st == ST_OK)
        st = store_locking_device_get(db, system->id, job->subject_id, &d);
    if (st == ST_OK) {
        const struct cert_state *cert =
            strcmp(job->payload, PROFILE_OPERATIONAL) == 0 ? &d.operational : &d.manufacturing;
        /* A certificate re-keyed since the job was scheduled is not in its window yet. */
        if (cert->expiration - s->lifetimes.eligibility_window <= now)
            st = sim_certificate_make_eligible(db, system, job->subject_id, job->payload, now);
    }
    free(s);
    return st == ST_NOT_FOUND ? ST_OK : st; /* the lock was deleted meanwhile */
}

int sim_lock_powered(const struct lock_state *lock)
{
    return strcmp(lock->battery, LOCK_BATTERY_EMPTY) != 0;
}

int sim_lock_reaches_gateway(const struct lock_state *lock)
{
    return sim_lock_powered(lock) && lock->in_gateway_range;
}

/* The entries a battery change makes the lock log, in order. */
static enum status log_battery_change(struct db *db, const struct lock_state *lock,
                                      const char *before, int64_t now)
{
    enum status st = ST_OK;

    if (strcmp(before, lock->battery) == 0)
        return ST_OK; /* said once, when it changed */
    if (strcmp(before, LOCK_BATTERY_EMPTY) == 0)
        st = sim_lock_log_system(db, lock->serial_number, "BOOT", now);
    if (st == ST_OK && strcmp(lock->battery, LOCK_BATTERY_LOW) == 0)
        st = sim_lock_log_system(db, lock->serial_number, "BATTERY_LOW", now);
    return st;
}

enum status sim_lock_set_condition(struct db *db, struct lock_state *lock, const char *battery,
                                   int in_gateway_range, int64_t now)
{
    char before[sizeof(lock->battery)];
    enum status st;

    text_copy(before, sizeof(before), lock->battery);
    if (battery != NULL)
        text_copy(lock->battery, sizeof(lock->battery), battery);
    if (in_gateway_range >= 0)
        lock->in_gateway_range = in_gateway_range;
    st = store_lock_condition_set(db, lock->serial_number, lock->battery, lock->in_gateway_range);
    return st == ST_OK ? log_battery_change(db, lock, before, now) : st;
}
