// One system's site at a glance: its users and their phones, locks, gateways, permissions and
// offline keys, read through the Administration API and the control API's hardware view, with
// the actions a demo needs on each row. Every action is a call a test could make.
import { h, replace, virtualTime, virtualDate, shortId, badge, button, table, json } from './dom.js';
import { control, admin, controlGet, adminGet, listAll } from './api.js';
import { openForm, showResult, act } from './ui.js';

const MODELS = ['PADLOCK', 'KEY_DEPOSIT', 'CONTROLLER', 'SWING_HANDLE', 'SWING_HANDLE_CONNECTED'];
const HARDWARE_LOOKUPS = 50; // the hardware view is one call per lock: enough for a demo site

async function loadSite(id) {
  const get = adminGet(id);
  const [phones, locks, gateways, associations, permissions, offlineKeys] = await Promise.all([
    controlGet(`/systems/${id}/phones`).then((p) => p.items),
    listAll(get, '/locking-device'), listAll(get, '/gateway-device'),
    listAll(get, '/gateway-device-association'), listAll(get, '/permission'), listAll(get, '/offline-key'),
  ]);
  const hardware = new Map(await Promise.all(locks.filter((l) => l.serialNumber).slice(0, HARDWARE_LOOKUPS)
    .map((l) => controlGet(`/hardware/locking-devices/${encodeURIComponent(l.serialNumber)}`)
      .then((hw) => [l.id, hw], () => [l.id, null]))));
  const [lastWake, gatewayHardware] = (await Promise.all([
    Promise.all(gateways.map((g) => get(`/gateway-device-system-log?gateway-device-id=${g.id}&sort-direction=DESC&limit=1`)
      .then((p) => [g.id, p.items[0]?.occurrenceDatetime], () => [g.id, null]))),
    Promise.all(gateways.slice(0, HARDWARE_LOOKUPS).map((g) =>
      controlGet(`/hardware/gateway-devices/${encodeURIComponent(g.serialNumber)}`).then((hw) => [g.id, hw], () => [g.id, null]))),
  ])).map((pairs) => new Map(pairs));
  return { phones, locks, gateways, associations, permissions, offlineKeys, hardware, lastWake, gatewayHardware };
}

const lockName = (site, id) => site.locks.find((l) => l.id === id)?.name || id;
const activePhones = (site) => site.phones.filter((p) => p.phone === 'activated')
  .map((p) => [p.operatingDeviceId, `${p.role.toLowerCase()} ${p.userId.slice(0, 8)}`]);

function section(title, count, actions, body) {
  return h('section', { class: 'panel' },
    h('h2', {}, title, h('span', { class: 'count' }, count), h('span', { class: 'actions' }, actions)), body);
}

function rowActions(...buttons) { return h('td', {}, h('div', { class: 'row-actions' }, buttons)); }

function key(name, id) { return { 'data-key': `${name}-${id}` }; }

// --- users and phones ---------------------------------------------------------------------

function phoneBadge(state) {
  return badge(state, { activated: 'ok', created: 'warn', invited: 'warn' }[state] || '');
}

function userRows(site, page) {
  return site.phones.map((p) => h('tr', { dataset: { user: p.userId } },
    h('td', {}, shortId(p.userId)), h('td', {}, p.role),
    h('td', {}, phoneBadge(p.phone), p.legacy ? [' ', badge('legacy')] : null,
      p.online === false ? [' ', badge('no network', 'bad')] : null),
    h('td', {}, shortId(p.operatingDeviceId)), h('td', {}, virtualTime(p.activationDatetime)),
    rowActions(
      button('Details', () => userDetails(site, p), key('user-details', p.userId)),
      p.phone !== 'activated' ? button('Invite phone', () => invite(page, p.userId), key('invite', p.userId)) : null,
      p.phone === 'invited' ? button('Accept invitation', () => accept(page, p.invitationId), key('accept', p.userId)) : null,
      p.phone === 'none' ? button('Legacy phone', () => legacyPhone(page, p.userId), key('legacy', p.userId)) : null,
      p.operatingDeviceId ? button(p.online === false ? 'Give network' : 'Take network', () => act('network',
        () => control('POST', `/operating-devices/${p.operatingDeviceId}/network`, { online: p.online === false }))
        .then(page.refresh), key('network', p.userId)) : null)));
}

// A device from before version 2's invitations: it cannot be deleted on its own.
async function legacyPhone(page, userId) {
  const r = await act('legacy phone', () => control('POST', `/systems/${page.systemId}/legacy-operating-devices`, { userId }));
  if (r) showResult('A legacy operating device', r);
  page.refresh();
}

