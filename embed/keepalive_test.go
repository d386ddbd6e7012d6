package embed_test

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rawPointerSources are object.go's own functions, which hand the raw
// pointer to their callers (who are checked) or manage the reference.
var rawPointerSources = map[string]bool{"use": true, "validate": true, "newObject": true, "newDetachedObject": true}

// singletons are the static None/True/False handles: no reference, no
// cleanup, nothing to keep alive.
var singletons = map[string]bool{"noneObject": true, "trueObject": true, "falseObject": true}

// Every function of package embed that takes an *Object's raw pointer
// (py.use(o), py.validate(o) or o.ptr) must call runtime.KeepAlive(o) too,
// or the garbage collector may queue o's reference while C still uses it
// (TestObjectsStayAliveWhileCUsesThem shows it happen). This check makes
// forgetting it fail the tests.
func TestEveryRawPointerUseKeepsItsObjectAlive(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var missing []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || rawPointerSources[fn.Name.Name] {
				continue
			}
			used, kept, discarded := map[string]token.Pos{}, map[string]bool{}, map[ast.Node]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.AssignStmt:
					// _, err := py.use(o) only checks o: no pointer to keep.
					if id, ok := x.Lhs[0].(*ast.Ident); ok && id.Name == "_" && len(x.Rhs) == 1 {
						discarded[x.Rhs[0]] = true
					}
				case *ast.CallExpr:
					if sel, ok := x.Fun.(*ast.SelectorExpr); ok && len(x.Args) == 1 && !discarded[x] {
						switch {
						case (sel.Sel.Name == "use" || sel.Sel.Name == "validate") && exprString(sel.X) == "py":
							used[exprString(x.Args[0])] = x.Pos()
						case sel.Sel.Name == "KeepAlive" && exprString(sel.X) == "runtime":
							kept[exprString(x.Args[0])] = true
						}
					}
				case *ast.SelectorExpr:
					if x.Sel.Name == "ptr" && !singletons[exprString(x.X)] {
						if _, isCall := x.X.(*ast.CallExpr); !isCall {
							used[exprString(x.X)] = x.Pos()
						}
					}
				}
				return true
			})
			for obj, pos := range used {
				if !kept[obj] {
					missing = append(missing, fset.Position(pos).String()+": "+fn.Name.Name+" uses the raw pointer of "+obj+" without runtime.KeepAlive("+obj+")")
				}
			}
		}
	}
	sort.Strings(missing)
	require.Empty(t, missing)
}

func exprString(e ast.Expr) string {
	var b strings.Builder
	_ = printer.Fprint(&b, token.NewFileSet(), e)
	return b.String()
}
