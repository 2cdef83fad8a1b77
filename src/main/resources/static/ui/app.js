// Shared by every page: the API key kept for this tab, authenticated fetches, the live stream.
// The key lives in sessionStorage (this tab only, gone when it closes) and goes out as a bearer header;
// the pages load no third-party script and run under a strict Content-Security-Policy.

const KEY = 'backprop.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function login(key) {
  sessionStorage.setItem(KEY, key);
}

export function logout() {
  sessionStorage.removeItem(KEY);
  location.assign('/ui/login');
}

/** Without a key, off to the login page; the promise then never settles, so the page's script stops there. */
export function requireKey() {
  if (apiKey()) {
    return Promise.resolve();
  }
  location.assign('/ui/login?next=' + encodeURIComponent(location.pathname + location.search));
  return new Promise(() => {});
}

/** fetch with the key; a 401 sends the user back to the login page. */
export async function api(path, options = {}) {
  const headers = Object.assign({'Authorization': 'Bearer ' + apiKey()}, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, {headers}));
  if (response.status === 401) {
    logout();
    throw new Error('unauthorized');
  }
  return response;
}

export async function json(path, options) {
  const response = await api(path, options);
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || response.statusText);
  }
  return response.json();
}

/** Downloads a protected file: fetched with the key, handed to the browser as a blob. */
export async function download(path, fallbackName, accept) {
  const response = await api(path, {headers: {'Accept': accept}});
  if (!response.ok) {
    throw new Error('download failed: ' + response.status);
  }
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = match ? match[1] : fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Follows a Server-Sent Events stream with fetch (EventSource cannot send the key): calls
 * onEvent(name, data, id) per event, reconnects with Last-Event-ID when the connection drops, and
 * stops when the server closes the stream after a terminal status, or when stop() is called.
 */
export function follow(path, onEvent) {
  let lastId = null;
  let stopped = false;
  let ended = false;
  const controller = new AbortController();
  async function connect() {
    const headers = {'Accept': 'text/event-stream'};
    if (lastId !== null) {
      headers['Last-Event-ID'] = lastId;
    }
    const response = await api(path, {headers, signal: controller.signal});
    if (!response.ok) {
      throw new Error('stream: ' + response.status);
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = {name: 'message', data: [], id: null};
    for (;;) {
      const {value, done} = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (event.data.length) {
            if (event.id !== null) {
              lastId = event.id;
            }
            const data = JSON.parse(event.data.join('\n'));
            if (event.name === 'status' && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(data.status)) {
              ended = true;
            }
            onEvent(event.name, data, event.id);
          }
          event = {name: 'message', data: [], id: null};
        } else if (line.startsWith('event:')) {
          event.name = line.slice(6).trim();
        } else if (line.startsWith('data:')) {
          event.data.push(line.slice(5).replace(/^ /, ''));
        } else if (line.startsWith('id:')) {
          event.id = line.slice(3).trim();
        }
      }
    }
  }
  (async () => {
    while (!stopped) {
      try {
        await connect();
      } catch (e) {
        if (stopped) {
          return;
        }
      }
      if (ended || stopped) {
        return;
      }
      await new Promise(r => setTimeout(r, 2000));
    }
  })();
  return {stop() { stopped = true; controller.abort(); }};
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (k === 'text') {
      node.textContent = v;
    } else {
      node.setAttribute(k, v);
    }
  }
  for (const child of children) {
    node.append(child);
  }
  return node;
}

export function fmt(value, digits = 4) {
  return value === null || value === undefined ? '–' : Number(value).toPrecision(digits);
}

export function duration(from, to) {
  if (!from) {
    return '–';
  }
  const seconds = Math.max(0, Math.round(((to ? new Date(to) : new Date()) - new Date(from)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds % 3600 / 60);
  const s = seconds % 60;
  return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's';
}

export function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '–';
}

export function header() {
  document.getElementById('logout')?.addEventListener('click', logout);
}
