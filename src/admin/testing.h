/*
 * testing.h — Testing endpoints (owner: commands helper).
 */
#ifndef KE_ADMIN_TESTING_H
#define KE_ADMIN_TESTING_H

#include "http/request.h"

enum status testing_rekey(struct request *req, struct response *res);

#endif
