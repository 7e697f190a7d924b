/*
 * routes.c — every operation of the Administration API v2, one row each.
 * Paths and methods follow ../shared/docs/DESIGN.md §3.
 */
#include "admin/routes.h"

#include "admin/locking_devices.h"
#include "admin/login.h"
#include "admin/users.h"
#include "http/request.h"

const struct route admin_routes[] = {
    {"POST", "/login", login, AUTH_ADMIN_LOGIN, ROUTE_BODY_JSON, "Log in"},
    {"GET", "/user", users_list, AUTH_ADMIN, 0, "Get users"},
    {"POST", "/user", users_create, AUTH_ADMIN, ROUTE_BODY_JSON, "Create user"},
    {"GET", "/user/{user-id}", users_get, AUTH_ADMIN, 0, "Get user"},
    {"DELETE", "/user/{user-id}", users_delete, AUTH_ADMIN, 0, "Delete user"},
    {"GET", "/locking-device", locking_devices_list, AUTH_ADMIN, 0, "Get locking devices"},
    {"POST", "/locking-device", locking_devices_create, AUTH_ADMIN, ROUTE_BODY_JSON,
     "Create locking device"},
    {"GET", "/locking-device/{locking-device-id}", locking_devices_get, AUTH_ADMIN, 0,
     "Get locking device"},
    {"PATCH", "/locking-device/{locking-device-id}", locking_devices_patch, AUTH_ADMIN,
     ROUTE_BODY_PATCH, "Update locking device"},
    {"DELETE", "/locking-device/{locking-device-id}", locking_devices_delete, AUTH_ADMIN, 0,
     "Delete locking device"},
};
const size_t admin_routes_count = COUNT_OF(admin_routes);
