/*
 * faults.h — Injected faults (owner: observability work).
 */
#ifndef KE_CONTROL_FAULTS_H
#define KE_CONTROL_FAULTS_H

#include "http/request.h"

enum status faults_create(struct request *req, struct response *res);
enum status faults_list(struct request *req, struct response *res);
enum status faults_delete(struct request *req, struct response *res);

#endif
