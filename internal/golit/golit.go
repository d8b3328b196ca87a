// Package golit reads the string literals of Go source files, for tests
// that reuse other tests' inputs as a corpus.
package golit

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
)

// Strings returns, in file and source order, every string literal of the
// Go files matching pattern (filepath.Glob), duplicates included.
func Strings(pattern string) ([]string, error) {
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("golit: %s: %w", pattern, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("golit: no file matches %s", pattern)
	}
	var out []string
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			return nil, fmt.Errorf("golit: %w", err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					out = append(out, s)
				}
			}
			return true
		})
	}
	return out, nil
}
