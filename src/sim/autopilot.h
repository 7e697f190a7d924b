/*
 * autopilot.h — plausible everyday activity for demos and load, drawn from the seeded
 * generator: users with permissions visit their locks at daytime hours, locks now and then
 * report a low battery. One job a day plans the day's events as jobs of their own, so the
 * cost of an advance grows with the activity it produces, not with the time it covers.
 */
#ifndef KE_SIM_AUTOPILOT_H
#define KE_SIM_AUTOPILOT_H

#include "store/autopilots.h"
#include "store/jobs.h"
#include "store/systems.h"

#define JOB_AUTOPILOT_DAY "autopilot.day"
#define JOB_AUTOPILOT_VISIT "autopilot.visit"
#define JOB_AUTOPILOT_BATTERY "autopilot.battery"

/* Stores the setting and (re)plans: enabling schedules the first day at now; disabling
 * drops every planned job. */
enum status sim_autopilot_set(struct db *db, const struct system_row *system,
                              const struct autopilot_row *setting, int64_t now);

enum status sim_job_autopilot_day(struct db *db, const struct system_row *system,
                                  const struct job_row *job);
enum status sim_job_autopilot_visit(struct db *db, const struct system_row *system,
                                    const struct job_row *job);
enum status sim_job_autopilot_battery(struct db *db, const struct system_row *system,
                                      const struct job_row *job);

#endif
