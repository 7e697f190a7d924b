/*
 * remote_commands.h — Remote commands (owner: commands helper).
 */
#ifndef KE_ADMIN_REMOTE_COMMANDS_H
#define KE_ADMIN_REMOTE_COMMANDS_H

#include "http/request.h"

enum status remote_commands_create(struct request *req, struct response *res);
enum status remote_commands_list(struct request *req, struct response *res);
enum status remote_commands_get(struct request *req, struct response *res);
enum status remote_commands_cancel(struct request *req, struct response *res);

#endif
