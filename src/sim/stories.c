/*
 * stories.c — THE table of trigger stories, one row an event type, and the steps they are
 * made of. A step does one thing the platform or the world does, records what it made and
 * says it in one sentence.
 */
#include "sim/stories.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/associations.h"
#include "domain/gateway_devices.h"
#include "domain/invitations.h"
#include "domain/locking_devices.h"
#include "domain/operating_devices.h"
#include "domain/permissions.h"
#include "domain/remote_commands.h"
#include "domain/users.h"
#include "lib/text.h"
#include "sim/clock.h"
#include "sim/factory.h"
#include "sim/gateways.h"
#include "sim/phones.h"
#include "sim/scheduler.h"
#include "store/outbox.h"

#define HOUR 3600
#define DAY 86400
#define USERS_PAGE 32
#define STEPS_MAX 16

/* A story being told: the system, the instant it happens at, and what its steps made. */
struct story {
    struct db *db;
    struct system_row system;
    const char *event_type;
    int64_t now;
    struct story_report *report;
    struct problem *p;
    struct user_row user;
    struct invitation_row invitation;
    struct operating_device_row phone;
    struct locking_device_row lock;
    struct hardware_locking_device_row lock_hw;
    struct permission_row permission;
    struct hardware_gateway_device_row gateway_hw;
    struct gateway_device_row gateway;
    struct association_row association;
    struct remote_command_row command;
    struct visit_report visit;
};

/* ---- what the report says ------------------------------------------------------------ */

/* A step ends by saying what happened, once it has (st is ST_OK): one sentence appended to
 * the story. Returns st. */
__attribute__((format(printf, 3, 4))) static enum status said(struct story *s, enum status st,
                                                              const char *fmt, ...)
{
    char *text = s->report->text;
    size_t used = strlen(text);
    va_list ap;

    if (st != ST_OK)
        return st;
    if (used > 0 && used + 1 < STORY_TEXT_MAX) {
        text[used++] = ' ';
        text[used] = '\0';
    }
    va_start(ap, fmt);
    vsnprintf(text + used, STORY_TEXT_MAX - used, fmt, ap);
    va_end(ap);
    return st;
}

static void note(struct story_item *items, size_t *n, const char *kind, const char *id)
{
    if (*n == STORY_ITEMS_MAX)
        return; /* no story makes that many; the report would only be shorter */
    items[*n].kind = kind;
    text_copy(items[*n].id, sizeof(items[*n].id), id);
    (*n)++;
}

/* Once st is ST_OK, the step made kind id. Returns st. */
static enum status made(struct story *s, enum status st, const char *kind, const char *id)
{
    if (st == ST_OK)
        note(s->report->created, &s->report->ncreated, kind, id);
    return st;
}

/* Once st is ST_OK, something made earlier in the story is gone again: it moves to the
 * deleted ones. Returns st. */
static enum status unmade(struct story *s, enum status st, const char *kind, const char *id)
{
    struct story_report *r = s->report;

    for (size_t i = 0; st == ST_OK && i < r->ncreated; i++) {
        if (strcmp(r->created[i].kind, kind) != 0 || strcmp(r->created[i].id, id) != 0)
            continue;
        memmove(&r->created[i], &r->created[i + 1], (r->ncreated - i - 1) * sizeof(r->created[0]));
        r->ncreated--;
        break;
    }
    if (st == ST_OK)
        note(r->deleted, &r->ndeleted, kind, id);
    return st;
}

/* ---- people and phones ------------------------------------------------------------------ */

static enum status add_user_of_role(struct story *s, const char *role, struct user_row *out)
{
    char access_key[ACCESS_KEY_LEN] = "";
    enum status st = domain_user_add(s->db, s->system.id, role, s->now, out, access_key);

    return made(s, st, "user", out->id);
}

static enum status add_user(struct story *s)
{
    enum status st = add_user_of_role(s, "USER", &s->user);

