// openai_sdk.mjs: `hymt serve` driven by the official OpenAI Node SDK (npm `openai`, pinned in
// package.json). Exit 0: all passed; 1: a check failed; 77: node_modules missing (run `npm ci`).
//
//   node tests/server/node/openai_sdk.mjs <hymt binary>      (or HYMT_BIN=...; HYMT_TEST_VERBOSE=1
//                                                             echoes the server's log)
//
// The bundled demo model produces gibberish but deterministic gibberish (greedy decoding is the
// server's default), so every check compares outputs exactly rather than judging translations.
import { hymtBinary, requireNodeModules, startServer, watchdog, tfetch, Tests, assert, assertEq, REQUEST_TIMEOUT_MS } from "./run_server.mjs";

requireNodeModules("openai");
const bin = hymtBinary();
watchdog(150_000);
const { default: OpenAI } = await import("openai");

const MODEL_ID = "hy-mt-demo"; // the bundled demo model's file name, which the server serves under
const PROMPT = (s) => `Translate the following segment into German, without additional explanation.\n\n${s}`;
const CHAT = { messages: [{ role: "user", content: PROMPT("The cat sleeps.") }], max_tokens: 40 };

// maxRetries 0: an error must surface as it is, not be retried away.
const client = (url, apiKey = "x") => new OpenAI({ baseURL: url + "/v1", apiKey, maxRetries: 0, timeout: REQUEST_TIMEOUT_MS });

async function collectChat(stream) {
  const r = { text: "", finish: [], chunks: 0, usageChunks: [], ids: new Set(), objects: new Set(), logprobs: [], roles: [] };
  for await (const ch of stream) {
    r.chunks++;
    r.ids.add(ch.id);
    r.objects.add(ch.object);
    if (ch.usage && ch.choices.length === 0) r.usageChunks.push(ch.usage);
    for (const c of ch.choices) {
      if (c.delta?.role) r.roles.push(c.delta.role);
      if (typeof c.delta?.content === "string") r.text += c.delta.content;
      if (c.finish_reason) r.finish.push(c.finish_reason);
      if (c.logprobs?.content) r.logprobs.push(...c.logprobs.content);
    }
  }
  return r;
}

async function collectText(stream) {
  const r = { text: "", finish: [], usageChunks: [] };
  for await (const ch of stream) {
    if (ch.usage && ch.choices.length === 0) r.usageChunks.push(ch.usage);
    for (const c of ch.choices) {
      r.text += c.text ?? "";
      if (c.finish_reason) r.finish.push(c.finish_reason);
    }
  }
  return r;
}

function checkUsage(u, what) {
  assert(u && Number.isInteger(u.prompt_tokens) && u.prompt_tokens > 0, `${what}: usage.prompt_tokens > 0 (${JSON.stringify(u)})`);
  assert(Number.isInteger(u.completion_tokens) && u.completion_tokens > 0, `${what}: usage.completion_tokens > 0`);
  assertEq(u.total_tokens, u.prompt_tokens + u.completion_tokens, `${what}: total_tokens`);
  assert(Number.isInteger(u.prompt_tokens_details?.cached_tokens), `${what}: usage.prompt_tokens_details.cached_tokens is an integer`);
}

// A stop string from the middle of `text`: 3 ASCII letters/digits/spaces, so that it cuts at a
// character boundary however the text is tokenized.
function middleStop(text) {
  const mid = Math.floor(text.length / 2);
  for (let d = 0; d < text.length; d++)
    for (const i of [mid + d, mid - d]) {
      const s = text.slice(i, i + 3);
      if (i > 0 && s.length === 3 && /^[A-Za-z0-9 ]{3}$/.test(s) && s.trim().length === 3) return s;
    }
  return null;
}

const T = new Tests("openai_sdk");
const srv = await startServer(bin, ["--parallel", "4"]);
const ai = client(srv.url);
let base = null; // the non-streamed chat completion of CHAT

