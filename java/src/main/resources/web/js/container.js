// A container: charts of CPU and memory per process, file I/O, network; tables that replace
// top/ps, lsof, netstat/nethogs, strace -c and its errors.
import {api} from './api.js';
import {el, byId, clear, link} from './dom.js';
import {timeChart, COLORS} from './charts.js';
import {Table} from './table.js';
import {run, query, go, setTitle} from './page.js';
import * as fmt from './fmt.js';
import {processColumns, fileColumns, connectionColumns, syscallColumns, errnoColumns, cards} from './views.js';

const id = query.get('id');
const host = query.get('host');
const content = byId('content');
const crumbs = byId('crumbs');
const meta = el('p', {class: 'meta', id: 'meta'});
const summary = el('div', {class: 'cards', id: 'totals'});
const charts = el('div', {class: 'charts', id: 'charts'});
charts.append(...['cpu', 'mem', 'file', 'net'].map(k => el('div', {id: `chart-${k}`})));
const sec = (title, sid) => {
  const s = el('section', {id: sid});
  s.append(el('h2', null, title));
  return s;
};
const procSec = sec('Processes (top / ps)', 'processes');
const tables = el('div', {class: 'tables'});
const fileSec = sec('Files (lsof / topfiles)', 'files');
const connSec = sec('Connections (netstat / nethogs)', 'connections');
const portSec = sec('Server ports', 'ports');
const sysSec = sec('Syscalls (strace -c)', 'syscalls');
const errSec = sec('Errors by errno', 'errnos');
tables.append(fileSec, connSec, portSec, sysSec, errSec);
content.append(meta, summary, charts, procSec, tables);

const t = {
  procs: new Table(procSec, processColumns(host, id), {key: r => `${r.pid}/${r.startTs}`, sort: {key: 'cpuNs', desc: true}}),
  files: new Table(fileSec, fileColumns(), {key: r => `${r.pid}/${r.file}`, sort: {key: 'bytes', desc: true}}),
  conns: new Table(connSec, connectionColumns(), {key: r => `${r.pid}/${r.l4}/${r.tuple}`, sort: {key: 'bytes', desc: true}}),
  ports: new Table(portSec, [
    {key: 'l4', label: 'L4'},
    {key: 'port', label: 'port', num: true, fmt: String},
    {key: 'bytesIn', label: 'bytes in', num: true, fmt: fmt.bytes},
    {key: 'bytesOut', label: 'bytes out', num: true, fmt: fmt.bytes},
  ], {key: r => `${r.l4}/${r.port}`, sort: {key: 'bytesIn', desc: true}}),
  sys: new Table(sysSec, syscallColumns(), {key: r => r.syscall, sort: {key: 'calls', desc: true}}),
  errs: new Table(errSec, errnoColumns(), {key: r => `${r.syscall}/${r.errno}`, sort: {key: 'count', desc: true}}),
};

let shown = {};

function chart(slot, make) {
  if (shown[slot]) shown[slot].destroy();
  const box = clear(byId(`chart-${slot}`));
  shown[slot] = make(box);
}

const onSelect = (from, to) => go({from, to, range: null});

function containerCharts(v) {
  const ts = v.ts;
  chart('file', box => timeChart(box, {title: `File I/O (${fmt.res(v.res)} buckets)`, ts, fmt: fmt.rate, onSelect, series: [
    {label: 'read', values: v.series.fileInBps, color: COLORS[2]},
    {label: 'write', values: v.series.fileOutBps, color: COLORS[3]}]}));
  chart('net', box => timeChart(box, {title: `Network (${fmt.res(v.res)} buckets)`, ts, fmt: fmt.rate, onSelect, series: [
    {label: 'in', values: v.series.netInBps, color: COLORS[0]},
    {label: 'out', values: v.series.netOutBps, color: COLORS[1]}]}));
}

function processCharts(p) {
  const series = stack => stack.series.map((s, i) => ({label: s.label, values: s.values, color: COLORS[i % COLORS.length]}));
  chart('cpu', box => timeChart(box, {title: `CPU per process (% of one CPU, stacked, ${fmt.res(p.res)} buckets)`, ts: p.ts,
    series: series(p.cpuByProcess), fmt: fmt.pct, stacked: true, onSelect}));
  chart('mem', box => timeChart(box, {title: `Memory per process (RSS, stacked, ${fmt.res(p.res)} buckets)`, ts: p.ts,
    series: series(p.memByProcess), fmt: fmt.bytes, stacked: true, onSelect}));
  performance.mark('all-charts');
}

run(async (range) => {
  const p = {host, id, ...range};
  // the container's own series first (cheap): its charts are drawn while the rest is read
  const v = await api('container', p);
  const c = v.container;
  const name = c.id === 'host' ? 'host (processes outside containers)' : c.name || c.id;
  setTitle(name);
  clear(crumbs).append(link('index.html', {}, 'containers'), el('span', null, '›'), el('span', null, name));
  meta.textContent = `id ${c.id} · image ${c.image || '–'} · runtime ${c.runtime || '–'} · host ${c.host} · seen ${fmt.time(c.firstSeen)} → ${fmt.time(c.lastSeen)} UTC`;
  clear(summary).append(...cards(v.totals));
  containerCharts(v);
  const [procs, files, conns, ports, sys, errs] = await Promise.all(
    ['processes', 'files', 'connections', 'ports', 'syscalls', 'errnos'].map(r => api(r, p)));
  processCharts(procs);
  t.procs.update(procs.processes);
  t.files.update(files.rows, files.omitted);
  t.conns.update(conns.rows, conns.omitted);
  t.ports.update(ports.rows, ports.omitted);
  t.sys.update(sys.rows, sys.omitted);
  t.errs.update(errs.rows, errs.omitted);
  return v;
});
