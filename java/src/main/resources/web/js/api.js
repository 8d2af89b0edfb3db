// The JSON API (documented in the README): GET /api/<route>?params -> JSON, errors {"error": "..."}.
export async function api(route, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, String(v));
  const r = await fetch(`/api/${route}?${q}`, {headers: {Accept: 'application/json'}});
  let body;
  try {
    body = await r.json();
  } catch (e) {
    throw new Error(`/api/${route}: HTTP ${r.status}`);
  }
  if (!r.ok) throw new Error(`/api/${route}: ${body.error || r.status}`);
  return body;
}
