#include "domain/remote_commands.h"

#include <stdio.h>
#include <string.h>

#include "domain/gateway_devices.h"
#include "store/associations.h"

static remote_command_hook on_issue;

void domain_remote_commands_on_issue(remote_command_hook hook)
{
    on_issue = hook;
}

/* The reference's three preconditions, each refused with a sentence naming the culprit.
 * Unknown devices (or devices of another system) are 404 before any of them. */
static enum status check_target(struct db *db, const char *system_id, const char *gateway_id,
                                const char *lock_id, struct problem *p)
{
    struct gateway_device_row gateway;
    struct locking_device_row lock;
    struct association_row association;
    enum status st =
        domain_gateway_and_lock(db, system_id, gateway_id, lock_id, &gateway, &lock, p);

    if (st != ST_OK)
        return st;
    st = store_association_find(db, system_id, gateway_id, lock_id, &association);
    if (st == ST_NOT_FOUND)
        return problem_set(p, ST_CONFLICT,
                           "locking device '%s' is not associated with gateway device '%s'",
                           lock_id, gateway_id);
    if (st != ST_OK)
        return st;
    if (strcmp(gateway.activation_status, GATEWAY_ACTIVATED) != 0)
        return problem_set(p, ST_CONFLICT, "gateway device '%s' is not activated", gateway_id);
    if (strcmp(lock.claiming_status, "CLAIMED") != 0)
        return problem_set(p, ST_CONFLICT, "locking device '%s' is not claimed", lock_id);
    return ST_OK;
}

enum status domain_remote_command_issue(struct db *db, const char *system_id,
                                        const char *gateway_id, const char *lock_id,
                                        const char *action, const char *issuer_user_id, int64_t now,
                                        struct remote_command_row *out, struct problem *p)
{
    enum status st = check_target(db, system_id, gateway_id, lock_id, p);

    if (st != ST_OK)
        return st;
    memset(out, 0, sizeof(*out));
    rng_uuid(out->id);
    snprintf(out->system_id, sizeof(out->system_id), "%s", system_id);
    snprintf(out->gateway_device_id, sizeof(out->gateway_device_id), "%s", gateway_id);
    snprintf(out->locking_device_id, sizeof(out->locking_device_id), "%s", lock_id);
    snprintf(out->action, sizeof(out->action), "%s", action);
    snprintf(out->issuer_user_id, sizeof(out->issuer_user_id), "%s", issuer_user_id);
    out->issued_at = out->valid_from = now;
    out->valid_until = now + REMOTE_COMMAND_VALIDITY;
    st = store_remote_command_insert(db, out);
    return st == ST_OK && on_issue != NULL ? on_issue(db, out, now) : st;
}

enum status domain_remote_command_cancel(struct db *db, const char *system_id, const char *id,
                                         const char *user_id, int64_t now, struct problem *p)
{
    struct remote_command_row command;
    enum status st = store_remote_command_get(db, system_id, id, &command);

    if (st != ST_OK)
        return st;
    if (command.acknowledged)
        return problem_set(p, ST_CONFLICT, "remote command '%s' is already acknowledged", id);
    if (command.cancelled)
        return problem_set(p, ST_CONFLICT, "remote command '%s' is already cancelled", id);
    return store_remote_command_cancel(db, system_id, id, user_id, now);
}