async function invite(page, userId) {
  const r = await act('invite', () => admin(page.systemId, 'POST', '/operating-device-invitation',
    { userId, deliveryMechanism: 'NONE' }));
  if (r) showResult('Invitation created', r);
  page.refresh();
}

async function accept(page, invitationId) {
  const r = await act('accept', () => control('POST', '/invitations/accept', { invitationId }));
  if (r) showResult('The phone accepted the invitation', r);
  page.refresh();
}

function addUser(page) {
  openForm('Add a user', [{ name: 'role', label: 'Role', type: 'select', options: ['USER', 'ADMIN'] }],
    async (v) => { const r = await admin(page.systemId, 'POST', '/user', v); page.refresh(); return r; });
}

// --- locks --------------------------------------------------------------------------------

function certificate(c) {
  if (!c) return h('span', { class: 'muted' }, '—');
  return [virtualDate(c.expirationDatetime), ' ',
    c.revoked ? badge('revoked', 'bad') : c.eligibleForReKeying ? badge('eligible', 'warn') : null];
}

// The failure paths set through POST /locking-devices/{id}/state: shown only when not normal.
function lockCondition(hw) {
  if (!hw) return null;
  return [hw.battery && hw.battery !== 'OK' ? [' ', badge(`battery ${hw.battery.toLowerCase()}`, hw.battery === 'EMPTY' ? 'bad' : 'warn')] : null,
    hw.inGatewayRange === false ? [' ', badge('out of gateway range', 'warn')] : null];
}

// Each certificate re-keys on its own: the operational stage, and the manufacturing one
// when it is in progress.
function rekeyingStages(hw) {
  const op = hw.operationalCertificate.reKeyingStage || hw.reKeyingStage;
  const mfg = hw.manufacturingCertificate.reKeyingStage;
  return mfg && mfg !== 'NONE' ? `${op} · manufacturing ${mfg}` : op;
}

function lockRows(site, page) {
  return site.locks.map((l) => {
    const hw = site.hardware.get(l.id);
    const claimed = l.claimingStatus === 'CLAIMED';
    return h('tr', { dataset: { lock: l.id } },
      h('td', {}, h('span', { class: 'name' }, l.name), l.hardwareModel ? h('div', { class: 'muted small' }, l.hardwareModel) : null),
      h('td', {}, badge(claimed ? 'claimed' : 'unclaimed', claimed ? 'ok' : 'warn'), lockCondition(hw)),
      h('td', {}, l.serialNumber ? h('code', {}, l.serialNumber) : '—'),
      h('td', {}, certificate(l.operationalCertificate)), h('td', {}, certificate(l.manufacturingCertificate)),
      h('td', {}, hw ? rekeyingStages(hw) : '—'), h('td', {}, hw ? String(hw.pendingLogEntries.length) : '—'),
      rowActions(
        button('Details', () => lockDetails(page, l, hw), key('lock-details', l.id)),
        claimed ? button('Visit', () => visit(page, site, l), key('visit', l.id)) : button('Claim', () => claim(page, site, l), key('claim', l.id)),
        claimed ? button('Battery low', () => act('battery low', () => control('POST', `/locking-devices/${l.id}/system-events`, { eventName: 'BATTERY_LOW' })).then(page.refresh), key('battery', l.id)) : null,
        claimed ? button('Re-key', () => act('re-key', () => admin(page.systemId, 'POST', `/testing/locking-device/${l.id}/re-key`)).then(page.refresh), key('rekey', l.id)) : null,
        claimed && hw ? button('Condition…', () => condition(page, l, hw), key('condition', l.id)) : null));
  });
}

// The failure paths of a lock: a battery running down, a gateway out of reach.
function condition(page, lock, hw) {
  openForm(`${lock.name}: battery and range`, [
    { name: 'battery', label: 'Battery', type: 'select', options: ['OK', 'LOW', 'EMPTY'], value: hw.battery || 'OK' },
    { name: 'inGatewayRange', label: 'Within its gateway\'s radio range', type: 'checkbox', value: hw.inGatewayRange !== false },
  ], (v) => control('POST', `/locking-devices/${lock.id}/state`, v).finally(page.refresh),
  { describe: 'An empty battery: nothing can operate the lock. Out of range: it does not wake its gateway.', submitLabel: 'Set' });
}

