/*
 * routes.c — every operation of the Administration API v2, one row each.
 * Paths and methods follow ../shared/docs/DESIGN.md §3.
 */
#include "admin/routes.h"

#include "admin/associations.h"
#include "admin/gateway_devices.h"
#include "admin/gateway_logs.h"
#include "admin/invitations.h"
#include "admin/locking_device_logs.h"
#include "admin/locking_devices.h"
#include "admin/login.h"
#include "admin/offline_keys.h"
#include "admin/operating_devices.h"
#include "admin/permissions.h"
#include "admin/remote_commands.h"
#include "admin/testing.h"
#include "admin/users.h"
#include "http/request.h"

#define J ROUTE_BODY_JSON
#define LD "/locking-device/{locking-device-id}"
#define GW "/gateway-device/{gateway-device-id}"
#define GA "/gateway-device-association/{gateway-device-association-id}"
#define RC "/remote-command/{remote-command-id}"

const struct route admin_routes[] = {
    {"POST", "/login", login, AUTH_ADMIN_LOGIN, J, "Log in",
     "An unknown user and a wrong access key get the same 401. The token is RS256 with a kid, "
     "valid one hour on the system's virtual clock; its public key is served as JWKS at "
     "/_emulator/v1/jwks.json."},

    {"GET", "/user", users_list, AUTH_ADMIN, 0, "Get users",
     "Users in creation order; the page token is opaque and bound to this list."},
    {"POST", "/user", users_create, AUTH_ADMIN, J, "Create user",
     "The access key is 32 random bytes in base64 (reproducible under --seed), shown only in "
     "this answer. Emits UserCreated."},
    {"GET", "/user/{user-id}", users_get, AUTH_ADMIN, 0, "Get user",
     "A user of another system is 404, like an unknown one."},
    {"DELETE", "/user/{user-id}", users_delete, AUTH_ADMIN, 0, "Delete user",
     "Also deletes the user's operating devices (OperatingDeviceDeleted each) and permissions; "
     "emits UserDeleted."},

    {"POST", "/operating-device-invitation", invitations_create, AUTH_ADMIN, J,
     "Invite operating device",
     "Delivery is simulated: SMS and e-mail texts are kept for GET /_emulator/v1/systems/{id}/"
     "outbox-messages. phoneNumber belongs to SMS and email to EMAIL only. invitationCode and "
     "environmentUrl are answered only for NONE (environmentUrl only with INVITATION_LINK). "
     "validityDuration takes ISO 8601 weeks, days and times (no years or months)."},
    {"DELETE", "/operating-device-invitation/{invitation-id}", invitations_revoke, AUTH_ADMIN, 0,
     "Revoke operating device invitation",
     "Revoking an already revoked invitation is 204 again; an accepted one is 409."},
    {"GET", "/operating-device", operating_devices_list, AUTH_ADMIN, 0, "Get operating devices",
     "A user-id that matches no user gives an empty page, not 404."},
    {"DELETE", "/operating-device/{operating-device-id}", operating_devices_delete, AUTH_ADMIN, 0,
     "Delete operating device",
     "A legacy operating device (not invited through version 2) is 409; delete its user instead. "
     "Emits OperatingDeviceDeleted."},

    {"GET", "/locking-device", locking_devices_list, AUTH_ADMIN, 0, "Get locking devices",
     "Both filters combine; serial-number matches exactly."},
    {"POST", "/locking-device", locking_devices_create, AUTH_ADMIN, J, "Create locking device",
     "Names are counted in characters (UTF-8 code points), 1 to 255. The device is claimed "
     "through the control API's simulated phone."},
    {"GET", LD, locking_devices_get, AUTH_ADMIN, 0, "Get locking device",
     "Certificates and hardware fields appear once the device is claimed."},
    {"PATCH", LD, locking_devices_patch, AUTH_ADMIN, ROUTE_BODY_PATCH, "Update locking device",
     "Content-Type application/json-patch+json. replace of /name and test of any path of the "
     "device's JSON form; other operations or paths are 400; a failed test is 409 and changes "
     "nothing."},
    {"DELETE", LD, locking_devices_delete, AUTH_ADMIN, 0, "Delete locking device",
     "Its permissions, offline keys, associations, remote commands and log entries go with it; "
     "the physical lock stays claimed for life."},
    {"GET", "/locking-device-system-log", locking_device_logs_system, AUTH_ADMIN, 0,
     "Get locking device system log",
     "Without locking-device-id, every lock of the system; an unknown or foreign id is 404. "
     "Entries appear once a simulated phone uploads them."},
    {"GET", "/locking-device-audit-log", locking_device_logs_audit, AUTH_ADMIN, 0,
     "Get locking device audit log",
     "As the system log; client is OPERATING_DEVICE or GATEWAY_DEVICE."},

    {"POST", "/permission", permissions_create, AUTH_ADMIN, J, "Grant permission",
     "The reference lost the permission types' fields: MULTIPLE_INTERVALS and RECURRING also "
     "take weekdays (MONDAY..SUNDAY) and intervals (\"HH:MM-HH:MM\", UTC, at most 32). end must "
     "follow start. Removed 14 days after its end on the system's clock."},
    {"GET", "/permission", permissions_list, AUTH_ADMIN, 0, "Get permissions",
     "operatingKeyValidityDuration is rendered as the client wrote it."},
    {"GET", "/permission/{permission-id}", permissions_get, AUTH_ADMIN, 0, "Get permission", NULL},
    {"PUT", "/permission/{permission-id}", permissions_replace, AUTH_ADMIN, J, "Update permission",
     "Every field is replaced (same rules as granting) and 204 is answered; operating keys "
     "already downloaded stay valid, as on the platform."},
    {"DELETE", "/permission/{permission-id}", permissions_delete, AUTH_ADMIN, 0,
     "Revoke permission",
     "Operating keys already downloaded stay valid until they expire, as on the platform."},

    {"POST", "/offline-key", offline_keys_create, AUTH_ADMIN, J, "Issue offline key",
     "Keys are signed by the system's own key and checked by the simulated lock. An "
     "alternativeKey is issued while the lock's operational certificate is eligible for "
     "re-keying. SMS delivery is simulated (outbox-messages)."},
    {"GET", "/offline-key", offline_keys_list, AUTH_ADMIN, 0, "Get offline key metadata",
     "deliveryMechanism is NONE or SMS (both SMS mechanisms show as SMS); never the key value."},

    {"POST", "/gateway-device", gateway_devices_claim, AUTH_ADMIN, J, "Claim gateway device",
     "Physical gateways and their claiming codes come from POST /_emulator/v1/hardware/"
     "gateway-devices; the code matches in any letter case. Unknown code 404, claimed code 409. "
     "Activation happens when the control API powers it on."},
    {"GET", "/gateway-device", gateway_devices_list, AUTH_ADMIN, 0, "Get gateway devices",
     "The reference's activated status is ACTIVATED (its prose says ACTIVE)."},
    {"GET", GW, gateway_devices_get, AUTH_ADMIN, 0, "Get gateway device", NULL},
    {"DELETE", GW, gateway_devices_delete, AUTH_ADMIN, 0, "Delete gateway device",
     "Its associations, remote commands and log entries go with it; the physical gateway can be "
     "claimed again with its code."},
    {"GET", "/gateway-device-system-log", gateway_logs_system, AUTH_ADMIN, 0,
     "Get gateway device system log",
     "gateway-device-id is required. BOOT entries carry bootReason POWER_ON or HEARTBEAT "
     "(daily)."},
    {"GET", "/gateway-device-audit-log", gateway_logs_audit, AUTH_ADMIN, 0,
     "Get gateway device audit log", "gateway-device-id is required."},
    {"POST", "/gateway-device-association", associations_create, AUTH_ADMIN, J,
     "Associate locking device with gateway device",
     "At most 6 associations per gateway (the operation's own note; the section text says 5); "
     "the 7th and duplicates are 409."},
    {"GET", "/gateway-device-association", associations_list, AUTH_ADMIN, 0,
     "Get gateway device associations", NULL},
    {"GET", GA, associations_get, AUTH_ADMIN, 0, "Get gateway device association", NULL},
    {"DELETE", GA, associations_delete, AUTH_ADMIN, 0, "Delete gateway device association", NULL},

    {"POST", "/remote-command", remote_commands_create, AUTH_ADMIN, J, "Issue remote command",
     "Valid 5 minutes on the system's clock. Not associated, gateway not activated or lock not "
     "claimed are 409. The lock wakes its gateway 10 s later on the system's clock; the gateway "
     "then acknowledges and runs the command."},
    {"GET", "/remote-command", remote_commands_list, AUTH_ADMIN, 0, "Get remote commands",
     "A gateway-device-id of another system is 404."},
    {"GET", RC, remote_commands_get, AUTH_ADMIN, 0, "Get remote command", NULL},
    {"POST", RC "/cancel", remote_commands_cancel, AUTH_ADMIN, 0, "Cancel remote command",
     "Answers 204; an acknowledged or already cancelled command is 409."},

    {"POST", "/testing" LD "/re-key", testing_rekey, AUTH_ADMIN, 0,
     "Initiate locking device re-key",
     "Under --production, 403 with the reference's sentence. An unclaimed device is 409. Makes "
     "the operational certificate eligible (LockingDeviceCertificateEligibleForReKeying); the "
     "next phone visit runs the re-keying."},
};
const size_t admin_routes_count = COUNT_OF(admin_routes);
