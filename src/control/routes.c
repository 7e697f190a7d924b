/*
 * routes.c — the emulator's control API (base /_emulator/v1), one row an endpoint.
 * Paths follow ../shared/docs/DESIGN.md §8.
 */
#include "control/routes.h"

#include "control/admin_tokens.h"
#include "control/api_keys.h"
#include "control/autopilot.h"
#include "control/clock.h"
#include "control/devices.h"
#include "control/events.h"
#include "control/faults.h"
#include "control/hardware.h"
#include "control/health.h"
#include "control/jobs.h"
#include "control/metrics.h"
#include "http/documents.h"
#include "control/phones.h"
#include "control/sessions.h"
#include "control/snapshots.h"
#include "control/systems.h"
#include "control/triggers.h"
#include "control/webhooks.h"
#include "http/request.h"

#define J ROUTE_BODY_JSON
#define C AUTH_CONTROL
#define SYS "/systems/{system-id}"

const struct route control_routes[] = {
    {"GET", "/health", health_get, AUTH_NONE, 0, "Liveness, version and queue depths", NULL},
    {"GET", "/jwks.json", jwks_get, AUTH_NONE, 0, "Public keys of login tokens", NULL},
    {"GET", "/metrics", metrics_get, AUTH_NONE, 0, "Prometheus metrics", NULL},
    {"GET", "/parity", parity_get, AUTH_NONE, 0, "Every vendor operation and its emulation", NULL},
    {"GET", "/openapi/administration.json", openapi_administration, AUTH_NONE, 0,
     "OpenAPI document of the Administration API", NULL},
    {"GET", "/openapi/control.json", openapi_control, AUTH_NONE, 0,
     "OpenAPI document of the control API", NULL},

    {"POST", "/control-session", control_session_create, AUTH_NONE, J,
     "Exchange the control token for the dashboard's cookie", NULL},
    {"DELETE", "/control-session", control_session_delete, AUTH_NONE, 0,
     "Clear the dashboard's cookie", NULL},

    {"GET", "/systems", systems_list, C, 0, "List systems", NULL},
    {"POST", "/systems", systems_create, C, J, "Create a system", NULL},
    {"GET", SYS, systems_get, C, 0, "Get a system", NULL},
    {"DELETE", SYS, systems_delete, C, 0, "Delete a system and all it owns", NULL},
    {"POST", SYS "/admin-token", admin_token_create, C, 0,
     "A login token of the system's first administrator, with its API key", NULL},
    {"GET", SYS "/clock", clock_get, C, 0, "The system's clock", NULL},
    {"POST", SYS "/clock/advance", clock_advance, C, J,
     "Move the clock forward {by} or {to} or {toNextJob: true}, running due jobs", NULL},
    {"POST", SYS "/clock/freeze", clock_freeze_handler, C, 0, "Stop the clock where it is", NULL},
    {"POST", SYS "/clock/resume", clock_resume_handler, C, 0, "Let the clock run from where it is",
     NULL},
    {"GET", SYS "/events", events_list, C, 0, "The system's event log", NULL},
    {"GET", SYS "/events/stream", events_stream, C, 0,
     "The system's events, live, as Server-Sent Events", NULL},
    {"GET", SYS "/jobs", jobs_list, C, 0, "What the system's clock will run next, in order", NULL},
    {"POST", SYS "/webhook-subscriptions", webhooks_subscribe, C, J, "Subscribe a URL to events",
     NULL},
    {"GET", SYS "/webhook-subscriptions", webhooks_subscriptions, C, 0, "List subscriptions", NULL},
    {"DELETE", SYS "/webhook-subscriptions/{subscription-id}", webhooks_unsubscribe, C, 0,
     "Delete a subscription", NULL},
    {"GET", SYS "/webhook-deliveries", webhooks_deliveries, C, 0, "Every delivery attempt", NULL},
    {"POST", SYS "/webhook-deliveries/{delivery-id}/redeliver", webhooks_redeliver, C, 0,
     "Deliver an event again", NULL},
    {"POST", SYS "/webhooks/flush", webhooks_flush, C, 0,
     "Wait until no delivery of the system is due now", NULL},
    {"GET", SYS "/outbox-messages", messages_list, C, 0, "SMS and e-mail the platform sent", NULL},

    {"POST", SYS "/autopilot", autopilot_set, C, J, "Start or stop simulated everyday activity",
     NULL},
    {"GET", SYS "/autopilot", autopilot_get, C, 0, "The system's simulated everyday activity",
     NULL},
    {"GET", SYS "/phones", phones_list, C, 0, "Every user with its phone as the simulator sees it",
     NULL},
    {"POST", SYS "/trigger", triggers_run, C, J,
     "Run the shortest story that makes the system emit an event", NULL},
    {"POST", SYS "/legacy-operating-devices", phones_legacy_create, C, J,
     "An operating device from before version 2's invitations, deleted only with its user", NULL},

    {"POST", "/snapshots", snapshots_create, C, J, "Save the whole state under a name", NULL},
    {"GET", "/snapshots", snapshots_list, C, 0, "List saved snapshots", NULL},
    {"POST", "/snapshots/{name}/restore", snapshots_restore, C, 0, "Restore a saved snapshot",
     NULL},
    {"POST", "/reset", state_reset, C, 0, "Wipe all state", NULL},
    {"POST", "/fixtures", fixtures_post, C, J, "Load a fixture document", NULL},

    {"POST", "/faults", faults_create, C, J, "Inject latency, statuses or resets", NULL},
    {"GET", "/faults", faults_list, C, 0, "List fault rules", NULL},
    {"DELETE", "/faults/{fault-id}", faults_delete, C, 0, "Delete a fault rule", NULL},

    {"GET", "/api-keys", api_keys_list, C, 0, "List API keys", NULL},
    {"POST", "/api-keys", api_keys_create, C, J, "Create an API key", NULL},
    {"DELETE", "/api-keys/{key}", api_keys_delete, C, 0, "Delete an API key", NULL},

    {"POST", "/hardware/locking-devices", hardware_locking_device_create, C, J,
     "Make a factory-fresh physical locking device", NULL},
    {"GET", "/hardware/locking-devices/{serial-number}", hardware_locking_device_get, C, 0,
     "Show a physical locking device", NULL},
    {"POST", "/hardware/gateway-devices", hardware_gateway_device_create, C, J,
     "Make a physical gateway with its claiming code", NULL},
    {"GET", "/hardware/gateway-devices/{serial-number}", hardware_gateway_device_get, C, 0,
     "Show a physical gateway", NULL},

    {"POST", "/invitations/accept", invitations_accept, C, J,
     "A phone accepts an operating device invitation", NULL},
    {"POST", "/operating-devices/{operating-device-id}/claim", phones_claim, C, J,
     "The phone claims a physical lock into a placeholder", NULL},
    {"POST", "/operating-devices/{operating-device-id}/sync", phones_sync, C, 0,
     "The phone goes online: keys down, logs up", NULL},
    {"POST", "/operating-devices/{operating-device-id}/visit", phones_visit, C, J,
     "One Bluetooth session at a lock", NULL},
    {"POST", "/operating-devices/{operating-device-id}/network", phones_network, C, J,
     "The phone loses or regains its network", NULL},
    {"POST", "/locking-devices/{locking-device-id}/system-events", devices_lock_system_event, C, J,
     "The lock logs an internal event, uploaded at its next contact", NULL},
    {"POST", "/locking-devices/{locking-device-id}/state", devices_lock_state, C, J,
     "Set the lock's battery and whether its gateway reaches it", NULL},
    {"POST", "/gateway-devices/{gateway-device-id}/power-on", devices_gateway_power_on, C, 0,
     "The gateway is powered on and activates", NULL},
    {"POST", "/gateway-devices/{gateway-device-id}/power-off", devices_gateway_power_off, C, 0,
     "The gateway loses power: it does not wake until power-on", NULL},
    {"POST", "/gateway-devices/{gateway-device-id}/wake", devices_gateway_wake, C, 0,
     "The gateway wakes: runs valid commands, uploads logs", NULL},
};
const size_t control_routes_count = COUNT_OF(control_routes);