async function lockDetails(page, lock, hw) {
  const get = adminGet(page.systemId);
  const [audit, system] = await Promise.all([
    get(`/locking-device-audit-log?locking-device-id=${lock.id}&sort-direction=DESC&limit=50`),
    get(`/locking-device-system-log?locking-device-id=${lock.id}&sort-direction=DESC&limit=50`)]);
  const logRows = (items) => items.map((e) => h('tr', {},
    h('td', {}, virtualTime(e.occurrenceDatetime)), h('td', {}, String(e.sequenceNumber)), h('td', {}, e.eventName),
    h('td', {}, e.granted === undefined ? '' : badge(e.granted ? 'granted' : 'denied', e.granted ? 'ok' : 'bad'))));
  showResult(`Lock ${lock.name}`, h('div', { id: 'lock-detail' },
    h('h3', {}, 'Audit log (newest first)'), table(['when', '#', 'event', ''], logRows(audit.items), 'no audit entries'),
    h('h3', {}, 'System log (newest first)'), table(['when', '#', 'event', ''], logRows(system.items), 'no system entries'),
    hw ? [h('h3', {}, 'Entries on the lock, not yet uploaded'),
      table(['when', '#', 'kind', 'event'], hw.pendingLogEntries.map((e) => h('tr', {},
        h('td', {}, virtualTime(e.occurrenceDatetime)), h('td', {}, String(e.sequenceNumber)), h('td', {}, e.kind), h('td', {}, e.eventName))), 'none')] : null,
    h('h3', {}, 'As the Administration API answers it'), json(lock)));
}

function visit(page, site, lock) {
  openForm(`A phone visits ${lock.name}`, [
    { name: 'phone', label: 'Phone', type: 'select', options: activePhones(site) },
    { name: 'operation', label: 'Operation', type: 'select', options: ['unlock', 'lock', 'update-firmware', 'update-time'] },
    { name: 'online', label: 'The phone is online', type: 'checkbox', value: true },
  ], (v) => control('POST', `/operating-devices/${v.phone}/visit`,
    { lockingDeviceId: lock.id, operation: v.operation, online: v.online }).finally(page.refresh));
}

function claim(page, site, lock) {
  openForm(`Claim ${lock.name} with a new lock`, [
    { name: 'hardwareModel', label: 'Model', type: 'select', options: MODELS },
    { name: 'phone', label: 'Phone that claims it', type: 'select', options: activePhones(site) },
  ], async (v) => {
    const hw = await control('POST', '/hardware/locking-devices', { hardwareModel: v.hardwareModel });
    return control('POST', `/operating-devices/${v.phone}/claim`, { lockingDeviceId: lock.id, serialNumber: hw.serialNumber })
      .finally(page.refresh);
  });
}

function addLock(page, site) {
  openForm('Make a factory-fresh lock and claim it', [
    { name: 'name', label: 'Name', required: true, value: 'New Gate' },
    { name: 'hardwareModel', label: 'Model', type: 'select', options: MODELS },
    { name: 'phone', label: 'Phone that claims it', type: 'select', options: activePhones(site) },
  ], async (v) => {
    const hw = await control('POST', '/hardware/locking-devices', { hardwareModel: v.hardwareModel });
    const lock = await admin(page.systemId, 'POST', '/locking-device', { name: v.name });
    const claimed = await control('POST', `/operating-devices/${v.phone}/claim`, { lockingDeviceId: lock.id, serialNumber: hw.serialNumber });
    page.refresh();
    return claimed;
  });
}

// --- gateways -----------------------------------------------------------------------------

function gatewayRows(site, page) {
  return site.gateways.map((g) => {
    const locks = site.associations.filter((a) => a.gatewayDeviceId === g.id).map((a) => a.lockingDeviceId);
    const active = g.activationStatus === 'ACTIVATED';
    const off = site.gatewayHardware.get(g.id)?.poweredOff === true;
    const powered = active && !off;
    return h('tr', { dataset: { gateway: g.id } },
      h('td', {}, h('code', {}, g.serialNumber)), h('td', {}, badge(g.activationStatus.toLowerCase(), active ? 'ok' : 'warn'),
        off ? [' ', badge('powered off', 'bad')] : null),
      h('td', {}, locks.length ? locks.map((id) => lockName(site, id)).join(', ') : h('span', { class: 'muted' }, 'none')),
      h('td', {}, virtualTime(site.lastWake.get(g.id))),
      rowActions(
        button('Details', () => gatewayDetails(page, g), key('gateway-details', g.id)),
        powered ? null : button('Power on', () => act('power on', () => control('POST', `/gateway-devices/${g.id}/power-on`)).then(page.refresh), key('power', g.id)),
        powered ? button('Power off', () => act('power off', () => control('POST', `/gateway-devices/${g.id}/power-off`)).then(page.refresh), key('power-off', g.id)) : null,
        powered ? button('Wake', () => act('wake', () => control('POST', `/gateway-devices/${g.id}/wake`)).then(page.refresh), key('wake', g.id)) : null,
        button('Associate lock', () => associate(page, site, g), key('associate', g.id)),
        locks.length ? button('Remote open', () => remoteCommand(page, site, g, locks), key('remote', g.id)) : null));
  });
}

