/*
 * phones.h — simulated phones (operating devices) through the control API: a phone accepts
 * an operating device invitation, the platform creates its operating device and then
 * provisions its operational certificate.
 *
 * The two platform steps are separate functions so that the simulator can run them apart
 * (created now, activated later); phones_accept() runs both, as the control route does.
 * All of them write inside the caller's transaction and emit their events there.
 */
#ifndef KE_CONTROL_PHONES_H
#define KE_CONTROL_PHONES_H

#include "http/request.h"
#include "store/invitations.h"
#include "store/operating_devices.h"

/* Creates the operating device of a pending invitation's user at time now, marks the
 * invitation ACCEPTED and emits OperatingDeviceCreated {operatingDeviceId, userId,
 * invitationId}. The caller has checked that the invitation can be accepted. ST_CONFLICT
 * when the user already has a device. out receives the new device. */
enum status phones_create_device(struct db *db, const struct invitation_row *inv, int64_t now,
                                 struct operating_device_row *out);

/* Provisions the device's operational certificate at time now and emits
 * OperatingDeviceActivated {operatingDeviceId}. */
enum status phones_activate(struct db *db, struct operating_device_row *device, int64_t now);

/* phones_create_device() then phones_activate(). */
enum status phones_accept(struct db *db, const struct invitation_row *inv, int64_t now,
                          struct operating_device_row *out);

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
 * entriesUploaded, certificatesIssued}). */
enum status phones_sync(struct request *req, struct response *res);

/* POST /operating-devices/{id}/visit {lockingDeviceId, operation, online, offlineKey?}:
 * one Bluetooth session (200 {granted, reason?, auditLogEntry, reKeying, uploaded}). */
enum status phones_visit(struct request *req, struct response *res);

/* GET /systems/{id}/phones?limit=&next-page-token=: every user of the system with its phone
 * as the simulator sees it, {userId, role, phone: none | invited | created | activated,
 * operatingDeviceId?, activationDatetime?, invitationId?, invitationExpirationDatetime?}, in
 * the order users were made; 404 for an unknown system. */
enum status phones_list(struct request *req, struct response *res);

#endif
