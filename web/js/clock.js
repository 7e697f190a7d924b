// The system's clock in the page's header: its virtual now (ticking when it runs), the wall
// time beside it, and the ways to move it. Moving a clock runs every job due on the way, so
// the answer (jobs run, events emitted) is shown after each move.
import { h, replace, button } from './dom.js';
import { control } from './api.js';
import { notify } from './ui.js';

const PRESETS = [['+1 hour', 'PT1H'], ['+1 day', 'P1D'], ['+1 week', 'P7D'], ['+30 days', 'P30D']];
let ticker = 0;
let lastSummary = '';

function isoSeconds(ms) { return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'); }

function tick(root, clock, fetchedAt) {
  clearInterval(ticker);
  const show = () => {
    const wall = Date.now();
    const virtual = clock.mode === 'real' ? Date.parse(clock.now) + (wall - fetchedAt) : Date.parse(clock.now);
    const v = root.querySelector('.now time');
    if (v) replace(v, isoSeconds(virtual).replace('T', ' ').replace('Z', ' Z'));
    const w = root.querySelector('.wall');
    if (w) w.textContent = `wall ${isoSeconds(wall).slice(11, 19)} Z`;
  };
  show();
  if (clock.mode === 'real') ticker = setInterval(show, 1000);
}

async function move(page, body, label) {
  try {
    const r = await control('POST', `/systems/${page.systemId}/clock/advance`, body);
    lastSummary = `${label}: ${r.jobsRun} job${r.jobsRun === 1 ? '' : 's'} run, ${r.eventsEmitted} event${r.eventsEmitted === 1 ? '' : 's'} emitted${r.truncated ? ' (stopped at the job budget)' : ''}`;
    page.clockMoved();
  } catch (e) {
    notify(`${label}: ${e.message}`, true);
  }
}

function toDateForm(page) {
  const input = h('input', { type: 'datetime-local', step: 1, id: 'advance-to', 'aria-label': 'Advance to (UTC)' });
  const go = button('Go', () => {
    if (input.value) move(page, { to: `${input.value.length === 16 ? `${input.value}:00` : input.value}Z` }, `to ${input.value}`);
  }, { id: 'advance-to-go' });
  return [input, go];
}

// The controls are built once per system and updated in place, so a refresh (one follows
// every burst of events) never takes the keyboard focus away from them.
function build(root, page) {
  const toggle = button('Freeze', () => {
    const verb = root.dataset.mode === 'frozen' ? 'resume' : 'freeze';
    control('POST', `/systems/${page.systemId}/clock/${verb}`).then(page.refresh, (e) => notify(e.message, true));
  }, { id: 'clock-toggle' });
  replace(root,
    h('span', { class: 'now' }, 'Virtual time ', h('time', { class: 'virtual', title: 'virtual time of this system' })),
    h('span', { class: 'badge', id: 'clock-mode' }),
    h('span', { class: 'wall muted' }),
    PRESETS.map(([label, by]) => button(label, () => move(page, { by }, label), { 'data-advance': by })),
    button('To next job', () => move(page, { toNextJob: true }, 'to the next job'), { id: 'advance-next' }),
    toDateForm(page), toggle,
    h('span', { class: 'summary', id: 'advance-summary' }));
  root.dataset.system = page.systemId;
}

export async function renderClock(root, page) {
  if (!page.systemId) { replace(root); delete root.dataset.system; return; }
  const clock = await control('GET', `/systems/${page.systemId}/clock`);
  if (root.dataset.system !== page.systemId) { lastSummary = ''; build(root, page); }
  const frozen = clock.mode === 'frozen';
  root.dataset.mode = clock.mode;
  root.querySelector('.now time').setAttribute('datetime', clock.now);
  const mode = root.querySelector('#clock-mode');
  mode.textContent = frozen ? 'frozen' : 'running';
  mode.className = `badge ${frozen ? 'warn' : 'ok'}`;
  root.querySelector('#clock-toggle').textContent = frozen ? 'Resume' : 'Freeze';
  root.querySelector('#advance-summary').textContent = lastSummary;
  tick(root, clock, Date.now());
}