async function gatewayDetails(page, g) {
  const get = adminGet(page.systemId);
  const [system, audit, commands] = await Promise.all([
    get(`/gateway-device-system-log?gateway-device-id=${g.id}&sort-direction=DESC&limit=50`),
    get(`/gateway-device-audit-log?gateway-device-id=${g.id}&sort-direction=DESC&limit=50`),
    get(`/remote-command?gateway-device-id=${g.id}&limit=50`)]);
  const logRows = (items) => items.map((e) => h('tr', {},
    h('td', {}, virtualTime(e.occurrenceDatetime)), h('td', {}, String(e.sequenceNumber)), h('td', {}, e.eventName)));
  showResult(`Gateway ${g.serialNumber}`, h('div', { id: 'gateway-detail' },
    h('h3', {}, 'Remote commands'), table(['id', 'lock', 'state', 'created'], commands.items.map((c) => h('tr', {},
      h('td', {}, shortId(c.id)), h('td', {}, shortId(c.lockingDeviceId)), h('td', {}, c.status || c.state || ''),
      h('td', {}, virtualTime(c.creationDatetime)))), 'none'),
    h('h3', {}, 'System log'), table(['when', '#', 'event'], logRows(system.items), 'none'),
    h('h3', {}, 'Audit log'), table(['when', '#', 'event'], logRows(audit.items), 'none')));
}

function associate(page, site, g) {
  openForm(`Associate a lock with ${g.serialNumber}`, [
    { name: 'lockingDeviceId', label: 'Lock', type: 'select', options: site.locks.filter((l) => l.claimingStatus === 'CLAIMED').map((l) => [l.id, l.name]) },
  ], (v) => admin(page.systemId, 'POST', '/gateway-device-association', { gatewayDeviceId: g.id, ...v }).finally(page.refresh));
}

function remoteCommand(page, site, g, locks) {
  openForm(`Remote command through ${g.serialNumber}`, [
    { name: 'lockingDeviceId', label: 'Lock to open', type: 'select', options: locks.map((id) => [id, lockName(site, id)]) },
  ], (v) => admin(page.systemId, 'POST', '/remote-command', { gatewayDeviceId: g.id, action: 'OPEN', ...v }).finally(page.refresh),
  { describe: 'The lock wakes its gateway 10 seconds later on the virtual clock: advance the clock (or wake the gateway) and the command is acknowledged.' });
}

function addGateway(page) {
  openForm('Install a gateway', [], async () => {
    const hw = await control('POST', '/hardware/gateway-devices', {});
    const gw = await admin(page.systemId, 'POST', '/gateway-device', { claimingCode: hw.claimingCode });
    page.refresh();
    return gw;
  }, { describe: 'A factory-fresh gateway, claimed with the code on its label. Power it on from its row.', submitLabel: 'Install' });
}

// --- permissions and offline keys ---------------------------------------------------------

function permissionRows(site, page) {
  return site.permissions.map((p) => h('tr', { dataset: { permission: p.id } },
    h('td', {}, p.permissionType), h('td', {}, shortId(p.userId)), h('td', {}, lockName(site, p.lockingDeviceId)),
    h('td', {}, p.operationType), h('td', {}, virtualTime(p.start), ' – ', virtualTime(p.end)),
    rowActions(
      button('Details', () => showResult(`Permission ${p.id.slice(0, 8)}`, json(p)), key('permission-details', p.id)),
      button('Revoke', () => act('revoke', () => admin(page.systemId, 'DELETE', `/permission/${p.id}`)).then(page.refresh),
        { ...key('revoke', p.id), class: 'danger', title: 'Keys already downloaded keep opening until they expire' }))));
}

