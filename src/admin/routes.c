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
    {"POST", "/login", login, AUTH_ADMIN_LOGIN, J, "Log in"},

    {"GET", "/user", users_list, AUTH_ADMIN, 0, "Get users"},
    {"POST", "/user", users_create, AUTH_ADMIN, J, "Create user"},
    {"GET", "/user/{user-id}", users_get, AUTH_ADMIN, 0, "Get user"},
    {"DELETE", "/user/{user-id}", users_delete, AUTH_ADMIN, 0, "Delete user"},

    {"POST", "/operating-device-invitation", invitations_create, AUTH_ADMIN, J,
     "Invite operating device"},
    {"DELETE", "/operating-device-invitation/{invitation-id}", invitations_revoke, AUTH_ADMIN, 0,
     "Revoke operating device invitation"},
    {"GET", "/operating-device", operating_devices_list, AUTH_ADMIN, 0, "Get operating devices"},
    {"DELETE", "/operating-device/{operating-device-id}", operating_devices_delete, AUTH_ADMIN, 0,
     "Delete operating device"},

    {"GET", "/locking-device", locking_devices_list, AUTH_ADMIN, 0, "Get locking devices"},
    {"POST", "/locking-device", locking_devices_create, AUTH_ADMIN, J, "Create locking device"},
    {"GET", LD, locking_devices_get, AUTH_ADMIN, 0, "Get locking device"},
    {"PATCH", LD, locking_devices_patch, AUTH_ADMIN, ROUTE_BODY_PATCH, "Update locking device"},
    {"DELETE", LD, locking_devices_delete, AUTH_ADMIN, 0, "Delete locking device"},
    {"GET", "/locking-device-system-log", locking_device_logs_system, AUTH_ADMIN, 0,
     "Get locking device system log"},
    {"GET", "/locking-device-audit-log", locking_device_logs_audit, AUTH_ADMIN, 0,
     "Get locking device audit log"},

    {"POST", "/permission", permissions_create, AUTH_ADMIN, J, "Grant permission"},
    {"GET", "/permission", permissions_list, AUTH_ADMIN, 0, "Get permissions"},
    {"GET", "/permission/{permission-id}", permissions_get, AUTH_ADMIN, 0, "Get permission"},
    {"PUT", "/permission/{permission-id}", permissions_replace, AUTH_ADMIN, J,
     "Update permission"},
    {"DELETE", "/permission/{permission-id}", permissions_delete, AUTH_ADMIN, 0,
     "Revoke permission"},

    {"POST", "/offline-key", offline_keys_create, AUTH_ADMIN, J, "Issue offline key"},
    {"GET", "/offline-key", offline_keys_list, AUTH_ADMIN, 0, "Get offline key metadata"},

    {"POST", "/gateway-device", gateway_devices_claim, AUTH_ADMIN, J, "Claim gateway device"},
    {"GET", "/gateway-device", gateway_devices_list, AUTH_ADMIN, 0, "Get gateway devices"},
    {"GET", GW, gateway_devices_get, AUTH_ADMIN, 0, "Get gateway device"},
    {"DELETE", GW, gateway_devices_delete, AUTH_ADMIN, 0, "Delete gateway device"},
    {"GET", "/gateway-device-system-log", gateway_logs_system, AUTH_ADMIN, 0,
     "Get gateway device system log"},
    {"GET", "/gateway-device-audit-log", gateway_logs_audit, AUTH_ADMIN, 0,
     "Get gateway device audit log"},
    {"POST", "/gateway-device-association", associations_create, AUTH_ADMIN, J,
     "Associate locking device with gateway device"},
    {"GET", "/gateway-device-association", associations_list, AUTH_ADMIN, 0,
     "Get gateway device associations"},
    {"GET", GA, associations_get, AUTH_ADMIN, 0, "Get gateway device association"},
    {"DELETE", GA, associations_delete, AUTH_ADMIN, 0, "Delete gateway device association"},

    {"POST", "/remote-command", remote_commands_create, AUTH_ADMIN, J, "Issue remote command"},
    {"GET", "/remote-command", remote_commands_list, AUTH_ADMIN, 0, "Get remote commands"},
    {"GET", RC, remote_commands_get, AUTH_ADMIN, 0, "Get remote command"},
    {"POST", RC "/cancel", remote_commands_cancel, AUTH_ADMIN, 0, "Cancel remote command"},

    {"POST", "/testing" LD "/re-key", testing_rekey, AUTH_ADMIN, 0,
     "Initiate locking device re-key"},
};
const size_t admin_routes_count = COUNT_OF(admin_routes);
