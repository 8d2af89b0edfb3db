// Table columns and summary cards shared by the container and process pages.
import {el, link} from './dom.js';
import * as fmt from './fmt.js';

export function cards(t) {
  const card = (k, v, key) => el('div', {class: 'card', dataset: {key}}, el('div', {class: 'k'}, k), el('div', {class: 'v'}, v));
  return [
    card('CPU time', fmt.cpuSeconds(t.cpuNs), 'cpuNs'),
    card('avg CPU', fmt.pct(t.cpuPct), 'cpuPct'),
    card('peak RSS', fmt.kb(t.memPeakKb ?? t.peakRssKb), 'memPeakKb'),
    card('file in', fmt.bytes(t.fileInBytes), 'fileInBytes'),
    card('file out', fmt.bytes(t.fileOutBytes), 'fileOutBytes'),
    card('net in', fmt.bytes(t.netInBytes), 'netInBytes'),
    card('net out', fmt.bytes(t.netOutBytes), 'netOutBytes'),
    card('syscalls', fmt.count(t.syscalls), 'syscalls'),
    card('errors', fmt.count(t.syscallErrors), 'syscallErrors'),
  ];
}

export function processColumns(host, id) {
  return [
    {key: 'pid', label: 'PID', num: true,
      cell: r => link('process.html', {host, id, pid: r.pid, start: r.startTs}, String(r.pid))},
    {key: 'ppid', label: 'PPID', num: true, fmt: v => (v == null ? '–' : String(v))},
    {key: 'comm', label: 'name'},
    {key: 'args', label: 'args', cls: 'args'},
    {key: 'user', label: 'user'},
    {key: 'cpuNs', label: 'CPU time', num: true, fmt: fmt.cpuSeconds},
    {key: 'cpuPct', label: 'avg CPU', num: true, fmt: fmt.pct, help: '% of one CPU, averaged over the range'},
    {key: 'rssKb', label: 'RSS', num: true, fmt: fmt.kb, help: 'last value in the range'},
    {key: 'peakRssKb', label: 'peak RSS', num: true, fmt: fmt.kb},
    {key: 'fileInBytes', label: 'file in', num: true, fmt: fmt.bytes},
    {key: 'fileOutBytes', label: 'file out', num: true, fmt: fmt.bytes},
    {key: 'netInBytes', label: 'net in', num: true, fmt: fmt.bytes},
    {key: 'netOutBytes', label: 'net out', num: true, fmt: fmt.bytes},
    {key: 'syscalls', label: 'syscalls', num: true, fmt: fmt.count},
    {key: 'startTs', label: 'start (UTC)', sort: r => Number(r.startTs), fmt: v => fmt.timeNs(v, 'before capture')},
    {key: 'exitTs', label: 'exit (UTC)', sort: r => Number(r.exitTs), fmt: v => fmt.timeNs(v, 'running')},
  ];
}

export function fileColumns() {
  return [
    {key: 'file', label: 'file', cls: 'mono'},
    {key: 'pid', label: 'PID', num: true, fmt: String},
    {key: 'comm', label: 'process'},
    {key: 'bytesIn', label: 'bytes in', num: true, fmt: fmt.bytes},
    {key: 'bytesOut', label: 'bytes out', num: true, fmt: fmt.bytes},
    {key: 'bytes', label: 'total', num: true, sort: r => r.bytesIn + r.bytesOut, cell: r => fmt.bytes(r.bytesIn + r.bytesOut)},
    {key: 'opsIn', label: 'reads', num: true, fmt: fmt.count},
    {key: 'opsOut', label: 'writes', num: true, fmt: fmt.count},
    {key: 'opens', label: 'opens', num: true, fmt: fmt.count},
    {key: 'openErrors', label: 'open errors', num: true, fmt: fmt.count},
  ];
}

export function connectionColumns() {
  return [
    {key: 'l4', label: 'L4'},
    {key: 'tuple', label: 'connection', cls: 'mono'},
    {key: 'serverPort', label: 'server port', num: true, fmt: String},
    {key: 'pid', label: 'PID', num: true, fmt: String},
    {key: 'comm', label: 'process'},
    {key: 'bytesIn', label: 'bytes in', num: true, fmt: fmt.bytes},
    {key: 'bytesOut', label: 'bytes out', num: true, fmt: fmt.bytes},
    {key: 'bytes', label: 'total', num: true, sort: r => r.bytesIn + r.bytesOut, cell: r => fmt.bytes(r.bytesIn + r.bytesOut)},
  ];
}

export function syscallColumns() {
  return [
    {key: 'syscall', label: 'syscall', cls: 'mono'},
    {key: 'calls', label: 'calls', num: true, fmt: fmt.count},
    {key: 'errors', label: 'errors', num: true, fmt: fmt.count},
    {key: 'totalLatencyNs', label: 'total time', num: true, fmt: fmt.latency},
    {key: 'avgLatencyNs', label: 'avg', num: true, fmt: fmt.latency},
    {key: 'maxLatencyNs', label: 'max', num: true, fmt: fmt.latency},
  ];
}

export function errnoColumns() {
  return [
    {key: 'syscall', label: 'syscall', cls: 'mono'},
    {key: 'name', label: 'error', sort: r => r.name},
    {key: 'errno', label: 'errno', num: true, fmt: String},
    {key: 'count', label: 'count', num: true, fmt: fmt.count},
  ];
}
