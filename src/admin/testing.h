/*
 * testing.h — the Administration API's testing endpoints, which the vendor offers outside
 * production only: under --production each answers 403 before looking at its input.
 */
#ifndef KE_ADMIN_TESTING_H
#define KE_ADMIN_TESTING_H

#include "http/request.h"

/* Makes a claimed lock's operational certificate eligible for re-keying now, as if it were
 * about to expire: 204; 404 unknown lock; 409 unclaimed lock; 403 under --production. */
enum status testing_rekey(struct request *req, struct response *res);

#endif
