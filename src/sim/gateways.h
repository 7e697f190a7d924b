/*
 * gateways.h — simulated gateways: online while powered, woken by their locks and once a day.
 *
 * Power-on activates a claimed gateway (GatewayDeviceActivated and a BOOT entry). A wake-up
 * reads every command it may run now, acknowledges each (RemoteCommandAcknowledged), opens
 * the lock with the command's key, and uploads its own entries and those of its associated
 * locks (GatewayDeviceSystemLogEntryReceived, GatewayDeviceAuditLogEntryReceived, and
 * LockingDeviceAuditLogEntryReceivedV2 with a GATEWAY_DEVICE client — never V1).
 * A daily wake-up uploads a heartbeat BOOT entry.
 */
#ifndef KE_SIM_GATEWAYS_H
#define KE_SIM_GATEWAYS_H

#include "store/gateway_devices.h"
#include "store/jobs.h"
#include "store/systems.h"

#define JOB_GATEWAY_HEARTBEAT "gateway.heartbeat"
#define JOB_GATEWAY_WAKE "gateway.wake"
#define GATEWAY_HEARTBEAT_PERIOD 86400
/* How soon an associated lock wakes its gateway after a command is issued. */
#define GATEWAY_LOCK_WAKE_DELAY 10

struct wake_report {
    int commands_run;
    int entries_uploaded;
    const char *refusal; /* why the gateway did not wake (ST_CONFLICT), else NULL */
};

/* ST_NOT_FOUND for a gateway not in the system. A gateway already activated just reboots
 * (a BOOT entry, no second GatewayDeviceActivated): also after sim_gateway_power_off(). */
enum status sim_gateway_power_on(struct db *db, const struct system_row *system,
                                 const char *gateway_id, int64_t now);

/* The gateway loses power: until sim_gateway_power_on() it does not wake, so its commands
 * expire unread, no heartbeat is logged and its locks keep their entries for a phone.
 * ST_NOT_FOUND for a gateway not in the system. Logs and emits nothing. */
enum status sim_gateway_power_off(struct db *db, const struct system_row *system,
                                  const char *gateway_id);

/* ST_CONFLICT while the gateway is not activated or has no power (report->refusal says
 * which). Commands for associated locks it cannot reach (flat battery, out of range) stay
 * unread, and those locks keep their entries. reason: "LOCK", "HEARTBEAT", "MANUAL". */
enum status sim_gateway_wake(struct db *db, const struct system_row *system, const char *gateway_id,
                             const char *reason, int64_t now, struct wake_report *report);

/* From now on, every command the platform issues makes its lock wake the gateway
 * GATEWAY_LOCK_WAKE_DELAY later (a job). Call once at start, before serving. */
void sim_gateways_listen(void);

enum status sim_job_gateway_heartbeat(struct db *db, const struct system_row *system,
                                      const struct job_row *job);
enum status sim_job_gateway_wake(struct db *db, const struct system_row *system,
                                 const struct job_row *job);

#endif
