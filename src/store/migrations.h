/*
 * migrations.h — the schema/NNN_name.sql files, embedded at build time by
 * tools/embed_schema.py, in version order. Applied by db.c at start.
 */
#ifndef KE_STORE_MIGRATIONS_H
#define KE_STORE_MIGRATIONS_H

struct migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct migration migrations[];
extern const unsigned migrations_count;

#endif
