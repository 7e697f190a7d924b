#include "sim/gateways.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/remote_commands.h"
#include "events/log_bodies.h"
#include "events/outbox.h"
#include "sim/clock.h"
#include "sim/locks.h"
#include "store/associations.h"
#include "store/gateway_states.h"
#include "store/log_entries.h"
#include "store/remote_commands.h"

#define COMMANDS_PER_WAKE 32
#define ASSOCIATIONS_MAX 16

/* Stores one of the gateway's own entries and emits its event (the gateway is online). */
static enum status upload_own_entry(struct db *db, const struct system_row *system,
                                    const struct gateway_device_row *g, struct gateway_log_row *e,
                                    int64_t now)
{
    int audit = strcmp(e->kind, LOG_KIND_AUDIT) == 0, inserted = 0;
    json_object *event;
    enum status st = store_gateway_next_sequence(db, g->serial_number, &e->sequence_number);

    snprintf(e->system_id, sizeof(e->system_id), "%s", system->id);
    snprintf(e->gateway_device_id, sizeof(e->gateway_device_id), "%s", g->id);
    e->occurred_at = now;
    if (st == ST_OK)
        st = store_gateway_log_insert(db, e, &inserted);
    if (st != ST_OK || !inserted)
        return st;
    event = json_object_new_object();
    if (event == NULL)
        return ST_NOMEM;
    json_object_object_add(event, "gatewayDeviceId", json_object_new_string(g->id));
    json_object_object_add(event, "logEntry",
                           audit ? log_body_gateway_audit(e) : log_body_gateway_system(e));
    return outbox_emit(db, system->id, now,
                       audit ? "GatewayDeviceAuditLogEntryReceived"
                             : "GatewayDeviceSystemLogEntryReceived",
                       event);
}

static enum status log_boot(struct db *db, const struct system_row *system,
                            const struct gateway_device_row *g, const char *reason, int64_t now)
{
    struct gateway_log_row e = {0};
    json_object *details = json_object_new_object();

    if (details == NULL)
        return ST_NOMEM;
    json_object_object_add(details, "bootReason", json_object_new_string(reason));
    json_object_object_add(details, "hardwareModel", json_object_new_string(g->hardware_model));
    json_object_object_add(details, "hardwareVersion", json_object_new_string(g->hardware_version));
    json_object_object_add(details, "firmwareVersion", json_object_new_string(g->firmware_version));
    json_object_object_add(details, "door1State", json_object_new_string("CLOSED"));
    json_object_object_add(details, "door2State", json_object_new_string("CLOSED"));
    snprintf(e.kind, sizeof(e.kind), LOG_KIND_SYSTEM);
    snprintf(e.event_name, sizeof(e.event_name), "BOOT");
    snprintf(e.details, sizeof(e.details), "%s",
             json_object_to_json_string_ext(details, JSON_C_TO_STRING_PLAIN));
    json_object_put(details);
    return upload_own_entry(db, system, g, &e, now);
}

static enum status schedule_heartbeat(struct db *db, const char *system_id, const char *id,
                                      int64_t now)
{
    return store_job_schedule(db, system_id, now + GATEWAY_HEARTBEAT_PERIOD, JOB_GATEWAY_HEARTBEAT,
                              id, NULL);
}

enum status sim_gateway_power_on(struct db *db, const struct system_row *system,
                                 const char *gateway_id, int64_t now)
{
    struct gateway_device_row g;
    json_object *event;
    enum status st = store_gateway_device_activate(db, system->id, gateway_id, now);
    int first = st == ST_OK;

    if (st == ST_CONFLICT)
        st = ST_OK; /* powered on again: a reboot */
    if (st == ST_OK)
        st = store_gateway_device_get(db, system->id, gateway_id, &g);
    if (st == ST_OK)
        st = store_gateway_power_set(db, g.serial_number, 1);
    if (st == ST_OK && first) {
        event = json_object_new_object();
        if (event == NULL)
            return ST_NOMEM;
        json_object_object_add(event, "gatewayDeviceId", json_object_new_string(gateway_id));
        st = outbox_emit(db, system->id, now, "GatewayDeviceActivated", event);
        if (st == ST_OK)
            st = schedule_heartbeat(db, system->id, gateway_id, now);
    }
    return st == ST_OK ? log_boot(db, system, &g, "POWER_ON", now) : st;
}

