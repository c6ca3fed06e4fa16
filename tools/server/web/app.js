// app.js: the translator's page of `hymt serve`. Plain JavaScript, no library, no build step; it talks
// only to the server that served it:
//   GET /languages, GET /v1/models, GET /health, GET /frontend/settings   (set-up)
//   POST /detect                                                          (the detected language)
//   POST /v1/translate, stream: true (server-sent events)                 (text and documents)
// A text request is cancelled (AbortController: the server sees the client leave and frees the slot)
// as soon as the text changes again, so only the newest one ever writes the output.
'use strict';

const $ = (id) => document.getElementById(id);

// Mean token log-probability below which a segment is marked for checking: a geometric-mean token
// probability under 0.5. The server's checks (problems) mark a segment whatever its confidence.
const LOW_CONFIDENCE = Math.log(0.5);
const TYPE_DELAY_MS = 450;    // debounce of translate-as-you-type
const DETECT_DELAY_MS = 250;
const FILE_EXTENSIONS = ['.txt', '.srt', '.vtt', '.html', '.htm', '.md', '.markdown', '.json', '.yaml', '.yml'];

const store = {
  get(key, fallback) {
    try {
      const v = localStorage.getItem('hymt.' + key);
      return v === null ? fallback : JSON.parse(v);
    } catch (e) {
      return fallback;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem('hymt.' + key, JSON.stringify(value));
    } catch (e) { /* storage full or disabled: the page still works, it only forgets */ }
  },
};

const state = {
  names: new Map(),           // code -> English name
  glossary: store.get('glossary', []),  // [{source, target}]
  keep: store.get('keep', []),          // [term]
  maxBody: 0,                 // the server's --max-body, from /frontend/settings (0: unknown)
  text: { controller: null, seq: 0, timer: 0, output: '' },
  detect: { controller: null, timer: 0, code: null },
  doc: { controller: null, url: null },
};

// ---------------------------------------------------------------- requests and errors

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const key = $('api-key').value.trim();
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

async function readJson(res) {
  try {
    return await res.json();
  } catch (e) {
    return null;
  }
}

function serverMessage(body) {
  if (!body || !body.error) return '';
  return typeof body.error === 'string' ? body.error : (body.error.message || '');
}

// An HTTP failure in words a user can act on.
function errorText(status, body, what) {
  const msg = serverMessage(body);
  switch (status) {
    case 429:
      return 'The server is busy: all of its translation slots and its queue are taken. Try again in a moment.';
    case 413:
      return 'The ' + what + ' is too large for this server (its limit is set with hymt serve --max-body).';
    case 401:
    case 403:
      return 'This server needs an API key: enter it under Settings.';
    case 503:
      return /load/.test(msg) ? 'The model is still loading. Try again in a few seconds.'
                              : 'The server stopped this translation (it is shutting down). Try again later.';
    case 504:
      return 'The translation took longer than the server allows (hymt serve --timeout).';
    case 400:
      return 'The server cannot translate this ' + what + (msg ? ': ' + msg : '.');
    default:
      return 'The translation failed' + (status ? ' (HTTP ' + status + ')' : '') + (msg ? ': ' + msg : '.');
  }
}

function networkError() {
  return 'Cannot reach the hymt server at ' + location.origin + '. Is hymt serve still running?';
}

function show(el, text) {
  el.textContent = text || '';
  el.hidden = !text;
}

// Server-sent events of a fetch response, as {event, data} with data parsed as JSON. Comment lines
// (the server's keep-alives) are skipped.
async function* events(res) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      let name = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).replace(/^ /, '');
      }
      if (data) yield { event: name, data: JSON.parse(data) };
    }
  }
}

// ---------------------------------------------------------------- languages

function languageName(code) {
  return state.names.get(code) || code;
}

