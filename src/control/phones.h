/*
 * phones.h — simulated phones (operating devices) through the control API: a phone accepts
 * an operating device invitation (sim_phone_accept), claims a lock, syncs, visits; loses
 * and regains its network; a legacy one is made.
 */
#ifndef KE_CONTROL_PHONES_H
#define KE_CONTROL_PHONES_H

#include "http/request.h"

/* POST /_emulator/v1/invitations/accept {invitationCode} or {invitationId}: 201
 * {operatingDeviceId, userId}. 400 unless exactly one is given; 404 for an unknown code or
 * id; 410 when the invitation was revoked or has expired (on its system's clock); 409 when
 * it was already accepted or its user already has an operating device. */
enum status invitations_accept(struct request *req, struct response *res);

/* POST /operating-devices/{id}/claim {lockingDeviceId, serialNumber}: the phone binds a
 * factory-fresh lock to an UNCLAIMED placeholder of its system (200, the device as the
 * Administration API shows it). 404 unknown phone, placeholder or serial; 409 when either
 * side is claimed already. */
enum status phones_claim(struct request *req, struct response *res);

/* POST /operating-devices/{id}/sync: the phone goes online (200 {keysDownloaded,
 * entriesUploaded, certificatesIssued}); 409 when it is not activated or has no network. */
enum status phones_sync(struct request *req, struct response *res);

/* POST /operating-devices/{id}/visit {lockingDeviceId, operation, online, offlineKey?}:
 * one Bluetooth session (200 {granted, reason?, sessionRefused, online, auditLogEntry,
 * reKeying, uploaded}); a phone without network visits offline whatever it asks. */
enum status phones_visit(struct request *req, struct response *res);

/* POST /operating-devices/{id}/network {online}: 200 {operatingDeviceId, online}. Without
 * network the phone's visits run offline and its syncs and claims are 409. */
enum status phones_network(struct request *req, struct response *res);

/* POST /systems/{id}/legacy-operating-devices {userId}: 201 {operatingDeviceId, userId,
 * legacy: true}, an activated phone from before version 2's invitations. 404 for an unknown
 * system or user; 409 when the user has a device already. */
enum status phones_legacy_create(struct request *req, struct response *res);

/* GET /systems/{id}/phones?limit=&next-page-token=: every user of the system with its phone
 * as the simulator sees it, {userId, role, phone: none | invited | created | activated,
 * operatingDeviceId?, activationDatetime?, invitationId?, invitationExpirationDatetime?}, in
 * the order users were made; 404 for an unknown system. */
enum status phones_list(struct request *req, struct response *res);

#endif
