// The dashboard: one system at a time, its clock on top, its live events beside whichever
// view is open. The address (#/systems/{id}/{view}) says which, so a reload or a shared link
// opens the same place.
import { h, replace } from './dom.js';
import { control, onControlTokenNeeded, forgetSystem } from './api.js';
import { askToken, notify } from './ui.js';
import { renderClock } from './clock.js';
import { renderSite } from './site.js';
import { renderNext } from './next.js';
import { renderWebhooks } from './webhooks.js';
import { renderEmulator } from './emulator.js';
import { LiveEvents } from './events.js';

const VIEWS = { site: renderSite, next: renderNext, webhooks: renderWebhooks, emulator: renderEmulator };

const state = { systems: [], systemId: null, view: 'site', eventTypes: [] };
let live = null;
let pending = null;
let rendering = Promise.resolve();

// What the views get: the current system and ways to make the page catch up after they act.
const page = {
  get systemId() { return state.systemId; },
  get systems() { return state.systems; },
  get eventTypes() { return state.eventTypes; },
  refresh: () => scheduleRefresh(0),
  reloadSystems: (selectId) => loadSystems(selectId),
  clockMoved: () => { forgetSystem(state.systemId); scheduleRefresh(0); },
};

function parseHash() {
  const m = /^#\/systems\/([^/]+)\/(\w+)/.exec(location.hash);
  return m ? { systemId: decodeURIComponent(m[1]), view: VIEWS[m[2]] ? m[2] : 'site' } : {};
}

async function loadSystems(selectId, loaded) {
  state.systems = (await (loaded || control('GET', '/systems?limit=100'))).items;
  const wanted = selectId || parseHash().systemId || state.systemId;
  const known = state.systems.find((s) => s.id === wanted);
  select(known ? known.id : state.systems[0]?.id || null, selectId ? 'site' : parseHash().view || state.view);
}

function renderSystemSelect() {
  const sel = document.getElementById('system-select');
  replace(sel, state.systems.map((s) => h('option', { value: s.id, selected: s.id === state.systemId }, s.name)));
  if (state.systems.length === 0) sel.append(h('option', { value: '' }, 'no systems'));
}

function select(systemId, view) {
  const changed = systemId !== state.systemId;
  state.systemId = systemId;
  state.view = view;
  if (systemId) history.replaceState(null, '', `#/systems/${encodeURIComponent(systemId)}/${view}`);
  renderSystemSelect();
  for (const tab of document.querySelectorAll('[role=tab]'))
    tab.setAttribute('aria-selected', String(tab.dataset.tab === view));
  if (changed) live.open(systemId);
  scheduleRefresh(0);
}

// Renders are serialised and coalesced: a burst of events makes one refresh, not hundreds.
function scheduleRefresh(delay) {
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    rendering = rendering.then(render, () => render());
  }, delay);
}

// A re-render replaces the view's elements; the one that had the keyboard focus is found again
// by its id or data-key, so a person tabbing through the page keeps their place.
function focusKey() {
  const el = document.activeElement;
  return el && el !== document.body ? el.id || el.dataset.key || null : null;
}

function restoreFocus(key) {
  if (!key || document.activeElement !== document.body) return;
  const el = document.getElementById(key) || document.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (el) el.focus();
}

async function render() {
  const view = document.getElementById('view');
  if (!state.systemId && state.view !== 'emulator') state.view = 'emulator';
  const focused = focusKey();
  try {
    await Promise.all([
      renderClock(document.getElementById('clock'), page),
      VIEWS[state.view](view, page),
    ]);
    restoreFocus(focused);
    if (!document.body.dataset.ready) performance.mark('first-render'); // make bench reads it
    document.body.dataset.ready = 'true';
  } catch (e) {
    notify(e.message, true);
  }
}

async function loadEventTypes() {
  const doc = await control('GET', '/openapi/control.json');
  state.eventTypes = doc.components.schemas.WebhookEventType.enum;
}

async function start() {
  onControlTokenNeeded(askToken);
  live = new LiveEvents(document.getElementById('events'), page, {
    onEvent: () => scheduleRefresh(400),
    onEnd: (reason) => {
      notify(`the event stream ended: ${reason}`);
      if (reason !== 'shutdown') loadSystems();
    },
  });
  for (const tab of document.querySelectorAll('[role=tab]'))
    tab.addEventListener('click', () => select(state.systemId, tab.dataset.tab));
  document.getElementById('system-select').addEventListener('change', (e) => select(e.target.value, state.view));
  window.addEventListener('hashchange', () => {
    const want = parseHash();
    if (want.systemId && (want.systemId !== state.systemId || want.view !== state.view))
      select(want.systemId, want.view);
  });
  // Both at once: the first render waits for the slower, not for the two in a row.
  const systems = control('GET', '/systems?limit=100');
  await loadEventTypes();
  live.setTypes(state.eventTypes);
  await loadSystems(null, systems);
}

start().catch((e) => notify(e.message, true));