// A user at a glance: the phone, what the user may open, the offline keys of the phone.
function userDetails(site, p) {
  const permissions = site.permissions.filter((x) => x.userId === p.userId);
  const keys = site.offlineKeys.filter((k) => p.operatingDeviceId && k.operatingDeviceId === p.operatingDeviceId);
  showResult(`User ${p.userId.slice(0, 8)}`, h('div', { id: 'user-detail' },
    h('h3', {}, 'Permissions'), table(['type', 'lock', 'operation', 'window'], permissions.map((x) => h('tr', {},
      h('td', {}, x.permissionType), h('td', {}, lockName(site, x.lockingDeviceId)), h('td', {}, x.operationType),
      h('td', {}, virtualTime(x.start), ' – ', virtualTime(x.end)))), 'none'),
    h('h3', {}, 'Offline keys of the phone'), table(['lock', 'valid', 'issued'], keys.map((k) => h('tr', {},
      h('td', {}, lockName(site, k.lockingDeviceId)), h('td', {}, virtualTime(k.startDatetime), ' – ', virtualTime(k.endDatetime)),
      h('td', {}, virtualTime(k.issuanceDatetime)))), 'none'),
    h('h3', {}, 'The user and the phone'), json(p)));
}

function grant(page, site) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  openForm('Grant a permission', [
    { name: 'userId', label: 'User', type: 'select', options: site.phones.map((p) => [p.userId, `${p.role.toLowerCase()} ${p.userId.slice(0, 8)}`]) },
    { name: 'lockingDeviceId', label: 'Lock', type: 'select', options: site.locks.map((l) => [l.id, l.name]) },
    { name: 'operationType', label: 'Operation', type: 'select', options: ['OPEN', 'UPDATE_FIRMWARE', 'UPDATE_TIME'] },
    { name: 'start', label: 'Start', value: '2020-01-01T00:00:00Z' },
    { name: 'end', label: 'End', value: now.replace(/^\d{4}/, (y) => String(Number(y) + 10)) },
  ], (v) => admin(page.systemId, 'POST', '/permission', { permissionType: 'SINGLE_INTERVAL', ...v }).finally(page.refresh));
}

function offlineKeyRows(site) {
  return site.offlineKeys.map((k) => h('tr', {},
    h('td', {}, shortId(k.id)), h('td', {}, lockName(site, k.lockingDeviceId)), h('td', {}, shortId(k.operatingDeviceId)),
    h('td', {}, virtualTime(k.startDatetime), ' – ', virtualTime(k.endDatetime)), h('td', {}, virtualTime(k.issuanceDatetime))));
}

// --- the view -----------------------------------------------------------------------------

function triggerForm(page) {
  openForm('Make an event happen', [{ name: 'eventType', label: 'Event type', type: 'select', options: page.eventTypes }],
    (v) => control('POST', `/systems/${page.systemId}/trigger`, v).finally(page.refresh),
    { describe: 'Runs the shortest real story through the simulator that emits this event, creating what it needs. The clock does not move.', submitLabel: 'Trigger' });
}

export async function renderSite(root, page) {
  const site = await loadSite(page.systemId);
  replace(root,
    h('div', { class: 'panel-bar' }, button('Make an event happen…', () => triggerForm(page), { id: 'trigger-open', class: 'primary' }),
      h('span', { class: 'muted' }, 'Every button here calls the same control and Administration API a test would.')),
    section('Users', `${site.phones.length}`, button('Add user', () => addUser(page), { id: 'add-user' }),
      table(['user', 'role', 'phone', 'operating device', 'activated', ''], userRows(site, page), 'no users')),
    section('Locking devices', `${site.locks.length}`, button('Add lock', () => addLock(page, site), { id: 'add-lock' }),
      table(['name and model', 'status', 'serial', 'operational cert. expires', 'manufacturing cert. expires', 're-keying', 'pending', ''],
        lockRows(site, page), 'no locks')),
    section('Gateways', `${site.gateways.length}`, button('Install gateway', () => addGateway(page), { id: 'add-gateway' }),
      table(['serial', 'activation', 'associated locks', 'last wake-up', ''], gatewayRows(site, page), 'no gateways')),
    section('Permissions', `${site.permissions.length}`, button('Grant permission', () => grant(page, site), { id: 'add-permission' }),
      table(['type', 'user', 'lock', 'operation', 'window', ''], permissionRows(site, page), 'no permissions')),
    section('Offline keys', `${site.offlineKeys.length}`, null,
      table(['id', 'lock', 'phone', 'valid', 'issued'], offlineKeyRows(site), 'no offline keys')));
}
