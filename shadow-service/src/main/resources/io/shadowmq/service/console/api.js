// The REST API as the console uses it: the signed-in key (sessionStorage only, sent as a Bearer header, never in a
// URL) and fetch() calls that turn problem+json answers into ApiError with the server's own words.

const TOKEN_KEY = 'shadowmq.console.token';

/** The key this tab signed in with, or null. sessionStorage: gone when the tab closes, never shared with others. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signIn(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Takes a key given as "#token=..." in the address (for scripted use) into sessionStorage and removes it from the
 * address bar and the history entry at once. Returns true when there was one.
 */
export function takeTokenFromFragment() {
  const hash = window.location.hash;
  if (!hash.startsWith('#')) {
    return false;
  }
  const params = new URLSearchParams(hash.slice(1));
  const given = params.get('token');
  if (given === null) {
    return false;
  }
  history.replaceState(null, '', window.location.pathname + window.location.search);
  if (given.trim() !== '') {
    signIn(given.trim());
  }
  return true;
}

/** A refused request: the status and the server's problem detail (RFC 9457), for showing as it was said. */
export class ApiError extends Error {
  constructor(status, detail, type) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.type = type;
  }
}

export function authHeaders(extra = {}) {
  const headers = { ...extra };
  const key = token();
  if (key !== null) {
    headers.Authorization = 'Bearer ' + key;
  }
  return headers;
}

/** The problem an answer carries, as an ApiError (also for answers that are not problem+json). */
export async function problemOf(response) {
  let detail = response.status + ' ' + response.statusText;
  let type;
  try {
    const body = await response.json();
    if (body && typeof body.detail === 'string') {
      detail = body.detail;
      type = body.type;
    }
  } catch (ignored) {
    // Not JSON: the status line says it.
  }
  return new ApiError(response.status, detail, type);
}

/**
 * One API call: JSON in (when body is given), JSON out (null for 204). Refusals throw ApiError; a network failure
 * throws ApiError with status 0.
 */
export async function call(method, path, body, contentType = 'application/json') {
  const init = { method, headers: authHeaders({ Accept: 'application/json' }), cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = contentType;
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, 'the service cannot be reached (' + error.message + ')');
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  if (response.status === 204) {
    return null;
  }
  return response.json();
}

export const enc = encodeURIComponent;

export const api = {
  things: (query) => call('GET', '/api/v1/things?' + new URLSearchParams(query)),
  thing: (id) => call('GET', '/api/v1/things/' + enc(id)),
  shadow: async (id) => {
    try {
      return await call('GET', '/api/v1/things/' + enc(id) + '/shadow');
    } catch (error) {
      // A thing that never reported has no shadow yet: an empty one to show.
      if (error instanceof ApiError && error.status === 404 && error.detail.startsWith('no shadow')) {
        return { state: { reported: {}, desired: {} }, metadata: {}, version: 0, desiredOutcomes: {} };
      }
      throw error;
    }
  },
  /** A reported value's history: {points:[{timestamp, version, value}]}, or with query.every {buckets:[...]}. */
  history: (id, path, query) =>
    call('GET', '/api/v1/things/' + enc(id) + '/history?' + new URLSearchParams({ path, ...query })),
  desire: (id, desired) =>
    call('PATCH', '/api/v1/things/' + enc(id) + '/shadow', { state: { desired } }, 'application/merge-patch+json'),
  invoke: (id, action, input) =>
    call('POST', '/api/v1/things/' + enc(id) + '/actions/' + enc(action), input === undefined ? {} : { input }),
  models: () => call('GET', '/api/v1/models'),
  model: (type) => call('GET', '/api/v1/models/' + enc(type)),
  grants: (owner) => call('GET', '/api/v1/owners/' + enc(owner) + '/grants'),
  provision: (thingId, type, owner) => call('POST', '/api/v1/things', { thingId, type, owner }),
  rotate: (id) => call('POST', '/api/v1/things/' + enc(id) + '/secret'),
  deprovision: (id) => call('DELETE', '/api/v1/things/' + enc(id)),
  createKey: (request) => call('POST', '/api/v1/keys', request),
  revokeKey: (id) => call('DELETE', '/api/v1/keys/' + enc(id)),
};
