// libretranslate_client.mjs: `hymt serve`'s LibreTranslate API driven by the npm `libretranslate`
// client (pinned in package.json) and, for what that client cannot do, by plain fetch following
// LibreTranslate's documented API. Exit 0: all passed; 1: a check failed; 77: node_modules missing.
//
//   node tests/server/node/libretranslate_client.mjs <hymt binary>    (or HYMT_BIN=...)
//
// The npm client (libretranslate@1.0.1, src/translate.ts) is one function,
//   translate({query, source = "auto", target, format = "text", apiurl, apiKey}) -> translatedText
// It GETs {apiurl}/languages, refuses codes not listed there (TypeError), POSTs JSON to
// {apiurl}/translate and returns only `translatedText`. So it covers /languages + /translate with
// a string q; everything else here (detectedLanguage, q arrays, alternatives, /detect,
// /frontend/settings, /translate_file, error bodies, form bodies) is raw fetch, marked "raw:".
// (Its key is sent as "apiKey" in the body, which is not LibreTranslate's "api_key", so it cannot
// authenticate to a LibreTranslate server that requires keys; the key checks here are raw too.)
import { hymtBinary, requireNodeModules, startServer, watchdog, tfetch, Tests, assert, assertEq, REQUEST_TIMEOUT_MS } from "./run_server.mjs";

requireNodeModules("libretranslate");
const bin = hymtBinary();
watchdog(150_000);
const { translate } = await import("libretranslate");

// The npm client calls the global fetch without a signal: bound its requests by giving every
// fetch that has none the per-request timeout.
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init = {}) => realFetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });

const T = new Tests("libretranslate_client");
const srv = await startServer(bin, ["--parallel", "2"]);
const U = srv.url;

const postJson = async (path, body) => {
  const r = await tfetch(U + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path}: ${r.status} answered a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: r.status, type: r.headers.get("content-type"), body: json };
};
const ok200 = (r, what) => {
  assertEq(r.status, 200, `${what}: status (body ${JSON.stringify(r.body).slice(0, 300)})`);
  return r.body;
};

const HELLO = "Hello world, how are you today?";
let helloDe = null; // raw /translate of HELLO en -> de

await T.check("raw: POST /translate q string, en -> de", async () => {
  const b = ok200(await postJson("/translate", { q: HELLO, source: "en", target: "de" }), "translate");
  assert(typeof b.translatedText === "string" && b.translatedText.length > 0, "translatedText is a non-empty string");
  assert(!("detectedLanguage" in b), "no detectedLanguage when the source is given");
  assert(!("alternatives" in b), "no alternatives unless asked for");
  helloDe = b.translatedText;
  console.log(`    ${JSON.stringify(HELLO)} -> ${JSON.stringify(helloDe)}`);
});

await T.check("npm client: translate({query, source: 'en', target: 'de', apiurl})", async () => {
  const out = await translate({ query: HELLO, source: "en", target: "de", apiurl: U });
  assertEq(out, helloDe, "the client's translatedText (equals the raw request's: greedy decoding)");
});

await T.check("npm client: source auto (its default), format html", async () => {
  const auto = await translate({ query: HELLO, target: "de", apiurl: U });
  assert(typeof auto === "string" && auto.length > 0, `translatedText with source auto: ${JSON.stringify(auto)}`);
  const html = await translate({ query: "<p>Hello <b>world</b></p>", source: "en", target: "de", format: "html", apiurl: U });
  assert(/^<p>.*<b>.*<\/b>.*<\/p>$/s.test(html), `tags kept: ${JSON.stringify(html)}`);
});

await T.check("npm client: a target not in /languages -> its TypeError", async () => {
  const e = await translate({ query: HELLO, source: "en", target: "xx", apiurl: U }).then(() => null, (e) => e);
  assert(e instanceof TypeError && /not found/.test(e.message), `TypeError from the client, got ${e}`);
});

await T.check("raw: source auto -> detectedLanguage {language, confidence}", async () => {
  const b = ok200(await postJson("/translate", { q: HELLO, source: "auto", target: "de" }), "translate");
  assert(typeof b.translatedText === "string" && b.translatedText.length > 0, "translatedText");
  const d = b.detectedLanguage;
  assert(d && typeof d.language === "string" && typeof d.confidence === "number", `detectedLanguage ${JSON.stringify(d)}`);
  assertEq(d.language, "en", "detected language");
  assert(d.confidence > 0 && d.confidence <= 100, `confidence on LibreTranslate's 0..100 scale: ${d.confidence}`);
  assertEq(b.translatedText, helloDe, "same translation as with source en");
});

