// run_server.mjs: starts `hymt serve` for the Node client tests, plus the little test harness they
// share. Nothing here needs a package from node_modules.
//
//   const srv = await startServer(bin, ["--parallel", "4"]);   // {url, port, log(), stop()}
//   ...
//   await srv.stop();   // SIGTERM, waits for the exit, throws unless the exit code is 0
//
// The server listens on 127.0.0.1 only (--host is forced, --port 0 picks a free port); start-up
// is bounded (60 s for the "listening" line and GET /health 200 together).
import { spawn } from "node:child_process";
import { existsSync, accessSync, constants } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REQUEST_TIMEOUT_MS = 30_000; // every single request
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 40_000; // the server's default --grace is 30 s

const live = new Set(); // children not yet exited: killed if this process ends first
process.on("exit", () => {
  for (const c of live) {
    try {
      c.kill("SIGKILL");
    } catch {}
  }
});

// The binary: argv[2], else $HYMT_BIN. Exits 1 (usage) if neither names an executable file.
export function hymtBinary() {
  const bin = process.argv[2] || process.env.HYMT_BIN;
  if (!bin) {
    console.error(`usage: node ${process.argv[1]} <path to the hymt binary>   (or set HYMT_BIN)`);
    process.exit(1);
  }
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    console.error(`FAIL: ${bin} is not an executable file`);
    process.exit(1);
  }
  return resolve(bin);
}

// 77 (skipped) unless `npm ci` has been run in this folder for the given packages.
export function requireNodeModules(...pkgs) {
  for (const p of pkgs)
    if (!existsSync(join(HERE, "node_modules", p, "package.json"))) {
      console.log(`SKIP: ${join(HERE, "node_modules", p)} is missing (run \`npm ci\` in ${HERE})`);
      process.exit(77);
    }
}

// The whole script is bounded too: past `ms` it fails, killing its servers (see "exit" above).
export function watchdog(ms) {
  setTimeout(() => {
    console.error(`FAIL: the script ran longer than ${ms / 1000} s`);
    process.exit(1);
  }, ms).unref();
}

// fetch with the per-request timeout unless the caller gave a signal.
export function tfetch(url, init = {}) {
  return fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
}

export async function startServer(bin, extraArgs = [], { verbose = !!process.env.HYMT_TEST_VERBOSE } = {}) {
  const args = ["serve", ...extraArgs, "--host", "127.0.0.1", "--port", "0"];
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  live.add(child);
  const lines = [];
  let exited = null; // {code, signal} once it has exited
  const exitPromise = new Promise((res) => {
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      res(exited);
    });
  });
  let spawnError = null;
  child.on("error", (e) => (spawnError = e));

  let resolveUrl;
  const urlPromise = new Promise((r) => (resolveUrl = r));
  let partial = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d) => {
    partial += d;
    let nl;
    while ((nl = partial.indexOf("\n")) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push(line);
      if (lines.length > 2000) lines.shift();
      if (verbose) process.stderr.write(`[hymt] ${line}\n`);
      const m = /^hymt serve: listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      if (m) resolveUrl(m[1]);
    }
  });
  const log = () => lines.join("\n");
  const fail = (why) => {
    child.kill("SIGKILL");
    throw new Error(`${why}\n--- hymt ${args.join(" ")} stderr ---\n${log()}`);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  const remaining = () => Math.max(0, deadline - Date.now());
  const url = await Promise.race([
    urlPromise,
    exitPromise.then(() => null),
    new Promise((r) => setTimeout(() => r(undefined), remaining()).unref()),
  ]);
  if (spawnError) fail(`cannot start ${bin}: ${spawnError.message}`);
  if (url === null) fail(`hymt serve exited (${JSON.stringify(exited)}) before listening`);
  if (url === undefined) fail(`no "listening on" line within ${START_TIMEOUT_MS / 1000} s`);

  // Ready: /health 503 while the model loads, 200 after.
  for (;;) {
    if (exited) fail(`hymt serve exited (${JSON.stringify(exited)}) while loading`);
    if (remaining() === 0) fail(`GET /health was not 200 within ${START_TIMEOUT_MS / 1000} s`);
    try {
      const r = await fetch(url + "/health", { signal: AbortSignal.timeout(Math.min(2000, remaining() + 1)) });
      await r.arrayBuffer();
      if (r.status === 200) break;
      if (r.status !== 503) fail(`GET /health answered ${r.status} (expected 503 while loading, then 200)`);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("GET /health answered")) throw e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    url,
    port: Number(new URL(url).port),
    log,
    // SIGTERM, then the exit code must be 0 (a clean drain). Bounded by STOP_TIMEOUT_MS.
    async stop() {
      if (!exited) child.kill("SIGTERM");
      const r = await Promise.race([
        exitPromise,
        new Promise((res) => setTimeout(() => res(null), STOP_TIMEOUT_MS).unref()),
      ]);
      if (r === null) fail(`hymt serve did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`);
      if (r.code !== 0)
        throw new Error(`hymt serve exited with ${JSON.stringify(r)} after SIGTERM (expected code 0)\n${log()}`);
      return r.code;
    },
  };
}

// --- a tiny harness: named checks run one after another; each failure is reported, the rest go on.

export class Tests {
  constructor(title) {
    this.title = title;
    this.passed = 0;
    this.failed = [];
  }
  async check(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      this.passed++;
      console.log(`ok - ${name} (${Date.now() - t0} ms)`);
      return true;
    } catch (e) {
      this.failed.push(name);
      console.log(`not ok - ${name}\n${indent(e && e.stack ? e.stack : String(e))}`);
      return false;
    }
  }
  // Prints the closing line and exits 0 or 1.
  finish() {
    console.log(`${this.title}: ${this.passed} passed, ${this.failed.length} failed`);
    if (this.failed.length) console.log(`failed: ${this.failed.join("; ")}`);
    process.exit(this.failed.length ? 1 : 0);
  }
}

function indent(s) {
  return s
    .split("\n")
    .map((l) => "    " + l)
    .join("\n");
}

// Assertions with the values in the message.
export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
export function assertEq(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}:\n      got      ${a}\n      expected ${e}`);
}
