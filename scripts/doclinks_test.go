package scripts

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The user documentation: the front door, the architecture map, docs/, and
// the hostile corpus's table of differences that docs link to.
func docFiles(t *testing.T) []string {
	t.Helper()
	files := []string{"README.md", "ARCHITECTURE.md"}
	for _, pattern := range []string{"docs/*.md", "testdata/hostile/*.md"} {
		m, err := filepath.Glob(filepath.Join("..", pattern))
		require.NoError(t, err)
		for _, f := range m {
			rel, err := filepath.Rel("..", f)
			require.NoError(t, err)
			files = append(files, rel)
		}
	}
	return files
}

var (
	fence      = regexp.MustCompile("(?s)```.*?```")
	inlineCode = regexp.MustCompile("`[^`\n]*`")
	mdLink     = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	heading    = regexp.MustCompile(`(?m)^#+ (.*)$`)
	htmlAnchor = regexp.MustCompile(`<a id="([^"]+)"`)
	notSlug    = regexp.MustCompile(`[^\p{L}\p{N}_\- ]`)
)

// slug is the anchor GitHub gives a heading.
func slug(h string) string {
	h = notSlug.ReplaceAllString(strings.ToLower(strings.TrimSpace(h)), "")
	return strings.ReplaceAll(h, " ", "-")
}

func anchorsOf(text string) map[string]bool {
	a := map[string]bool{}
	for _, m := range heading.FindAllStringSubmatch(fence.ReplaceAllString(text, ""), -1) {
		a[slug(m[1])] = true
	}
	for _, m := range htmlAnchor.FindAllStringSubmatch(text, -1) {
		a[m[1]] = true
	}
	return a
}

// brokenLinks lists the relative links of the files under root that point
// at no file, or at no heading of an existing Markdown file.
func brokenLinks(t *testing.T, root string, files []string) []string {
	t.Helper()
	var broken []string
	for _, f := range files {
		text, err := os.ReadFile(filepath.Join(root, f))
		require.NoError(t, err)
		prose := inlineCode.ReplaceAllString(fence.ReplaceAllString(string(text), ""), "")
		for _, m := range mdLink.FindAllStringSubmatch(prose, -1) {
			link := m[1]
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			path, frag, _ := strings.Cut(link, "#")
			target := filepath.Join(filepath.Dir(f), path)
			if path == "" {
				target = f
			}
			body, err := os.ReadFile(filepath.Join(root, target))
			if err != nil {
				if _, statErr := os.Stat(filepath.Join(root, target)); statErr != nil {
					broken = append(broken, f+": "+link+" (no such file)")
				}
				continue
			}
			if frag != "" && strings.HasSuffix(target, ".md") && !anchorsOf(string(body))[frag] {
				broken = append(broken, f+": "+link+" (no such heading)")
			}
		}
	}
	return broken
}

// TestDocLinks: every relative link in the documentation reaches a file and,
// where it names one, a heading.
func TestDocLinks(t *testing.T) {
	assert.Empty(t, brokenLinks(t, "..", docFiles(t)))
}

// TestDocLinksFindBreakage: the checker itself sees a missing file and a
// missing heading.
func TestDocLinksFindBreakage(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.md"), []byte("# A `title`\n\n"+
		"[ok](#a-title) [ok](b.md#the-b-part) [gone](c.md) [bad](b.md#nope) `[code](x.md)`\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.md"), []byte("## The B part\n"), 0o644))
	assert.Equal(t, []string{"a.md: c.md (no such file)", "a.md: b.md#nope (no such heading)"},
		brokenLinks(t, dir, []string{"a.md", "b.md"}))
}
