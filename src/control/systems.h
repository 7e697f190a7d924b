/*
 * systems.h — systems (tenants) through the control API, and the one way a system comes
 * to exist (shared with fixtures): the system row, its API key and its first ADMIN user.
 */
#ifndef KE_CONTROL_SYSTEMS_H
#define KE_CONTROL_SYSTEMS_H

#include "domain/users.h"
#include "http/request.h"
#include "store/api_keys.h"

#define DEFAULT_RATE_PER_SECOND 100000.0
#define DEFAULT_BURST 100000

/* What a new system is made of. Empty strings mean "generate". */
struct system_spec {
    const char *id;
    const char *name;
    const char *clock_mode; /* "real" or "frozen" */
    int64_t clock_time;     /* frozen: the instant; real: a start instant, or 0 for now */
    const char *api_key;
    const char *admin_user_id;
    const char *admin_access_key;
};

struct system_created {
    struct system_row system;
    struct api_key_row api_key;
    struct user_row admin;
    char access_key[ACCESS_KEY_LEN];
};

/* Creates the system inside the caller's transaction. ST_CONFLICT when the id or API key
 * is taken. */
enum status systems_add(struct db *db, const struct system_spec *spec, struct system_created *out);

/* {id, name, apiKey, admin: {userId, accessKey}} as creation answers it. */
json_object *systems_render_created(const struct system_created *c);

/* Decodes a {mode, time} clock object into spec (shared with fixtures). Reports under
 * `where` (e.g. "clock"). */
enum status systems_decode_clock(json_object *clock, const char *where, struct system_spec *spec,
                                 struct problem *p);

enum status systems_list(struct request *req, struct response *res);
enum status systems_create(struct request *req, struct response *res);
enum status systems_get(struct request *req, struct response *res);
enum status systems_delete(struct request *req, struct response *res);

#endif