function fillLanguages(list) {
  if (!Array.isArray(list) || list.length === 0) throw new Error('the server lists no languages');
  const src = $('source-lang');
  const tgt = $('target-lang');
  for (const l of list) {
    state.names.set(l.code, l.name);
    src.append(new Option(l.name + ' (' + l.code + ')', l.code));
    tgt.append(new Option(l.name + ' (' + l.code + ')', l.code));
  }
  const has = (code) => list.some((l) => l.code === code);
  const s = store.get('source', 'auto');
  const t = store.get('target', null);
  src.value = s === 'auto' || has(s) ? s : 'auto';
  const browser = (navigator.language || 'en').split('-')[0];
  tgt.value = t && has(t) ? t : has(browser) && browser !== 'en' ? browser : has('zh') ? 'zh' : list[0].code;
}

function saveLanguages() {
  store.set('source', $('source-lang').value);
  store.set('target', $('target-lang').value);
}

function scheduleDetect() {
  clearTimeout(state.detect.timer);
  if ($('source-lang').value !== 'auto') {
    show($('detected'), '');
    state.detect.code = null;
    return;
  }
  state.detect.timer = setTimeout(detect, DETECT_DELAY_MS);
}

async function detect() {
  const text = $('source-text').value;
  if (state.detect.controller) state.detect.controller.abort();
  if (!text.trim()) {
    state.detect.code = null;
    show($('detected'), '');
    return;
  }
  const ctrl = new AbortController();
  state.detect.controller = ctrl;
  try {
    const res = await fetch('/detect', {
      method: 'POST', headers: headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ q: text }), signal: ctrl.signal,
    });
    if (!res.ok) return;  // the translation request reports the failure
    const body = await res.json();
    const best = Array.isArray(body) && body[0];
    if (!best || ctrl.signal.aborted) return;
    if (best.confidence > 0) {
      state.detect.code = best.language;
      show($('detected'), 'Detected: ' + languageName(best.language) + ' (' + Math.round(best.confidence) + '%)');
    } else {
      state.detect.code = null;
      show($('detected'), 'Detected: no language yet');
    }
  } catch (e) { /* aborted or offline: the translation request says so */ }
}

// ---------------------------------------------------------------- glossary

// One chip of the term lists: its text, the "missing" mark when the last translation lacked it, and
// a remove button that drops item i of state[key] (remembered) and translates again.
function termChip(label, missing, removeLabel, key, i) {
  const li = document.createElement('li');
  const text = document.createElement('span');
  text.textContent = label;
  li.append(text);
  if (missing) {
    li.classList.add('missing');
    const note = document.createElement('span');
    note.className = 'miss-note';
    note.textContent = 'missing in the translation';
    li.append(note);
  }
  const rm = document.createElement('button');
  rm.type = 'button';
  rm.textContent = '×';
  rm.setAttribute('aria-label', removeLabel);
  rm.addEventListener('click', () => {
    state[key].splice(i, 1);
    store.set(key, state[key]);
    renderTerms();
    scheduleTranslate();
  });
  li.append(rm);
  return li;
}

function renderTerms(missing) {
  const miss = missing || new Set();
  $('terms').replaceChildren(...state.glossary.map((g, i) =>
    termChip(g.source + ' → ' + g.target, miss.has(g.source), 'Remove the term ' + g.source, 'glossary', i)));
  $('keeps').replaceChildren(...state.keep.map((k, i) =>
    termChip(k, miss.has(k), 'Remove the kept term ' + k, 'keep', i)));
}

// The fields every translation request carries: languages, glossary, keep terms, alternatives.
function commonFields() {
  const f = { source: $('source-lang').value, target: $('target-lang').value };
  if (state.glossary.length) f.glossary = state.glossary.map((g) => ({ source: g.source, target: g.target }));
  if (state.keep.length) f.keep = state.keep.slice();
  return f;
}

// Source terms the server found missing in the output (glossary_misses of every unit and piece).
function missingTerms(result) {
  const miss = new Set();
  for (const s of result.segments || []) {
    for (const t of s.glossary_misses || []) miss.add(t);
    for (const p of s.pieces || []) for (const t of p.glossary_misses || []) miss.add(t);
  }
  return miss;
}

// ---------------------------------------------------------------- text translation

function setBusy(busy) {
  $('target-text').setAttribute('aria-busy', busy ? 'true' : 'false');
  $('translate').textContent = busy ? 'Stop' : 'Translate';
}

