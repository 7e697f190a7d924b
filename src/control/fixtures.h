/*
 * fixtures.h — fixture documents: systems with fixed ids and credentials and the site each
 * one runs, loaded at start (--fixtures) or through POST /_emulator/v1/fixtures, in one
 * transaction (all of a document or nothing).
 *
 * Format (fixtures/schema.json is its JSON Schema; docs/fixtures.md documents it):
 *   {"systems": [{"id", "name", "apiKey", "admin": {"userId", "accessKey", "phone"?},
 *     "clock"?: {"mode", "time"?},
 *     "users"?: [{"id", "role", "accessKey", "phone"?}],
 *     "lockingDevices"?: [{"id", "name", "claim"?: {"hardwareModel", "userId",
 *                          "serialNumber"?, "hardwareVersion"?, "firmwareVersion"?}}],
 *     "permissions"?: [{"id"?, "userId", "lockingDeviceId", "operationType",
 *                       "permissionType", "start", "end", "weekdays"?, "intervals"?,
 *                       "operatingKeyValidityDuration"?}],
 *     "gatewayDevices"?: [{"id", "associations"?: [lockingDeviceId], "activated"?}],
 *     "autopilot"?: {"enabled", "opensPerUserPerDay"?, "batteryEventsPerMonth"?},
 *     "history"?: {"days", "reKeying"?: [lockingDeviceId]}}]}
 *
 * Everything is made by the simulator's own functions, as the control API would: a user
 * with "phone" accepts an invitation; a claimed lock is manufactured and claimed by the
 * phone of claim.userId; a gateway is claimed and, unless "activated" is false, powered on.
 * "history" makes the site that much older: the system is created `days` days before its
 * clock's now, the autopilot runs through those days, each lock of reKeying is re-keyed on
 * the way (a re-key request, then an online visit by the phone that claimed it), and the
 * clock is advanced to its now. A clock without a time ends the history at the start of the
 * current UTC day (today's activity runs once the clock serves it), so that the load draws
 * the same numbers under the same --seed whatever the hour.
 *
 * Errors name the JSON Pointer of every bad value and the reason. A system whose id already
 * exists is kept as it is, so restarting on the same database is harmless.
 */
#ifndef KE_CONTROL_FIXTURES_H
#define KE_CONTROL_FIXTURES_H

#include "control/systems.h"

struct fixture_system {
    char id[UUID_STR_LEN];
    char name[256];
    char api_key[64];
    char admin_user_id[UUID_STR_LEN];
    char admin_access_key[ACCESS_KEY_LEN];
    int existed; /* already in the database: left untouched */
};

struct fixture_result {
    size_t count;
    struct fixture_system *systems; /* malloc'ed; fixtures_result_release() frees */
};

/* Loads a parsed document. Validation failures are ST_INVALID with every bad value
 * listed in p under its JSON Pointer; an id or API key that another system holds is
 * ST_CONFLICT, named the same way. Nothing is written unless everything loads. */
enum status fixtures_load(struct db *db, json_object *doc, struct fixture_result *out,
                          struct problem *p);

/* Reads, parses and loads a file; failures are printed to stderr as
 * "keyless-emulator: FILE: POINTER: REASON". */
enum status fixtures_load_file(struct db *db, const char *path, struct fixture_result *out);

void fixtures_result_release(struct fixture_result *r);

#endif
