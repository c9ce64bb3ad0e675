// Renders the OpenAPI document as a table per tag. Served from the app itself: no CDN, works offline.
(async () => {
  const target = document.getElementById('endpoints');
  const doc = await (await fetch('/openapi/v1.json')).json();
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || '其他';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ method: method.toUpperCase(), path, summary: op.summary || '' });
    }
  }
  target.textContent = '';
  for (const [tag, ops] of byTag) {
    const h = document.createElement('h2');
    h.textContent = tag;
    target.appendChild(h);
    const table = document.createElement('table');
    for (const op of ops) {
      const tr = table.insertRow();
      for (const [cls, text] of [['method', op.method], ['path', op.path], ['', op.summary]]) {
        const td = tr.insertCell();
        td.className = cls;
        td.textContent = text;
      }
    }
    target.appendChild(table);
  }
})();
