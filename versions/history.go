package versions

import (
	"bufio"
	"io"
	"slices"
	"strings"
)

// DrawHistory writes revs (newest first, as Range returns them) as a graph in
// the manner of `git log --graph`, so branches and merges are visible.
// describe returns the text for a revision: its first line goes beside the
// revision's '*', further lines below it.
func DrawHistory(w io.Writer, revs []*Revision, describe func(*Revision) []string) error {
	in := make(map[*Revision]bool, len(revs))
	for _, r := range revs {
		in[r] = true
	}
	bw := bufio.NewWriter(w)
	var cols []*Revision // the revision each column is waiting for
	line := make([]byte, 0, 64)
	emit := func() {
		bw.Write(trimRight(line))
		bw.WriteByte('\n')
	}
	// blank fills line with n columns of '|' at even positions.
	blank := func(n int) {
		line = line[:0]
		for i := 0; i < n; i++ {
			if i > 0 {
				line = append(line, ' ')
			}
			line = append(line, '|')
		}
	}
	put := func(pos int, c byte) {
		for len(line) <= pos {
			line = append(line, ' ')
		}
		line[pos] = c
	}
	for _, r := range revs {
		idx := slices.Index(cols, r)
		if idx < 0 {
			cols = append(cols, r)
			idx = len(cols) - 1
		}
		// Several children waited for r: fold their columns into idx.
		for j := idx + 1; j < len(cols); {
			if cols[j] != r {
				j++
				continue
			}
			blank(j)
			for p := 2*idx + 1; p < 2*j-2; p += 2 {
				put(p, '_')
			}
			put(2*j-1, '/')
			for k := j + 1; k < len(cols); k++ {
				put(2*k-1, '/')
			}
			emit()
			cols = slices.Delete(cols, j, j+1)
		}
		blank(len(cols))
		line[2*idx] = '*'
		text := describe(r)
		first := ""
		if len(text) > 0 {
			first = text[0]
		}
		bw.Write(line)
		bw.WriteString(" " + first + "\n")
		var parents []*Revision
		for _, p := range r.parents {
			if in[p] {
				parents = append(parents, p)
			}
		}
		for _, more := range text[min(1, len(text)):] {
			blank(len(cols))
			if len(parents) == 0 {
				line[2*idx] = ' ' // the line ends here
			}
			bw.Write(line)
			bw.WriteString(" " + more + "\n")
		}
		if len(parents) == 0 {
			cols = slices.Delete(cols, idx, idx+1)
			if idx < len(cols) {
				blank(idx)
				for k := idx; k < len(cols); k++ {
					put(2*k+1, '/')
				}
				emit()
			}
			continue
		}
		cols[idx] = parents[0]
		for n, p := range parents[1:] {
			at := idx + 1 + n
			blank(at)
			put(2*(at-1)+1, '\\')
			for k := at; k < len(cols); k++ {
				put(2*k+1, '\\')
			}
			emit()
			cols = slices.Insert(cols, at, p)
		}
	}
	return bw.Flush()
}

func trimRight(b []byte) []byte {
	return []byte(strings.TrimRight(string(b), " "))
}
