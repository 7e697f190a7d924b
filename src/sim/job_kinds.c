/*
 * job_kinds.c — THE table of job kinds. A simulator module adds its row here.
 */
#include "sim/job_kinds.h"

#include <string.h>

#include "http/request.h"

static const struct job_kind kinds[] = {
    {"noop", NULL},
};

const struct job_kind *job_kind_find(const char *kind)
{
    for (size_t i = 0; i < COUNT_OF(kinds); i++)
        if (strcmp(kinds[i].kind, kind) == 0 && kinds[i].run != NULL)
            return &kinds[i];
    return NULL;
}
