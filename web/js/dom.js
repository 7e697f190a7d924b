// The page's one way to make elements. Text always goes in as text nodes, never as HTML:
// names, URLs and event bodies are user input, so nothing here parses markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// Virtual instants are marked as such wherever they appear: they are the system's clock, not
// the viewer's.
export function virtualTime(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { class: 'virtual', datetime: iso, title: 'virtual time of this system' },
    iso.replace('T', ' ').replace('Z', ' Z'));
}

// A day is enough where the instant would crowd a table (certificate expiry); the whole
// instant is in the title and the datetime attribute.
export function virtualDate(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { class: 'virtual', datetime: iso, title: `${iso}, virtual time of this system` }, iso.slice(0, 10));
}

export function shortId(id) {
  return id ? h('code', { title: id }, id.slice(0, 8)) : h('span', { class: 'muted' }, '—');
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind || ''}` }, text);
}

export function button(label, onclick, attrs) {
  return h('button', { type: 'button', ...attrs, onclick }, label);
}

export function table(headers, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty || 'none');
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));
}

export function json(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}
