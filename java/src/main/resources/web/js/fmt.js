// Human units (sysdig / Grafana style). Every value shown goes through here.
const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function sig3(x) {
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function bytes(v) {
  if (v == null) return '–';
  if (Math.abs(v) < 1024) return `${Math.round(v)} B`;
  let x = v / 1024;
  let i = 0;
  while (Math.abs(x) >= 1024 && i < UNITS.length - 1) { x /= 1024; i++; }
  return `${sig3(x)} ${UNITS[i]}`;
}

export const rate = v => (v == null ? '–' : `${bytes(v)}/s`);
export const kb = v => (v == null ? '–' : bytes(v * 1024));

/** % of one CPU (a multi-threaded process can exceed 100 %). */
export function pct(v) {
  if (v == null) return 'unknown';
  return `${Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)} %`;
}

export function cpuSeconds(ns) {
  return ns == null ? 'unknown' : `${(ns / 1e9).toFixed(3)} s`;
}

export function count(n) {
  return n == null ? '–' : Math.round(n).toLocaleString('en-US');
}

export function perSec(n) {
  return n == null ? '–' : `${n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)}/s`;
}

/** Latency: ns to µs or ms. */
export function latency(ns) {
  if (ns == null) return '–';
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${sig3(ns / 1e6)} ms`;
}

/** Epoch seconds to "YYYY-MM-DD HH:MM:SS" UTC. */
export function time(sec) {
  if (sec == null) return '–';
  return new Date(sec * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

/** Epoch ns given as a decimal string (beyond 2^53) to a UTC time with ms; 0 means unknown. */
export function timeNs(ns, zero) {
  if (ns == null || ns === '0' || ns === 0) return zero;
  const s = String(ns);
  const ms = Number(s.length > 6 ? s.slice(0, -6) : '0');
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

export function duration(sec) {
  if (sec < 120) return `${sec} s`;
  if (sec < 7200) return `${(sec / 60).toFixed(sec % 60 ? 1 : 0)} min`;
  if (sec < 172800) return `${(sec / 3600).toFixed(sec % 3600 ? 1 : 0)} h`;
  return `${(sec / 86400).toFixed(1)} d`;
}

export function res(r) {
  return r === 1 ? '1 s' : r === 10 ? '10 s' : r === 3600 ? '1 h' : r === 86400 ? '1 d' : `${r} s`;
}
