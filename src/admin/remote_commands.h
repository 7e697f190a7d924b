/*
 * remote_commands.h — the Administration API's remote commands: an administrator asks a
 * gateway to act on an associated lock (OPEN) within the next five minutes; the gateway
 * reads and acknowledges the command when a lock wakes it (see src/sim/), unless the
 * command was cancelled first. Issuing and cancelling are the domain's
 * (domain/remote_commands.h).
 */
#ifndef KE_ADMIN_REMOTE_COMMANDS_H
#define KE_ADMIN_REMOTE_COMMANDS_H

#include "http/request.h"
#include "store/remote_commands.h"

/* The vendor's JSON shape of a command (row is a struct remote_command_row). */
json_object *remote_command_render(const void *row);

enum status remote_commands_create(struct request *req, struct response *res);
enum status remote_commands_list(struct request *req, struct response *res);
enum status remote_commands_get(struct request *req, struct response *res);
enum status remote_commands_cancel(struct request *req, struct response *res);

#endif