    return said(s, st, "An administrator created user %s (role USER).", s->user.id);
}

static enum status delete_user(struct story *s)
{
    enum status st = domain_user_delete(s->db, s->system.id, s->user.id, s->now);

    st = unmade(s, st, "user", s->user.id);
    return said(s, st, "The administrator deleted user %s again.", s->user.id);
}

static enum status invite(struct story *s)
{
    const struct invitation_request ask = {s->user.id, {"PT1H", HOUR}, "NONE",
                                           NULL,       NULL,           "INVITATION_CODE"};
    enum status st =
        domain_invitation_create(s->db, s->system.id, &ask, s->now, &s->invitation, s->p);

    st = made(s, st, "operatingDeviceInvitation", s->invitation.id);
    return said(s, st,
                "The administrator invited a phone for the user with invitation %s, valid for an"
                " hour, its code handed back (delivery NONE).",
                s->invitation.id);
}

static enum status accept_invitation(struct story *s)
{
    enum status st = sim_phone_accept(s->db, &s->invitation, s->now, &s->phone, s->p);

    st = made(s, st, "operatingDevice", s->phone.id);
    return said(s, st,
                "The user's phone accepted the invitation, became operating device %s and was"
                " activated with its operational certificate.",
                s->phone.id);
}

static enum status delete_phone(struct story *s)
{
    enum status st = domain_operating_device_delete(s->db, s->system.id, s->phone.id, s->now, s->p);

    st = unmade(s, st, "operatingDevice", s->phone.id);
    return said(s, st, "The administrator deleted operating device %s.", s->phone.id);
}

/* ---- locks ------------------------------------------------------------------------------ */

static enum status add_placeholder(struct story *s)
{
    char name[128];
    enum status st;

    snprintf(name, sizeof(name), "Padlock of a %s trigger", s->event_type);
    st = domain_locking_device_add(s->db, s->system.id, name, s->now, &s->lock);
    st = made(s, st, "lockingDevice", s->lock.id);
    return said(s, st,
                "The administrator created locking device %s, an unclaimed placeholder called"
                " \"%s\".",
                s->lock.id, name);
}

/* A factory-fresh padlock with the default certificate lifetimes and this re-keying window. */
static enum status manufacture(struct story *s, int64_t window)
{
    const struct lock_lifetimes life = {LOCK_OP_LIFETIME, LOCK_MFG_LIFETIME, window};
    enum status st;

    text_copy(s->lock_hw.hardware_model, sizeof(s->lock_hw.hardware_model), "PADLOCK");
    s->lock_hw.created_at = clock_wall_now();
    st = factory_make_lock(s->db, &s->lock_hw, &life, s->now);
    return made(s, st, "hardwareLockingDevice", s->lock_hw.serial_number);
}

static enum status make_lock(struct story *s)
{
    enum status st = manufacture(s, LOCK_ELIGIBILITY_WINDOW);

    return said(s, st, "The factory made padlock %s.", s->lock_hw.serial_number);
}

/* The lock's certificate is in its window from the start: no clock has to move for it. */
static enum status make_lock_in_window(struct story *s)
{
    enum status st = manufacture(s, LOCK_OP_LIFETIME);

    return said(s, st,
                "The factory made padlock %s with a re-keying window as long as its operational"
                " certificate's lifetime (%lld days), so that the certificate is due for"
                " re-keying as soon as the lock is claimed.",
                s->lock_hw.serial_number, (long long)(LOCK_OP_LIFETIME / DAY));
}

static enum status claim(struct story *s)
{
    enum status st = sim_phone_claim(s->db, &s->system, s->phone.id, s->user.id, s->lock.id,
                                     s->lock_hw.serial_number, s->now, NULL);

    return said(s, st,
                "The phone claimed padlock %s into the placeholder and, online, passed the"
                " lock's BOOT entry on to the platform.",
                s->lock_hw.serial_number);
}

