package versions

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/strata-db/strata/dialect"
)

// The database keeps the whole file of every applied revision in
// <version_table>_revisions, written in the transaction that records the
// revision applied and deleted in the one that records it reverted. A
// revision applied on another git branch is therefore never stranded:
// Sync rolls it back with the downgrade stored beside it, although its
// file is not in the checkout.

// revisionsName is the table of stored revisions.
func (t table) revisionsName() string { return OwnTables(t.name)[2] }

// nowColumn is a column type stamped by the server when the row is written,
// so a --sql script records when it ran.
func (t table) nowColumn() string {
	return map[dialect.Name]string{
		dialect.Postgres: "timestamptz NOT NULL DEFAULT now()",
		dialect.MySQL:    "datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)",
		dialect.SQLite:   "text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
	}[t.d]
}

func (t table) createRevisions() string {
	long := "text"
	if t.d == dialect.MySQL {
		long = "longtext"
	}
	q := t.d.Quote
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s varchar(32) NOT NULL, %s text NOT NULL, %s text NOT NULL, %s varchar(255) NOT NULL, %s varchar(64) NOT NULL, %s %s NOT NULL, %s %s, CONSTRAINT %s PRIMARY KEY (%s))",
		t.ref(t.revisionsName()), q("revision"), q("revises"), q("depends_on"), q("file"), q("checksum"), q("content"), long, q("stored_at"), t.nowColumn(),
		q(t.revisionsName()+"_pkc"), q("revision"))
}

// creates returns the statements creating strata's own tables.
func (t table) creates() []string {
	return []string{t.create(), t.createHistory(), t.createRevisions()}
}

// base64Prefix marks stored content that is not valid UTF-8 text (or holds
// a NUL byte): a text column on PostgreSQL refuses such bytes.
const base64Prefix = "base64:"

// compressPrefix marks, on MySQL, a stored file of compressFrom bytes or
// more: what follows is the base64 of MySQL's COMPRESS() format (the
// file's length in four bytes, low byte first, then a zlib stream), so
// UNCOMPRESS(FROM_BASE64(SUBSTRING(content, 10))) reads it back in SQL.
// InnoDB stores long text as it is: the 860 KB of a revision of 1,000
// tables, written at the end of its run, cost MariaDB 0.1 to 0.5 s more
// disk work on the project's machine; compressed it is 55 KB.
// (PostgreSQL compresses long values itself; SQLite is a local file.)
const (
	compressPrefix = "compress:"
	compressFrom   = 64 << 10
)

// encodeContent is a revision file's text as the revisions table stores it
// on dialect d.
func encodeContent(d dialect.Name, data []byte) string {
	if d == dialect.MySQL && len(data) >= compressFrom && len(data) <= math.MaxUint32 {
		var buf bytes.Buffer
		buf.Grow(len(data)/8 + 64)
		buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(data))))
		// BestSpeed: the 860 KB revision becomes 41 KB (BenchmarkStoreLarge
		// writes its statement in about 1.5 ms).
		zw, err := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
		if err == nil {
			zw.Write(data) // a bytes.Buffer does not fail
			if err = zw.Close(); err == nil {
				return compressPrefix + base64.StdEncoding.EncodeToString(buf.Bytes())
			}
		}
	}
	if utf8.Valid(data) && !strings.ContainsRune(string(data), 0) {
		return string(data)
	}
	return base64Prefix + base64.StdEncoding.EncodeToString(data)
}

// decodeContent is encodeContent undone, whatever the dialect.
func decodeContent(s string) ([]byte, error) {
	if b64, ok := strings.CutPrefix(s, base64Prefix); ok {
		return base64.StdEncoding.DecodeString(b64)
	}
	if b64, ok := strings.CutPrefix(s, compressPrefix); ok {
		packed, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("compressed content: %w", err)
		}
		if len(packed) < 4 {
			return nil, errors.New("compressed content: no length")
		}
		size := binary.LittleEndian.Uint32(packed)
		zr, err := zlib.NewReader(bytes.NewReader(packed[4:]))
		if err != nil {
			return nil, fmt.Errorf("compressed content: %w", err)
		}
		data := make([]byte, 0, min(int(size), 64<<20))
		buf := bytes.NewBuffer(data)
		if _, err := io.Copy(buf, zr); err != nil {
			return nil, fmt.Errorf("compressed content: %w", err)
		}
		if buf.Len() != int(size) {
			return nil, fmt.Errorf("compressed content: %d bytes, but its length says %d", buf.Len(), size)
		}
		return buf.Bytes(), nil
	}
	return []byte(s), nil
}

