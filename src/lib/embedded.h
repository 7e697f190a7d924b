/*
 * embedded.h — files compiled into the binary (tools/embed_files.py writes the tables), so
 * that the emulator needs nothing beside itself at run time: the OpenAPI documents and the
 * dashboard's static files. Pure data and a lookup; no dependencies.
 */
#ifndef KE_LIB_EMBEDDED_H
#define KE_LIB_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name;          /* path relative to its folder: "app.js", "views/site.js" */
    const char *type;          /* its media type, for Content-Type */
    const char *etag;          /* a strong validator made from its bytes, quotes included */
    const unsigned char *data; /* exact bytes; a NUL follows them, not counted in size */
    size_t size;
    const unsigned char *gzip; /* the gzip form, or NULL when it would not be smaller */
    size_t gzip_size;
};

/* The file called name among the n of files, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *files, size_t n,
                                          const char *name);

#endif