/* Runs what the system's clock has due at its now, which does not move it: the claim
 * scheduled the certificate's entry into its window for now. Every due job of the site
 * runs, so other events may come with it. */
static enum status run_jobs_due(struct story *s)
{
    struct system_row current;
    struct advance_result r;
    enum status st = store_system_get(s->db, s->system.id, &current);
    int64_t now = st == ST_OK ? clock_system_now(&current) : 0;

    if (st == ST_OK)
        st = scheduler_advance(s->db, s->system.id, now, SCHEDULER_DEFAULT_BUDGET, &r);
    if (st != ST_OK)
        return st;
    s->now = now > s->now ? now : s->now; /* a real clock went on meanwhile */
    return said(s, st,
                "The system ran what was due at its now without moving its clock (%lld job%s),"
                " the certificate's entry into its re-keying window among it.",
                (long long)r.jobs_run, r.jobs_run == 1 ? "" : "s");
}

static enum status grant(struct story *s)
{
    const struct permission_request ask = {
        s->user.id,    s->lock.id, "OPEN", "SINGLE_INTERVAL", {"P1D", DAY}, s->now,
        s->now + HOUR, NULL,       NULL,
    };
    enum status st =
        domain_permission_grant(s->db, s->system.id, &ask, s->now, &s->permission, s->p);

    st = made(s, st, "permission", s->permission.id);
    return said(s, st,
                "The administrator gave the user permission %s to open the lock for the next"
                " hour.",
                s->permission.id);
}

static enum status visit(struct story *s)
{
    const struct visit_request session = {s->lock.id, "unlock", 1, NULL};
    const struct visit_report *r = &s->visit;
    enum status st = sim_phone_visit(s->db, &s->system, &s->phone, &session, s->now, &s->visit);

    return said(s, st,
                "The phone, online, synced its operating key and unlocked the lock (%s)%s; the"
                " lock's entries went straight on to the platform.",
                r->granted ? "granted" : r->reason,
                r->rekey.profile[CERT_OPERATIONAL].certificate_installed
                    ? ", and in the same session the lock made a new key pair and a signing"
                      " request, the platform issued the certificate and the lock installed it"
                    : "");
}

/* ---- gateways ---------------------------------------------------------------------------- */

static enum status make_gateway(struct story *s)
{
    enum status st;

    s->gateway_hw.created_at = clock_wall_now();
    st = factory_make_gateway(s->db, &s->gateway_hw);
    st = made(s, st, "hardwareGatewayDevice", s->gateway_hw.serial_number);
    return said(s, st, "The factory made gateway %s, claiming code %s on its label.",
                s->gateway_hw.serial_number, s->gateway_hw.claiming_code);
}

static enum status claim_gateway(struct story *s)
{
    enum status st = domain_gateway_device_claim(s->db, s->system.id, s->gateway_hw.claiming_code,
                                                 s->now, &s->gateway, s->p);

    st = made(s, st, "gatewayDevice", s->gateway.id);
    return said(s, st,
                "The administrator claimed it by that code as gateway device %s, pending"
                " activation.",
                s->gateway.id);
}

static enum status associate(struct story *s)
{
    enum status st = domain_association_add(s->db, s->system.id, s->gateway.id, s->lock.id, s->now,
                                            &s->association, s->p);

    st = made(s, st, "gatewayDeviceAssociation", s->association.id);
    return said(s, st, "The administrator associated the lock with the gateway (association %s).",
                s->association.id);
}

static enum status power_on(struct story *s)
{
    enum status st = sim_gateway_power_on(s->db, &s->system, s->gateway.id, s->now);

    return said(s, st, "The gateway was powered on: it activated and uploaded its BOOT entry.");
}

/* The system's first administrator issues commands; a system left without one gets one. */
static enum status find_issuer(struct story *s, char id[UUID_STR_LEN])
{
    struct user_row *rows = malloc(USERS_PAGE * sizeof(*rows));
    struct user_row admin = {0};
    int64_t after = 0;
    size_t n = 0;
    enum status st = rows ? ST_OK : ST_NOMEM;

