// The script of the analysts' pages (kg serve) and of `kg viz -o FILE.html`. Built by scripts/build_web.sh into
// kg/web/static/app.js. Rule: text from the workspace goes into the page as text nodes (textContent), never as
// markup; links are made only from this server's own paths, the data going in as encoded query parameters.
import cytoscape from 'cytoscape';
import {
  Chart, LineController, LineElement, PointElement, LinearScale, Tooltip, Title, Filler,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Title, Filler);

// An element with attributes (plain strings only) and children (strings become text nodes).
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'href' && !String(v).startsWith('/') && !String(v).startsWith('#')) continue; // own paths only
    node.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

const entityHref = (iri) => '/entity?iri=' + encodeURIComponent(iri);

// --- search with suggestions as you type -----------------------------------------------------------------

function initSuggest() {
  const input = document.getElementById('search');
  const list = document.getElementById('suggestions');
  if (!input || !list) return;
  let items = [];
  let active = -1;
  let timer = null;
  let seq = 0;
  const close = () => { list.hidden = true; active = -1; };
  const highlight = () => {
    [...list.children].forEach((li, i) => li.classList.toggle('active', i === active));
  };
  const go = (hit) => { window.location.href = entityHref(hit.iri); };
  const show = (hits) => {
    items = hits;
    clear(list);
    hits.forEach((h, i) => {
      const li = el('li', { role: 'option', 'data-iri': h.iri },
        el('span', { class: 'label' }, h.label),
        el('span', { class: 'kind' }, h.type + (h.matched !== h.label ? ' · ' + h.as + ' ' + h.matched : '')));
      li.addEventListener('mousedown', (ev) => { ev.preventDefault(); go(h); });
      li.addEventListener('mouseenter', () => { active = i; highlight(); });
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    active = -1;
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) { close(); return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const r = await fetch('/api/suggest?q=' + encodeURIComponent(q));
        const hits = r.ok ? await r.json() : [];
        if (mine === seq) show(hits);
      } catch (e) { close(); }
    }, 120);
  });
  input.addEventListener('keydown', (ev) => {
    if (list.hidden) return;
    if (ev.key === 'ArrowDown') { active = Math.min(items.length - 1, active + 1); highlight(); ev.preventDefault(); }
    else if (ev.key === 'ArrowUp') { active = Math.max(0, active - 1); highlight(); ev.preventDefault(); }
    else if (ev.key === 'Enter' && active >= 0) { go(items[active]); ev.preventDefault(); }
    else if (ev.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

// --- evidence: the sentences behind a fact or a row, loaded when opened ------------------------------------

function evidenceList(rows) {
  if (!rows.length) return el('p', { class: 'muted' }, 'No evidence found.');
  const ul = el('ul');
  for (const e of rows) {
    const link = e.graph ? el('a', { href: '/article?g=' + encodeURIComponent(e.graph) }, e.title || e.article)
      : el('span', {}, e.title || e.article);
    ul.appendChild(el('li', {},
      e.fact ? el('strong', {}, e.fact + ' ') : null,
      el('span', { class: 'muted' }, (e.date || 'undated') + ' '), link,
      // the outlet and its Admiralty reliability (kg.reliability: A completely reliable ... F cannot be judged)
      e.reliability ? el('span', { class: 'muted' }, ` (${e.outlet || 'unrated outlet'}, ${e.reliability})`) : null,
      el('br'), el('q', {}, e.sentence)));
  }
  return ul;
}

function initEvidence() {
  document.querySelectorAll('details.evidence').forEach((d) => {
    d.addEventListener('toggle', async () => {
      const body = d.querySelector('.ev-body');
      if (!d.open || d.dataset.loaded) return;
      d.dataset.loaded = '1';
      body.appendChild(el('span', { class: 'muted' }, 'loading…'));
      try {
        const r = await fetch(d.dataset.url);
        const rows = await r.json();
        clear(body);
        body.appendChild(r.ok ? evidenceList(rows) : el('p', { class: 'error' }, rows.error || 'failed'));
      } catch (e) {
        clear(body);
        body.appendChild(el('p', { class: 'error' }, 'could not load the evidence'));
      }
    });
  });
}

// --- metrics over time ------------------------------------------------------------------------------------

function trimZeros(text) {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function shortNumber(v) {
  const a = Math.abs(v);
  for (const [s, w] of [[1e12, 'tn'], [1e9, 'bn'], [1e6, 'm'], [1e3, 'k']]) {
    if (a >= s) return trimZeros((v / s).toPrecision(3)) + w;
  }
  return String(Math.round(v * 1000) / 1000);
}

function initCharts() {
  const source = document.getElementById('metrics-data');
  const box = document.getElementById('charts');
  if (!source || !box) return;
  const series = JSON.parse(source.textContent);
  for (const s of series) {
    const canvas = el('canvas', { 'aria-label': s.name + ' (' + s.unit + ')', role: 'img' });
    box.appendChild(el('div', { class: 'chart-box' }, canvas));
    const xs = s.points.map((p) => p.x);
    new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [{
          label: s.name, data: s.points.map((p) => ({ x: p.x, y: p.y, period: p.period })),
          borderColor: '#4C8EDA', backgroundColor: '#2870C2', pointRadius: 4, tension: 0,
        }],
      },
      options: {
        animation: false, maintainAspectRatio: false, parsing: false,
        plugins: {
          title: { display: true, text: s.name + ' (' + s.unit + ')' },
          tooltip: { callbacks: { label: (c) => c.raw.period + ': ' + shortNumber(c.raw.y) + ' ' + s.unit } },
        },
        scales: {
          x: {
            type: 'linear', min: Math.floor(Math.min(...xs)), max: Math.ceil(Math.max(...xs)) || 1,
            ticks: { stepSize: 1, callback: (v) => String(v) },
          },
          y: { beginAtZero: true, ticks: { callback: (v) => shortNumber(v) } },
        },
      },
    });
  }
}

// --- the neighbourhood graph ------------------------------------------------------------------------------

function styleOf(styles, type) { return styles[type] || styles.node; }

function cardFromGraph(card, data, id) {
  const node = data.nodes.find((n) => n.id === id);
  clear(card);
  card.hidden = false;
  card.appendChild(el('h3', {}, node.label));
  card.appendChild(el('p', { class: 'muted' }, node.type));
  const ul = el('ul');
  for (const e of data.edges) {
    if (e.source !== id && e.target !== id) continue;
    const other = data.nodes.find((n) => n.id === (e.source === id ? e.target : e.source));
    ul.appendChild(el('li', {}, (e.source === id ? e.type + ' → ' : '← ' + e.type + ' ') + other.label,
      el('span', { class: 'muted' }, ' (' + e.sources + ' article' + (e.sources === 1 ? '' : 's') +
        (e.first_reported ? ', first ' + e.first_reported : '') + ')')));
  }
  card.appendChild(ul);
}

async function cardFromServer(card, id) {
  clear(card);
  card.hidden = false;
  card.appendChild(el('p', { class: 'muted' }, 'loading…'));
  const r = await fetch('/api/entity?iri=' + encodeURIComponent(id));
  const e = await r.json();
  clear(card);
  if (!r.ok) { card.appendChild(el('p', { class: 'error' }, e.error || 'failed')); return; }
  card.appendChild(el('h3', { id: 'card-title' }, e.label));
  card.appendChild(el('p', { class: 'muted' }, e.type + (e.aliases.length ? ' · also ' + e.aliases.slice(0, 6).join(', ') : '')));
  const links = el('p', {}, el('a', { href: entityHref(e.iri) }, 'Entity page'), ' · ',
    el('a', { href: '/graph?iri=' + encodeURIComponent(e.iri) }, 'Centre the graph here'));
  if (e.type === 'Company') links.append(' · ', el('a', { href: '/brief?company=' + encodeURIComponent(e.label) }, 'Brief'));
  card.appendChild(links);
  const ul = el('ul');
  for (const rel of e.relations.slice(0, 20)) {
    ul.appendChild(el('li', {}, rel.phrase + ' ', el('a', { href: entityHref(rel.other) }, rel.other_label),
      el('span', { class: 'muted' }, ' (' + rel.sources + ', ' + (rel.first_reported || 'undated') + ')')));
  }
  card.appendChild(ul);
  if (e.metrics.length) card.appendChild(el('p', { class: 'muted' }, e.metrics.length + ' reported figures'));
  card.appendChild(el('p', { class: 'muted' }, e.article_count + ' articles'));
}

function drawGraph(box, data, standalone) {
  const styles = data.styles;
  const elements = [];
  for (const n of data.nodes) {
    const s = styleOf(styles, n.type);
    elements.push({
      data: {
        id: n.id, label: n.label, type: n.type, depth: n.depth, color: s.color, border: s.border, text: s.text,
        size: Math.round(s.diameter * 0.62) + (n.id === data.center ? 14 : 0),
      },
    });
  }
  for (const e of data.edges) {
    elements.push({ data: { id: e.id, source: e.source, target: e.target, type: e.type, sources: e.sources } });
  }
  const cy = cytoscape({
    container: box,
    elements,
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(color)', 'border-color': 'data(border)', 'border-width': 2,
          width: 'data(size)', height: 'data(size)', label: 'data(label)', color: '#1d2330', 'font-size': 10,
          'text-valign': 'bottom', 'text-margin-y': 3, 'text-wrap': 'ellipsis', 'text-max-width': 110,
        },
      },
      { selector: 'node[depth = 0]', style: { 'border-width': 5, 'font-weight': 'bold', 'font-size': 12 } },
      {
        selector: 'edge',
        style: {
          width: 'mapData(sources, 1, 10, 1, 5)', 'line-color': '#A5ABB6', 'target-arrow-color': '#A5ABB6',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(type)', 'font-size': 8,
          color: '#555', 'text-rotation': 'autorotate', 'text-background-color': '#fff',
          'text-background-opacity': 0.8, 'text-background-padding': 1,
        },
      },
      { selector: ':selected', style: { 'border-color': '#111', 'border-width': 5 } },
    ],
    layout: {
      name: 'concentric', concentric: (n) => 10 - n.data('depth'), levelWidth: () => 1, minNodeSpacing: 28,
      animate: false,
    },
  });
  const card = document.getElementById('card');
  cy.on('tap', 'node', (ev) => {
    const id = ev.target.id();
    if (standalone) cardFromGraph(card, data, id);
    else cardFromServer(card, id).catch(() => {});
  });
  const status = document.getElementById('graph-status');
  if (status) {
    status.textContent = data.nodes.length + ' entities, ' + data.edges.length + ' facts' +
      (data.truncated ? ' (the best-sourced ' + data.nodes.length + ' of ' + data.reachable + ' in reach)' : '') +
      '. Click an entity for its card.';
  }
  box.dataset.ready = '1';
  window.cikgGraph = cy;
}

function initGraph() {
  const box = document.getElementById('graph');
  if (!box) return;
  const inline = document.getElementById('graph-data');
  if (inline) { drawGraph(box, JSON.parse(inline.textContent), true); return; }
  fetch(box.dataset.api).then(async (r) => {
    const data = await r.json();
    if (!r.ok) throw new Error(data.error || 'failed');
    drawGraph(box, data, false);
  }).catch((e) => {
    box.appendChild(el('p', { class: 'error' }, 'could not load the graph: ' + e.message));
  });
  const hops = document.getElementById('hops');
  const form = document.getElementById('graph-form');
  if (hops && form) hops.addEventListener('change', () => form.submit());
}

function init() {
  initSuggest();
  initEvidence();
  initCharts();
  initGraph();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
