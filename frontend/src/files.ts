// The starter files the page embeds (<script type="application/json" id="track-files">) and how a
// file name from a verdict maps onto them.

export type Language = "python" | "c" | "cpp" | "rust" | "go" | "javascript" | "typescript" | "java" | "toml" | "json" | "text";

export interface TrackFile {
  name: string;
  language: Language;
  content: string;
}

const KNOWN: readonly string[] = ["python", "c", "cpp", "rust", "go", "javascript", "typescript", "java", "toml", "json", "text"];

const BY_EXTENSION: Record<string, Language> = {
  py: "python",
  pyi: "python",
  pyx: "python",
  c: "c",
  h: "c",
  cc: "cpp",
  cpp: "cpp",
  cxx: "cpp",
  hh: "cpp",
  hpp: "cpp",
  hxx: "cpp",
  rs: "rust",
  go: "go",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  ts: "typescript",
  java: "java",
  toml: "toml",
  json: "json",
  gyp: "json",
};

export function inferLanguage(name: string): Language {
  const base = name.split("/").pop() ?? name;
  const dot = base.lastIndexOf(".");
  const ext = dot >= 0 ? base.slice(dot + 1).toLowerCase() : "";
  return BY_EXTENSION[ext] ?? "text";
}

/** Reads the embedded JSON defensively: a bad entry is skipped, never fatal. */
export function parseTrackFiles(json: string | null | undefined): TrackFile[] {
  let data: unknown;
  try {
    data = JSON.parse(json ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: TrackFile[] = [];
  const seen = new Set<string>();
  for (const item of data) {
    if (!item || typeof item !== "object") continue;
    const { name, language, content } = item as Record<string, unknown>;
    if (typeof name !== "string" || !name || seen.has(name)) continue;
    seen.add(name);
    const lang = typeof language === "string" && KNOWN.includes(language.toLowerCase()) ? (language.toLowerCase() as Language) : inferLanguage(name);
    out.push({ name, language: lang, content: typeof content === "string" ? content : "" });
  }
  return out;
}

/**
 * The editor file a verdict's frame points at, or null: an exact name, a path ending in
 * "/name" (tools print the sandbox's work dir), or the same base name when that is unambiguous.
 */
export function matchFile(path: string | null | undefined, names: readonly string[]): string | null {
  if (!path) return null;
  const clean = path.replace(/\\/g, "/");
  if (names.includes(clean)) return clean;
  const suffix = names.filter((n) => clean.endsWith("/" + n));
  if (suffix.length > 0) return suffix.sort((a, b) => b.length - a.length)[0];
  const base = clean.split("/").pop();
  const same = names.filter((n) => n.split("/").pop() === base);
  return same.length === 1 ? same[0] : null;
}