enum status sim_gateway_power_off(struct db *db, const struct system_row *system,
                                  const char *gateway_id)
{
    struct gateway_device_row g;
    enum status st = store_gateway_device_get(db, system->id, gateway_id, &g);

    /* Without power it logs nothing; the platform learns of it only by its silence. */
    return st == ST_OK ? store_gateway_power_set(db, g.serial_number, 0) : st;
}

static enum status acknowledge(struct db *db, const struct system_row *system,
                               const struct remote_command_row *c, int64_t now)
{
    json_object *event;
    enum status st = store_remote_command_acknowledge(db, system->id, c->id, now);

    if (st != ST_OK)
        return st;
    event = json_object_new_object();
    if (event == NULL)
        return ST_NOMEM;
    json_object_object_add(event, "remoteCommandId", json_object_new_string(c->id));
    return outbox_emit(db, system->id, now, "RemoteCommandAcknowledged", event);
}

/* The gateway opens the lock with the command's key; both log the conversation. */
static enum status run_command(struct db *db, const struct system_row *system,
                               const struct gateway_device_row *g,
                               const struct remote_command_row *c, int64_t now)
{
    struct lock_state *lock = malloc(sizeof(*lock));
    struct pending_entry e = {0};
    struct gateway_log_row own = {0};
    enum status st = lock ? acknowledge(db, system, c, now) : ST_NOMEM;

    if (st == ST_OK && store_lock_state_brief_of_device(db, c->locking_device_id, lock) == ST_OK) {
        snprintf(e.entry.kind, sizeof(e.entry.kind), LOG_KIND_AUDIT);
        snprintf(e.entry.event_name, sizeof(e.entry.event_name), "unlock");
        snprintf(e.entry.client_type, sizeof(e.entry.client_type), LOG_CLIENT_GATEWAY_DEVICE);
        snprintf(e.entry.gateway_device_id, sizeof(e.entry.gateway_device_id), "%s", g->id);
        snprintf(e.entry.remote_command_id, sizeof(e.entry.remote_command_id), "%s", c->id);
        e.entry.occurred_at = now;
        /* The command's key opens only within its validity, and only a lock in service. */
        e.entry.granted =
            now >= c->valid_from && now < c->valid_until && sim_lock_operable(lock, now, NULL);
        st = sim_lock_log(db, lock->serial_number, &e);
    }
    if (st == ST_OK) {
        snprintf(own.kind, sizeof(own.kind), LOG_KIND_AUDIT);
        snprintf(own.conversation_name, sizeof(own.conversation_name), "open");
        snprintf(own.locking_device_id, sizeof(own.locking_device_id), "%s", c->locking_device_id);
        snprintf(own.remote_command_id, sizeof(own.remote_command_id), "%s", c->id);
        st = upload_own_entry(db, system, g, &own, now);
    }
    free(lock);
    return st;
}

/* The gateway collects its associated locks' entries and uploads them. */
static enum status collect_logs(struct db *db, const struct system_row *system,
                                const struct gateway_device_row *g, int64_t now, int *uploaded)
{
    struct association_row links[ASSOCIATIONS_MAX];
    struct association_filter filter = {g->id};
    struct lock_state *lock = malloc(sizeof(*lock));
    size_t n = 0;
    enum status st =
        lock ? store_association_list(db, system->id, &filter, 0, links, ASSOCIATIONS_MAX, &n)
             : ST_NOMEM;

    /* A lock the radio does not reach keeps its entries for a phone. */
    for (size_t i = 0; st == ST_OK && i < n; i++)
        if (store_lock_state_brief_of_device(db, links[i].locking_device_id, lock) == ST_OK &&
            sim_lock_reaches_gateway(lock))
            st = store_pending_hand_over(db, lock->serial_number, g->id);
    if (st == ST_OK)
        st = sim_upload(db, system, g->id, now, uploaded);
    free(lock);
    return st;
}

