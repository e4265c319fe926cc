// Bundles the browser code into OUT_DIR (the Maven build points it at target/classes/static/app).
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { resolve } from "node:path";

const outDir = resolve(process.env.OUT_DIR || "../target/classes/static/app");
await mkdir(outDir, { recursive: true });
// app.js: the task page and the attempt page (they share the code editor); dashboard.js: the class page.
await build({
  entryPoints: { app: "src/main.ts", dashboard: "src/dashboard.ts" },
  outdir: outDir,
  bundle: true,
  format: "iife",
  minify: true,
  sourcemap: true,
  target: "es2020",
  legalComments: "linked",
  logLevel: "info",
});
await copyFile("src/app.css", resolve(outDir, "app.css"));
console.log(`copied src/app.css -> ${resolve(outDir, "app.css")}`);