await T.check("raw: q as an array -> translatedText array of the same length", async () => {
  const q = [HELLO, "The cat sleeps.", "Good morning."];
  const b = ok200(await postJson("/translate", { q, source: "en", target: "de" }), "translate");
  assert(Array.isArray(b.translatedText), "translatedText is an array");
  assertEq(b.translatedText.length, q.length, "length");
  b.translatedText.forEach((t, i) => assert(typeof t === "string" && t.length > 0, `[${i}] non-empty string`));
  assertEq(b.translatedText[0], helloDe, "[0] equals the single-string translation");
  const a = ok200(await postJson("/translate", { q, source: "auto", target: "de" }), "translate auto");
  assert(Array.isArray(a.detectedLanguage) && a.detectedLanguage.length === q.length, `detectedLanguage array: ${JSON.stringify(a.detectedLanguage)}`);
  a.detectedLanguage.forEach((d, i) => assert(typeof d.language === "string" && typeof d.confidence === "number", `[${i}] ${JSON.stringify(d)}`));
});

await T.check("raw: alternatives: 2", async () => {
  const b = ok200(await postJson("/translate", { q: HELLO, source: "en", target: "de", alternatives: 2 }), "translate");
  assertEq(b.translatedText, helloDe, "translatedText unchanged by alternatives");
  assert(Array.isArray(b.alternatives), `alternatives is an array: ${JSON.stringify(b.alternatives)}`);
  assert(b.alternatives.length <= 2, `at most 2 alternatives (${b.alternatives.length})`);
  assert(b.alternatives.length >= 1, "at least one alternative from sampling gibberish");
  b.alternatives.forEach((t, i) => assert(typeof t === "string" && t.length > 0 && t !== b.translatedText, `[${i}] a different non-empty string`));
});

await T.check("raw: format html keeps the tags", async () => {
  const b = ok200(await postJson("/translate", { q: "<p>Hello <b>world</b></p>", source: "en", target: "de", format: "html" }), "translate");
  assert(/^<p>.*<b>.*<\/b>.*<\/p>$/s.test(b.translatedText), `<p> and <b> survive: ${JSON.stringify(b.translatedText)}`);
});

await T.check("raw: POST /detect", async () => {
  const b = ok200(await postJson("/detect", { q: HELLO }), "detect");
  assert(Array.isArray(b) && b.length >= 1, `an array of candidates: ${JSON.stringify(b)}`);
  for (const d of b) assert(typeof d.language === "string" && typeof d.confidence === "number", `candidate ${JSON.stringify(d)}`);
  assertEq(b[0].language, "en", "best candidate");
  const fr = ok200(await postJson("/detect", { q: "Bonjour, je voudrais un café s'il vous plaît." }), "detect fr");
  assertEq(fr[0]?.language, "fr", "French detected");
});

await T.check("raw: GET /languages", async () => {
  const r = await tfetch(U + "/languages");
  assertEq(r.status, 200, "status");
  const langs = await r.json();
  assert(Array.isArray(langs) && langs.length > 1, "a non-empty array");
  const codes = new Set(langs.map((l) => l.code));
  for (const l of langs) {
    assert(typeof l.code === "string" && typeof l.name === "string" && Array.isArray(l.targets), `entry ${JSON.stringify(l).slice(0, 120)}`);
    assert(l.targets.every((t) => codes.has(t)), `${l.code}: every target is a listed code`);
  }
  assert(codes.has("en") && codes.has("de"), "en and de listed");
  assert(langs.find((l) => l.code === "en").targets.includes("de"), "en -> de offered");
});

await T.check("raw: GET /frontend/settings", async () => {
  const r = await tfetch(U + "/frontend/settings");
  assertEq(r.status, 200, "status");
  const s = await r.json();
  assert(typeof s.charLimit === "number" && typeof s.frontendTimeout === "number", "charLimit, frontendTimeout");
  for (const k of ["apiKeys", "keyRequired", "suggestions", "filesTranslation"]) assertEq(typeof s[k], "boolean", k);
  assertEq(s.keyRequired, false, "keyRequired without --api-key");
  assert(Array.isArray(s.supportedFilesFormat) && s.supportedFilesFormat.includes(".srt"), "supportedFilesFormat lists .srt");
  assert(typeof s.language?.source?.code === "string" && typeof s.language?.target?.code === "string", "language.source/target");
});

const SRT = [
  "1", "00:00:01,000 --> 00:00:03,500", "Hello world.", "",
  "2", "00:00:04,000 --> 00:00:06,250", "The cat sleeps.", "",
  "3", "00:00:07,000 --> 00:00:09,000", "Good morning, how are you?", "Fine, thanks.", "",
  "4", "01:02:03,040 --> 01:02:05,999", "Where is the train station?", "",
].join("\n");
const TIMING = /^\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d$/;
// Cues: an index line followed by a timing line.
const cues = (text) => {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const out = [];
  for (let i = 0; i + 1 < lines.length; i++) if (/^\d+$/.test(lines[i]) && TIMING.test(lines[i + 1])) out.push([lines[i], lines[i + 1]]);
  return out;
};

