// The code editor: one CodeMirror 6 state per editable file behind a row of tabs, and a gutter that
// marks the lines a verdict's findings point at.

import { basicSetup } from "codemirror";
import { indentWithTab } from "@codemirror/commands";
import { cpp } from "@codemirror/lang-cpp";
import { go } from "@codemirror/lang-go";
import { java } from "@codemirror/lang-java";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import { rust } from "@codemirror/lang-rust";
import { indentUnit, StreamLanguage } from "@codemirror/language";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import { EditorSelection, EditorState, Prec, RangeSet, StateEffect, StateField, type Extension, type Range } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { Decoration, EditorView, GutterMarker, gutter, keymap, type DecorationSet } from "@codemirror/view";
import type { Language, TrackFile } from "./files";

export interface LineMark {
  line: number;
  message: string;
}

class FindingMarker extends GutterMarker {
  constructor(readonly message: string) {
    super();
  }
  eq(other: GutterMarker): boolean {
    return other instanceof FindingMarker && other.message === this.message;
  }
  toDOM(): Node {
    const el = document.createElement("span");
    el.className = "cm-finding-marker";
    el.title = this.message;
    el.setAttribute("aria-label", this.message);
    el.textContent = "\u25cf";
    return el;
  }
}

const setMarks = StateEffect.define<LineMark[]>();
const lineDeco = Decoration.line({ class: "cm-finding-line" });

interface Marks {
  gutter: RangeSet<GutterMarker>;
  lines: DecorationSet;
}

