/*
 * faults.h — POST, GET /_emulator/v1/faults and DELETE /_emulator/v1/faults/{fault-id}:
 * the control surface of injected faults. The rules and how they match are in
 * http/faults.h.
 *
 * A rule is {method?, path?, systemId?, status?, latencyMs?, reset?, probability, count?}
 * and needs at least one effect (status, latencyMs or reset: true); status and reset
 * exclude each other. Answers render {id, ..., fired}.
 */
#ifndef KE_CONTROL_FAULTS_H
#define KE_CONTROL_FAULTS_H

#include "http/request.h"

enum status faults_create(struct request *req, struct response *res);
enum status faults_list(struct request *req, struct response *res);
enum status faults_delete(struct request *req, struct response *res);

#endif
