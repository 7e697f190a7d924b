/*
 * permissions.h — the Administration API's permissions: POST and GET /permission,
 * GET, PUT and DELETE /permission/{permission-id}.
 *
 * A permission names a user and a locking device of the caller's system (404 naming which
 * when either is unknown there), an operation, a window [start, end) and the validity of
 * the operating keys a phone downloads for it (ISO 8601, 1 to 31 days, "P8D" by default,
 * rendered back as written). MULTIPLE_INTERVALS and RECURRING permissions also take
 * weekdays (MONDAY..SUNDAY, distinct) and intervals ("HH:MM-HH:MM", UTC, start before end,
 * "24:00" allowed as an end); SINGLE_INTERVAL refuses them. PUT replaces every field and
 * keeps the id. No platform event exists for permissions, so none is emitted.
 */
#ifndef KE_ADMIN_PERMISSIONS_H
#define KE_ADMIN_PERMISSIONS_H

#include "http/request.h"

enum status permissions_create(struct request *req, struct response *res);
enum status permissions_list(struct request *req, struct response *res);
enum status permissions_get(struct request *req, struct response *res);
enum status permissions_replace(struct request *req, struct response *res);
enum status permissions_delete(struct request *req, struct response *res);

#endif