/* Whether the gateway can talk to the command's lock: one with a flat battery or out of
 * range leaves the command unread, to run at a later wake-up within its validity or expire.
 * A command for a lock not claimed yet is read (and finds no lock to open), as before. */
static int lock_reachable(struct db *db, const struct remote_command_row *c)
{
    struct lock_state *lock = malloc(sizeof(*lock));
    int reachable = lock == NULL ||
                    store_lock_state_brief_of_device(db, c->locking_device_id, lock) != ST_OK ||
                    sim_lock_reaches_gateway(lock);

    free(lock);
    return reachable;
}

enum status sim_gateway_wake(struct db *db, const struct system_row *system, const char *gateway_id,
                             const char *reason, int64_t now, struct wake_report *r)
{
    struct remote_command_row commands[COMMANDS_PER_WAKE];
    struct gateway_device_row g;
    size_t n = 0;
    int powered = 1;
    enum status st = store_gateway_device_get(db, system->id, gateway_id, &g);

    memset(r, 0, sizeof(*r));
    if (st == ST_OK && strcmp(g.activation_status, GATEWAY_ACTIVATED) != 0) {
        r->refusal = "the gateway device is not activated; power it on";
        return ST_CONFLICT;
    }
    if (st == ST_OK && (st = store_gateway_powered(db, g.serial_number, &powered)) == ST_OK &&
        !powered) {
        r->refusal = "the gateway device has no power; power it on";
        return ST_CONFLICT;
    }
    if (st == ST_OK && strcmp(reason, "HEARTBEAT") == 0)
        st = log_boot(db, system, &g, "HEARTBEAT", now);
    if (st == ST_OK)
        st = store_remote_command_list_valid(db, system->id, gateway_id, NULL, now, commands,
                                             COMMANDS_PER_WAKE, &n);
    for (size_t i = 0; st == ST_OK && i < n; i++) {
        struct association_row link;
        /* A gateway controls only its associated locks; others' commands expire unread. */
        st = store_association_find(db, system->id, gateway_id, commands[i].locking_device_id,
                                    &link);
        if (st == ST_NOT_FOUND || (st == ST_OK && !lock_reachable(db, &commands[i]))) {
            st = ST_OK;
            continue;
        }
        if (st == ST_OK)
            st = run_command(db, system, &g, &commands[i], now);
        r->commands_run += st == ST_OK;
    }
    return st == ST_OK ? collect_logs(db, system, &g, now, &r->entries_uploaded) : st;
}

/* A lock out of range or with a flat battery cannot wake its gateway. */
static enum status schedule_lock_wake(struct db *db, const struct remote_command_row *command,
                                      int64_t now)
{
    if (!lock_reachable(db, command))
        return ST_OK;
    return store_job_schedule(db, command->system_id, now + GATEWAY_LOCK_WAKE_DELAY,
                              JOB_GATEWAY_WAKE, command->gateway_device_id, NULL);
}

void sim_gateways_listen(void)
{
    domain_remote_commands_on_issue(schedule_lock_wake);
}

/* A deleted, never-activated or unpowered gateway simply does not wake up; its heartbeat
 * chain goes on, so that power-on after power-off needs no second one. */
static enum status wake_job(struct db *db, const struct system_row *system,
                            const struct job_row *job, const char *reason)
{
    struct wake_report r;
    enum status st =
        sim_gateway_wake(db, system, job->subject_id, reason, clock_system_now(system), &r);

    return st == ST_NOT_FOUND || st == ST_CONFLICT ? ST_OK : st;
}

enum status sim_job_gateway_heartbeat(struct db *db, const struct system_row *system,
                                      const struct job_row *job)
{
    enum status st = wake_job(db, system, job, "HEARTBEAT");
    struct gateway_device_row g;

    if (st == ST_OK && store_gateway_device_get(db, system->id, job->subject_id, &g) == ST_OK)
        st = schedule_heartbeat(db, system->id, g.id, clock_system_now(system));
    return st;
}

enum status sim_job_gateway_wake(struct db *db, const struct system_row *system,
                                 const struct job_row *job)
{
    return wake_job(db, system, job, "LOCK");
}
