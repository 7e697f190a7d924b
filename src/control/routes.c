/*
 * routes.c — the emulator's control API (base /_emulator/v1), one row an endpoint.
 * Paths follow ../shared/docs/DESIGN.md §8.
 */
#include "control/routes.h"

#include "control/api_keys.h"
#include "control/health.h"
#include "control/systems.h"
#include "http/request.h"

const struct route control_routes[] = {
    {"GET", "/health", health_get, AUTH_NONE, 0, "Liveness, version and queue depths"},
    {"GET", "/jwks.json", jwks_get, AUTH_NONE, 0, "Public keys of login tokens"},
    {"GET", "/systems", systems_list, AUTH_CONTROL, 0, "List systems"},
    {"POST", "/systems", systems_create, AUTH_CONTROL, ROUTE_BODY_JSON, "Create a system"},
    {"GET", "/systems/{system-id}", systems_get, AUTH_CONTROL, 0, "Get a system"},
    {"DELETE", "/systems/{system-id}", systems_delete, AUTH_CONTROL, 0,
     "Delete a system and all it owns"},
    {"GET", "/api-keys", api_keys_list, AUTH_CONTROL, 0, "List API keys"},
    {"POST", "/api-keys", api_keys_create, AUTH_CONTROL, ROUTE_BODY_JSON, "Create an API key"},
    {"DELETE", "/api-keys/{key}", api_keys_delete, AUTH_CONTROL, 0, "Delete an API key"},
};
const size_t control_routes_count = COUNT_OF(control_routes);
