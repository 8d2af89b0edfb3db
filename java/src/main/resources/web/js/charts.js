// Charts with uPlot: time series (optionally stacked), and sparklines. Times are shown in UTC.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import {el} from './dom.js';

export const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf', '#aec7e8'];

const utc = ts => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');

let firstDrawn = false;

/** The speed benchmark reads these marks: when the first chart, and every chart, was drawn. */
function drawn() {
  if (!firstDrawn) {
    firstDrawn = true;
    performance.mark('first-chart');
  }
}

function fill(hex) {
  return `${hex}55`;
}

/**
 * A time chart in `parent`: series [{label, values, color}], fmt formats y values.
 * stacked: values are drawn cumulatively (legend shows each series' own value).
 * onSelect(from, to): called when a range is dragged on the chart.
 */
export function timeChart(parent, {title, ts, series, fmt, stacked, height = 200, onSelect}) {
  const box = el('div', {class: 'chart'});
  parent.append(box);
  const width = Math.max(300, parent.clientWidth - 4);
  const raw = series.map(s => s.values);
  let data = raw;
  const bands = [];
  if (stacked) {
    const acc = new Array(ts.length).fill(0);
    data = raw.map(v => {
      const out = new Array(ts.length);
      for (let i = 0; i < ts.length; i++) {
        acc[i] += v[i] || 0;
        out[i] = acc[i];
      }
      return out;
    });
    for (let i = 1; i < data.length; i++) bands.push({series: [i + 1, i], fill: fill(series[i].color || COLORS[i % COLORS.length])});
  }
  const opts = {
    title,
    width,
    height,
    tzDate: utc,
    bands,
    cursor: {drag: {x: true, y: false, setScale: false}},
    legend: {live: true},
    scales: {x: {time: true}, y: {range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1]}},
    axes: [{}, {values: (u, vals) => vals.map(v => fmt(v)), size: 80}],
    series: [{label: 'time (UTC)'}, ...series.map((s, i) => {
      const color = s.color || COLORS[i % COLORS.length];
      return {
        label: s.label,
        stroke: color,
        width: 1.5,
        fill: stacked ? (i === 0 ? fill(color) : undefined) : s.fill ? fill(color) : undefined,
        spanGaps: false,
        value: (u, v, si, idx) => (idx == null ? '–' : fmt(raw[si - 1][idx])),
      };
    })],
    hooks: {
      draw: [drawn],
      setSelect: [u => {
        if (!onSelect || u.select.width < 3) return;
        const a = u.posToVal(u.select.left, 'x');
        const b = u.posToVal(u.select.left + u.select.width, 'x');
        onSelect(Math.floor(a), Math.ceil(b));
      }],
    },
  };
  return new uPlot(opts, [ts, ...data], box);
}

/** A small chart without axes or legend: one series, for the home page's table. */
export function sparkline(parent, ts, values, color) {
  const opts = {
    width: 84,
    height: 28,
    pxAlign: false,
    cursor: {show: false},
    select: {show: false},
    legend: {show: false},
    scales: {x: {time: false}, y: {range: (u, min, max) => [0, max > 0 ? max : 1]}},
    axes: [{show: false}, {show: false}],
    series: [{}, {stroke: color, fill: fill(color), width: 1, spanGaps: false}],
    hooks: {draw: [drawn]},
  };
  return new uPlot(opts, [ts, values], parent);
}
