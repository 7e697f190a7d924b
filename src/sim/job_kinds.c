/*
 * job_kinds.c — THE table of job kinds. A simulator module adds its row here.
 */
#include "sim/job_kinds.h"

#include <string.h>

#include "lib/array.h"
#include "sim/autopilot.h"
#include "sim/cleanup.h"
#include "sim/gateways.h"
#include "sim/locks.h"

static const struct job_kind kinds[] = {
    {JOB_ELIGIBLE_OPERATIONAL, sim_job_certificate_eligible, "lockingDevice",
     "the lock's operational certificate enters its re-keying window", NULL},
    {JOB_ELIGIBLE_MANUFACTURING, sim_job_certificate_eligible, "lockingDevice",
     "the lock's manufacturing certificate enters its re-keying window", NULL},
    {JOB_GATEWAY_HEARTBEAT, sim_job_gateway_heartbeat, "gatewayDevice",
     "the gateway's daily wake-up uploads a heartbeat", NULL},
    {JOB_GATEWAY_WAKE, sim_job_gateway_wake, "gatewayDevice",
     "a lock wakes the gateway, which reads and runs its remote commands", NULL},
    {JOB_PERMISSIONS_CLEANUP, sim_job_permissions_cleanup, "system",
     "permissions that ended 14 days before are removed", NULL},
    {JOB_AUTOPILOT_DAY, sim_job_autopilot_day, "system",
     "the autopilot plans the day's visits and battery events", NULL},
    {JOB_AUTOPILOT_VISIT, sim_job_autopilot_visit, "operatingDevice",
     "the phone visits a lock (autopilot)", "lockingDeviceId"},
    {JOB_AUTOPILOT_BATTERY, sim_job_autopilot_battery, "lockingDevice",
     "the lock's battery runs low (autopilot)", NULL},
};

const struct job_kind *job_kind_find(const char *kind)
{
    for (size_t i = 0; i < COUNT_OF(kinds); i++)
        if (strcmp(kinds[i].kind, kind) == 0 && kinds[i].run != NULL)
            return &kinds[i];
    return NULL;
}
