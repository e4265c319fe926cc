// Dev only (not shipped): a fake FFI Lab backend for the dev page. Serves dev/ (build the bundle
// first: `OUT_DIR=dev/app npm run build`), POST/GET /api/runs, the history list, drafts and
// self-checks (in memory), and a minimal STOMP 1.2 broker on
// /ws that streams a scripted run: output with offsets (including a repeat, an overlap and a
// skipped message, so the page must dedupe and re-fetch), status changes, then the verdict.
//
//   node dev/server.mjs [port]        then open http://127.0.0.1:8766/index.html
//   GET /dev/ws?on=0 turns the WebSocket off (the page must fall back to polling); on=1 back on.

import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";

const root = fileURLToPath(new URL(".", import.meta.url));
const port = Number(process.argv[2] || 8766);
const runs = new Map();
const drafts = new Map(); // "task/track" -> { task, track, files, savedAt }
const subscribers = new Set(); // { socket, id, destination }
let wsEnabled = true;
let counter = 0;

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".map": "application/json" };

function send(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

function publish(runId, body) {
  const destination = `/topic/runs/${runId}`;
  for (const sub of subscribers) {
    if (sub.destination !== destination || sub.socket.readyState !== 1) continue;
    sub.socket.send(`MESSAGE\ndestination:${destination}\nsubscription:${sub.id}\nmessage-id:${++counter}\ncontent-type:application/json\n\n${JSON.stringify(body)}\0`);
  }
}

function script(run, files) {
  const chunks = [
    "\x1b[1m$ cc -shared -fPIC -fsanitize=address -o libhelper.so helper.c\x1b[0m\r\n",
    "\x1b[32mbuild ok\x1b[0m\r\n",
    "\x1b[1m$ python3 cos.py\x1b[0m\r\n",
    "progress 10%",
    "\rprogress 50%",
    "\rprogress 100%\r\n",
    `${files["cos.py"]?.includes("restype") ? "1.0" : "0"}\r\n`,
    "\x1b[1;31m==42==ERROR: AddressSanitizer: attempting double-free\x1b[0m\r\n",
    "    #1 0x55 in make_buffer /work/student/helper.c:6\r\n",
    "<script>alert('xss')</script> stays text\r\n",
  ];
  const events = [];
  let t = 300;
  events.push([t, () => { run.status = "RUNNING"; publish(run.id, { type: "status", status: "RUNNING" }); }]);
  chunks.forEach((text, i) => {
    t += 150;
    events.push([t, () => {
      const offset = run.output.length;
      run.output += text;
      if (i === 5) return; // "lost": the next message leaves a gap and the page must re-fetch
      publish(run.id, { type: "output", offset, text });
      if (i === 2) publish(run.id, { type: "output", offset, text }); // a repeat
      if (i === 7) publish(run.id, { type: "output", offset: offset - 4, text: run.output.slice(offset - 4) }); // an overlap
    }]);
  });
  t += 200;
  events.push([t, () => {
    run.status = "FINISHED";
    run.verdict = VERDICT;
    publish(run.id, { type: "status", status: "FINISHED" });
    publish(run.id, { type: "verdict", status: "FINISHED", verdict: VERDICT });
  }]);
  for (const [at, fn] of events) setTimeout(fn, at);
}

const VERDICT = {
  status: "fail",
  message: "2 of 3 checks failed",
  reason: "TIME_LIMIT",
  groups: [{ name: "Build", status: "pass" }, { name: "Tests", status: "fail" }, { name: "Memory", status: "fail" }],
  tests: [
    { name: "builds libhelper.so", status: "pass", group: "Build" },
    { name: "cos(0.0) returns 1.0", status: "fail", message: "got 0: is restype declared?", output: "\x1b[31mAssertionError\x1b[0m: 0 != 1.0\n", group: "Tests" },
    { name: "no double free", status: "fail", message: "AddressSanitizer: attempting double-free", group: "Memory" },
  ],
  metrics: [{ name: "cos call overhead", value: 183.4, unit: "ns/call", lowerIsBetter: true }],
  findings: [{
    tool: "asan", kind: "double-free", message: "attempting double-free on 0x602000000010",
    frames: [
      { file: "/usr/lib/libasan.so.8", line: null, function: "free", student: false },
      { file: "/work/student/helper.c", line: 6, function: "make_buffer", student: true },
    ],
  }],
};

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (url.pathname === "/dev/ws") {
    wsEnabled = url.searchParams.get("on") !== "0";
    return send(res, 200, { wsEnabled });
  }
  if (url.pathname === "/api/runs" && req.method === "POST") {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (req.headers["x-xsrf-token"] !== "dev-token") return send(res, 403, { error: "CSRF token missing" });
    let body;
    try { body = JSON.parse(raw); } catch { return send(res, 400, { error: "Malformed JSON" }); }
    if (!body.task || !body.track || typeof body.files !== "object" || Array.isArray(body.files)) return send(res, 400, { error: "task, track and files are required" });
    if (Object.values(body.files).some((c) => String(c).includes("REJECT"))) return send(res, 400, { error: "File cos.py is too large (max 64 KiB)" });
    const id = `run-${++counter}`;
    const run = { id, task: body.task, track: body.track, status: "QUEUED", files: body.files, output: "", verdict: null, error: null, createdAt: new Date().toISOString() };
    runs.set(id, run);
    script(run, body.files);
    return send(res, 202, { id });
  }
  if (url.pathname === "/api/runs" && req.method === "GET") {
    const list = [...runs.values()]
      .filter((r) => r.task === url.searchParams.get("task") && r.track === url.searchParams.get("track"))
      .reverse()
      .map((r) => ({
        id: r.id, task: r.task, track: r.track, status: r.status, createdAt: r.createdAt,
        outcome: r.verdict ? r.verdict.status : null, headline: r.verdict ? r.verdict.message : r.error,
        tests: r.verdict?.tests?.length ?? 0, passedTests: r.verdict?.tests?.filter((t) => t.status === "pass").length ?? 0,
        findings: r.verdict?.findings?.length ?? 0,
      }));
    return send(res, 200, list);
  }
  const draft = url.pathname.match(/^\/api\/drafts\/([^/]+)\/([^/]+)$/);
  if (draft && req.method === "GET") {
    const stored = drafts.get(`${draft[1]}/${draft[2]}`);
    if (!stored) {
      res.writeHead(204);
      return res.end();
    }
    return send(res, 200, stored);
  }
  if ((draft && req.method === "PUT") || (url.pathname.startsWith("/api/self-checks/") && req.method === "POST")) {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (req.headers["x-xsrf-token"] !== "dev-token") return send(res, 403, { error: "CSRF token missing" });
    const body = JSON.parse(raw || "{}");
    if (!draft) return send(res, 200, { task: "01-ctypes-cos", items: 2, ticked: body.ticked ? [body.item] : [] });
    const savedAt = new Date().toISOString();
    drafts.set(`${draft[1]}/${draft[2]}`, { task: draft[1], track: draft[2], files: body.files, savedAt });
    return send(res, 200, { savedAt });
  }
  const m = url.pathname.match(/^\/api\/runs\/([^/]+)$/);
  if (m && runs.has(m[1])) return send(res, 200, runs.get(m[1]));
  if (m && !m[1].endsWith(".json")) return send(res, 404, { error: "No such run" });
  const path = normalize(join(root, url.pathname === "/" ? "index.html" : url.pathname));
  if (!path.startsWith(root)) return send(res, 403, { error: "no" });
  try {
    const data = await readFile(path);
    res.writeHead(200, { "Content-Type": TYPES[extname(path)] || "application/octet-stream" });
    res.end(data);
  } catch {
    send(res, 404, { error: "Not found" });
  }
});