// store returns the statements that record r's file as applied (up) or
// forget it (down): one upsert or one delete. A revision whose source is
// unknown (built in memory, not read from a file) is only forgotten.
func (t table) store(r *Revision, up bool) []string {
	q, l := t.d.Quote, t.d.Literal
	if !up || r.Source == nil {
		return []string{fmt.Sprintf("DELETE FROM %s WHERE %s = %s", t.ref(t.revisionsName()), q("revision"), l(r.ID))}
	}
	quoted := t.storedColumns()
	content := encodeContent(t.d, r.Source)
	var b strings.Builder
	// MySQL and SQLite replace a row with the same key; PostgreSQL upserts.
	verb := "REPLACE"
	if t.d == dialect.Postgres {
		verb = "INSERT"
	}
	t.storeHead(&b, verb, quoted, len(content))
	t.writeStoredValues(&b, r, content)
	if t.d == dialect.Postgres {
		fmt.Fprintf(&b, " ON CONFLICT (%s) DO UPDATE SET ", q("revision"))
		for _, c := range quoted[1:] {
			b.WriteString(c + " = EXCLUDED." + c + ", ")
		}
		b.WriteString(q("stored_at") + " = now()")
	}
	return []string{b.String()}
}

// storeHead starts, in b, the statement (INSERT or REPLACE) writing rows of
// the revisions table up to VALUES, with room for content bytes of stored
// files besides.
func (t table) storeHead(b *strings.Builder, verb string, quoted []string, content int) {
	head := verb + " INTO " + t.ref(t.revisionsName()) + " (" + strings.Join(quoted, ", ") + ") VALUES "
	// Room for the files' text, which grows a little when quoted (a
	// doubled quote or backslash), and the rest of the rows, which are
	// short: WriteLiteral then finds the room it asks for.
	b.Grow(len(head) + content + content/8 + 512)
	b.WriteString(head)
}

// storedColumns are the quoted columns store writes.
func (t table) storedColumns() []string {
	cols := []string{"revision", "revises", "depends_on", "file", "checksum", "content"}
	for i, c := range cols {
		cols[i] = t.d.Quote(c)
	}
	return cols
}

// writeStoredValues writes to b the row store writes for r, whose file is
// stored as content (encodeContent), copied once: a revision of 1,000
// tables is 860 KB.
func (t table) writeStoredValues(b *strings.Builder, r *Revision, content string) {
	b.WriteByte('(')
	for _, v := range []string{r.ID, strings.Join(r.Revises, ","), strings.Join(r.DependsOn, ","), r.File, r.Checksum} {
		t.d.WriteLiteral(b, v)
		b.WriteString(", ")
	}
	t.d.WriteLiteral(b, content)
	b.WriteByte(')')
}

// storeAll is store for several steps' revisions, applied up, on MySQL:
// one REPLACE of all their rows, where one a revision costs the server a
// statement each (35 ms for 500 revisions). ok is false when a step's
// record is not that upsert (a downgrade, a revision with no source, another
// dialect); its caller then records each step with its own statements.
func (t table) storeAll(steps []Step) (stmt string, ok bool) {
	if t.d != dialect.MySQL || len(steps) == 0 {
		return "", false
	}
	contents := make([]string, len(steps))
	size := 0
	for i, st := range steps {
		if !st.Up || st.Revision.Source == nil {
			return "", false
		}
		contents[i] = encodeContent(t.d, st.Revision.Source)
		size += len(contents[i]) + 256
	}
	var b strings.Builder
	t.storeHead(&b, "REPLACE", t.storedColumns(), size)
	for i, st := range steps {
		if i > 0 {
			b.WriteString(", ")
		}
		t.writeStoredValues(&b, st.Revision, contents[i])
	}
	return b.String(), true
}

// storedMeta is a stored revision's row without its content.
type storedMeta struct {
	revises, dependsOn []string
	file, checksum     string
}

// storedMetas reads the links of every stored revision; none when the
// table does not exist (a database upgraded by an earlier strata).
func (t table) storedMetas(ctx context.Context, q querier) (map[string]storedMeta, error) {
	out := map[string]storedMeta{}
	ok, err := t.named(t.revisionsName()).exists(ctx, q)
	if err != nil || !ok {
		return out, err
	}
	qt := t.d.Quote
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT %s, %s, %s, %s, %s FROM %s",
		qt("revision"), qt("revises"), qt("depends_on"), qt("file"), qt("checksum"), t.ref(t.revisionsName())))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.revisionsName(), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, revises, deps string
		var m storedMeta
		if err := rows.Scan(&id, &revises, &deps, &m.file, &m.checksum); err != nil {
			return nil, err
		}
		m.revises, m.dependsOn = splitList(revises), splitList(deps)
		out[id] = m
	}
	return out, rows.Err()
}

// storedRevision reads and parses the stored file of revision id. Its Path
// is "stored:<file>", so messages say where the text came from.
func (t table) storedRevision(ctx context.Context, q querier, id string) (*Revision, error) {
	qt, p := t.d.Quote, t.d.Placeholder
	var file, content string
	err := q.QueryRowContext(ctx, fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s = %s",
		qt("file"), qt("content"), t.ref(t.revisionsName()), qt("revision"), p(1)), id).Scan(&file, &content)
	if err != nil {
		return nil, fmt.Errorf("read stored revision %s: %w", id, err)
	}
	data, err := decodeContent(content)
	if err != nil {
		return nil, fmt.Errorf("stored revision %s: %w", id, err)
	}
	r, err := Parse("stored:"+file, data)
	if err != nil {
		return nil, fmt.Errorf("stored revision %s does not parse: %w", id, err)
	}
	if r.ID != id {
		return nil, fmt.Errorf("stored revision %s declares revision %s", id, r.ID)
	}
	r.File = file
	return r, nil
}