await T.check("raw: POST /translate_file (multipart .srt) -> translatedFileUrl -> same cues and timings", async () => {
  const fd = new FormData();
  fd.append("file", new Blob([SRT], { type: "application/x-subrip" }), "sample.srt");
  fd.append("source", "en");
  fd.append("target", "de");
  const r = await tfetch(U + "/translate_file", { method: "POST", body: fd });
  const b = await r.json();
  assertEq(r.status, 200, `status (${JSON.stringify(b)})`);
  assert(typeof b.translatedFileUrl === "string", `translatedFileUrl: ${JSON.stringify(b)}`);
  const fileUrl = new URL(b.translatedFileUrl);
  assertEq(fileUrl.origin, U, "the URL points at this server");
  assert(fileUrl.pathname.startsWith("/download_file/") && fileUrl.pathname.endsWith(".srt"), `path ${fileUrl.pathname}`);
  const d = await tfetch(b.translatedFileUrl);
  assertEq(d.status, 200, "download status");
  const out = await d.text();
  assert(/attachment/.test(d.headers.get("content-disposition") ?? ""), "Content-Disposition: attachment");
  assertEq(cues(out), cues(SRT), "cue numbers and timing lines");
  assertEq(cues(out).length, 4, "4 cues");
  assert(out !== SRT, "the text was translated");
  const missing = await tfetch(U + "/download_file/0123456789abcdef/nothing.srt");
  assertEq(missing.status, 404, "an unknown file is 404");
  assert(typeof (await missing.json()).error === "string", "404 body {error}");
});

await T.check("raw: unknown target language -> 400 {error: string}", async () => {
  const r = await postJson("/translate", { q: HELLO, source: "en", target: "xx" });
  assertEq(r.status, 400, "status");
  assert(r.type?.startsWith("application/json"), `JSON content type (${r.type})`);
  assertEq(Object.keys(r.body), ["error"], "body keys");
  assert(typeof r.body.error === "string" && r.body.error.length > 0, "error is a string");
  const noq = await postJson("/translate", { source: "en", target: "de" });
  assertEq(noq.status, 400, "missing q");
  assertEq(typeof noq.body.error, "string", "missing q: error string");
});

await T.check("raw: form-encoded body (application/x-www-form-urlencoded)", async () => {
  const r = await tfetch(U + "/translate", { method: "POST", body: new URLSearchParams({ q: HELLO, source: "en", target: "de" }) });
  assert(r.headers.get("content-type")?.startsWith("application/json"), "JSON answer");
  const b = await r.json();
  assertEq(r.status, 200, `status (${JSON.stringify(b)})`);
  assertEq(b.translatedText, helloDe, "same translation as the JSON request");
  const d = await tfetch(U + "/detect", { method: "POST", body: new URLSearchParams({ q: HELLO }) });
  assertEq((await d.json())[0]?.language, "en", "form /detect");
});

await T.check("SIGTERM: the server exits 0", async () => {
  await srv.stop();
});

// --- API keys, LibreTranslate style: api_key in the JSON or form body; 403 {"error"} otherwise.
const keyed = await startServer(bin, ["--api-key", "secret", "--parallel", "1"]);

await T.check("raw: --api-key: no key or a wrong key -> 403, api_key in JSON or form -> 200", async () => {
  const K = keyed.url;
  const req = { q: "The cat sleeps.", source: "en", target: "de" };
  for (const extra of [{}, { api_key: "wrong" }]) {
    const r = await tfetch(K + "/translate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...req, ...extra }) });
    assertEq(r.status, 403, `status with ${JSON.stringify(extra)}`);
    assertEq(typeof (await r.json()).error, "string", "error string");
  }
  const j = await tfetch(K + "/translate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...req, api_key: "secret" }) });
  assertEq(j.status, 200, "JSON api_key");
  const f = await tfetch(K + "/translate", { method: "POST", body: new URLSearchParams({ ...req, api_key: "secret" }) });
  assertEq(f.status, 200, "form api_key");
  assertEq((await f.json()).translatedText, (await j.json()).translatedText, "same translation");
  const s = await (await tfetch(K + "/frontend/settings")).json();
  assertEq([s.apiKeys, s.keyRequired], [true, true], "settings report keys");
  assertEq((await tfetch(K + "/languages")).status, 200, "/languages needs no key");
});

await T.check("SIGTERM: the keyed server exits 0", async () => {
  await keyed.stop();
});

globalThis.fetch = realFetch;
T.finish();
