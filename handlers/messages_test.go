package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// messageSources are the packages whose messages reach a user through .T:
// domain errors and field messages, the statistics' and the importer's
// refusals, and the handlers' own error pages.
var messageSources = []string{"../internal/tryggspor", "../internal/stats", "../internal/importer", "../store", "."}

// messageArg is which argument of a call is a user-facing message, by the
// called function's name: the domain's error constructors (called bare
// inside package tryggspor, qualified elsewhere), the sign-in refusal that
// hands its format to Forbidden, echo's HTTP errors, the handlers' sign-in
// failure pages.
var messageArg = map[string]int{
	"Conflict": 0, "Forbidden": 0, "Invalid": 0, "NotFound": 0, "Limit": 0,
	"refuse": 0, "NewHTTPError": 1, "signinTrouble": 2, "loginChooser": 3,
	// The reasons the web layer gives its own refusals in the audit log,
	// shown to the data-protection officer.
	"auditDenied": 2, "auditSignin": 1,
}

// messageFuncs return a message (or "") that callers put in a FieldErrors or
// a Forbidden through a variable: every string they return is a message.
var messageFuncs = map[string]bool{"TextProblem": true, "schoolProblem": true, "outsideTrust": true, "from": true}

// shownFields are the struct fields whose text the templates put through .T,
// set in a composite literal or by assignment.
var shownFields = map[string]bool{"Message": true, "Error": true, "Flash": true, "Label": true}

// TestEveryMessageHasEnglish fails on any message a user can meet in bokmål
// on an English page: every string literal given to the domain's error
// constructors, FieldErrors (Add and literals), echo.NewHTTPError and the
// handlers' message fields, and every literal given to .T in a template.
//
// A message built with a value is checked as the pattern the catalogue holds
// for it (see translatePattern): fmt verbs stay as they are, and each
// operand of a concatenation that is not a literal or a constant becomes
// %s, so "Et samtykke kan gjelde høyst "+strconv.Itoa(n)+" måneder." is
// looked up as "Et samtykke kan gjelde høyst %s måneder.". A message held in
// a variable is not checked where it is used (it comes from a message
// function above, a map, or another message already checked), and a format
// that is itself a parameter (refuse's Forbidden(format, args...)) is
// checked at refuse's callers.
func TestEveryMessageHasEnglish(t *testing.T) {
	need := map[string]string{}
	for _, dir := range messageSources {
		for nb, where := range sourceMessages(t, dir) {
			need[nb] = where
		}
	}
	for nb, where := range templateMessages(t) {
		need[nb] = where
	}
	if len(need) < 100 {
		t.Fatalf("only %d messages found; is the scan broken?", len(need))
	}
	var missing []string
	for nb, where := range need {
		if _, ok := englishOf(nb); !ok {
			missing = append(missing, where+": «"+nb+"»")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no English for %s", m)
	}
}

// sourceMessages parses the non-test Go files of dir and returns each
// message (as its catalogue key) with where it was found.
func sourceMessages(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	consts := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		collectConsts(f, consts)
	}
	out := map[string]string{}
	for _, f := range parsed {
		m := messageScan{fset: fset, consts: consts, out: out, fieldErrs: fieldErrorVars(f)}
		ast.Inspect(f, m.visit)
	}
	return out
}

// collectConsts records the package's string constants, so a message named
// by a constant is checked too.
func collectConsts(f *ast.File, consts map[string]string) {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						consts[n.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
	}
}

// isFieldErrors reports whether a type expression is FieldErrors or
// tryggspor.FieldErrors.
func isFieldErrors(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "FieldErrors"
	case *ast.SelectorExpr:
		return x.Sel.Name == "FieldErrors"
	case *ast.StarExpr:
		return isFieldErrors(x.X)
	}
	return false
}

// fieldErrorVars are the names the file gives FieldErrors values (by a
// composite literal, a var or a parameter), so that fe.Add is told apart
// from a header's or echo's Add. Names are per file, which is enough here.
func fieldErrorVars(f *ast.File) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for i, r := range x.Rhs {
				if cl, ok := r.(*ast.CompositeLit); ok && isFieldErrors(cl.Type) && i < len(x.Lhs) {
					if id, ok := x.Lhs[i].(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			if x.Type != nil && isFieldErrors(x.Type) {
				for _, id := range x.Names {
					names[id.Name] = true
				}
			}
		case *ast.Field:
			if isFieldErrors(x.Type) {
				for _, id := range x.Names {
					names[id.Name] = true
				}
			}
		}
		return true
	})
	return names
}

