#include "sim/rekey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/outbox.h"
#include "lib/text.h"
#include "sim/ca.h"
#include "sim/locks.h"

#define CARRIED_MAX 8

static enum status emit_profile_event(struct db *db, const struct system_row *system,
                                      const struct lock_state *s, enum cert_profile p,
                                      const char *type, int64_t now)
{
    json_object *e = json_object_new_object();

    if (e == NULL)
        return ST_NOMEM;
    json_object_object_add(e, "lockingDeviceId", json_object_new_string(s->locking_device_id));
    json_object_object_add(e, "certificateProfile", json_object_new_string(sim_profile_name(p)));
    return outbox_emit(db, system->id, now, type, e);
}

/* The lock makes its next key pair of profile p and a CSR for it. */
static enum status create_csr(struct lock_state *s, enum cert_profile p)
{
    struct lock_rekeying *k = &s->rekey[p];
    char *key = NULL, *csr = NULL, cn[128];
    enum status st;

    snprintf(cn, sizeof(cn), "%s %s", s->serial_number, sim_profile_name(p));
    st = ca_new_key_csr(cn, &key, &csr);
    if (st == ST_OK && (strlen(key) >= PEM_MAX || strlen(csr) >= PEM_MAX))
        st = ST_INTERNAL;
    if (st == ST_OK) {
        snprintf(k->key_pem, PEM_MAX, "%s", key);
        snprintf(k->csr_pem, PEM_MAX, "%s", csr);
        text_copy(k->stage, sizeof(k->stage), "CSR_CREATED");
    }
    free(key);
    free(csr);
    return st;
}

/* The platform receives profile p's CSR and issues the certificate, valid for the
 * profile's lifetime from now. */
static enum status issue(struct db *db, const struct system_row *system, struct lock_state *s,
                         enum cert_profile p, int64_t now)
{
    struct lock_rekeying *k = &s->rekey[p];
    char *cert = NULL;
    enum status st =
        emit_profile_event(db, system, s, p, "LockingDeviceCertificateSigningRequestCreated", now);

    if (st == ST_OK)
        st = ca_sign_csr(db, k->csr_pem, now, now + sim_lock_lifetime(s, p), &cert);
    if (st == ST_OK && strlen(cert) >= PEM_MAX)
        st = ST_INTERNAL;
    if (st == ST_OK) {
        snprintf(k->cert_pem, PEM_MAX, "%s", cert);
        text_copy(k->stage, sizeof(k->stage), "ISSUED");
        k->carrier[0] = '\0';
        st = emit_profile_event(db, system, s, p, "LockingDeviceCertificateIssued", now);
    }
    free(cert);
    return st;
}

/* The lock switches profile p to the new key pair and certificate and logs that it did. */
static enum status install(struct db *db, struct lock_state *s, enum cert_profile p, int64_t now)
{
    struct lock_rekeying *k = &s->rekey[p];
    enum status st = ca_cert_not_after(k->cert_pem, &s->cert[p].not_after);

    if (st != ST_OK)
        return st;
    /* Distinct members of s, each NUL-terminated within PEM_MAX. */
    memcpy(s->cert[p].key_pem, k->key_pem, strnlen(k->key_pem, PEM_MAX - 1) + 1);
    memcpy(s->cert[p].cert_pem, k->cert_pem, strnlen(k->cert_pem, PEM_MAX - 1) + 1);
    k->key_pem[0] = k->csr_pem[0] = k->cert_pem[0] = '\0';
    text_copy(k->stage, sizeof(k->stage), "NONE");
    return sim_lock_log_system(db, s->serial_number, sim_rekeyed_event(p), now);
}

/* Whether this visit moves profile p's re-keying on; when it does not, it stays as it was. */
static int rekey_moves(const struct lock_rekeying *k, int offered, int online)
{
    if (strcmp(k->stage, "NONE") == 0)
        return offered;
    if (strcmp(k->stage, "CSR_CREATED") == 0)
        return online;
    return strcmp(k->stage, "ISSUED") == 0;
}

/* One profile's steps in one visit (s read in full). */
static enum status visit_profile(struct db *db, const struct system_row *system,
                                 const char *operating_device_id, int offered, struct lock_state *s,
                                 enum cert_profile p, int online, int64_t now,
                                 struct rekey_steps *r)
{
    struct lock_rekeying *k = &s->rekey[p];
    enum status st = ST_OK;

    if (strcmp(k->stage, "NONE") == 0 && offered) {
        st = create_csr(s, p);
        r->csr_created = st == ST_OK;
        if (!online)
            text_copy(k->carrier, sizeof(k->carrier), operating_device_id);
    }
    if (st == ST_OK && online && strcmp(k->stage, "CSR_CREATED") == 0) {
        st = issue(db, system, s, p, now);
        r->certificate_issued = st == ST_OK;
    } else if (st == ST_OK && strcmp(k->stage, "ISSUED") == 0 && !r->csr_created) {
        st = install(db, s, p, now);
        r->certificate_installed = st == ST_OK;
    }
    /* Online, the freshly issued certificate is installed in the same visit. */
    if (st == ST_OK && r->certificate_issued && online) {
        st = install(db, s, p, now);
        r->certificate_installed = st == ST_OK;
    }
    return st;
}

enum status sim_rekey_visit(struct db *db, const struct system_row *system,
                            const char *operating_device_id, const int offered[CERT_PROFILES],
                            struct lock_state *s, int online, int64_t now, struct rekey_report *r)
{
    int moves[CERT_PROFILES], any = 0;
    enum status st = ST_OK;

    memset(r, 0, sizeof(*r));
    for (int p = 0; p < CERT_PROFILES; p++) {
        moves[p] = rekey_moves(&s->rekey[p], offered[p], online);
        any |= moves[p];
    }
    /* Most visits change nothing: only re-keying reads and rewrites the certificates. */
    if (any && !s->has_pems)
        st = store_lock_state_get(db, s->serial_number, s);
    for (int p = 0; st == ST_OK && p < CERT_PROFILES; p++)
        if (moves[p])
            st = visit_profile(db, system, operating_device_id, offered[p], s, (enum cert_profile)p,
                               online, now, &r->profile[p]);
    for (int p = 0; p < CERT_PROFILES; p++)
        text_copy(r->profile[p].stage, sizeof(r->profile[p].stage), s->rekey[p].stage);
    if (!any || st != ST_OK)
        return st;
    return store_lock_state_update(db, s);
}

enum status sim_rekey_sync(struct db *db, const struct system_row *system,
                           const char *operating_device_id, int64_t now, int *issued)
{
    struct lock_state *rows = malloc(CARRIED_MAX * sizeof(*rows));
    size_t n = 0;
    int count = 0;
    enum status st =
        rows ? store_lock_states_carried_by(db, operating_device_id, rows, CARRIED_MAX, &n)
             : ST_NOMEM;

    for (size_t i = 0; st == ST_OK && i < n; i++) {
        if (strcmp(rows[i].system_id, system->id) != 0)
            continue;
        for (int p = 0; st == ST_OK && p < CERT_PROFILES; p++) {
            if (strcmp(rows[i].rekey[p].carrier, operating_device_id) != 0)
                continue;
            st = issue(db, system, &rows[i], (enum cert_profile)p, now);
            count += st == ST_OK;
        }
        if (st == ST_OK)
            st = store_lock_state_update(db, &rows[i]);
    }
    if (issued != NULL)
        *issued = count;
    free(rows);
    return st;
}