function countChars() {
  const n = [...$('source-text').value].length;  // code points, as a reader counts characters
  $('char-count').textContent = n + (n === 1 ? ' character' : ' characters');
}

function scheduleTranslate() {
  clearTimeout(state.text.timer);
  if (!$('live').checked) return;
  state.text.timer = setTimeout(translateText, TYPE_DELAY_MS);
}

function stopText() {
  clearTimeout(state.text.timer);
  state.text.seq++;
  if (state.text.controller) state.text.controller.abort();
  state.text.controller = null;
  setBusy(false);
}

function clearResult() {
  state.text.output = '';
  $('target-text').replaceChildren();
  $('target-text').classList.remove('stale');
  delete $('target-text').dataset.source;
  show($('error'), '');
  show($('status'), '');
  $('quality').hidden = true;
  $('alternatives').hidden = true;
  renderTerms();
}

function confidenceWords(c) {
  return Math.round(Math.exp(c) * 100) + '% confidence';
}

// A segment needs checking when the server's checks found problems or its confidence is low.
function flagged(seg) {
  return (seg.problems && seg.problems.length > 0) || (typeof seg.confidence === 'number' && seg.confidence < LOW_CONFIDENCE);
}

function describe(seg, n) {
  const parts = [];
  if (typeof seg.confidence === 'number' && seg.confidence < LOW_CONFIDENCE) parts.push('low confidence (' + confidenceWords(seg.confidence) + ')');
  for (const p of seg.problems || []) parts.push(p.message);
  return 'Segment ' + n + (seg.where ? ' (' + seg.where + ')' : '') + ': ' + parts.join('; ');
}

// The output with each flagged segment in a marked span (found in order in the whole output; a
// segment not found as is stays unmarked in the text and is still listed).
function renderOutput(el, output, segments) {
  el.replaceChildren();
  let at = 0;
  segments.forEach((seg, i) => {
    if (!flagged(seg) || !seg.output) return;
    const pos = output.indexOf(seg.output, at);
    if (pos < 0) return;
    if (pos > at) el.append(output.slice(at, pos));
    const mark = document.createElement('mark');
    mark.className = 'low';
    mark.textContent = seg.output;
    mark.title = describe(seg, i + 1);
    el.append(mark);
    at = pos + seg.output.length;
  });
  if (at < output.length) el.append(output.slice(at));
}

function renderQuality(box, list, segments, missing) {
  list.replaceChildren();
  segments.forEach((seg, i) => {
    if (!flagged(seg)) return;
    const li = document.createElement('li');
    li.textContent = describe(seg, i + 1);
    list.append(li);
  });
  for (const term of missing) {
    // The translator's own glossary check may have said it already.
    if (segments.some((seg) => (seg.problems || []).some((p) => p.message.includes("'" + term + "'")))) continue;
    const li = document.createElement('li');
    li.textContent = 'The glossary term "' + term + '" is missing in the translation.';
    list.append(li);
  }
  box.hidden = list.childElementCount === 0;
}

function renderAlternatives(alts) {
  const list = $('alternatives-list');
  list.replaceChildren();
  for (const a of alts || []) {
    const li = document.createElement('li');
    li.textContent = a;
    list.append(li);
  }
  $('alternatives').hidden = list.childElementCount === 0;
}

// `text`: the source the result is for, kept on the output as data-source (the output is current
// when it equals the text box).
function renderResult(result, text) {
  const segments = result.segments || [];
  state.text.output = result.output || '';
  const out = $('target-text');
  renderOutput(out, state.text.output, segments);
  out.dataset.source = text;
  out.classList.remove('stale');
  const missing = missingTerms(result);
  renderTerms(missing);
  renderQuality($('quality'), $('quality-list'), segments, missing);
  renderAlternatives(result.alternatives);
  const from = segments.length && segments[0].from && segments[0].from !== 'unknown' ? segments[0].from : null;
  if ($('source-lang').value === 'auto' && from) {
    state.detect.code = from;
    show($('detected'), 'Detected: ' + languageName(from));
  }
  const u = result.usage || {};
  show($('status'), (u.completion_tokens || 0) + ' tokens' + (u.prompt_tokens_details && u.prompt_tokens_details.cached_tokens
    ? ', ' + u.prompt_tokens_details.cached_tokens + ' prompt tokens reused' : ''));
}

