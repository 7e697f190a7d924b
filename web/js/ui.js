// The page's shared pieces of interaction: a form in a modal dialog, a result shown in it,
// and short notices. <dialog> keeps keyboard focus inside and closes on Escape.
import { h, replace, json } from './dom.js';

const dialog = () => document.getElementById('dialog');

export function notify(message, isError) {
  const box = h('div', { class: isError ? 'error' : '' }, message);
  document.getElementById('toast').append(box);
  setTimeout(() => box.remove(), isError ? 8000 : 4000);
}

function field(f) {
  const id = `field-${f.name}`;
  if (f.type === 'select') {
    return h('label', { for: id }, f.label,
      h('select', { id, name: f.name },
        f.options.map((o) => {
          const [value, text] = Array.isArray(o) ? o : [o, o];
          return h('option', { value, selected: value === f.value }, text);
        })));
  }
  if (f.type === 'checkbox')
    return h('label', { class: 'check', for: id }, h('input', { id, name: f.name, type: 'checkbox', checked: !!f.value }), f.label);
  return h('label', { for: id }, f.label,
    h('input', { id, name: f.name, type: f.type || 'text', value: f.value ?? '', required: f.required,
      placeholder: f.placeholder, step: f.step, autocomplete: 'off' }));
}

function valuesOf(form, fields) {
  const values = {};
  for (const f of fields) {
    const el = form.elements[f.name];
    values[f.name] = f.type === 'checkbox' ? el.checked : f.type === 'number' ? Number(el.value) : el.value;
  }
  return values;
}

// Asks for `fields`, runs `submit(values)` and shows what it answered (or its error) in the
// same dialog, so the person sees the platform's real response.
export function openForm(title, fields, submit, { submitLabel = 'Run', describe } = {}) {
  const d = dialog();
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { method: 'dialog' },
    h('h2', {}, title),
    describe ? h('p', { class: 'muted' }, describe) : null,
    fields.map(field), error,
    h('div', { class: 'buttons' },
      h('button', { type: 'button', onclick: () => d.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary' }, submitLabel)));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const run = form.querySelector('button[type=submit]');
    run.disabled = true;
    try {
      const result = await submit(valuesOf(form, fields));
      if (result === undefined) d.close();
      else showResult(title, result);
    } catch (e) {
      error.textContent = e.message;
      run.disabled = false;
    }
  });
  replace(d, form);
  d.showModal();
  const first = form.querySelector('input, select');
  if (first) first.focus();
}

export function showResult(title, result) {
  const d = dialog();
  const close = h('button', { type: 'button', class: 'primary', onclick: () => d.close() }, 'Close');
  replace(d, h('h2', {}, title), result instanceof Node ? result : json(result), h('div', { class: 'buttons' }, close));
  if (!d.open) d.showModal();
  close.focus();
}

// Runs an action with no form and reports its answer briefly.
export async function act(label, fn) {
  try {
    const result = await fn();
    notify(`${label}: done`);
    return result;
  } catch (e) {
    notify(`${label}: ${e.message}`, true);
    return undefined;
  }
}

export function askToken() {
  return new Promise((resolve) => {
    openForm('Control token', [{ name: 'token', label: 'This emulator runs with --control-token; enter it', type: 'password', required: true }],
      async (v) => { resolve(v.token); }, { submitLabel: 'Use token' });
  });
}
