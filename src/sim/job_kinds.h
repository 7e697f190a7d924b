/*
 * job_kinds.h — the table of everything a clock can make happen, one row a kind.
 */
#ifndef KE_SIM_JOB_KINDS_H
#define KE_SIM_JOB_KINDS_H

#include "sim/scheduler.h"

/* The kind's row, or NULL when unknown. */
const struct job_kind *job_kind_find(const char *kind);

#endif