await T.check("models.list() lists the served model", async () => {
  const page = await ai.models.list();
  const ids = page.data.map((m) => m.id);
  assert(ids.includes(MODEL_ID), `ids ${JSON.stringify(ids)} include ${MODEL_ID}`);
  const m = page.data.find((m) => m.id === MODEL_ID);
  assertEq(m.object, "model", "object");
  assert(Number.isInteger(m.created) && typeof m.owned_by === "string", "created and owned_by");
  const one = await ai.models.retrieve(MODEL_ID);
  assertEq(one.id, MODEL_ID, "models.retrieve id");
  const missing = await ai.models.retrieve("no-such-model").then(() => null, (e) => e);
  assert(missing instanceof OpenAI.NotFoundError, `NotFoundError for an unknown model, got ${missing}`);
});

await T.check("chat.completions.create, not streamed", async () => {
  const r = await ai.chat.completions.create({ model: MODEL_ID, ...CHAT });
  assertEq(r.object, "chat.completion", "object");
  assertEq(r.choices.length, 1, "choices");
  const c = r.choices[0];
  assertEq(c.message.role, "assistant", "role");
  assert(typeof c.message.content === "string" && c.message.content.length > 0, "non-empty content");
  assert(["stop", "length"].includes(c.finish_reason), `finish_reason ${c.finish_reason}`);
  assertEq(r.model, MODEL_ID, "model");
  checkUsage(r.usage, "usage");
  if (c.finish_reason === "length") assertEq(r.usage.completion_tokens, CHAT.max_tokens, "length => max_tokens tokens");
  else assert(r.usage.completion_tokens <= CHAT.max_tokens, "completion_tokens <= max_tokens");
  base = r;
  console.log(`    content: ${JSON.stringify(c.message.content)} (${c.finish_reason}, ${JSON.stringify(r.usage)})`);
});

await T.check("the same request again: same content, prompt served from the prefix cache", async () => {
  const r = await ai.chat.completions.create({ model: MODEL_ID, ...CHAT });
  assertEq(r.choices[0].message.content, base.choices[0].message.content, "content");
  assert(r.usage.prompt_tokens_details.cached_tokens > 0, `cached_tokens > 0 on a repeat (${JSON.stringify(r.usage)})`);
  assert(r.usage.prompt_tokens_details.cached_tokens <= r.usage.prompt_tokens, "cached_tokens <= prompt_tokens");
});

await T.check("chat stream: deltas concatenate to the non-streamed content", async () => {
  const s = await collectChat(await ai.chat.completions.create({ model: MODEL_ID, ...CHAT, stream: true }));
  assertEq(s.text, base.choices[0].message.content, "streamed text");
  assertEq(s.finish, [base.choices[0].finish_reason], "finish_reason (once, on the last choice chunk)");
  assertEq([...s.objects], ["chat.completion.chunk"], "chunk object");
  assertEq(s.ids.size, 1, "one id for all chunks");
  assertEq(s.roles, ["assistant"], "delta.role once");
  assertEq(s.usageChunks.length, 0, "no usage-only chunk without stream_options.include_usage");
  // The wire format the SDK parsed: server-sent events ending with data: [DONE].
  const r = await tfetch(srv.url + "/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL_ID, ...CHAT, stream: true }),
  });
  assertEq([r.status, r.headers.get("content-type")?.split(";")[0]], [200, "text/event-stream"], "status and content type");
  const events = (await r.text()).split("\n\n").filter((e) => e.trim() && !e.startsWith(":"));
  assert(events.every((e) => e.startsWith("data: ")), "every event is a data: line");
  assertEq(events.at(-1), "data: [DONE]", "the last event");
});

await T.check("chat stream with stream_options.include_usage", async () => {
  const s = await collectChat(
    await ai.chat.completions.create({ model: MODEL_ID, ...CHAT, stream: true, stream_options: { include_usage: true } }),
  );
  assertEq(s.text, base.choices[0].message.content, "streamed text");
  assertEq(s.usageChunks.length, 1, "one usage chunk (choices: [])");
  const u = s.usageChunks[0];
  checkUsage(u, "stream usage");
  assertEq([u.prompt_tokens, u.completion_tokens], [base.usage.prompt_tokens, base.usage.completion_tokens], "usage matches the non-streamed one");
});

