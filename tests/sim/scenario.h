/*
 * scenario.h — helpers shared by the scenario tests (tests/sim/). They act on the one
 * emulator of the test process, `emu` (harness.h: emu_setup, emu_teardown), and fail the
 * running Check test on a surprise. JSON readers and checked calls are in harness.h.
 */
#ifndef KE_TESTS_SCENARIO_H
#define KE_TESTS_SCENARIO_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

/* The clock every story starts on. */
/* The event types the stories look for. */
#define ELIGIBLE "LockingDeviceCertificateEligibleForReKeying"
#define CSR_CREATED "LockingDeviceCertificateSigningRequestCreated"
#define ISSUED "LockingDeviceCertificateIssued"
#define COMPLETED "LockingDeviceCertificateReKeyingCompleted"
#define V1 "LockingDeviceAuditLogEntryReceived"
#define V2 "LockingDeviceAuditLogEntryReceivedV2"
#define SYSTEM_ENTRY "LockingDeviceSystemLogEntryReceived"

#define T0 FROZEN_INSTANT /* FROZEN's instant (harness.h) */

/* A new system on emu whose clock stands still at T0. */
void new_system(struct tenant *t);

/* Moves the system's clock (body: {"by": ...} or {"to": ...}), logs the admin in again and
 * returns the advance's summary (caller puts). */
json_object *advance_clock(struct tenant *t, const char *body);

/* advance_clock that may take up to timeout_s seconds. */
json_object *advance_clock_within(struct tenant *t, const char *body, long timeout_s);

/* advance_clock without the summary. */
void advance(struct tenant *t, const char *body);

/* One Bluetooth session of phone_id at lock_id that must answer 200; offline_key may be
 * NULL. Returns the answer (caller puts). */
json_object *visit(const char *phone_id, const char *lock_id, const char *operation, int online,
                   const char *offline_key);

/* Asserts that the events from index `from` on are exactly these types, in this order. */
void expect_types(json_object *list, size_t from, const char *const *types);

/* A year of OPEN for user at lock, from 2030-01-01 (operating keys valid eight days). */
void permit_open(const struct tenant *t, const char *user, const char *lock);

/* The phone goes online; returns the sync answer (caller puts). */
json_object *sync_phone(const char *phone_id);

/* The physical lock's control view and the platform's locking device (caller puts). */
json_object *hardware_of(const char *serial);
json_object *device_of(const struct tenant *t, const char *lock);

#endif
