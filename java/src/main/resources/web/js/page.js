// What every page shares: the URL's parameters, the time range bar, and the refresh loop
// (every second while a capture is running and the range follows the present).
import {api} from './api.js';
import {el, byId, clear, showError} from './dom.js';
import * as fmt from './fmt.js';

const DURATIONS = {'5m': 300, '1h': 3600, '1d': 86400};
const LABELS = {'5m': 'last 5 min', '1h': 'last 1 h', '1d': 'last 1 d', all: 'whole capture'};

export const query = new URLSearchParams(location.search);

/** Navigates to this page with some parameters changed (null removes one). */
export function go(changes) {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v == null) q.delete(k);
    else q.set(k, String(v));
  }
  location.search = q.toString();
}

/** The range to show: from/to in the URL, else a named range ending at the data's end (or now when live). */
export function resolveRange(status) {
  const now = status.now;
  const span = status.span || {from: now - 300, to: now};
  const from = Number(query.get('from'));
  const to = Number(query.get('to'));
  if (query.get('from') && query.get('to') && from < to) return {from, to, name: 'custom', follows: false};
  const name = LABELS[query.get('range')] ? query.get('range') : status.running ? '5m' : 'all';
  const end = status.running ? Math.max(now, span.to) : span.to;
  if (name === 'all') return {from: span.from, to: end, name, follows: status.running};
  return {from: end - DURATIONS[name], to: end, name, follows: status.running};
}

function rangeBar(status, range, shown) {
  const bar = clear(byId('range'));
  for (const n of Object.keys(LABELS)) {
    const a = el('a', {href: '#', class: range.name === n ? 'on' : null, dataset: {range: n}}, LABELS[n]);
    a.addEventListener('click', e => {
      e.preventDefault();
      go({range: n, from: null, to: null});
    });
    bar.append(a);
  }
  const sel = el('select', {id: 'res', title: 'resolution: raw seconds or a rollup'});
  sel.append(el('option', {value: ''}, 'auto'));
  for (const r of status.resolutions) sel.append(el('option', {value: r}, fmt.res(r)));
  sel.value = query.get('res') || '';
  sel.addEventListener('change', () => go({res: sel.value || null}));
  bar.append(el('label', null, 'resolution ', sel));
  const desc = shown
    ? `${fmt.time(shown.from)} → ${fmt.time(shown.to)} UTC (${fmt.duration(shown.to - shown.from)}) at ${fmt.res(shown.res)}`
    : '';
  bar.append(el('span', {id: 'range-shown'}, desc));
  if (status.running) bar.append(el('span', {class: 'live', title: 'refreshing every second'}, `● ${status.mode}`));
  bar.append(el('span', {class: 'hint'}, 'drag on a chart to zoom'));
}

/**
 * Runs a page: render(range, status) draws it and returns what the API said about the range
 * ({from, to, res}). Repeats every second while running and following the present.
 */
export async function run(render) {
  let renders = 0;
  let busy = false;
  const once = async () => {
    if (busy) return;
    busy = true;
    try {
      const status = await api('status');
      const range = resolveRange(status);
      rangeBar(status, range, null);
      const res = query.get('res');
      const shown = await render({from: range.from, to: range.to, res: res || null}, status);
      rangeBar(status, range, shown);
      showError('');
      document.body.dataset.state = 'ready';
      document.body.dataset.renders = String(++renders);
      if (renders === 1) performance.mark('page-ready');
      return status.running && range.follows !== false && !(query.get('from') && query.get('to'));
    } catch (e) {
      showError(String(e.message || e));
      document.body.dataset.state = 'error';
      return false;
    } finally {
      busy = false;
    }
  };
  const again = await once();
  if (again) {
    const timer = setInterval(async () => {
      const more = await once();
      if (more === false && document.body.dataset.state !== 'error') clearInterval(timer);
    }, 1000);
  }
}

/** A heading-sized text from trace data, safely. */
export function setTitle(text) {
  byId('title').textContent = text;
  document.title = `${text} — scapstream`;
}
