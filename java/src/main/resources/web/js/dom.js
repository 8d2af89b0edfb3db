// DOM building with text nodes only: trace strings (process names, args, files, container names)
// are untrusted and must never be parsed as HTML. There is no innerHTML anywhere in this UI.

/** el('td', {class: 'num', title: 'x'}, 'text', childNode...) */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k === 'onclick') e.addEventListener('click', v);
      else e.setAttribute(k, String(v));
    }
  }
  for (const c of children) {
    if (c == null) continue;
    e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

/** A link to one of our pages with query parameters (encoded by URLSearchParams). */
export function link(page, params, ...children) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null) q.set(k, String(v));
  return el('a', {href: `${page}?${q}`}, ...children);
}

export function clear(e) {
  e.replaceChildren();
  return e;
}

export function byId(id) {
  return document.getElementById(id);
}

/** Shows a one-line error in the page's status bar. */
export function showError(msg) {
  const s = byId('error');
  if (!s) return;
  s.textContent = msg;
  s.hidden = !msg;
}