const marksField = StateField.define<Marks>({
  create: () => ({ gutter: RangeSet.empty, lines: Decoration.none }),
  update(marks, tr) {
    let next: Marks = tr.docChanged ? { gutter: marks.gutter.map(tr.changes), lines: marks.lines.map(tr.changes) } : marks;
    for (const effect of tr.effects) {
      if (!effect.is(setMarks)) continue;
      const doc = tr.state.doc;
      // Several findings on one line share one marker whose title lists them all.
      const byLine = new Map<number, string[]>();
      for (const mark of effect.value) {
        if (!Number.isInteger(mark.line) || mark.line < 1 || mark.line > doc.lines) continue;
        const list = byLine.get(mark.line) ?? [];
        if (!list.includes(mark.message)) list.push(mark.message);
        byLine.set(mark.line, list);
      }
      const lines = [...byLine.keys()].sort((a, b) => a - b);
      const gutterRanges: Range<GutterMarker>[] = lines.map((n) => new FindingMarker(byLine.get(n)!.join("\n")).range(doc.line(n).from));
      next = {
        gutter: RangeSet.of(gutterRanges),
        lines: Decoration.set(lines.map((n) => lineDeco.range(doc.line(n).from))),
      };
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (marks) => marks.lines),
});

const findingGutter = gutter({
  class: "cm-finding-gutter",
  markers: (view) => view.state.field(marksField).gutter,
  initialSpacer: () => new FindingMarker(""),
});

function languageSupport(language: Language): Extension {
  switch (language) {
    case "python":
      return python();
    case "c":
    case "cpp":
      return cpp();
    case "rust":
      return rust();
    case "go":
      return [go(), indentUnit.of("\t")];
    case "javascript":
      return javascript();
    case "typescript":
      return javascript({ typescript: true });
    case "json":
      return javascript();
    case "java":
      return java();
    case "toml":
      return StreamLanguage.define(toml);
    default:
      return [];
  }
}

const layout = EditorView.theme({
  "&": { height: "100%" },
  ".cm-scroller": { overflow: "auto" },
});

export interface EditorOptions {
  onChange(): void;
  onRun(): void;
  /** Shows the files without letting anyone change them (an attempt viewed later). */
  readOnly?: boolean;
}

export class FileEditor {
  private readonly states = new Map<string, EditorState>();
  private readonly languages = new Map<string, Language>();
  private readonly tabs = new Map<string, HTMLButtonElement>();
  private readonly view: EditorView;
  private active: string;

  constructor(
    private readonly tabsEl: HTMLElement,
    editorEl: HTMLElement,
    files: TrackFile[],
    contents: Record<string, string>,
    private readonly options: EditorOptions,
  ) {
    if (files.length === 0) throw new Error("no files to edit");
    for (const file of files) {
      this.languages.set(file.name, file.language);
      this.states.set(file.name, this.createState(file.name, contents[file.name] ?? file.content));
    }
    this.active = files[0].name;
    this.renderTabs(files.map((f) => f.name));
    this.view = new EditorView({ state: this.states.get(this.active)!, parent: editorEl });
    this.markActiveTab();
  }

  /** The content of every file, by name. */
  contents(): Record<string, string> {
    this.states.set(this.active, this.view.state);
    const out: Record<string, string> = {};
    for (const [name, state] of this.states) out[name] = state.doc.toString();
    return out;
  }

  fileNames(): string[] {
    return [...this.states.keys()];
  }

  /** Replaces the files' content (reset to starter); undo history starts over. */
  replaceContents(contents: Record<string, string>): void {
    for (const name of this.states.keys()) {
      if (typeof contents[name] === "string") this.states.set(name, this.createState(name, contents[name]));
    }
    this.view.setState(this.states.get(this.active)!);
  }

  show(name: string): void {
    if (!this.states.has(name) || name === this.active) return;
    this.states.set(this.active, this.view.state);
    this.active = name;
    this.view.setState(this.states.get(name)!);
    this.markActiveTab();
  }

  /** Sets the finding markers of every file (files not in the map get none). */
  setMarks(byFile: Map<string, LineMark[]>): void {
    this.states.set(this.active, this.view.state);
    for (const [name, state] of this.states) {
      const effects = setMarks.of(byFile.get(name) ?? []);
      if (name === this.active) this.view.dispatch({ effects });
      else this.states.set(name, state.update({ effects }).state);
    }
  }

  /** Switches to the file and puts the cursor at the start of the line (1-based). */
  revealLine(name: string, line: number): void {
    this.show(name);
    const doc = this.view.state.doc;
    const pos = doc.line(Math.min(Math.max(1, Math.floor(line) || 1), doc.lines)).from;
    this.view.dispatch({
      selection: EditorSelection.cursor(pos),
      effects: EditorView.scrollIntoView(pos, { y: "center" }),
    });
    // Bring the editor itself into the page's view (the click came from the verdict below it).
    this.view.dom.scrollIntoView({ block: "nearest" });
    this.view.focus();
  }

  focus(): void {
    this.view.focus();
  }

  private createState(name: string, doc: string): EditorState {
    return EditorState.create({
      doc,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (this.options.onRun(), true), preventDefault: true }])),
        findingGutter,
        basicSetup,
        keymap.of([indentWithTab]),
        languageSupport(this.languages.get(name) ?? "text"),
        oneDark,
        layout,
        marksField,
        this.options.readOnly ? [EditorState.readOnly.of(true)] : [],
        EditorView.contentAttributes.of({ "aria-label": this.options.readOnly ? `${name} (read-only)` : `Editor for ${name}` }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) this.options.onChange();
        }),
      ],
    });
  }

  private renderTabs(names: string[]): void {
    this.tabsEl.setAttribute("role", "tablist");
    while (this.tabsEl.firstChild) this.tabsEl.removeChild(this.tabsEl.firstChild);
    for (const name of names) {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.className = "editor-tab";
      tab.setAttribute("role", "tab");
      tab.textContent = name;
      tab.addEventListener("click", () => {
        this.show(name);
        this.view.focus();
      });
      this.tabs.set(name, tab);
      this.tabsEl.appendChild(tab);
    }
  }

  private markActiveTab(): void {
    for (const [name, tab] of this.tabs) {
      const active = name === this.active;
      tab.setAttribute("aria-selected", String(active));
      tab.classList.toggle("active", active);
    }
  }
}
