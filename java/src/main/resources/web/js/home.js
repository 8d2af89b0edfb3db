// Home: every container (and the host) with sparklines and totals over the range; agent health.
import {api} from './api.js';
import {el, byId, clear, link} from './dom.js';
import {sparkline, COLORS} from './charts.js';
import {Table} from './table.js';
import {run, query, setTitle} from './page.js';
import * as fmt from './fmt.js';

const content = byId('content');
setTitle('Containers');
const agents = el('section', {id: 'agents'});
const list = el('section', {id: 'containers'});
content.append(el('h2', null, 'Agent'), agents, el('h2', null, 'Containers'), list);

function sum(a, b) {
  return a.map((v, i) => (v == null && b[i] == null ? null : (v || 0) + (b[i] || 0)));
}

function spark(ts, values, color) {
  return (r, td) => {
    td.classList.add('spark');
    sparkline(td, ts, values(r), color);
    return null;
  };
}

let table = null;
let ts = [];

function columns() {
  const hostCol = {key: 'host', label: 'Host'};
  return [
    {key: 'name', label: 'Container', sort: r => `${r.id === 'host' ? '' : r.name || r.id}`,
      cell: r => link('container.html', {host: r.host, id: r.id}, r.id === 'host' ? 'host (no container)' : r.name || r.id)},
    {key: 'id', label: 'ID', cls: 'mono'},
    {key: 'image', label: 'Image', cls: 'mono'},
    ...(multiHost ? [hostCol] : []),
    {key: 'cpuSpark', label: 'CPU', nosort: true, cell: spark(ts, r => r.series.cpuPct, COLORS[0])},
    {key: 'cpuPct', label: 'avg CPU', num: true, sort: r => r.totals.cpuPct, cell: r => fmt.pct(r.totals.cpuPct),
      help: '% of one CPU, averaged over the range'},
    {key: 'cpuNs', label: 'CPU time', num: true, sort: r => r.totals.cpuNs, cell: r => fmt.cpuSeconds(r.totals.cpuNs)},
    {key: 'memSpark', label: 'Memory', nosort: true, cell: spark(ts, r => r.series.memBytes, COLORS[1])},
    {key: 'memPeakKb', label: 'peak RSS', num: true, sort: r => r.totals.memPeakKb, cell: r => fmt.kb(r.totals.memPeakKb)},
    {key: 'fileSpark', label: 'File I/O', nosort: true, cell: spark(ts, r => sum(r.series.fileInBps, r.series.fileOutBps), COLORS[2])},
    {key: 'fileIn', label: 'file in', num: true, sort: r => r.totals.fileInBytes, cell: r => fmt.bytes(r.totals.fileInBytes)},
    {key: 'fileOut', label: 'file out', num: true, sort: r => r.totals.fileOutBytes, cell: r => fmt.bytes(r.totals.fileOutBytes)},
    {key: 'netSpark', label: 'Network', nosort: true, cell: spark(ts, r => sum(r.series.netInBps, r.series.netOutBps), COLORS[3])},
    {key: 'netIn', label: 'net in', num: true, sort: r => r.totals.netInBytes, cell: r => fmt.bytes(r.totals.netInBytes)},
    {key: 'netOut', label: 'net out', num: true, sort: r => r.totals.netOutBytes, cell: r => fmt.bytes(r.totals.netOutBytes)},
  ];
}

let multiHost = false;

function card(k, v, key) {
  return el('div', {class: 'card', dataset: {key}}, el('div', {class: 'k'}, k), el('div', {class: 'v'}, v));
}

run(async (range, status) => {
  const o = await api('overview', {host: query.get('host'), ...range});
  clear(agents);
  for (const a of o.agents) {
    agents.append(el('div', {class: 'cards', dataset: {host: a.host}},
      card('host', a.host, 'host'),
      card('events', fmt.count(a.events), 'events'),
      card('events/s', fmt.perSec(a.eventsPerSec), 'eventsPerSec'),
      card('drops', fmt.count(a.drops), 'drops'),
      card('preemptions', fmt.count(a.preemptions), 'preemptions'),
      card('newest data', a.newestTs == null ? '–' : `${fmt.time(a.newestTs)} UTC`, 'newest')));
  }
  const hosts = new Set(o.containers.map(c => c.host));
  ts = o.ts;
  if (!table || multiHost !== hosts.size > 1) {
    multiHost = hosts.size > 1;
    clear(list);
    table = new Table(list, columns(), {key: r => `${r.host}/${r.id}`, sort: {key: 'cpuNs', desc: true},
      empty: 'no container in this range'});
  } else {
    table.columns = columns();
  }
  table.update(o.containers);
  return o;
});
