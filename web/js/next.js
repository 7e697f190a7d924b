// What the clock will do: the system's scheduled jobs in the order an advance runs them, and
// beside them the webhook deliveries waiting for a retry. Retries are not jobs: the dispatcher
// sends them once the clock has passed their time, so they are shown apart.
import { h, replace, virtualTime, shortId, table } from './dom.js';
import { controlGet, listAll } from './api.js';

function subject(job) {
  return [job.subjectType, ' ', shortId(job.subjectId)];
}

export async function renderNext(root, page) {
  const id = page.systemId;
  const [jobs, retrying] = await Promise.all([
    controlGet(`/systems/${id}/jobs?limit=50`),
    listAll(controlGet, `/systems/${id}/webhook-deliveries?status=pending`, 100),
  ]);
  replace(root,
    h('section', { class: 'panel' },
      h('h2', {}, 'Scheduled jobs', h('span', { class: 'count' }, `${jobs.items.length}${jobs.nextPageToken ? '+' : ''}`)),
      h('p', { class: 'muted' }, 'Run in this order by the next advance of the clock, each at its own instant.'),
      table(['due', 'kind', 'subject', 'what happens'], jobs.items.map((j) => h('tr', { dataset: { kind: j.kind } },
        h('td', {}, virtualTime(j.dueDatetime)), h('td', {}, h('code', {}, j.kind)), h('td', {}, subject(j)),
        h('td', {}, j.summary))), 'nothing scheduled')),
    h('section', { class: 'panel' },
      h('h2', {}, 'Webhook deliveries due', h('span', { class: 'count' }, String(retrying.length))),
      h('p', { class: 'muted' }, 'Deliveries waiting for their first attempt or, after a failure, their next one; the dispatcher sends them once the clock has passed that time.'),
      table(['next attempt', 'event', 'delivery', 'attempts'], retrying.map((d) => h('tr', {},
        h('td', {}, virtualTime(d.nextAttemptDatetime)), h('td', {}, d.eventType), h('td', {}, shortId(d.id)),
        h('td', {}, String(d.attempts.length)))), 'no deliveries waiting')));
}