async function translateText() {
  clearTimeout(state.text.timer);
  const text = $('source-text').value;
  if (state.text.controller) state.text.controller.abort();
  const seq = ++state.text.seq;
  if (!text.trim()) {
    state.text.controller = null;
    setBusy(false);
    clearResult();
    return;
  }
  const ctrl = new AbortController();
  state.text.controller = ctrl;
  const body = Object.assign(commonFields(), { text, stream: true });
  const alts = Number($('alt-count').value);
  if (alts > 0) body.alternatives = alts;
  show($('error'), '');
  show($('status'), 'Translating…');
  setBusy(true);
  const out = $('target-text');
  delete out.dataset.source;
  const current = () => seq === state.text.seq;
  try {
    const res = await fetch('/v1/translate', {
      method: 'POST', headers: headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify(body), signal: ctrl.signal,
    });
    if (!res.ok) {
      const err = await readJson(res);
      if (current()) {
        show($('error'), errorText(res.status, err, 'text'));
        show($('status'), '');
      }
      return;
    }
    let streamed = '';
    const units = [];
    for await (const ev of events(res)) {
      if (!current()) return;
      out.classList.remove('stale');
      if (ev.event === 'delta') {
        streamed += ev.data.text;
        out.textContent = streamed;
      } else if (ev.event === 'retry') {
        streamed = '';
        out.textContent = '';
        show($('status'), 'A check failed; translating again…');
      } else if (ev.event === 'segment') {
        units[ev.data.index] = ev.data.output;
        out.textContent = units.filter((u) => u !== undefined).join('\n');
        show($('status'), 'Translated ' + units.filter((u) => u !== undefined).length + ' of ' + ev.data.total + ' parts…');
      } else if (ev.event === 'done') {
        renderResult(ev.data, text);
      } else if (ev.event === 'error') {
        const e = ev.data.error || {};
        show($('error'), errorText(e.status, { error: e.message }, 'text'));
        show($('status'), '');
      }
    }
  } catch (e) {
    if (!ctrl.signal.aborted && current()) {
      show($('error'), networkError());
      show($('status'), '');
    }
  } finally {
    if (current()) {
      state.text.controller = null;
      setBusy(false);
    }
  }
}

async function copyOutput() {
  const text = state.text.output || $('target-text').textContent;
  if (!text) return;
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Clipboard API refused (permissions): copy through a selection instead.
    const range = document.createRange();
    range.selectNodeContents($('target-text'));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    document.execCommand('copy');
    sel.removeAllRanges();
  }
  show($('status'), 'Copied');
}

function swap() {
  const src = $('source-lang');
  const tgt = $('target-lang');
  const from = src.value === 'auto' ? state.detect.code : src.value;
  if (!from) {
    show($('error'), 'The source language is not known yet: type some text, or choose the language.');
    return;
  }
  const to = tgt.value;
  src.value = to;
  tgt.value = from;
  saveLanguages();
  state.detect.code = null;
  show($('detected'), '');
  const output = state.text.output || $('target-text').textContent;
  if (output) {
    $('source-text').value = output;
    countChars();
  }
  translateText();
}

// ---------------------------------------------------------------- documents

