/*
 * remote_commands.h — remote commands on the platform's side: an administrator asks a
 * gateway to act on an associated, claimed lock within the next five minutes, and may
 * cancel the command until the gateway acknowledges it. Shared by the Administration API
 * and trigger stories; inside the caller's transaction. Depends on the store only.
 *
 * The simulated world hears of a new command through a hook it installs at start (the
 * lock wakes its gateway soon after, sim/gateways.h): the platform does not call up.
 */
#ifndef KE_DOMAIN_REMOTE_COMMANDS_H
#define KE_DOMAIN_REMOTE_COMMANDS_H

#include "lib/problem.h"
#include "store/remote_commands.h"

/* How long a command stays readable by its gateway, in seconds. */
#define REMOTE_COMMAND_VALIDITY 300

/* Called in the issuing transaction for every command issued; its failure fails the issue. */
typedef enum status (*remote_command_hook)(struct db *db, const struct remote_command_row *command,
                                           int64_t now);

/* Installs the one hook (NULL: none). Call before any thread issues commands. */
void domain_remote_commands_on_issue(remote_command_hook hook);

/* Issues action (OPEN) for the lock through the gateway at now on behalf of issuer_user_id;
 * out receives the command. ST_NOT_FOUND naming which device is not the system's;
 * ST_CONFLICT when the lock is not associated with the gateway, the gateway is not
 * activated or the lock not claimed (detail in p, which may be NULL). */
enum status domain_remote_command_issue(struct db *db, const char *system_id,
                                        const char *gateway_id, const char *lock_id,
                                        const char *action, const char *issuer_user_id, int64_t now,
                                        struct remote_command_row *out, struct problem *p);

/* Cancels the command id on behalf of user_id at now. ST_NOT_FOUND when unknown;
 * ST_CONFLICT when it was acknowledged or cancelled already. */
enum status domain_remote_command_cancel(struct db *db, const char *system_id, const char *id,
                                         const char *user_id, int64_t now, struct problem *p);

#endif