const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has("v12.stomp") ? "v12.stomp" : false) });
server.on("upgrade", (req, socket, head) => {
  if (!wsEnabled || new URL(req.url, "http://x").pathname !== "/ws") {
    socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on("message", (data) => {
      for (const frame of String(data).split("\0")) {
        const text = frame.replace(/^\n+/, "");
        if (!text) continue;
        const [head] = text.split("\n\n");
        const [command, ...lines] = head.split("\n");
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1)]));
        if (command === "CONNECT" || command === "STOMP") {
          console.log(`STOMP CONNECT, csrf header: ${headers["X-XSRF-TOKEN"] ?? "(none)"}`);
          ws.send("CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0");
        } else if (command === "SUBSCRIBE") {
          subscribers.add({ socket: ws, id: headers.id, destination: headers.destination });
        } else if (command === "UNSUBSCRIBE") {
          for (const s of subscribers) if (s.socket === ws && s.id === headers.id) subscribers.delete(s);
        } else if (command === "DISCONNECT") {
          if (headers.receipt) ws.send(`RECEIPT\nreceipt-id:${headers.receipt}\n\n\0`);
        }
      }
    });
    ws.on("close", () => {
      for (const s of subscribers) if (s.socket === ws) subscribers.delete(s);
    });
  });
});

server.listen(port, "127.0.0.1", () => console.log(`dev server on http://127.0.0.1:${port}/index.html`));
