/*
 * fixtures.h — fixture documents: systems with fixed ids and credentials, their users
 * and locking devices, loaded at start (--fixtures) in one transaction.
 *
 * Format (documented in README.md):
 *   {"systems": [{"id", "name", "apiKey", "admin": {"userId", "accessKey"},
 *                 "clock"?: {"mode", "time"?},
 *                 "users"?: [{"id", "role", "accessKey"}],
 *                 "lockingDevices"?: [{"id", "name"}]}]}
 * Errors name the file, the JSON Pointer of the bad value and the reason. A system whose
 * id already exists is kept as it is, so restarting on the same database is harmless.
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
 * listed in p under its JSON Pointer. */
enum status fixtures_load(struct db *db, json_object *doc, struct fixture_result *out,
                          struct problem *p);

/* Reads, parses and loads a file; failures are printed to stderr with the file name. */
enum status fixtures_load_file(struct db *db, const char *path, struct fixture_result *out);

void fixtures_result_release(struct fixture_result *r);

#endif