type messageScan struct {
	fset      *token.FileSet
	consts    map[string]string
	fieldErrs map[string]bool
	out       map[string]string
}

func (m messageScan) add(e ast.Expr, what string) {
	if key, ok := m.key(e); ok && hasWords(key) {
		m.out[key] = m.fset.Position(e.Pos()).String() + " (" + what + ")"
	}
}

// key is the catalogue key of a message expression: a literal or constant
// as it is, fmt.Sprintf's format, a concatenation with %s for each part
// that is not constant. Anything else (a variable, a call) is not a message
// of its own here.
func (m messageScan) key(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := m.consts[x.Name]
		return s, ok
	case *ast.ParenExpr:
		return m.key(x.X)
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(x.Args) > 0 {
			return m.key(x.Args[0])
		}
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		var b strings.Builder
		constant := false
		for _, part := range []ast.Expr{x.X, x.Y} {
			if s, ok := m.key(part); ok {
				b.WriteString(s)
				constant = true
			} else {
				b.WriteString("%s")
			}
		}
		return b.String(), constant
	}
	return "", false
}

// hasWords reports whether a message key has text of its own beside its
// placeholders: "%s %s: %s." is put together from parts translated one by
// one, and "%s" passes on a message checked where it was made.
func hasWords(key string) bool {
	return strings.ContainsFunc(patternVerb.ReplaceAllString(key, ""), unicode.IsLetter)
}

func calledName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func (m messageScan) visit(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.CallExpr:
		name := calledName(x.Fun)
		if i, ok := messageArg[name]; ok && i < len(x.Args) {
			m.add(x.Args[i], name)
		}
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Add" && len(x.Args) == 2 {
			if id, ok := sel.X.(*ast.Ident); ok && m.fieldErrs[id.Name] {
				m.add(x.Args[1], "FieldErrors.Add")
			}
		}
	case *ast.CompositeLit:
		if x.Type != nil && isFieldErrors(x.Type) {
			for _, el := range x.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					m.add(kv.Value, "FieldErrors")
				}
			}
		}
		// A page's Message, Error or Flash, and a label (of a form field,
		// an event, a figure), are shown through .T.
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && shownFields[id.Name] {
					m.add(kv.Value, id.Name)
				}
			}
		}
	case *ast.AssignStmt:
		for i, l := range x.Lhs {
			if i >= len(x.Rhs) {
				break
			}
			if sel, ok := l.(*ast.SelectorExpr); ok && shownFields[sel.Sel.Name] {
				m.add(x.Rhs[i], sel.Sel.Name)
			}
			if id, ok := l.(*ast.Ident); ok && id.Name == "msg" {
				m.add(x.Rhs[i], "msg")
			}
		}
	case *ast.FuncDecl:
		if messageFuncs[x.Name.Name] && x.Body != nil {
			ast.Inspect(x.Body, func(n ast.Node) bool {
				if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
					m.add(r.Results[0], x.Name.Name+" result")
				}
				return true
			})
		}
	}
	return true
}

// templateT finds the literal argument of .T, $.T, $P.T and .P.T in a
// template ({{.T "…"}}, {{$.T "…"}}, ($P.T "…")), and the Label, Hint and
// Message given to the "field" and "error-summary" templates, which put
// them through .P.T.
var templateT = regexp.MustCompile(`(?:\.T|"Label"|"Hint"|"Message")\s+("(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `)`)

// templateMessages is every literal translated in the templates.
func templateMessages(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, sm := range templateT.FindAllSubmatchIndex(b, -1) {
			s, err := strconv.Unquote(string(b[sm[2]:sm[3]]))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			line := 1 + strings.Count(string(b[:sm[0]]), "\n")
			out[s] = name + ":" + strconv.Itoa(line) + " (template)"
		}
	}
	return out
}
