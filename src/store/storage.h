/*
 * storage.h — whether the store can write: a full disk, noticed and reported, and noticed
 * again when it has room.
 *
 * A write that fails because the disk is full rolls back whole (nothing half-written, and
 * nothing acknowledged is lost); the emulator then answers 507 and reports itself degraded
 * until a probe finds room: the file system has a megabyte free and a small write commits.
 * (On a nearly full disk some small writes still fit, so one that commits proves nothing;
 * and an idle server writes nothing, so the probe is what finds out.)
 */
#ifndef KE_STORE_STORAGE_H
#define KE_STORE_STORAGE_H

struct sqlite3; /* <sqlite3.h> stays inside the store */
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* A statement on handle failed with rc: logs SQLite's own words, and a full disk makes the
 * store degraded. Constraint failures are answers (409), not failures, and are not logged. */
void storage_note_failure(struct sqlite3 *handle, int rc);

/* Where the database file is (its directory's free space is probed); not called for an
 * in-memory store. */
void storage_set_path(const char *path);

/* Whether the store is degraded; reason (cap bytes) gets SQLite's words and since (may be
 * NULL) the wall-clock second it began. */
int storage_degraded(char *reason, size_t cap, int64_t *since);

/* Write failures for want of space so far (for /metrics). */
uint64_t storage_full_failures(void);

/* While degraded, at most once per min_interval_ms: when the file system has room, one small
 * write transaction, which clears the state when it commits. Returns whether the store is
 * (still) degraded. */
int storage_probe(int64_t min_interval_ms);

#endif