await T.check("SDK stream helper: chat.completions.stream().finalChatCompletion()", async () => {
  const st = ai.chat.completions.stream({ model: MODEL_ID, ...CHAT });
  let deltas = "";
  st.on("content", (d) => (deltas += d));
  const fin = await st.finalChatCompletion();
  assertEq(fin.choices[0].message.content, base.choices[0].message.content, "accumulated content");
  assertEq(deltas, base.choices[0].message.content, "content events");
  assertEq(fin.choices[0].finish_reason, base.choices[0].finish_reason, "finish_reason");
});

await T.check("completions.create (legacy): streamed equals non-streamed", async () => {
  const req = { model: MODEL_ID, prompt: PROMPT("The cat sleeps."), max_tokens: 40 };
  const r = await ai.completions.create(req);
  assertEq(r.object, "text_completion", "object");
  const c = r.choices[0];
  assert(typeof c.text === "string" && c.text.length > 0, "non-empty text");
  checkUsage(r.usage, "usage");
  const s = await collectText(await ai.completions.create({ ...req, stream: true, stream_options: { include_usage: true } }));
  assertEq(s.text, c.text, "streamed text");
  assertEq(s.finish, [c.finish_reason], "finish_reason");
  assertEq(s.usageChunks.length, 1, "one usage chunk");
  assertEq(s.usageChunks[0].completion_tokens, r.usage.completion_tokens, "stream usage.completion_tokens");
  console.log(`    text: ${JSON.stringify(c.text)} (${c.finish_reason})`);
  // Legacy logprobs: {tokens, token_logprobs, top_logprobs: [{token: logprob}], text_offset}.
  const l = (await ai.completions.create({ ...req, logprobs: 2 })).choices[0];
  assertEq(l.text, c.text, "text unchanged by logprobs");
  const { tokens, token_logprobs, top_logprobs, text_offset } = l.logprobs;
  assertEq([tokens.length, token_logprobs.length, top_logprobs.length, text_offset.length], Array(4).fill(r.usage.completion_tokens), "one entry per token");
  top_logprobs.forEach((t, i) => {
    assertEq(Object.keys(t).length, 2, `[${i}] two alternatives`);
    assert(Math.max(...Object.values(t)) >= token_logprobs[i] - 1e-9, `[${i}] the best alternative is at least the token's logprob`);
  });
  assertEq(text_offset[0], 0, "text_offset[0]");
  for (let i = 1; i < text_offset.length; i++) assert(text_offset[i] >= text_offset[i - 1], "text_offset non-decreasing");
});

await T.check("logprobs: true, top_logprobs: 3", async () => {
  const r = await ai.chat.completions.create({ model: MODEL_ID, ...CHAT, logprobs: true, top_logprobs: 3 });
  assertEq(r.choices[0].message.content, base.choices[0].message.content, "content unchanged by logprobs");
  const lp = r.choices[0].logprobs?.content;
  assert(Array.isArray(lp), "choices[0].logprobs.content is an array");
  assertEq(lp.length, r.usage.completion_tokens, "one entry per completion token");
  lp.forEach((e, i) => {
    assert(typeof e.token === "string" && Array.isArray(e.bytes), `[${i}] token and bytes`);
    assert(Number.isFinite(e.logprob) && e.logprob <= 1e-9, `[${i}] logprob ${e.logprob} <= 0`);
    assertEq(e.top_logprobs.length, 3, `[${i}] top_logprobs count`);
    assert(e.top_logprobs[0].logprob >= e.logprob - 1e-9, `[${i}] top_logprobs[0].logprob ${e.top_logprobs[0].logprob} >= logprob ${e.logprob}`);
    for (let k = 1; k < 3; k++) assert(e.top_logprobs[k - 1].logprob >= e.top_logprobs[k].logprob, `[${i}] top_logprobs sorted`);
  });
  // Greedy decoding: each chosen token is the most likely one.
  lp.forEach((e, i) => assert(e.token === e.top_logprobs[0].token && Math.abs(e.logprob - e.top_logprobs[0].logprob) < 1e-9,
    `[${i}] greedy token ${JSON.stringify(e.token)} is top_logprobs[0] ${JSON.stringify(e.top_logprobs[0])}`));
  // The tokens' UTF-8 bytes spell the content exactly (no end-of-turn token among them).
  const bytes = Buffer.from(lp.flatMap((e) => e.bytes));
  assertEq(bytes.toString("utf8"), base.choices[0].message.content, "the tokens' bytes, concatenated");
  // Streamed logprobs: the same entries, spread over the chunks.
  const s = await collectChat(await ai.chat.completions.create({ model: MODEL_ID, ...CHAT, logprobs: true, top_logprobs: 3, stream: true }));
  assertEq(s.logprobs.map((e) => [e.token, e.logprob]), lp.map((e) => [e.token, e.logprob]), "streamed logprobs");
});

