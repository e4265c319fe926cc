// Command ffilab-goinspect describes Go source files as JSON, for the checks of the Go tracks.
//
//	ffilab-goinspect FILE...
//
// It parses (never compiles or runs) the files a student submitted and prints, per file: the
// package name, the imports (for import "C": its preamble, or the comment that a blank line cut
// off from it), and every function with its parameter types, its //go: and //export directives,
// the calls it makes and the selector expressions it uses (b.N, C.csquare, h.Delete, ...). The
// check judges from this what cannot be seen in a program's output, such as a benchmark that
// ignores b.N or a no-op the compiler may inline. The tool is built into the image, so nothing a
// student writes can change what it reports.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"sort"
	"strings"
)

const maxFileBytes = 1 << 20

type importInfo struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	// Preamble is the comment cgo takes as C code (import "C" only), or null when there is none.
	Preamble     *string `json:"preamble"`
	PreambleLine int     `json:"preambleLine,omitempty"`
	// DetachedComment is the last comment above import "C" when blank lines separate the two:
	// cgo ignores such a comment. Null when there is none (or it is the preamble).
	DetachedComment *detached `json:"detachedComment"`
	// GroupComment is the comment above a parenthesised import list that holds "C" and other
	// imports: it documents the list, and cgo ignores it. Null when there is none.
	GroupComment *detached `json:"groupComment"`
}

type detached struct {
	StartLine  int `json:"startLine"`
	EndLine    int `json:"endLine"`
	BlankLines int `json:"blankLines"`
}

type funcInfo struct {
	Name       string   `json:"name"`
	Recv       string   `json:"recv"`
	Line       int      `json:"line"`
	Params     []string `json:"params"`
	Directives []string `json:"directives"`
	Calls      []string `json:"calls"`
	Selectors  []string `json:"selectors"`
}

type fileInfo struct {
	Name    string       `json:"name"`
	Error   *string      `json:"error"`
	Package string       `json:"package"`
	Imports []importInfo `json:"imports"`
	Funcs   []funcInfo   `json:"funcs"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ffilab-goinspect FILE...")
		os.Exit(2)
	}
	var out struct {
		Files []fileInfo `json:"files"`
	}
	for _, name := range os.Args[1:] {
		out.Files = append(out.Files, inspect(name))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func inspect(name string) fileInfo {
	info := fileInfo{Name: name, Imports: []importInfo{}, Funcs: []funcInfo{}}
	fail := func(err error) fileInfo {
		msg := err.Error()
		info.Error = &msg
		return info
	}
	st, err := os.Lstat(name)
	if err != nil {
		return fail(err)
	}
	if !st.Mode().IsRegular() {
		return fail(fmt.Errorf("%s is not a regular file", name))
	}
	if st.Size() > maxFileBytes {
		return fail(fmt.Errorf("%s is larger than %d bytes", name, maxFileBytes))
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return fail(err)
	}
	fset := token.NewFileSet()
	// A file with syntax errors still yields a partial tree: report both.
	f, perr := parser.ParseFile(fset, name, src, parser.ParseComments|parser.AllErrors)
	if f == nil {
		return fail(perr)
	}
	if perr != nil {
		msg := perr.Error()
		info.Error = &msg
	}
	info.Package = f.Name.Name
	line := func(p token.Pos) int { return fset.Position(p).Line }

	var prevEnd token.Pos = f.Name.End()
	for _, decl := range f.Decls {
		if d, ok := decl.(*ast.GenDecl); ok && d.Tok == token.IMPORT {
			for _, spec := range d.Specs {
				s := spec.(*ast.ImportSpec)
				imp := importInfo{Path: strings.Trim(s.Path.Value, "`\""), Line: line(s.Path.Pos())}
				if imp.Path == "C" {
					// The rule cmd/cgo applies: the spec's doc comment, or the declaration's
					// when it is a single unparenthesised import.
					cg := s.Doc
					if cg == nil && len(d.Specs) == 1 {
						cg = d.Doc
					}
					if cg != nil {
						text := preambleText(cg)
						imp.Preamble = &text
						imp.PreambleLine = line(cg.Pos())
					} else if len(d.Specs) > 1 && d.Doc != nil {
						// A comment above "import (" with more than one import belongs to
						// the whole list: cgo does not read it.
						imp.GroupComment = &detached{StartLine: line(d.Doc.Pos()), EndLine: line(d.Doc.End())}
					} else {
						if d.Lparen.IsValid() {
							imp.DetachedComment = commentAbove(f, fset, d.Lparen, s.Pos())
						}
						if imp.DetachedComment == nil {
							imp.DetachedComment = commentAbove(f, fset, prevEnd, d.Pos())
						}
					}
				}
				info.Imports = append(info.Imports, imp)
			}
		}
		if fd, ok := decl.(*ast.FuncDecl); ok {
			info.Funcs = append(info.Funcs, describeFunc(fd, line))
		}
		prevEnd = decl.End()
	}
	return info
}

// preambleText is the comment's text as cgo reads it (comment markers removed).
func preambleText(cg *ast.CommentGroup) string {
	var b strings.Builder
	for _, c := range cg.List {
		t := c.Text
		switch {
		case strings.HasPrefix(t, "//"):
			t = t[2:]
		case strings.HasPrefix(t, "/*"):
			t = strings.TrimSuffix(t[2:], "*/")
		}
		b.WriteString(t)
		b.WriteString("\n")
	}
	return b.String()
}

// commentAbove finds the last comment group between after and anchor, when only blank lines
// separate it from anchor.
func commentAbove(f *ast.File, fset *token.FileSet, after, anchor token.Pos) *detached {
	var last *ast.CommentGroup
	for _, cg := range f.Comments {
		if cg.Pos() > after && cg.End() < anchor {
			last = cg
		}
	}
	if last == nil {
		return nil
	}
	end := fset.Position(last.End()).Line
	at := fset.Position(anchor).Line
	if at-end < 2 {
		return nil
	}
	return &detached{StartLine: fset.Position(last.Pos()).Line, EndLine: end, BlankLines: at - end - 1}
}

func describeFunc(fd *ast.FuncDecl, line func(token.Pos) int) funcInfo {
	fi := funcInfo{Name: fd.Name.Name, Line: line(fd.Pos()), Params: []string{},
		Directives: []string{}, Calls: []string{}, Selectors: []string{}}
	if fd.Recv != nil && len(fd.Recv.List) > 0 {
		fi.Recv = types.ExprString(fd.Recv.List[0].Type)
	}
	for _, field := range fd.Type.Params.List {
		n := len(field.Names)
		if n == 0 {
			n = 1
		}
		for i := 0; i < n; i++ {
			fi.Params = append(fi.Params, types.ExprString(field.Type))
		}
	}
	if fd.Doc != nil {
		for _, c := range fd.Doc.List {
			if strings.HasPrefix(c.Text, "//go:") || strings.HasPrefix(c.Text, "//export ") {
				fi.Directives = append(fi.Directives, strings.TrimSpace(c.Text))
			}
		}
	}
	if fd.Body == nil {
		return fi
	}
	calls, sels := map[string]bool{}, map[string]bool{}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			calls[types.ExprString(x.Fun)] = true
		case *ast.SelectorExpr:
			sels[types.ExprString(x)] = true
		}
		return true
	})
	fi.Calls = sorted(calls)
	fi.Selectors = sorted(sels)
	return fi
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		if len(k) > 200 {
			k = k[:200]
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
