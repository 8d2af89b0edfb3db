// A sortable table (click a header; again to reverse). Cells are text, or nodes a column builds.
import {el, clear} from './dom.js';

export class Table {
  /**
   * columns: [{key, label, num, fmt(v, row), cell(row) -> Node, sort(row) -> value, title(row)}]
   * options: {key(row) -> string, sort: {key, desc}, empty: 'text', omitted: n}
   */
  constructor(parent, columns, options = {}) {
    this.columns = columns;
    this.options = options;
    this.sort = options.sort || {key: columns[0].key, desc: false};
    this.rows = [];
    this.table = el('table', {class: 'data'});
    this.head = el('thead');
    this.body = el('tbody');
    this.foot = el('caption', {class: 'foot'});
    this.table.append(this.head, this.body);
    parent.append(this.table, this.foot);
    this.renderHead();
  }

  renderHead() {
    const tr = el('tr');
    for (const c of this.columns) {
      const active = this.sort.key === c.key;
      const th = el('th', {
        class: (c.num ? 'num ' : '') + (c.nosort ? '' : 'sortable ') + (active ? (this.sort.desc ? 'desc' : 'asc') : ''),
        dataset: {col: c.key},
        title: c.help || null,
        'aria-sort': active ? (this.sort.desc ? 'descending' : 'ascending') : null,
      }, c.label);
      if (!c.nosort) {
        th.addEventListener('click', () => {
          if (this.sort.key === c.key) this.sort = {key: c.key, desc: !this.sort.desc};
          else this.sort = {key: c.key, desc: !!c.num};
          this.renderHead();
          this.render();
        });
      }
      tr.append(th);
    }
    clear(this.head).append(tr);
  }

  update(rows, omitted = 0) {
    this.rows = rows || [];
    this.omitted = omitted;
    this.render();
  }

  value(c, r) {
    const v = c.sort ? c.sort(r) : r[c.key];
    return v == null ? -Infinity : v;
  }

  render() {
    const c = this.columns.find(x => x.key === this.sort.key) || this.columns[0];
    const dir = this.sort.desc ? -1 : 1;
    const rows = [...this.rows].sort((a, b) => {
      const x = this.value(c, a);
      const y = this.value(c, b);
      if (typeof x === 'string' || typeof y === 'string') return dir * String(x).localeCompare(String(y));
      return dir * (x < y ? -1 : x > y ? 1 : 0);
    });
    const frag = document.createDocumentFragment();
    for (const r of rows) {
      const tr = el('tr', {dataset: {key: this.options.key ? this.options.key(r) : ''}});
      for (const col of this.columns) {
        const td = el('td', {class: col.num ? 'num' : col.cls || null, dataset: {col: col.key}});
        if (col.cell) {
          const n = col.cell(r, td);
          if (n != null) td.append(n);
        } else {
          const v = r[col.key];
          td.textContent = col.fmt ? col.fmt(v, r) : v == null ? '' : String(v);
        }
        if (col.title) td.title = col.title(r);
        else if (col.num && typeof r[col.key] === 'number') td.title = r[col.key].toLocaleString('en-US');
        tr.append(td);
      }
      frag.append(tr);
    }
    clear(this.body).append(frag);
    const parts = [];
    if (!rows.length) parts.push(this.options.empty || 'nothing in this range');
    if (this.omitted) parts.push(`${this.omitted.toLocaleString('en-US')} smaller rows not shown`);
    this.foot.textContent = parts.join('; ');
  }
}
