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
                                      const struct lock_state *s, const char *type, int64_t now)
{
    json_object *e = json_object_new_object();

    if (e == NULL)
        return ST_NOMEM;
    json_object_object_add(e, "lockingDeviceId", json_object_new_string(s->locking_device_id));
    json_object_object_add(e, "certificateProfile", json_object_new_string(PROFILE_OPERATIONAL));
    return outbox_emit(db, system->id, now, type, e);
}

/* The lock makes its next key pair and a CSR for it. */
static enum status create_csr(struct lock_state *s)
{
    char *key = NULL, *csr = NULL, cn[128];
    enum status st = ca_new_key(&key);

    snprintf(cn, sizeof(cn), "%s %s", s->serial_number, PROFILE_OPERATIONAL);
    if (st == ST_OK)
        st = ca_new_csr(key, cn, &csr);
    if (st == ST_OK && (strlen(key) >= PEM_MAX || strlen(csr) >= PEM_MAX))
        st = ST_INTERNAL;
    if (st == ST_OK) {
        snprintf(s->rekey_key_pem, PEM_MAX, "%s", key);
        snprintf(s->rekey_csr_pem, PEM_MAX, "%s", csr);
        text_copy(s->rekey_stage, sizeof(s->rekey_stage), "CSR_CREATED");
    }
    free(key);
    free(csr);
    return st;
}

/* The platform receives the CSR and issues the certificate. */
static enum status issue(struct db *db, const struct system_row *system, struct lock_state *s,
                         int64_t now)
{
    char *cert = NULL;
    enum status st = emit_profile_event(db, system, s,
                                        "LockingDeviceCertificateSigningRequestCreated", now);

    if (st == ST_OK)
        st = ca_sign_csr(db, s->rekey_csr_pem, now, now + s->lifetimes.operational, &cert);
    if (st == ST_OK && strlen(cert) >= PEM_MAX)
        st = ST_INTERNAL;
    if (st == ST_OK) {
        snprintf(s->rekey_cert_pem, PEM_MAX, "%s", cert);
        text_copy(s->rekey_stage, sizeof(s->rekey_stage), "ISSUED");
        s->rekey_carrier[0] = '\0';
        st = emit_profile_event(db, system, s, "LockingDeviceCertificateIssued", now);
    }
    free(cert);
    return st;
}

/* The lock switches to the new key pair and certificate and logs that it did. */
static enum status install(struct db *db, struct lock_state *s, int64_t now)
{
    enum status st = ca_cert_not_after(s->rekey_cert_pem, &s->op_not_after);

    if (st != ST_OK)
        return st;
    snprintf(s->op_key_pem, PEM_MAX, "%s", s->rekey_key_pem);
    snprintf(s->op_cert_pem, PEM_MAX, "%s", s->rekey_cert_pem);
    s->rekey_key_pem[0] = s->rekey_csr_pem[0] = s->rekey_cert_pem[0] = '\0';
    text_copy(s->rekey_stage, sizeof(s->rekey_stage), "NONE");
    return sim_lock_log_system(db, s->serial_number, LOCK_EVENT_REKEYED, now);
}

/* Whether this visit moves re-keying on; when it does not, the lock stays as it was. */
static int rekey_moves(const struct lock_state *s, int offered, int online)
{
    if (strcmp(s->rekey_stage, "NONE") == 0)
        return offered;
    if (strcmp(s->rekey_stage, "CSR_CREATED") == 0)
        return online;
    return strcmp(s->rekey_stage, "ISSUED") == 0;
}

enum status sim_rekey_visit(struct db *db, const struct system_row *system,
                            const char *operating_device_id, int offered, struct lock_state *s,
                            int online, int64_t now, struct rekey_report *r)
{
    enum status st = ST_OK;

    memset(r, 0, sizeof(*r));
    text_copy(r->stage, sizeof(r->stage), s->rekey_stage);
    /* Most visits change nothing: only re-keying reads and rewrites the certificates. */
    if (!rekey_moves(s, offered, online))
        return st;
    if (!s->has_pems)
        st = store_lock_state_get(db, s->serial_number, s);
    if (st == ST_OK && strcmp(s->rekey_stage, "NONE") == 0 && offered) {
        st = create_csr(s);
        r->csr_created = st == ST_OK;
        if (!online)
            text_copy(s->rekey_carrier, sizeof(s->rekey_carrier), operating_device_id);
    }
    if (st == ST_OK && online && strcmp(s->rekey_stage, "CSR_CREATED") == 0) {
        st = issue(db, system, s, now);
        r->certificate_issued = st == ST_OK;
    } else if (st == ST_OK && strcmp(s->rekey_stage, "ISSUED") == 0 && !r->csr_created) {
        st = install(db, s, now);
        r->certificate_installed = st == ST_OK;
    }
    /* Online, the freshly issued certificate is installed in the same visit. */
    if (st == ST_OK && r->certificate_issued && online) {
        st = install(db, s, now);
        r->certificate_installed = st == ST_OK;
    }
    text_copy(r->stage, sizeof(r->stage), s->rekey_stage);
    return st == ST_OK ? store_lock_state_update(db, s) : st;
}

enum status sim_rekey_sync(struct db *db, const struct system_row *system,
                           const char *operating_device_id, int64_t now, int *issued)
{
    struct lock_state *rows = malloc(CARRIED_MAX * sizeof(*rows));
    size_t n = 0;
    int count = 0;
    enum status st = rows ? store_lock_states_carried_by(db, operating_device_id, rows,
                                                          CARRIED_MAX, &n)
                          : ST_NOMEM;

    for (size_t i = 0; st == ST_OK && i < n; i++) {
        if (strcmp(rows[i].system_id, system->id) != 0)
            continue;
        st = issue(db, system, &rows[i], now);
        if (st == ST_OK)
            st = store_lock_state_update(db, &rows[i]);
        count += st == ST_OK;
    }
    if (issued != NULL)
        *issued = count;
    free(rows);
    return st;
}
