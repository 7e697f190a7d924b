#include "control/faults.h"

/* Placeholder until the owner lands the real handlers. */
enum status faults_create(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "faults_create: pending");
}

enum status faults_list(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "faults_list: pending");
}

enum status faults_delete(struct request *req, struct response *res)
{
    (void)res;
    return request_fail(req, ST_INTERNAL, "faults_delete: pending");
}

