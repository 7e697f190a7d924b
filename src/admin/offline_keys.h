/*
 * offline_keys.h — the Administration API's offline keys: POST and GET /offline-key.
 *
 * Issuing checks that the operating device and the locking device are in the caller's
 * system (404 naming which), that the window [startDatetime, endDatetime) lasts at most 24
 * hours and starts at most 30 days from the system's now, and the delivery: SMS mechanisms
 * need phoneNumber (E.164), NONE refuses it; appLinkBaseUrl (http(s), at most 42
 * characters, default "https://keyless.assaabloy.com") is used by SMS_WITH_APP_LINK only.
 * The key values are signed blobs (see lib/offline_key.h) made with the system's P-256 key,
 * which is generated in the issuing transaction on first use. While the lock's operational
 * certificate is eligible for re-keying, an alternativeKey for the next certificate comes
 * with the primary one. SMS deliveries are recorded as messages, one per key, whose subject
 * is the key id. The list shows metadata only, never a value.
 */
#ifndef KE_ADMIN_OFFLINE_KEYS_H
#define KE_ADMIN_OFFLINE_KEYS_H

#include "http/request.h"

enum status offline_keys_create(struct request *req, struct response *res);
enum status offline_keys_list(struct request *req, struct response *res);

#endif