    id[0] = '\0';
    do {
        if (st == ST_OK)
            st = store_user_list(s->db, s->system.id, after, rows, USERS_PAGE, &n);
        for (size_t i = 0; st == ST_OK && i < n && id[0] == '\0'; i++) {
            after = rows[i].seq;
            if (strcmp(rows[i].role, "ADMIN") == 0)
                text_copy(id, UUID_STR_LEN, rows[i].id);
        }
    } while (st == ST_OK && n == USERS_PAGE && id[0] == '\0');
    free(rows);
    if (st != ST_OK || id[0] != '\0')
        return st;
    st = add_user_of_role(s, "ADMIN", &admin);
    text_copy(id, UUID_STR_LEN, admin.id);
    return said(s, st, "The system had no administrator left, so one was created: user %s.",
                admin.id);
}

static enum status issue_command(struct story *s)
{
    char issuer[UUID_STR_LEN];
    enum status st = find_issuer(s, issuer);

    if (st == ST_OK)
        st = domain_remote_command_issue(s->db, s->system.id, s->gateway.id, s->lock.id, "OPEN",
                                         issuer, s->now, &s->command, s->p);
    st = made(s, st, "remoteCommand", s->command.id);
    return said(s, st,
                "Administrator %s issued remote command %s to open the lock through the"
                " gateway, valid for %d minutes.",
                issuer, s->command.id, REMOTE_COMMAND_VALIDITY / 60);
}

/* The lock wakes its gateway GATEWAY_LOCK_WAKE_DELAY after a command (a job); the story has
 * it happen at once instead, which needs no clock to move. The scheduled wake-up still
 * comes and finds nothing left to do. */
static enum status wake(struct story *s)
{
    struct wake_report r;
    enum status st = sim_gateway_wake(s->db, &s->system, s->gateway.id, "LOCK", s->now, &r);

    return said(s, st,
                "The lock woke the gateway at once (it would within %d seconds): the gateway"
                " acknowledged the command, opened the lock with it and uploaded its own and"
                " the lock's entries.",
                GATEWAY_LOCK_WAKE_DELAY);
}

/* ---- the table ------------------------------------------------------------------------- */

typedef enum status (*step_fn)(struct story *s);

/* END is 0, so a row's unused steps end it. */
enum step {
    END,
    USER,
    DELETE_USER,
    INVITE,
    ACCEPT,
    DELETE_PHONE,
    PLACEHOLDER,
    LOCK,
    LOCK_IN_WINDOW,
    CLAIM,
    JOBS_DUE,
    PERMISSION,
    VISIT,
    GATEWAY,
    CLAIM_GATEWAY,
    ASSOCIATE,
    POWER_ON,
    COMMAND,
    WAKE,
};

static const step_fn steps[] = {
    [USER] = add_user,
    [DELETE_USER] = delete_user,
    [INVITE] = invite,
    [ACCEPT] = accept_invitation,
    [DELETE_PHONE] = delete_phone,
    [PLACEHOLDER] = add_placeholder,
    [LOCK] = make_lock,
    [LOCK_IN_WINDOW] = make_lock_in_window,
    [CLAIM] = claim,
    [JOBS_DUE] = run_jobs_due,
    [PERMISSION] = grant,
    [VISIT] = visit,
    [GATEWAY] = make_gateway,
    [CLAIM_GATEWAY] = claim_gateway,
    [ASSOCIATE] = associate,
    [POWER_ON] = power_on,
    [COMMAND] = issue_command,
    [WAKE] = wake,
};