function extensionOf(name) {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

// movie.srt -> movie.zh.srt (what LibreTranslate's /translate_file names it).
function translatedName(name, code) {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? name + '.' + code : name.slice(0, dot) + '.' + code + name.slice(dot);
}

const MIME = {
  '.srt': 'application/x-subrip', '.vtt': 'text/vtt', '.html': 'text/html', '.htm': 'text/html',
  '.md': 'text/markdown', '.markdown': 'text/markdown', '.json': 'application/json',
  '.yaml': 'application/yaml', '.yml': 'application/yaml', '.txt': 'text/plain',
};

function resetDoc() {
  show($('doc-error'), '');
  show($('doc-status'), '');
  $('doc-result').hidden = true;
  $('doc-quality').hidden = true;
  if (state.doc.url) URL.revokeObjectURL(state.doc.url);
  state.doc.url = null;
}

async function translateFile(file) {
  resetDoc();
  if (!file) return;
  const ext = extensionOf(file.name);
  if (!FILE_EXTENSIONS.includes(ext)) {
    show($('doc-error'), '"' + file.name + '" is not a format this server translates. Choose a .txt, .srt, .vtt, .html, .md, .json or .yaml file.');
    return;
  }
  if (file.size === 0) {
    show($('doc-error'), '"' + file.name + '" is empty.');
    return;
  }
  if (state.maxBody && file.size + 4096 > state.maxBody) {
    show($('doc-error'), '"' + file.name + '" (' + file.size + ' bytes) is too large for this server: its limit is ' +
      state.maxBody + ' bytes (hymt serve --max-body).');
    return;
  }
  if (state.doc.controller) state.doc.controller.abort();
  const ctrl = new AbortController();
  state.doc.controller = ctrl;
  const form = new FormData();
  const f = commonFields();
  form.append('source', f.source);
  form.append('target', f.target);
  if (f.glossary) form.append('glossary', JSON.stringify(f.glossary));
  if (f.keep) form.append('keep', JSON.stringify(f.keep));
  form.append('stream', 'true');
  form.append('file', file, file.name);
  const bar = $('doc-progress');
  bar.value = 0;
  bar.max = 1;
  $('doc-progress-label').textContent = 'Translating ' + file.name;
  $('doc-progress-box').hidden = false;
  show($('doc-status'), 'Sending ' + file.name + '…');
  const target = f.target;
  let finished = false;
  try {
    const res = await fetch('/v1/translate', { method: 'POST', headers: headers(), body: form, signal: ctrl.signal });
    if (!res.ok) {
      show($('doc-error'), errorText(res.status, await readJson(res), 'file'));
      show($('doc-status'), '');
      return;
    }
    let done = 0;
    for await (const ev of events(res)) {
      if (ev.event === 'segment') {
        done++;
        bar.max = ev.data.total;
        bar.value = done;
        show($('doc-status'), 'Translated ' + done + ' of ' + ev.data.total + ' segments');
      } else if (ev.event === 'delta') {
        show($('doc-status'), 'Translating the only segment…');
      } else if (ev.event === 'done') {
        finished = true;
        bar.value = bar.max;
        const r = ev.data;
        const name = translatedName(file.name, target);
        const blob = new Blob([r.output], { type: (MIME[ext] || 'text/plain') + ';charset=utf-8' });
        state.doc.url = URL.createObjectURL(blob);
        const a = $('doc-download');
        a.href = state.doc.url;
        a.download = name;
        a.textContent = 'Download ' + name;
        $('doc-result').hidden = false;
        const n = (r.segments || []).length;
        show($('doc-status'), 'Done: ' + n + (n === 1 ? ' segment' : ' segments') + ' translated into ' + languageName(target) + '.');
        const segs = r.segments || [];
        renderQuality($('doc-quality'), $('doc-quality-list'), segs, missingTerms(r));
      } else if (ev.event === 'error') {
        const e = ev.data.error || {};
        show($('doc-error'), errorText(e.status, { error: e.message }, 'file'));
        show($('doc-status'), '');
      }
    }
    if (!finished && !$('doc-error').textContent) show($('doc-error'), 'The server ended the translation before it was complete.');
  } catch (e) {
    if (ctrl.signal.aborted) {
      show($('doc-status'), 'Cancelled.');
    } else {
      // A body over the limit is often refused before it is read: the browser then sees the
      // connection close, not the 413.
      show($('doc-error'), networkError() + ' (If the file is large, it may be over the server\'s --max-body limit.)');
      show($('doc-status'), '');
    }
  } finally {
    if (state.doc.controller === ctrl) state.doc.controller = null;
    $('doc-progress-box').hidden = true;
  }
}

// ---------------------------------------------------------------- set-up

async function loadModel() {
  const el = $('model');
  try {
    const health = await fetch('/health');
    if (health.status === 503) {
      el.textContent = 'The model is loading…';
      setTimeout(loadModel, 1500);
      return;
    }
    const res = await fetch('/v1/models', { headers: headers() });
    if (res.status === 401) {
      el.textContent = 'This server needs an API key (Settings).';
      return;
    }
    const body = await res.json();
    const m = body.data && body.data[0];
    if (!m) return;
    el.textContent = 'Model: ' + m.id + (m.meta && m.meta.demo_model
      ? ' (the bundled demo model: it knows only its training sentences)' : '');
  } catch (e) {
    el.textContent = networkError();
  }
}

async function loadSettings() {
  try {
    const res = await fetch('/frontend/settings');
    if (res.ok) {
      const s = await res.json();
      state.maxBody = Number(s.maxBodyBytes) || 0;
    }
  } catch (e) { /* the server's 413 still applies */ }
}

async function loadLanguages() {
  try {
    const res = await fetch('/languages');
    if (!res.ok) throw new Error('HTTP ' + res.status);
    fillLanguages(await res.json());
  } catch (e) {
    show($('error'), 'Cannot load the list of languages: ' + networkError());
  }
}

function wire() {
  const src = $('source-text');
  src.addEventListener('input', () => {
    // The running translation is of a text that no longer exists: stop it now, not after the delay.
    if (state.text.controller) stopText();
    // The output shown is of the previous text until the new one arrives: dimmed meanwhile.
    if ($('target-text').textContent) $('target-text').classList.add('stale');
    countChars();
    scheduleDetect();
    scheduleTranslate();
  });
  $('source-lang').addEventListener('change', () => {
    saveLanguages();
    scheduleDetect();
    translateText();
  });
  $('target-lang').addEventListener('change', () => {
    saveLanguages();
    translateText();
  });
  $('translate').addEventListener('click', () => (state.text.controller ? stopText() : translateText()));
  $('clear').addEventListener('click', () => {
    stopText();
    src.value = '';
    countChars();
    clearResult();
    state.detect.code = null;
    show($('detected'), '');
    src.focus();
  });
  $('copy').addEventListener('click', copyOutput);
  $('swap').addEventListener('click', swap);
  $('alt-count').value = String(store.get('alternatives', 0));
  $('alt-count').addEventListener('change', () => store.set('alternatives', Number($('alt-count').value)));
  $('live').checked = store.get('live', true);
  $('live').addEventListener('change', () => store.set('live', $('live').checked));
  $('api-key').value = sessionStorage.getItem('hymt.key') || '';
  $('api-key').addEventListener('change', () => {
    sessionStorage.setItem('hymt.key', $('api-key').value);  // for this tab only, never stored for good
    loadModel();
  });

  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      translateText();
    } else if (e.key === 'Escape' && state.text.controller) {
      stopText();
      show($('status'), 'Stopped');
    } else if (e.altKey && e.shiftKey && (e.key === 'S' || e.key === 's')) {
      e.preventDefault();
      swap();
    }
  });

  $('term-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const s = $('term-source').value.trim();
    const t = $('term-target').value.trim();
    if (!s || !t) return;
    state.glossary = state.glossary.filter((g) => g.source !== s);
    state.glossary.push({ source: s, target: t });
    store.set('glossary', state.glossary);
    $('term-source').value = '';
    $('term-target').value = '';
    renderTerms();
    $('term-source').focus();
    scheduleTranslate();
  });
  $('keep-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const k = $('keep-term').value.trim();
    if (!k) return;
    if (!state.keep.includes(k)) state.keep.push(k);
    store.set('keep', state.keep);
    $('keep-term').value = '';
    renderTerms();
    scheduleTranslate();
  });

  const input = $('file-input');
  input.addEventListener('change', () => {
    translateFile(input.files[0]);
  });
  $('doc-cancel').addEventListener('click', () => state.doc.controller && state.doc.controller.abort());
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer && e.dataTransfer.files[0];
    if (file) translateFile(file);
  });
  // A file dropped beside the zone would make the browser leave the page for the file.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
}

async function main() {
  wire();
  renderTerms();
  countChars();
  await Promise.all([loadLanguages(), loadSettings(), loadModel()]);
  if ($('source-text').value.trim()) translateText();
}

document.addEventListener('DOMContentLoaded', main);
