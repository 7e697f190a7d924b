/*
 * snapshots.h — State: snapshots, restore, reset, and loading fixtures at runtime (owner: state work).
 */
#ifndef KE_CONTROL_SNAPSHOTS_H
#define KE_CONTROL_SNAPSHOTS_H

#include "http/request.h"

enum status snapshots_create(struct request *req, struct response *res);
enum status snapshots_list(struct request *req, struct response *res);
enum status snapshots_restore(struct request *req, struct response *res);
enum status state_reset(struct request *req, struct response *res);
enum status fixtures_post(struct request *req, struct response *res);

#endif
