// Webhooks as the dispatcher sees them: each subscription, each delivery with every attempt
// (status, time, error), the retry schedule on the virtual clock, dead letters and redelivery.
import { h, replace, virtualTime, shortId, badge, button, table } from './dom.js';
import { control, controlGet, listAll } from './api.js';
import { openForm, act } from './ui.js';

const STATUS_KIND = { delivered: 'ok', pending: 'warn', dead: 'bad' };

function subscriptionRows(subs, page) {
  return subs.map((s) => h('tr', {},
    h('td', {}, h('code', {}, s.url)), h('td', {}, s.eventTypes?.length ? s.eventTypes.join(', ') : 'all'),
    h('td', {}, virtualTime(s.creationDatetime)),
    h('td', {}, button('Delete', () => act('delete subscription',
      () => control('DELETE', `/systems/${page.systemId}/webhook-subscriptions/${s.id}`)).then(page.refresh),
    { class: 'danger', 'data-key': `unsubscribe-${s.id}` }))));
}

function attempts(d) {
  if (d.attempts.length === 0) return h('span', { class: 'muted' }, 'not sent yet');
  return h('details', {}, h('summary', {}, `${d.attempts.length} attempt${d.attempts.length === 1 ? '' : 's'}`),
    h('ol', { class: 'attempts' }, d.attempts.map((a) => h('li', {},
      virtualTime(a.attemptDatetime), ' ', badge(a.statusCode ? `HTTP ${a.statusCode}` : 'no answer', a.succeeded ? 'ok' : 'bad'),
      a.error ? ` ${a.error}` : '', a.latencyMs !== undefined ? h('span', { class: 'muted' }, ` ${a.latencyMs} ms`) : null))));
}

function deliveryRows(deliveries, page) {
  return deliveries.map((d) => h('tr', { dataset: { delivery: d.id, status: d.status } },
    h('td', {}, virtualTime(d.eventDatetime)), h('td', {}, d.eventType), h('td', {}, badge(d.status, STATUS_KIND[d.status])),
    h('td', {}, attempts(d)), h('td', {}, d.status === 'pending' ? virtualTime(d.nextAttemptDatetime) : '—'),
    h('td', {}, button('Redeliver', () => act('redeliver',
      () => control('POST', `/systems/${page.systemId}/webhook-deliveries/${d.id}/redeliver`)).then(page.refresh),
    { 'data-key': `redeliver-${d.id}` }))));
}

function subscribe(page) {
  openForm('Subscribe a receiver', [
    { name: 'url', label: 'Receiver URL', type: 'url', required: true, placeholder: 'http://127.0.0.1:9000/hooks' },
    { name: 'eventType', label: 'Events', type: 'select', options: [['', 'all types'], ...page.eventTypes] },
  ], (v) => control('POST', `/systems/${page.systemId}/webhook-subscriptions`,
    { url: v.url, ...(v.eventType ? { eventTypes: [v.eventType] } : {}) }).finally(page.refresh),
  { describe: 'The answer holds the signing secret; it is shown once.', submitLabel: 'Subscribe' });
}

export async function renderWebhooks(root, page) {
  const id = page.systemId;
  const [subs, deliveries] = await Promise.all([
    listAll(controlGet, `/systems/${id}/webhook-subscriptions`, 100),
    listAll(controlGet, `/systems/${id}/webhook-deliveries`, 500).then((items) => items.reverse().slice(0, 100)),
  ]);
  replace(root,
    h('section', { class: 'panel' },
      h('h2', {}, 'Subscriptions', h('span', { class: 'count' }, String(subs.length)),
        h('span', { class: 'actions' }, button('Subscribe', () => subscribe(page), { id: 'subscribe' }))),
      table(['url', 'events', 'created', ''], subscriptionRows(subs, page), 'no subscriptions')),
    h('section', { class: 'panel' },
      h('h2', {}, 'Deliveries', h('span', { class: 'count' }, String(deliveries.length)),
        h('span', { class: 'actions' }, button('Flush now', () => act('flush',
          () => control('POST', `/systems/${id}/webhooks/flush`)).then(page.refresh), { id: 'flush' }))),
      h('p', { class: 'muted' }, 'Newest first. A failed attempt is retried on the virtual clock; after the last one the delivery is dead.'),
      table(['event time', 'event', 'status', 'attempts', 'next attempt', ''], deliveryRows(deliveries, page), 'no deliveries')));
}
