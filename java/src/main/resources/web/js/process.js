// One process: its own charts, its children, and its files, connections and syscalls.
import {api} from './api.js';
import {el, byId, clear, link} from './dom.js';
import {timeChart, COLORS} from './charts.js';
import {Table} from './table.js';
import {run, query, go, setTitle} from './page.js';
import * as fmt from './fmt.js';
import {processColumns, fileColumns, connectionColumns, syscallColumns, errnoColumns, cards} from './views.js';

const id = query.get('id');
const host = query.get('host');
const pid = query.get('pid');
const start = query.get('start');
const content = byId('content');
const crumbs = byId('crumbs');
const info = el('table', {class: 'data', id: 'info'});
const summary = el('div', {class: 'cards', id: 'totals'});
const charts = el('div', {class: 'charts', id: 'charts'});
const slots = ['cpu', 'mem', 'file', 'net'].map(k => el('div', {id: `chart-${k}`}));
charts.append(...slots);
const sec = (title, sid) => {
  const s = el('section', {id: sid});
  s.append(el('h2', null, title));
  return s;
};
const childSec = sec('Children', 'children');
const tables = el('div', {class: 'tables'});
const fileSec = sec('Files', 'files');
const connSec = sec('Connections', 'connections');
const sysSec = sec('Syscalls', 'syscalls');
const errSec = sec('Errors by errno', 'errnos');
tables.append(fileSec, connSec, sysSec, errSec);
content.append(info, summary, charts, childSec, tables);

const t = {
  children: new Table(childSec, processColumns(host, id), {key: r => `${r.pid}/${r.startTs}`, sort: {key: 'startTs', desc: false},
    empty: 'no child process in this range'}),
  files: new Table(fileSec, fileColumns(), {key: r => `${r.pid}/${r.file}`, sort: {key: 'bytes', desc: true}}),
  conns: new Table(connSec, connectionColumns(), {key: r => `${r.pid}/${r.l4}/${r.tuple}`, sort: {key: 'bytes', desc: true}}),
  sys: new Table(sysSec, syscallColumns(), {key: r => r.syscall, sort: {key: 'calls', desc: true}}),
  errs: new Table(errSec, errnoColumns(), {key: r => `${r.syscall}/${r.errno}`, sort: {key: 'count', desc: true}}),
};

let shown = [];

run(async (range) => {
  const p = {host, id, pid, ...range};
  const rest = Promise.all(['files', 'connections', 'syscalls', 'errnos'].map(r => api(r, p)));
  const v = await api('process', {...p, start});
  const pr = v.process;
  const c = v.container;
  const cname = c.id === 'host' ? 'host' : c.name || c.id;
  setTitle(`${pr.comm || '?'} ${pr.pid}`);
  clear(crumbs).append(link('index.html', {}, 'containers'), el('span', null, '›'),
    link('container.html', {host: c.host, id: c.id}, cname), el('span', null, '›'), el('span', null, String(pr.pid)));
  const row = (k, val) => el('tr', {dataset: {key: k}}, el('th', null, k), el('td', {class: 'mono'}, val));
  clear(info).append(el('tbody', null,
    row('args', pr.args), row('exe', pr.exe), row('user', pr.user),
    row('ppid', pr.ppid == null ? '–' : String(pr.ppid)),
    row('start (UTC)', fmt.timeNs(pr.startTs, 'before capture')), row('exit (UTC)', fmt.timeNs(pr.exitTs, 'running')),
    row('container', `${cname} (${c.id})`), row('CPU source', pr.cpuSource || '–')));
  clear(summary).append(...cards(pr));
  for (const ch of shown) ch.destroy();
  for (const s of slots) clear(s);
  const onSelect = (from, to) => go({from, to, range: null});
  const s = v.series;
  const ts = v.ts;
  const cpu = s.userPct.some(x => x != null && x >= 0)
    ? [{label: 'user', values: s.userPct, color: COLORS[0]}, {label: 'system', values: s.sysPct, color: COLORS[1]}]
    : [{label: 'CPU', values: s.cpuPct, color: COLORS[0]}];
  shown = [
    timeChart(slots[0], {title: `CPU (% of one CPU) (${fmt.res(v.res)} buckets)`, ts, series: cpu, fmt: fmt.pct, stacked: cpu.length > 1, onSelect}),
    timeChart(slots[1], {title: `Memory (${fmt.res(v.res)} buckets)`, ts, fmt: fmt.bytes, onSelect, series: [
      {label: 'RSS', values: s.rssBytes, color: COLORS[1]}, {label: 'VM size', values: s.vmBytes, color: COLORS[7]}]}),
    timeChart(slots[2], {title: `File I/O (${fmt.res(v.res)} buckets)`, ts, fmt: fmt.rate, onSelect, series: [
      {label: 'read', values: s.fileInBps, color: COLORS[2]}, {label: 'write', values: s.fileOutBps, color: COLORS[3]}]}),
    timeChart(slots[3], {title: `Network (${fmt.res(v.res)} buckets)`, ts, fmt: fmt.rate, onSelect, series: [
      {label: 'in', values: s.netInBps, color: COLORS[0]}, {label: 'out', values: s.netOutBps, color: COLORS[1]}]}),
  ];
  performance.mark('all-charts');
  t.children.update(v.children);
  const [files, conns, sys, errs] = await rest;
  t.files.update(files.rows, files.omitted);
  t.conns.update(conns.rows, conns.omitted);
  t.sys.update(sys.rows, sys.omitted);
  t.errs.update(errs.rows, errs.omitted);
  return v;
});
