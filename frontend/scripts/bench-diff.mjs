// Times the attempt diff (src/diff.ts) on inputs up to the submission limit, for docs/benchmarks.md:
//   node scripts/bench-diff.mjs
// esbuild bundles the TypeScript in memory; each case runs 5 times and the median is printed.
import { build } from "esbuild";

const out = await build({ entryPoints: ["src/diff.ts"], bundle: true, format: "esm", platform: "node", write: false });
const { diffLines, hunks } = await import("data:text/javascript;base64," + Buffer.from(out.outputFiles[0].text).toString("base64"));

/** A deterministic pseudo-random generator, so every run measures the same inputs. */
function lcg(seed) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const code = (n) => Array.from({ length: n }, (_, i) => `    value_${i} = compute(${i}, "some text")  # line ${i}`);
const cases = [];
{
  const a = code(300);
  const b = [...a];
  b[40] = "    cos.restype = ctypes.c_double";
  b.splice(120, 0, "    # a new line");
  cases.push(["300-line file, 2 changes (a typical attempt)", a, b]);
}
{
  const a = code(6000); // about 256 KiB, the submission limit
  const b = a.map((l, i) => (i % 50 === 0 ? l + " # changed" : l));
  cases.push(["6,000 lines (~320 KiB, more than a submission may have), every 50th line changed (120 lines: 240 edits)", a, b]);
}
{
  const a = code(6000);
  const b = a.map((l, i) => (i % 10 === 0 ? l + " # changed" : l));
  cases.push(["6,000 lines, every 10th line changed (600 lines: 1,200 edits)", a, b]);
}
{
  const a = code(6000);
  const b = a.map((l, i) => (i % 4 === 0 ? l + " # changed" : l));
  cases.push(["6,000 lines, every 4th line changed (1,500 lines: 3,000 edits, over the cap)", a, b]);
}
{
  const r = lcg(7);
  const words = ["a", "b", "c", "d"];
  const a = Array.from({ length: 6000 }, () => words[Math.floor(r() * 4)]);
  const b = Array.from({ length: 6000 }, () => words[Math.floor(r() * 4)]);
  cases.push(["6,000 random lines against 6,000 others (worst case: cap)", a, b]);
}

console.log("| case | edits found | capped | median ms |");
console.log("| --- | --- | --- | --- |");
for (const [name, a, b] of cases) {
  const times = [];
  let result;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    result = diffLines(a.join("\n"), b.join("\n"));
    hunks(result.lines);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  console.log(`| ${name} | ${result.added + result.deleted} | ${result.capped ? "yes" : "no"} | ${times[2].toFixed(1)} |`);
}
