// page_test.mjs: the web page of `hymt serve` in a real browser: Debian's Chromium, driven headless by
// playwright-core, against servers on loopback with the bundled demo model (which reproduces its
// training sentences exactly, so translations are compared with their FLORES references), plus an
// axe-core accessibility scan and screenshots (desktop, 360 px, dark) written as test artifacts.
//
//   node tests/web/page_test.mjs <hymt binary> [artifact folder]
//
// Exit 0: all passed; 1: a check failed; 77: skipped (node_modules or /usr/bin/chromium missing:
// scripts/setup.sh installs both). HYMT_TEST_VERBOSE=1 echoes the servers' logs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { hymtBinary, startServer, watchdog, tfetch, Tests, assert, assertEq } from "../server/node/run_server.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const CHROMIUM = process.env.HYMT_CHROMIUM || "/usr/bin/chromium";
for (const p of ["playwright-core", "axe-core"])
  if (!existsSync(join(HERE, "node_modules", p, "package.json"))) {
    console.log(`SKIP: ${join(HERE, "node_modules", p)} is missing (run \`npm ci\` in ${HERE}; scripts/setup.sh does)`);
    process.exit(77);
  }
if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} is missing (apt-get install chromium; scripts/setup.sh does)`);
  process.exit(77);
}
const bin = hymtBinary();
const ARTIFACTS = resolve(process.argv[3] || process.env.HYMT_WEB_ARTIFACTS || "build/test-artifacts/web");
mkdirSync(ARTIFACTS, { recursive: true });
watchdog(420_000);
const { chromium } = await import("playwright-core");
const AXE = readFileSync(join(HERE, "node_modules/axe-core/axe.min.js"), "utf8");

// The demo model's end-to-end sentences (models/demo/golden.json: each reproduced exactly).
const golden = JSON.parse(readFileSync(join(ROOT, "models/demo/golden.json"), "utf8"));
const e2e = (dir) => golden.sentences.filter((s) => s.e2e && s.dir === dir);
const EN_ZH = e2e("en-zh");
const EN_FR = e2e("en-fr");
const ZH_EN = e2e("zh-en");
const FIRST = EN_ZH[0];
// The same FLORES line the other way, for the swap: zh -> en of FIRST's line.
const BACK = ZH_EN.find((s) => s.line === FIRST.line);
assert(EN_ZH.length >= 3 && EN_FR.length >= 1 && BACK, "models/demo/golden.json has the end-to-end sentences");

const MAX_BODY = 256 * 1024;
const srv = await startServer(bin, ["--parallel", "4", "--max-body", String(MAX_BODY)]);
// A server that is busy at once: one slot, no queue, a model slow enough to hold the slot.
const slowModel = join(ARTIFACTS, "..", "web-slow-model.gguf");  // beside the artifacts, not among them
if (!existsSync(slowModel)) {
  const g = spawnSync(bin, ["gen-model", "--preset", "tiny", "--n-embd", "1024", "--n-layer", "8", "--n-ff", "2816",
    "--n-head", "8", "--n-head-kv", "4", "--head-dim", "128", "--type", "Q4_0", "-o", slowModel], { encoding: "utf8" });
  assert(g.status === 0, `gen-model: ${g.stderr}`);
}
const busy = await startServer(bin, ["--model", slowModel, "--parallel", "1", "--max-queue", "0"]);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // As root Chromium needs --no-sandbox; the rest keep it from reaching for the network, which
  // this machine refuses.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

const T = new Tests("web page");
// HYMT_WEB_ONLY=REGEX runs only the checks whose names match (for debugging one of them).
if (process.env.HYMT_WEB_ONLY) {
  const only = new RegExp(process.env.HYMT_WEB_ONLY);
  const run = T.check.bind(T);
  T.check = (name, fn) => (only.test(name) ? run(name, fn) : Promise.resolve(true));
}
const pageErrors = [];  // console errors and uncaught exceptions of every page, CSP reports included

async function newPage(url, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
  const page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  page.on("console", (m) => {
    // A refused request (429, 413) is logged by Chromium as a console error: those are the point of
    // some checks, so only other errors count.
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) pageErrors.push(`${url}: ${m.text()}`);
  });
  page.on("pageerror", (e) => pageErrors.push(`${url}: uncaught ${e.message}`));
  await page.goto(url + "/");
  await page.waitForFunction(() => document.querySelectorAll("#target-lang option").length > 0);
  return page;
}

const text = (page, sel) => page.locator(sel).textContent();
// Waits until the output is the finished translation of the text box's text.
const waitCurrent = (page) => page.waitForFunction(() => {
  const out = document.getElementById("target-text");
  return out.getAttribute("aria-busy") === "false" && out.dataset.source === document.getElementById("source-text").value;
});
// Waits until the output is `expected` and no translation is running.
async function waitOutput(page, expected, timeout = 30_000) {
  try {
    await page.waitForFunction(
      (exp) => document.getElementById("target-text").textContent === exp &&
        document.getElementById("target-text").getAttribute("aria-busy") === "false" &&
        document.getElementById("target-text").dataset.source === document.getElementById("source-text").value,
      expected, { timeout });
  } catch (e) {
    throw new Error(`output is ${JSON.stringify(await text(page, "#target-text"))}, expected ${JSON.stringify(expected)}; ` +
      `error box: ${JSON.stringify(await text(page, "#error"))}`);
  }
}
// A counter of the server's /metrics.
async function metric(server, name) {
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(await (await tfetch(server.url + "/metrics")).text());
  assert(m, `${name} in /metrics`);
  return Number(m[1]);
}
// The server's answer to the request the page sent, asked again without streaming (greedy decoding
// and the fixed seeds of alternatives make it the same answer the page got).
async function apiAnswer(request) {
  const body = bodyOf(request);
  delete body.stream;
  const r = await tfetch(srv.url + "/v1/translate", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  assertEq(r.status, 200, "the API's answer");
  return r.json();
}
const isTranslate = (r) => r.url().endsWith("/v1/translate") && r.request().method() === "POST";
// A request's JSON body, or {} (a file upload is multipart).
function bodyOf(req) {
  try {
    return req.postDataJSON() || {};
  } catch (e) {
    return {};
  }
}

function srt(cues) {
  return cues.map((c, i) => `${i + 1}\n${c.time}\n${c.text}\n`).join("\n");
}
function parseSrt(s) {
  return s.replace(/\r\n/g, "\n").trim().split(/\n\n+/).map((b) => {
    const [index, time, ...lines] = b.split("\n");
    return { index, time, text: lines.join("\n") };
  });
}

const page = await newPage(srv.url);

await T.check("the page is served with its content types, a CSP, ETag revalidation and no-cache", async () => {
  const r = await tfetch(srv.url + "/");
  assertEq(r.status, 200, "GET /");
  assertEq(r.headers.get("content-type"), "text/html; charset=utf-8", "content type of /");
  const csp = r.headers.get("content-security-policy") || "";
  for (const d of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"])
    assert(csp.includes(d), `CSP has ${d}: ${csp}`);
  assertEq(r.headers.get("cache-control"), "no-cache", "Cache-Control");
  assertEq(r.headers.get("x-content-type-options"), "nosniff", "X-Content-Type-Options");
  const html = await r.text();
  assert(!/https?:\/\/(?!127\.0\.0\.1)/.test(html), "the page references no other host (no CDN)");
  for (const [path, type] of [["/app.js", "text/javascript; charset=utf-8"], ["/app.css", "text/css; charset=utf-8"],
    ["/favicon.svg", "image/svg+xml"]]) {
    const a = await tfetch(srv.url + path);
    assertEq(a.status, 200, `GET ${path}`);
    assertEq(a.headers.get("content-type"), type, `content type of ${path}`);
    const etag = a.headers.get("etag");
    assert(/^"[0-9a-f]{16}"$/.test(etag || ""), `${path} has a strong ETag: ${etag}`);
    await a.arrayBuffer();
    const again = await tfetch(srv.url + path, { headers: { "If-None-Match": etag } });
    assertEq(again.status, 304, `GET ${path} with If-None-Match`);
  }
  assertEq((await tfetch(srv.url + "/missing.js")).status, 404, "GET /missing.js");
});

await T.check("the page shows the model in use and every language", async () => {
  await page.waitForFunction(() => /hy-mt-demo/.test(document.getElementById("model").textContent));
  const langs = await (await tfetch(srv.url + "/languages")).json();
  assertEq(await page.locator("#target-lang option").count(), langs.length, "target languages");
  assertEq(await page.locator("#source-lang option").count(), langs.length + 1, "source languages (and detect)");
  assertEq(await page.locator("#source-lang").inputValue(), "auto", "the source starts as detect");
});

await T.check("typing a training sentence shows its reference translation, streamed; earlier requests are cancelled", async () => {
  await page.selectOption("#target-lang", "zh");
  // First a long text (all end-to-end sentences: seconds of decoding), then, while it is being
  // translated, the text is replaced: the long request must be aborted and the output be the
  // translation of the new text only.
  const long = Array(40).fill(EN_ZH.map((s) => s.src).join(" ")).join(" ");
  const cancelledBefore = await metric(srv, "hymt_engine_requests_cancelled_total");
  const started = page.waitForRequest((r) => r.url().endsWith("/v1/translate") && bodyOf(r).text === long);
  await page.fill("#source-text", long);
  await started;
  await page.waitForFunction(() => document.getElementById("target-text").textContent.length > 0);  // streaming
  await page.fill("#source-text", "");
  await page.locator("#source-text").pressSequentially(FIRST.src, { delay: 5 });
  await waitOutput(page, FIRST.tgt);
  // The server noticed the page leave: the long request was cancelled in the engine, and its slot
  // is free again within a few seconds.
  let h;
  for (let i = 0; i < 60; i++) {
    h = await (await tfetch(srv.url + "/health")).json();
    if (h.slots_processing === 0 && h.requests_in_flight === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assertEq([h.slots_processing, h.requests_in_flight], [0, 0], "busy slots and requests after the abort");
  const cancelled = await metric(srv, "hymt_engine_requests_cancelled_total");
  assert(cancelled > cancelledBefore, `engine requests cancelled: ${cancelledBefore} -> ${cancelled}`);
  assertEq(await text(page, "#error"), "", "no error shown");
});

await T.check("detect shows the source language", async () => {
  await page.waitForFunction(() => /English/.test(document.getElementById("detected").textContent));
});

await T.check("the character count counts characters", async () => {
  assertEq(await text(page, "#char-count"), `${[...FIRST.src].length} characters`, "count");
});

await T.check("copy puts the translation on the clipboard", async () => {
  await page.click("#copy");
  assertEq(await page.evaluate(() => navigator.clipboard.readText()), FIRST.tgt, "clipboard");
});

await T.check("swap exchanges the languages and the texts", async () => {
  await page.click("#swap");
  assertEq(await page.locator("#source-lang").inputValue(), "zh", "source after swap");
  assertEq(await page.locator("#target-lang").inputValue(), "en", "target after swap");
  assertEq(await page.locator("#source-text").inputValue(), FIRST.tgt, "the translation became the source");
  await waitOutput(page, BACK.tgt);
});

await T.check("the languages are remembered across a reload", async () => {
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("#target-lang option").length > 0);
  assertEq(await page.locator("#source-lang").inputValue(), "zh", "source after reload");
  assertEq(await page.locator("#target-lang").inputValue(), "en", "target after reload");
});

await T.check("with translate-as-you-type off, only Ctrl+Enter translates", async () => {
  await page.selectOption("#source-lang", "auto");
  await page.selectOption("#target-lang", "fr");
  await page.uncheck("#live");
  let sent = 0;
  const count = (r) => r.url().endsWith("/v1/translate") && sent++;
  page.on("request", count);
  await page.fill("#source-text", EN_FR[0].src);
  await page.waitForTimeout(1200);
  assertEq(sent, 0, "requests while typing");
  await page.locator("#source-text").press("Control+Enter");
  await waitOutput(page, EN_FR[0].tgt);
  assertEq(sent, 1, "requests after Ctrl+Enter");
  page.off("request", count);
  await page.check("#live");
});

await T.check("clear empties both boxes", async () => {
  await page.click("#clear");
  assertEq(await page.locator("#source-text").inputValue(), "", "source");
  assertEq(await text(page, "#target-text"), "", "output");
  assertEq(await text(page, "#char-count"), "0 characters", "count");
  assert(await page.evaluate(() => document.activeElement.id === "source-text"), "focus is back in the text box");
});

await T.check("glossary and kept terms go with each request; terms missing in the output are marked", async () => {
  await page.selectOption("#target-lang", "zh");
  await page.fill("#term-source", "mice");
  await page.fill("#term-target", "XYZZY");
  await page.click("#term-form button[type=submit]");
  await page.fill("#keep-term", "Zorblax");
  await page.locator("#keep-term").press("Enter");
  assertEq(await page.locator("#terms li").count(), 1, "terms listed");
  assertEq(await page.locator("#keeps li").count(), 1, "kept terms listed");
  const resp = page.waitForResponse((r) => isTranslate(r) && bodyOf(r.request()).text === FIRST.src);
  await page.fill("#source-text", FIRST.src);
  const r = await resp;
  const body = r.request().postDataJSON();
  assertEq(body.glossary, [{ source: "mice", target: "XYZZY" }], "glossary sent");
  assertEq(body.keep, ["Zorblax"], "keep sent");
  const done = await apiAnswer(r.request());
  await waitCurrent(page);
  const misses = done.segments.flatMap((s) => s.glossary_misses);
  assert(!done.output.includes("XYZZY") && misses.includes("mice"), `the server reports the term missing: ${misses}`);
  assert(await page.locator("#terms li.missing").count() === 1, "the missing term is marked");
  assert(/missing/.test(await text(page, "#terms li")), "... in words");
  assert(/mice.*(missing|does not contain)/.test(await text(page, "#quality-list")), "and listed under the output");
  // Removed again: the next request carries none.
  await page.click("#terms li button");
  await page.click("#keeps li button");
  assertEq(await page.locator("#terms li, #keeps li").count(), 0, "terms after removal");
  const resp2 = page.waitForResponse((r) => isTranslate(r));
  await page.click("#translate");
  const b2 = (await resp2).request().postDataJSON();
  assert(!("glossary" in b2) && !("keep" in b2), `no glossary after removal: ${JSON.stringify(b2)}`);
  await waitOutput(page, FIRST.tgt);
});

await T.check("low-confidence segments are marked as the server reports them", async () => {
  // "1234" is no training sentence: the demo model answers with a low mean token probability.
  const resp = page.waitForResponse((r) => isTranslate(r) && bodyOf(r.request()).text === "1234");
  await page.fill("#source-text", "1234");
  const done = await apiAnswer((await resp).request());
  await waitCurrent(page);
  const seg = done.segments[0];
  const low = seg.confidence < Math.log(0.5) || seg.problems.length > 0;
  assert(low, `the server reports this segment as doubtful: ${JSON.stringify(seg)}`);
  assertEq(await page.locator("#target-text mark.low").count(), 1, "marked segments");
  assertEq(await page.locator("#target-text mark.low").textContent(), seg.output, "the marked text");
  const note = await text(page, "#quality-list");
  assert(note.includes(`${Math.round(Math.exp(seg.confidence) * 100)}% confidence`), `the confidence in words: ${note}`);
  for (const p of seg.problems) assert(note.includes(p.message), `problem listed: ${p.message}`);
  // A training sentence is confident: nothing marked.
  await page.fill("#source-text", FIRST.src);
  await waitOutput(page, FIRST.tgt);
  assertEq(await page.locator("#target-text mark.low").count(), 0, "marks on a confident translation");
  assert(await page.locator("#quality").isHidden(), "no notes on a confident translation");
});

await T.check("alternatives are shown where the server gives them", async () => {
  await page.selectOption("#alt-count", "2");
  const sentence = "Please send me the report by Friday.";
  const resp = page.waitForResponse((r) => isTranslate(r) && bodyOf(r.request()).text === sentence);
  await page.fill("#source-text", sentence);
  const r = await resp;
  assertEq(r.request().postDataJSON().alternatives, 2, "alternatives asked");
  const done = await apiAnswer(r.request());
  await waitCurrent(page);
  assert(done.alternatives.length >= 1, `the server sampled alternatives: ${JSON.stringify(done.alternatives)}`);
  assertEq(await page.locator("#alternatives-list li").allTextContents(), done.alternatives, "alternatives shown");
  await page.selectOption("#alt-count", "0");
  await page.fill("#source-text", FIRST.src);
  await waitOutput(page, FIRST.tgt);
  assert(await page.locator("#alternatives").isHidden(), "no alternatives when none are asked");
});

const CUES = EN_ZH.slice(0, 3).map((s, i) => ({
  time: `00:00:0${2 * i + 1},250 --> 00:00:0${2 * i + 2},900`, text: s.src, tgt: s.tgt,
}));

await T.check("an uploaded SRT file is translated with progress by segments, downloaded with the same cues and timings", async () => {
  await page.selectOption("#target-lang", "zh");
  // Every value the progress bar takes, in order.
  await page.evaluate(() => {
    window.progressValues = [];
    new MutationObserver(() => window.progressValues.push([document.getElementById("doc-progress").value,
      document.getElementById("doc-progress").max])).observe(document.getElementById("doc-progress"), { attributes: true });
  });
  const input = srt(CUES);
  await page.setInputFiles("#file-input", { name: "movie.srt", mimeType: "application/x-subrip", buffer: Buffer.from(input) });
  await page.locator("#doc-result").waitFor({ state: "visible" });
  assert(/Done: 3 segments/.test(await text(page, "#doc-status")), `status: ${await text(page, "#doc-status")}`);
  const values = await page.evaluate(() => window.progressValues);
  const fractions = values.filter(([, max]) => max === 3).map(([v]) => v);
  for (const k of [1, 2, 3]) assert(fractions.includes(k), `the progress bar showed ${k} of 3: ${JSON.stringify(values)}`);
  const dl = page.waitForEvent("download");
  await page.click("#doc-download");
  const d = await dl;
  assertEq(d.suggestedFilename(), "movie.zh.srt", "download name");
  const out = readFileSync(await d.path(), "utf8");
  const a = parseSrt(input);
  const b = parseSrt(out);
  assertEq(b.map((c) => c.index), a.map((c) => c.index), "cue indexes");
  assertEq(b.map((c) => c.time), a.map((c) => c.time), "cue timings");
  // The texts are what the server's API gives for the same document (the first cue, which has no
  // document context before it, is the training reference).
  const api = await (await tfetch(srv.url + "/v1/translate", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ document: input, format: "srt", source: "auto", target: "zh" }),
  })).json();
  assertEq(out, api.output, "the download equals the API's output");
  assertEq(b[0].text, CUES[0].tgt, "the first cue is the reference translation");
});

await T.check("a file dropped on the page is translated too (WebVTT)", async () => {
  const vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n" + EN_ZH[1].src + "\n";
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], "talk.vtt", { type: "text/vtt" }));
    document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, vtt);
  await page.waitForFunction(() => /talk\.zh\.vtt/.test(document.getElementById("doc-download").textContent));
  const dl = page.waitForEvent("download");
  await page.click("#doc-download");
  const out = readFileSync(await (await dl).path(), "utf8");
  assertEq(out, "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n" + EN_ZH[1].tgt + "\n", "translated WebVTT");
});

await T.check("document errors are shown in words, and the page stays usable", async () => {
  const cases = [
    [{ name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") }, /not a format this server translates/],
    [{ name: "strings.json", mimeType: "application/json", buffer: Buffer.from('{"greeting": "Hello",') }, /cannot translate this file: .*json/i],
    [{ name: "empty.txt", mimeType: "text/plain", buffer: Buffer.alloc(0) }, /is empty/],
    [{ name: "big.txt", mimeType: "text/plain", buffer: Buffer.alloc(MAX_BODY + 1000, "a") }, /too large/],
  ];
  for (const [file, re] of cases) {
    await page.setInputFiles("#file-input", file);
    await page.waitForFunction(() => !document.getElementById("doc-error").hidden);
    const msg = await text(page, "#doc-error");
    assert(re.test(msg), `${file.name}: ${msg}`);
    assert(await page.locator("#doc-result").isHidden(), `${file.name}: no download offered`);
  }
  // The server's own 413 (the page's size check bypassed) is shown in words too.
  const big = await page.evaluate(async (n) => {
    const f = new FormData();
    f.append("target", "zh");
    f.append("file", new File(["a".repeat(n)], "big.txt"));
    try {
      const r = await fetch("/v1/translate", { method: "POST", body: f });
      return r.status;
    } catch (e) {
      return String(e);
    }
  }, MAX_BODY + 1000);
  assert(big === 413 || /TypeError/.test(big), `the server refuses the body: ${big}`);
  await page.fill("#source-text", FIRST.src);
  await waitOutput(page, FIRST.tgt);
});

await T.check("a busy server's 429 shows a message", async () => {
  // Hold the busy server's only slot with a long completion, then translate from its page.
  const hold = new AbortController();
  const r = await fetch(busy.url + "/v1/completions", {
    method: "POST", headers: { "Content-Type": "application/json" }, signal: hold.signal,
    body: JSON.stringify({ prompt: "hold", max_tokens: 4000, ignore_eos: true, stream: true }),
  });
  assertEq(r.status, 200, "the holding request");
  // Running once the engine has it in its slot (a random model's first tokens are mostly unused
  // vocabulary entries with no text, so the stream itself may stay silent for a while).
  let h;
  for (let i = 0; i < 100; i++) {
    h = await (await tfetch(busy.url + "/health")).json();
    if (h.slots_processing === 1) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  assertEq(h.slots_processing, 1, "the busy server's slot is taken");
  const bp = await newPage(busy.url);
  try {
    await bp.selectOption("#target-lang", "de");
    await bp.fill("#source-text", "Hello.");
    await bp.locator("#source-text").press("Control+Enter");
    await bp.waitForFunction(() => !document.getElementById("error").hidden);
    assert(/busy/.test(await text(bp, "#error")), `message: ${await text(bp, "#error")}`);
    await bp.setInputFiles("#file-input", { name: "a.srt", mimeType: "application/x-subrip", buffer: Buffer.from(srt(CUES)) });
    await bp.waitForFunction(() => !document.getElementById("doc-error").hidden);
    assert(/busy/.test(await text(bp, "#doc-error")), `file message: ${await text(bp, "#doc-error")}`);
  } finally {
    hold.abort();
    await bp.context().close();
  }
});

await T.check("on a server with API keys the page asks for one, and works once it is given", async () => {
  const keyed = await startServer(bin, ["--api-key", "s3cret"]);
  const kp = await newPage(keyed.url);
  try {
    await kp.waitForFunction(() => /API key/.test(document.getElementById("model").textContent));
    await kp.selectOption("#target-lang", "zh");
    await kp.fill("#source-text", FIRST.src);
    await kp.waitForFunction(() => !document.getElementById("error").hidden);
    assert(/needs an API key/.test(await text(kp, "#error")), `message: ${await text(kp, "#error")}`);
    await kp.fill("#api-key", "s3cret");
    await kp.locator("#api-key").press("Tab");  // change event
    await kp.waitForFunction(() => /hy-mt-demo/.test(document.getElementById("model").textContent));
    await kp.locator("#source-text").press("Control+Enter");
    await waitOutput(kp, FIRST.tgt);
  } finally {
    await kp.context().close();
    await keyed.stop();
  }
});

// Screenshots and the accessibility scan, with a translation and its notes on the page.
async function axeScan(p, label) {
  await p.evaluate(AXE);  // evaluated through the DevTools protocol: not subject to the page's CSP
  const res = await p.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
  writeFileSync(join(ARTIFACTS, `axe-${label}.json`), JSON.stringify(res, null, 2));
  const bad = res.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert(bad.length === 0, `${label}: serious or critical axe violations: ${JSON.stringify(bad, null, 1)}`);
  return res;
}

async function fillForShots(p) {
  await p.selectOption("#target-lang", "zh");
  await p.fill("#term-source", "mice");
  await p.fill("#term-target", "老鼠");
  await p.click("#term-form button[type=submit]");
  await p.fill("#source-text", "1234");
  await p.waitForFunction(() => document.querySelector("#target-text mark.low"));
  await p.fill("#source-text", FIRST.src + "\n\n1234");
  await p.waitForFunction(() => document.getElementById("target-text").dataset.source === document.getElementById("source-text").value);
  assert(await p.locator("#target-text").textContent().then((t) => t.includes("\n\n")), "both paragraphs translated");
  assert(await p.locator("#target-text mark.low").count() >= 1, "the doubtful paragraph is marked");
}

for (const [label, opts] of [
  ["desktop-light", { viewport: { width: 1280, height: 900 }, colorScheme: "light" }],
  ["desktop-dark", { viewport: { width: 1280, height: 900 }, colorScheme: "dark" }],
  ["mobile-360", { viewport: { width: 360, height: 780 }, colorScheme: "light", isMobile: true, hasTouch: true }],
  ["mobile-360-dark", { viewport: { width: 360, height: 780 }, colorScheme: "dark", isMobile: true, hasTouch: true }],
]) {
  await T.check(`${label}: no serious or critical accessibility violation; screenshot`, async () => {
    const p = await newPage(srv.url, opts);
    try {
      await fillForShots(p);
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      assert(width <= opts.viewport.width, `no horizontal scrolling at ${opts.viewport.width} px: ${width}`);
      await p.screenshot({ path: join(ARTIFACTS, `page-${label}.png`), fullPage: true });
      await axeScan(p, label);
    } finally {
      await p.context().close();
    }
  });
}

await T.check("the whole page works from the keyboard", async () => {
  const p = await newPage(srv.url);
  try {
    // Tab from the top reaches every control in order, each visibly focused.
    const seen = [];
    for (let i = 0; i < 40; i++) {
      await p.keyboard.press("Tab");
      const id = await p.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.tagName));
      seen.push(id);
    }
    for (const id of ["source-lang", "swap", "target-lang", "source-text", "clear", "translate", "target-text", "copy",
      "term-source", "term-target", "keep-term", "file-input", "live", "alt-count", "api-key"])
      assert(seen.includes(id), `Tab reaches #${id}: ${seen.join(" ")}`);
    // Choose the target with the keyboard, type, translate with Ctrl+Enter.
    await p.focus("#target-lang");
    await p.selectOption("#target-lang", "zh");
    await p.focus("#source-text");
    await p.keyboard.type(FIRST.src);
    await p.keyboard.press("Control+Enter");
    await waitOutput(p, FIRST.tgt);
    await p.keyboard.press("Alt+Shift+S");
    assertEq(await p.locator("#target-lang").inputValue(), "en", "Alt+Shift+S swapped");
    await waitOutput(p, BACK.tgt);
  } finally {
    await p.context().close();
  }
});

await T.check("no console errors, CSP violations or uncaught exceptions on any page", async () => {
  assertEq(pageErrors, [], "page errors");
});

await browser.close();
await busy.stop();
await srv.stop();
console.log(`artifacts: ${ARTIFACTS}`);
T.finish();