/* The stretches several stories share. */
#define PHONE USER, INVITE, ACCEPT
#define CLAIMED_LOCK PHONE, PLACEHOLDER, LOCK, CLAIM
#define LOCK_DUE PHONE, PLACEHOLDER, LOCK_IN_WINDOW, CLAIM, JOBS_DUE
#define REKEYING LOCK_DUE, PERMISSION, VISIT
#define OPENING CLAIMED_LOCK, PERMISSION, VISIT
#define GATEWAY_ON GATEWAY, CLAIM_GATEWAY, POWER_ON
#define REMOTE_OPENING CLAIMED_LOCK, GATEWAY, CLAIM_GATEWAY, ASSOCIATE, POWER_ON, COMMAND, WAKE

static const struct story_row {
    const char *event_type;
    enum step steps[STEPS_MAX];
} rows[] = {
    {"UserCreated", {USER}},
    {"UserDeleted", {USER, DELETE_USER}},
    {"OperatingDeviceCreated", {PHONE}},
    {"OperatingDeviceActivated", {PHONE}},
    {"OperatingDeviceDeleted", {PHONE, DELETE_PHONE}},
    {"LockingDeviceClaimed", {CLAIMED_LOCK}},
    {"LockingDeviceSystemLogEntryReceived", {CLAIMED_LOCK}},
    {"LockingDeviceAuditLogEntryReceived", {OPENING}},
    {"LockingDeviceAuditLogEntryReceivedV2", {OPENING}},
    {"LockingDeviceCertificateEligibleForReKeying", {LOCK_DUE}},
    {"LockingDeviceCertificateSigningRequestCreated", {REKEYING}},
    {"LockingDeviceCertificateIssued", {REKEYING}},
    {"LockingDeviceCertificateReKeyingCompleted", {REKEYING}},
    {"GatewayDeviceActivated", {GATEWAY_ON}},
    {"GatewayDeviceSystemLogEntryReceived", {GATEWAY_ON}},
    {"RemoteCommandAcknowledged", {REMOTE_OPENING}},
    {"GatewayDeviceAuditLogEntryReceived", {REMOTE_OPENING}},
};

static const struct story_row *find_row(const char *event_type)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        if (strcmp(rows[i].event_type, event_type) == 0)
            return &rows[i];
    return NULL;
}

/* ---- telling one ------------------------------------------------------------------------- */

/* A story that did not emit its event is a bug, never a success. */
static enum status check_emitted(struct story *s)
{
    struct event_row row;
    char types[80];
    size_t n = 0;
    enum status st;

    snprintf(types, sizeof(types), ",%s,", s->event_type); /* the store's list of one type */
    st = store_outbox_list(s->db, s->system.id, types, s->report->first_seq, &row, 1, &n);

    store_outbox_rows_release(&row, n);
    if (st == ST_OK && n == 0)
        return problem_set(s->p, ST_INTERNAL,
                           "the story of %s ran but did not emit it: a bug of the emulator",
                           s->event_type);
    return st;
}

static enum status tell(struct story *s, const struct story_row *row)
{
    enum status st = store_system_get(s->db, s->system.id, &s->system);

    if (st == ST_OK) {
        s->now = clock_system_now(&s->system);
        st = store_outbox_last_seq(s->db, &s->report->first_seq);
    }
    for (size_t i = 0; st == ST_OK && i < STEPS_MAX && row->steps[i] != END; i++)
        st = steps[row->steps[i]](s);
    if (st == ST_OK)
        st = store_outbox_last_seq(s->db, &s->report->last_seq);
    return st == ST_OK ? check_emitted(s) : st;
}

enum status sim_story_run(struct db *db, const char *system_id, const char *event_type,
                          struct story_report *out, struct problem *p)
{
    const struct story_row *row = find_row(event_type);
    struct story *s = NULL;
    enum status st = ST_NOMEM;

    memset(out, 0, sizeof(*out));
    if (row == NULL)
        return problem_set(p, ST_INVALID, "no story emits '%s'", event_type);
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        goto out;
    s->db = db;
    s->event_type = row->event_type;
    s->report = out;
    s->p = p;
    text_copy(s->system.id, sizeof(s->system.id), system_id);
    st = tell(s, row);
out:
    free(s);
    return st;
}
