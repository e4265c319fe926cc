// Dev only (not shipped): drives the dev page against dev/server.mjs in headless Chromium and checks
// the task page end to end (live output dedupe, reattach, drafts, polling fallback, errors, reset).
//   OUT_DIR=dev/app npm run build && node dev/server.mjs &
//   npm install --no-save playwright-core && node dev/browser-check.mjs
// CHROMIUM (default /usr/bin/chromium) and BASE (default http://127.0.0.1:8766) can be set.
import { chromium } from "playwright-core";
const base = process.env.BASE || "http://127.0.0.1:8766";
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => { if (m.type() === "error" && !/404|400|WebSocket connection/.test(m.text())) errors.push(m.text()); });
page.on("dialog", (d) => d.accept());
const ok = (cond, what) => { console.log(`${cond ? "PASS" : "FAIL"} ${what}`); if (!cond) process.exitCode = 1; };

await fetch(`${base}/dev/ws?on=1`);
await page.goto(`${base}/index.html`);
await page.waitForSelector(".cm-editor");
// Type in the editor, run with Ctrl+Enter.
await page.click(".cm-content");
await page.keyboard.press("Control+End");
await page.keyboard.type("# edited in the browser\n");
await page.keyboard.press("Control+Enter");
await page.waitForSelector("#verdict .verdict", { timeout: 10000 });
const id = new URL(page.url()).searchParams.get("run");
ok(/^run-\d+$/.test(id ?? ""), `URL has ?run= (${page.url()})`);
const server = await (await fetch(`${base}/api/runs/${id}`)).json();
ok(server.files["cos.py"].includes("# edited in the browser"), "submitted the edited file");
ok(!server.files["cos.py"].includes("\n\n# edited in the browser\n\n"), "Ctrl+Enter inserted no blank line");
const shownText = await page.$eval("#output", (el) => el.textContent);
const expected = server.output.replace(/\x1b\[[0-9;]*m/g, "").replace(/\r\n/g, "\n").replace(/progress 10%\rprogress 50%\rprogress 100%/, "progress 100%");
ok(shownText === expected, "output equals the server's (dedupe, overlap, gap refetch, \\r)");
if (shownText !== expected) console.log(JSON.stringify(shownText), "\n", JSON.stringify(expected));
ok((await page.$$("#output script")).length === 0, "no <script> from output");
ok((await page.textContent("#run-status")) === "Failed", "status says Failed");
ok((await page.textContent(".verdict-reason")).includes("60 s"), "time-limit reason with the page's limit");
ok(await page.$eval("#run-button", (b) => !b.disabled), "run button enabled again");
// Frame link -> helper.c tab, cursor on line 6, gutter marker.
await page.locator("a.frame-link").first().scrollIntoViewIfNeeded();
await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
await page.locator("a.frame-link").first().click();
const editorTop = await page.$eval("#editor", (e) => e.getBoundingClientRect().top);
ok(editorTop >= 0 && editorTop < 900, `editor scrolled into view (${editorTop})`);
ok((await page.textContent(".editor-tab[aria-selected=true]")) === "helper.c", "frame link switched to helper.c");
const titles = await page.$$eval(".cm-finding-marker", (els) => els.map((e) => [e.title, e.closest(".cm-gutterElement")?.style.visibility, e.getBoundingClientRect().top]));
const lineTop = await page.$eval(".cm-activeLine", (e) => e.getBoundingClientRect().top);
ok(titles.some(([t, vis, top]) => t.includes("double-free") && vis !== "hidden" && Math.abs(top - lineTop) < 12), "gutter marker on line 6 with the message as title");
const activeLine = await page.textContent(".cm-activeLine");
ok(activeLine.trim() === "free(p);", `cursor on line 6 (${activeLine.trim()})`);
await page.screenshot({ path: process.env.SHOT || "/tmp/ffilab-live.png", fullPage: true });

// Reload: draft kept, reattached to the run.
await page.reload();
await page.waitForSelector("#verdict .verdict", { timeout: 10000 });
ok((await page.$eval("#output", (el) => el.textContent)) === expected, "reload reattaches: same output");
ok((await page.textContent(".draft-notice")).includes("Draft restored"), "draft restored notice");
ok((await page.textContent(".cm-content")).includes("# edited in the browser"), "draft content in the editor");

// Polling fallback with the WebSocket off.
await fetch(`${base}/dev/ws?on=0`);
await page.click("#run-button");
await page.waitForSelector(".run-note", { timeout: 10000 });
ok((await page.textContent(".run-note")).includes("every second"), "polling note shown");
await page.waitForFunction(() => document.querySelector("#run-status")?.textContent === "Failed", null, { timeout: 15000 });
const id2 = new URL(page.url()).searchParams.get("run");
const server2 = await (await fetch(`${base}/api/runs/${id2}`)).json();
const expected2 = server2.output.replace(/\x1b\[[0-9;]*m/g, "").replace(/\r\n/g, "\n").replace(/progress 10%\rprogress 50%\rprogress 100%/, "progress 100%");
ok(id2 !== id && (await page.$eval("#output", (el) => el.textContent)) === expected2, "polling: output complete");
ok((await page.$(".run-note")) === null, "note gone at the end");
await fetch(`${base}/dev/ws?on=1`);

// A rejected submission shows the server's error.
await page.click(".cm-content");
await page.keyboard.type("REJECT");
await page.click("#run-button");
await page.waitForFunction(() => document.querySelector("#run-status")?.dataset.state === "error", null, { timeout: 5000 });
ok((await page.textContent("#run-status")) === "File cos.py is too large (max 64 KiB)", "4xx error message shown");

// Reset to starter.
await page.click("#reset-button");
ok(!(await page.textContent(".cm-content")).includes("REJECT"), "reset restores starter files");
ok((await page.$(".draft-notice")) === null, "notice removed on reset");
await page.reload();
await page.waitForSelector(".cm-editor");
ok((await page.$(".draft-notice")) === null, "no draft after reset + reload");

ok(errors.length === 0, `no page errors ${JSON.stringify(errors)}`);
await browser.close();