await T.check("stop string cuts the output before its first occurrence", async () => {
  const full = base.choices[0].message.content;
  const stop = middleStop(full);
  assert(stop, `a 3-character ASCII stop string in ${JSON.stringify(full)}`);
  const want = full.slice(0, full.indexOf(stop));
  const r = await ai.chat.completions.create({ model: MODEL_ID, ...CHAT, stop: [stop] });
  assertEq(r.choices[0].message.content, want, `content with stop ${JSON.stringify(stop)}`);
  assertEq(r.choices[0].finish_reason, "stop", "finish_reason");
  const s = await collectChat(await ai.chat.completions.create({ model: MODEL_ID, ...CHAT, stop: stop, stream: true }));
  assertEq(s.text, want, "streamed content with the stop string");
  assertEq(s.finish, ["stop"], "streamed finish_reason");
  console.log(`    stop ${JSON.stringify(stop)} -> ${JSON.stringify(want)}`);
});

await T.check("invalid temperature -> BadRequestError 400 naming the field", async () => {
  const e = await ai.chat.completions.create({ model: MODEL_ID, ...CHAT, temperature: 5 }).then(
    () => null,
    (e) => e,
  );
  assert(e instanceof OpenAI.BadRequestError, `BadRequestError, got ${e && e.constructor.name}: ${e}`);
  assertEq(e.status, 400, "status");
  assertEq(e.param, "temperature", "error.param");
  assertEq(e.type, "invalid_request_error", "error.type");
  assert(typeof e.error?.message === "string" && e.error.message.length > 0, "error.message");
});

await T.check("n: 2 and empty messages -> BadRequestError", async () => {
  for (const bad of [{ ...CHAT, n: 2 }, { ...CHAT, messages: [] }]) {
    const e = await ai.chat.completions.create({ model: MODEL_ID, ...bad }).then(() => null, (e) => e);
    assert(e instanceof OpenAI.BadRequestError, `BadRequestError for ${JSON.stringify(bad).slice(0, 60)}, got ${e}`);
  }
});

const SENTENCES = [
  "The cat sleeps.", "Good morning.", "Where is the train station?", "I would like a cup of coffee, please.",
  "The weather is nice today.", "She reads a book in the garden.", "We are going to the cinema tonight.",
  "How much does this cost?", "The meeting starts at nine o'clock.", "Please close the window.",
  "My brother lives in Berlin.", "The children are playing football in the park.", "Thank you very much.",
  "Can you help me?", "The museum is closed on Mondays.", "It has been raining all day and the streets are wet.",
];

await T.check("16 concurrent chat requests (--parallel 4) equal the same 16 sent one by one", async () => {
  const req = (s) => ({ model: MODEL_ID, messages: [{ role: "user", content: PROMPT(s) }], max_tokens: 32 });
  const one = [];
  for (const s of SENTENCES) one.push(await ai.chat.completions.create(req(s)));
  const all = await Promise.all(SENTENCES.map((s) => ai.chat.completions.create(req(s))));
  const texts = one.map((r) => r.choices[0].message.content);
  assertEq(new Set(texts).size > 1, true, "different prompts give different outputs");
  assertEq(all.map((r) => r.choices[0].message.content), texts, "contents");
  assertEq(all.map((r) => r.choices[0].finish_reason), one.map((r) => r.choices[0].finish_reason), "finish_reasons");
  assertEq(all.map((r) => r.usage.completion_tokens), one.map((r) => r.usage.completion_tokens), "completion_tokens");
  // And streamed, all at once.
  const streamed = await Promise.all(SENTENCES.map(async (s) => (await collectChat(await ai.chat.completions.create({ ...req(s), stream: true }))).text));
  assertEq(streamed, texts, "16 concurrent streams");
});

