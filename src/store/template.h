/*
 * template.h — the database a new store starts as.
 *
 * Migrating an empty file costs ~50 CREATE statements, a journal-mode switch and five
 * fsyncs: most of a cold start. The build runs the same migrations once (tools/
 * schema_image.c) and embeds the result, as it is; a new store is written from it
 * and then migrated as usual, which finds nothing left to do. The migrations stay the one
 * source of the schema.
 */
#ifndef KE_STORE_TEMPLATE_H
#define KE_STORE_TEMPLATE_H

struct sqlite3; /* <sqlite3.h> stays inside the store */
#include <stddef.h>

#include "lib/problem.h"

struct db_template {
    const unsigned char *image; /* the database file's bytes */
    size_t len;
};

/* The build's template (generated schema_template.c). */
extern const struct db_template schema_template;

/* A row of the settings table a new store file starts with (db_seed_setting()). */
struct template_setting {
    const char *key;
    const void *value;
    size_t len;
};

/* Creates the database file at path from t, holding the n settings rows (none: n = 0):
 * written beside it, synced, then renamed into place, so a crash leaves either no file or a
 * whole one. ST_CONFLICT if path exists. */
enum status template_create_file(const struct db_template *t, const char *path,
                                 const struct template_setting *settings, size_t n);

/* Copies t into the empty database of connection dest (an in-memory store). */
enum status template_fill(const struct db_template *t, struct sqlite3 *dest);

#endif
