// The live list: one EventSource per tab (browsers allow six connections to an origin), the
// newest event on top. Events arriving in a burst (an advance of a month emits thousands) are
// queued and drawn once per animation frame, and only the newest CAP are kept, so the page
// stays as fast and as small after a year of virtual time as after a minute.
import { h, replace, virtualTime, shortId, json } from './dom.js';
import { streamUrl } from './api.js';

const CAP = 500;
const TAIL = 100;

function subjectOf(e) {
  for (const key of ['lockingDeviceId', 'gatewayDeviceId', 'operatingDeviceId', 'userId', 'remoteCommandId'])
    if (e[key]) return [key.replace(/Id$/, ''), ' ', shortId(e[key])];
  return '';
}

function eventItem(e) {
  const details = h('details', {},
    h('summary', {}, h('span', { class: 'type' }, e.eventType),
      h('span', { class: 'line' }, virtualTime(e.occurredDatetime), h('span', {}, subjectOf(e)))));
  details.addEventListener('toggle', () => {
    if (details.open && details.childElementCount === 1) details.append(json(e));
  });
  return h('li', { class: 'fresh', dataset: { type: e.eventType } }, details);
}

export class LiveEvents {
  constructor(root, page, { onEvent, onEnd }) {
    this.page = page;
    this.onEvent = onEvent;
    this.onEnd = onEnd;
    this.types = [];
    this.events = []; // newest last, at most CAP
    this.queue = [];
    this.received = 0;
    this.filter = '';
    this.source = null;
    this.frame = 0;
    this.count = h('span', { class: 'count', id: 'event-count' });
    this.state = h('span', { class: 'badge', id: 'stream-state' }, 'connecting');
    this.select = h('select', { id: 'event-filter', 'aria-label': 'Show events of type' });
    this.select.addEventListener('change', () => { this.filter = this.select.value; this.redraw(); });
    this.list = h('ol', { id: 'event-list', 'aria-label': 'Events, newest first' });
    replace(root, h('h2', {}, 'Live events', this.count, this.state),
      h('p', { class: 'muted' }, 'Newest first; times in purple are the system\'s virtual time.'),
      h('div', { class: 'filter' }, h('label', { for: 'event-filter' }, 'Type'), this.select), this.list);
  }

  setTypes(types) {
    this.types = types;
    replace(this.select, h('option', { value: '' }, 'all types'), types.map((t) => h('option', { value: t }, t)));
  }

  open(systemId) {
    if (this.source) this.source.close();
    this.events = [];
    this.queue = [];
    this.received = 0;
    this.redraw();
    if (!systemId) return;
    const source = new EventSource(streamUrl(systemId, TAIL));
    this.source = source;
    const take = (msg) => this.take(JSON.parse(msg.data));
    for (const t of this.types) source.addEventListener(t, take);
    source.addEventListener('end', (msg) => {
      source.close();
      this.setState('ended', 'warn');
      this.onEnd(JSON.parse(msg.data).reason);
    });
    source.addEventListener('open', () => this.setState('live', 'ok'));
    source.addEventListener('error', () => {
      // EventSource reconnects by itself with Last-Event-ID; when it gives up (the id is gone
      // after a reset), start again from now.
      this.setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting', 'warn');
      if (source.readyState === EventSource.CLOSED && this.source === source)
        setTimeout(() => { if (this.source === source) this.open(systemId); }, 3000);
    });
  }

  setState(text, kind) {
    this.state.textContent = text;
    this.state.className = `badge ${kind}`;
  }

  take(e) {
    this.received++;
    this.queue.push(e);
    if (this.queue.length > CAP) this.queue.splice(0, this.queue.length - CAP);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
    this.onEvent(e);
  }

  flush() {
    this.frame = 0;
    const batch = this.queue;
    this.queue = [];
    this.events.push(...batch);
    if (this.events.length > CAP) this.events.splice(0, this.events.length - CAP);
    const shown = batch.filter((e) => !this.filter || e.eventType === this.filter);
    const fragment = document.createDocumentFragment();
    for (let i = shown.length - 1; i >= 0; i--) fragment.append(eventItem(shown[i]));
    this.list.prepend(fragment);
    while (this.list.childElementCount > CAP) this.list.lastElementChild.remove();
    this.updateCount();
  }

  redraw() {
    const shown = this.events.filter((e) => !this.filter || e.eventType === this.filter);
    replace(this.list, shown.reverse().map(eventItem));
    this.updateCount();
  }

  updateCount() {
    this.count.textContent = `${this.received} received` + (this.received > CAP ? `, newest ${CAP} kept` : '');
  }
}
