/*
 * snapshots.h — the whole state through the control API: snapshots, restore, reset, and
 * fixture documents loaded while the emulator runs.
 *
 * POST /snapshots {name} → 201 {name, createdDatetime, sizeBytes} (wall time); 400 unless
 *   name is 1..64 characters of [A-Za-z0-9._-]; 409 when the name is taken.
 * GET /snapshots → 200 {items: [...]}, ordered by name (no paging: snapshots are few).
 * POST /snapshots/{name}/restore → 200 {name, createdDatetime, sizeBytes}; 404 for an
 *   unknown name; 409 when the snapshot was made with other migrations.
 * POST /reset → 200 {tablesEmptied}: every table emptied but the applied migrations and
 *   the process settings (signing key, CA, page-token key); snapshots are kept.
 * POST /fixtures (a fixture document, see fixtures.h) → 201 {systems: [{id, name, apiKey,
 *   admin: {userId, accessKey}, existed}]}; 400 naming every bad value by JSON Pointer; 409
 *   when an id or API key belongs to another system.
 *
 * A restore or reset drops what mirrors the database in memory (token key and verified
 * tokens, the CA, the page-token key, rate-limit buckets) before the write lock is released,
 * then wakes the scheduler and webhook threads. Depends on store/snapshots.h, fixtures.h.
 */
#ifndef KE_CONTROL_SNAPSHOTS_H
#define KE_CONTROL_SNAPSHOTS_H

#include "http/request.h"

enum status snapshots_create(struct request *req, struct response *res);
enum status snapshots_list(struct request *req, struct response *res);
enum status snapshots_restore(struct request *req, struct response *res);
enum status state_reset(struct request *req, struct response *res);
enum status fixtures_post(struct request *req, struct response *res);

#endif
