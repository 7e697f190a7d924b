// The emulator around the systems: the list of systems (create, open, delete), the selected
// system's autopilot, and the whole store's snapshots and reset.
import { h, replace, virtualTime, shortId, badge, button, table } from './dom.js';
import { control, controlGet } from './api.js';
import { openForm, act } from './ui.js';

function systemRows(page, systems) {
  return systems.map((s) => h('tr', { dataset: { system: s.id } },
    h('td', {}, s.name), h('td', {}, shortId(s.id)), h('td', {}, badge(s.clock.mode, s.clock.mode === 'frozen' ? 'warn' : 'ok')),
    h('td', {}, virtualTime(s.clock.now)),
    h('td', {}, h('div', { class: 'row-actions' },
      button('Open', () => page.reloadSystems(s.id), { 'data-key': `open-${s.id}` }),
      button('Delete', () => openForm(`Delete ${s.name}?`, [],
        async () => { await control('DELETE', `/systems/${s.id}`); await page.reloadSystems(); },
        { describe: 'Everything of this system goes: users, locks, events, webhooks.', submitLabel: 'Delete' }),
      { class: 'danger', 'data-key': `delete-${s.id}` })))));
}

function createSystem(page) {
  openForm('Create a system', [
    { name: 'name', label: 'Name', required: true, value: 'New site' },
    { name: 'mode', label: 'Clock', type: 'select', options: [['real', 'real (runs with the wall clock)'], ['frozen', 'frozen (moves only when advanced)']] },
    { name: 'time', label: 'Frozen at (optional, RFC 3339)', placeholder: '2030-01-01T08:00:00Z' },
  ], async (v) => {
    const clock = { mode: v.mode, ...(v.mode === 'frozen' && v.time ? { time: v.time } : {}) };
    const created = await control('POST', '/systems', { name: v.name, clock });
    await page.reloadSystems(created.id);
    return created;
  }, { describe: 'The answer holds the API key and the administrator\'s access key; they are shown once.', submitLabel: 'Create' });
}

function autopilotPanel(page, autopilot) {
  const enabled = h('input', { type: 'checkbox', id: 'autopilot-enabled', checked: autopilot.enabled });
  const opens = h('input', { type: 'number', id: 'autopilot-opens', min: 0, step: 0.5, value: autopilot.opensPerUserPerDay, size: 5 });
  const battery = h('input', { type: 'number', id: 'autopilot-battery', min: 0, step: 0.5, value: autopilot.batteryEventsPerMonth, size: 5 });
  const save = button('Apply', () => act('autopilot', () => control('POST', `/systems/${page.systemId}/autopilot`, {
    enabled: enabled.checked, opensPerUserPerDay: Number(opens.value), batteryEventsPerMonth: Number(battery.value),
  })).then(page.refresh), { id: 'autopilot-apply' });
  return h('section', { class: 'panel' },
    h('h2', {}, 'Autopilot', badge(autopilot.enabled ? 'on' : 'off', autopilot.enabled ? 'ok' : '')),
    h('p', { class: 'muted' }, 'Plausible daily life for the selected system: visits by its users and battery events, planned each virtual day.'),
    h('div', { class: 'inline-form' },
      h('label', { class: 'check', for: 'autopilot-enabled' }, enabled, 'enabled'),
      h('label', { for: 'autopilot-opens' }, 'opens per user per day', opens),
      h('label', { for: 'autopilot-battery' }, 'battery events per month', battery), save));
}

function snapshotsPanel(page, snapshots) {
  const name = h('input', { id: 'snapshot-name', value: 'demo', 'aria-label': 'Snapshot name', pattern: '[A-Za-z0-9._-]+' });
  return h('section', { class: 'panel' },
    h('h2', {}, 'Snapshots', h('span', { class: 'count' }, String(snapshots.length))),
    h('p', { class: 'muted' }, 'The whole store, every system: save it, try something, restore it.'),
    h('div', { class: 'inline-form' }, name, button('Save snapshot', () => act('save snapshot',
      () => control('POST', '/snapshots', { name: name.value })).then(page.refresh), { id: 'snapshot-save' }),
    button('Reset everything', () => openForm('Reset the emulator?', [],
      async () => { await control('POST', '/reset'); await page.reloadSystems(); },
      { describe: 'Every system goes back to the fixtures the emulator started with.', submitLabel: 'Reset' }),
    { class: 'danger', id: 'reset' })),
    table(['name', 'saved', 'size', ''], snapshots.map((s) => h('tr', {},
      h('td', {}, s.name), h('td', {}, s.createdDatetime), h('td', {}, `${Math.round(s.sizeBytes / 1024)} KiB`),
      h('td', {}, button('Restore', () => act('restore', () => control('POST', `/snapshots/${encodeURIComponent(s.name)}/restore`))
        .then(() => page.reloadSystems()), { 'data-key': `restore-${s.name}` })))), 'no snapshots'));
}

export async function renderEmulator(root, page) {
  const [systems, snapshots, autopilot] = await Promise.all([
    controlGet('/systems?limit=100').then((p) => p.items),
    controlGet('/snapshots').then((p) => p.items),
    page.systemId ? controlGet(`/systems/${page.systemId}/autopilot`) : null,
  ]);
  replace(root,
    h('section', { class: 'panel' },
      h('h2', {}, 'Systems', h('span', { class: 'count' }, String(systems.length)),
        h('span', { class: 'actions' }, button('Create system', () => createSystem(page), { id: 'create-system' }))),
      table(['name', 'id', 'clock', 'virtual now', ''], systemRows(page, systems), 'no systems')),
    autopilot ? autopilotPanel(page, autopilot) : null,
    snapshotsPanel(page, snapshots));
}
