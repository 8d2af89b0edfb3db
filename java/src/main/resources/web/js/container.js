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
const slots = ['cpu', 'mem', 'file', 'net'].map(k => el('div', {id: `chart-${k}`}));
charts.append(...slots);
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

let shownCharts = [];

function drawCharts(v) {
  for (const c of shownCharts) c.destroy();
  for (const s of slots) clear(s);
  const onSelect = (from, to) => go({from, to, range: null});
  const ts = v.ts;
  const procSeries = (stack) => stack.series.map((s, i) => ({label: s.label, values: s.values, color: COLORS[i % COLORS.length]}));
  shownCharts = [
    timeChart(slots[0], {title: 'CPU per process (% of one CPU, stacked)', ts, series: procSeries(v.cpuByProcess),
      fmt: fmt.pct, stacked: true, onSelect}),
    timeChart(slots[1], {title: 'Memory per process (RSS, stacked)', ts, series: procSeries(v.memByProcess),
      fmt: fmt.bytes, stacked: true, onSelect}),
    timeChart(slots[2], {title: 'File I/O', ts, fmt: fmt.rate, onSelect, series: [
      {label: 'read', values: v.series.fileInBps, color: COLORS[2]},
      {label: 'write', values: v.series.fileOutBps, color: COLORS[3]}]}),
    timeChart(slots[3], {title: 'Network', ts, fmt: fmt.rate, onSelect, series: [
      {label: 'in', values: v.series.netInBps, color: COLORS[0]},
      {label: 'out', values: v.series.netOutBps, color: COLORS[1]}]}),
  ];
  performance.mark('all-charts');
}

run(async (range) => {
  const p = {host, id, ...range};
  // the charts first: the tables' requests run meanwhile
  const rest = Promise.all(['files', 'connections', 'ports', 'syscalls', 'errnos'].map(r => api(r, p)));
  const v = await api('container', p);
  const c = v.container;
  const name = c.id === 'host' ? 'host (processes outside containers)' : c.name || c.id;
  setTitle(name);
  clear(crumbs).append(link('index.html', {}, 'containers'), el('span', null, '›'), el('span', null, name));
  meta.textContent = `id ${c.id} · image ${c.image || '–'} · runtime ${c.runtime || '–'} · host ${c.host} · seen ${fmt.time(c.firstSeen)} → ${fmt.time(c.lastSeen)} UTC`;
  clear(summary).append(...cards(v.totals));
  drawCharts(v);
  t.procs.update(v.processes);
  const [files, conns, ports, sys, errs] = await rest;
  t.files.update(files.rows, files.omitted);
  t.conns.update(conns.rows, conns.omitted);
  t.ports.update(ports.rows, ports.omitted);
  t.sys.update(sys.rows, sys.omitted);
  t.errs.update(errs.rows, errs.omitted);
  return v;
});