await T.check("SIGTERM mid-request: in-flight requests finish whole, then the server exits 0", async () => {
  // ignore_eos (llama-server's field, passed through by the SDK as an extra body field) makes the
  // length known: exactly max_tokens tokens.
  const req = { model: MODEL_ID, ...CHAT, max_tokens: 160, ignore_eos: true };
  const whole = await ai.chat.completions.create(req);
  assertEq([whole.usage.completion_tokens, whole.choices[0].finish_reason], [160, "length"], "ignore_eos runs to max_tokens");
  const pending = ai.chat.completions.create({ ...req, messages: [{ role: "user", content: PROMPT("Good morning.") }] });
  const stream = await ai.chat.completions.create({ ...req, stream: true });
  let text = "", n = 0, stopped = null;
  const finish = [];
  for await (const ch of stream) {
    for (const c of ch.choices) {
      text += c.delta?.content ?? "";
      if (c.finish_reason) finish.push(c.finish_reason);
    }
    if (++n === 3) {
      // SIGTERM once the server holds both requests.
      for (const until = Date.now() + 10_000; ; ) {
        const h = await (await tfetch(srv.url + "/health")).json();
        if (h.requests_in_flight >= 2) break;
        assert(Date.now() < until, `both requests in flight (${JSON.stringify(h)})`);
        await new Promise((r) => setTimeout(r, 5));
      }
      stopped = srv.stop();
    }
  }
  assert(stopped, "SIGTERM was sent");
  assertEq(text, whole.choices[0].message.content, "the stream ran to its end");
  assertEq(finish, ["length"], "stream finish_reason");
  const other = await pending;
  assertEq([other.usage.completion_tokens, other.choices[0].finish_reason], [160, "length"], "the non-streamed request in flight finished too");
  assertEq(await stopped, 0, "exit code");
});

// --- API keys.
const keyed = await startServer(bin, ["--api-key", "secret", "--parallel", "2"]);

await T.check("--api-key: the right key works", async () => {
  const ok = client(keyed.url, "secret");
  const page = await ok.models.list();
  assert(page.data.some((m) => m.id === MODEL_ID), "models.list with the key");
  const r = await ok.chat.completions.create({ model: MODEL_ID, ...CHAT });
  assertEq(r.choices[0].message.content, base.choices[0].message.content, "content with the key");
});

await T.check("--api-key: a wrong key -> AuthenticationError 401 (as OpenAI answers)", async () => {
  const e = await client(keyed.url, "wrong").chat.completions.create({ model: MODEL_ID, ...CHAT }).then(() => null, (e) => e);
  assert(e instanceof OpenAI.AuthenticationError, `AuthenticationError, got ${e && e.constructor.name}: ${e}`);
  assertEq(e.status, 401, "status");
  assertEq(e.code, "invalid_api_key", "error.code");
});

await T.check("--api-key: no key -> AuthenticationError 401", async () => {
  const e = await client(keyed.url, "").models.list().then(() => null, (e) => e);
  assert(e instanceof OpenAI.AuthenticationError, `AuthenticationError, got ${e && e.constructor.name}: ${e}`);
  assertEq(e.status, 401, "status");
  // Without any Authorization header at all: the OpenAI error object, as is.
  const r = await tfetch(keyed.url + "/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL_ID, ...CHAT }),
  });
  assertEq(r.status, 401, "raw status");
  const b = await r.json();
  assertEq(Object.keys(b.error).sort(), ["code", "message", "param", "type"], "error object keys");
  assertEq(b.error.type, "authentication_error", "error.type");
});

await T.check("SIGTERM: the keyed server exits 0", async () => {
  await keyed.stop();
});

T.finish();
