// Calls to the emulator's public surfaces: the control API, the Administration API (with a
// token the control API hands out for a system's first administrator) and nothing else, so
// that everything the page does a test can do with the same requests.

const CONTROL = '/_emulator/v1';
const ADMIN = '/administration';
const VENDOR_TYPE = 'application/vnd.assaabloy.keyless.administration-2+json';

export class ApiError extends Error {
  constructor(status, problem) {
    const detail = problem && (problem.detail || problem.title);
    super(detail ? `${status}: ${detail}` : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// Set by the page: resolves to the control token a person typed, once per refusal.
let askControlToken = async () => { throw new ApiError(401, { detail: 'control token required' }); };
export function onControlTokenNeeded(ask) { askControlToken = ask; }

async function send(url, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(url, init);
  const text = res.status === 204 ? '' : await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// The token is exchanged for an HttpOnly cookie, so it never sits in the page or a URL and the
// event stream (which cannot send headers) carries it too.
export async function control(method, path, body) {
  for (;;) {
    try {
      return await send(CONTROL + path, { method, body });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      const token = await askControlToken();
      await send(`${CONTROL}/control-session`, { method: 'POST', body: { token } })
        .catch((err) => { if (err.status !== 401) throw err; });
    }
  }
}

const credentials = new Map(); // system id -> {token, apiKey, userId}

async function credentialsOf(systemId, renew) {
  if (renew || !credentials.has(systemId))
    credentials.set(systemId, await control('POST', `/systems/${systemId}/admin-token`));
  return credentials.get(systemId);
}

// Tokens expire on the system's virtual clock: an advance can outlive one, so a 401 renews
// it once.
export async function admin(systemId, method, path, body) {
  for (let attempt = 0; ; attempt++) {
    const c = await credentialsOf(systemId, attempt > 0);
    try {
      return await send(ADMIN + path, {
        method, body,
        headers: { Accept: VENDOR_TYPE, Authorization: `Bearer ${c.token}`, 'X-Api-Key': c.apiKey },
      });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401 || attempt > 0) throw e;
    }
  }
}

export function adminUserOf(systemId) {
  return credentialsOf(systemId, false).then((c) => c.userId);
}

export function forgetSystem(systemId) { credentials.delete(systemId); }

// Every list is paged the same way; the page shows at most `max` rows of one.
export async function listAll(get, path, max = 500) {
  const items = [];
  let token = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(`${path}${sep}limit=100${token ? `&next-page-token=${encodeURIComponent(token)}` : ''}`);
    items.push(...page.items);
    token = page.nextPageToken;
  } while (token && items.length < max);
  return items.slice(0, max);
}

export const controlGet = (path) => control('GET', path);
export const adminGet = (systemId) => (path) => admin(systemId, 'GET', path);

export function streamUrl(systemId, tail) {
  return `${CONTROL}/systems/${systemId}/events/stream?tail=${tail}`;
}
