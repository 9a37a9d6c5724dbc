package diff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
)

// TestEnumValueAdded: a value added to a //strata:enum type is one ALTER
// TYPE ... ADD VALUE, whose downgrade cannot remove it (a warning says
// so); removing a value is refused with the reason.
func TestEnumValueAdded(t *testing.T) {
	p := newProject(t, testdb.New(t, dialect.Postgres))
	p.setModels(moodEnum + item(`Mood Mood`))
	p.mustRun(0, "revision", "--autogenerate", "-m", "v1", "--rev-id", "0001")
	p.mustRun(0, "upgrade", "head")

	p.setModels(moodEnum + "\nconst MoodGreat Mood = \"great\"\n" + item(`Mood Mood`))
	out := p.mustRun(0, "revision", "--autogenerate", "-m", "v2", "--rev-id", "0002")
	if !strings.Contains(out, "~ enum mood: ('sad', 'ok') → ('sad', 'ok', 'great')") || !strings.Contains(out, "PostgreSQL cannot remove enum values") {
		t.Errorf("autogenerate output lacks the change or the warning:\n%s", out)
	}
	up, down := p.sections("0002")
	if want := []string{`ALTER TYPE "mood" ADD VALUE 'great';`}; strings.Join(up, "\n") != want[0] || len(down) != 0 {
		t.Errorf("upgrade %q, downgrade %q; want %q and nothing", up, down, want)
	}
	p.mustRun(0, "upgrade", "head")
	p.matchesModels(p.inspect())
	p.mustRun(0, "check")

	p.setModels(moodEnum + item(`Mood Mood`))
	code, out := p.run("revision", "--autogenerate", "-m", "v3", "--rev-id", "0003")
	if code != 2 || !strings.Contains(out, "PostgreSQL only adds enum values") {
		t.Errorf("removing a value: exit %d, want 2 and the reason\n%s", code, out)
	}
}

// TestEnumUndeclaredKept: a column declared type:NAME of an enum type made
// outside the models keeps the type: no DROP TYPE while a column uses it,
// and it goes with the last column using it.
func TestEnumUndeclaredKept(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	if _, err := db.DB.Exec(`CREATE TYPE mood AS ENUM ('sad', 'ok')`); err != nil {
		t.Fatal(err)
	}
	p := newProject(t, db)
	p.setModels(item(`Mood string «strata:"type:mood;default:'ok'"»`))
	p.mustRun(0, "revision", "--autogenerate", "-m", "v1", "--rev-id", "0001")
	if up, _ := p.sections("0001"); strings.Contains(strings.Join(up, "\n"), "TYPE") {
		t.Errorf("upgrade touches the type:\n%s", p.revisionText())
	}
	p.mustRun(0, "upgrade", "head")
	p.mustRun(0, "check")
	if out := p.mustRun(0, "revision", "--autogenerate", "-m", "again", "--rev-id", "0002"); !strings.Contains(out, "no changes detected") {
		t.Errorf("second autogenerate: want no changes\n%s", out)
	}

	p.setModels(users)
	p.mustRun(0, "revision", "--autogenerate", "-m", "v2", "--rev-id", "0003")
	up, down := p.sections("0003")
	if got := strings.Join(up, "\n"); !strings.HasSuffix(got, `DROP TYPE "mood";`) {
		t.Errorf("upgrade does not end with DROP TYPE:\n%s", got)
	}
	if len(down) == 0 || !strings.HasPrefix(down[0], `CREATE TYPE "mood" AS ENUM ('sad', 'ok')`) {
		t.Errorf("downgrade does not start with CREATE TYPE:\n%s", strings.Join(down, "\n"))
	}
	p.mustRun(0, "upgrade", "head")
	p.mustRun(0, "downgrade", "-1")
	p.mustRun(0, "upgrade", "head")
	p.mustRun(0, "check")
}

// TestDomainColumn: a column declared type:NAME of a domain made outside
// the models round-trips: created as declared, then no change.
func TestDomainColumn(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	if _, err := db.DB.Exec(`CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%')`); err != nil {
		t.Fatal(err)
	}
	p := newProject(t, db)
	p.setModels(item(`Email string «strata:"type:email_address"»`, `Backup *string «strata:"type:email_address"»`))
	p.mustRun(0, "revision", "--autogenerate", "-m", "v1", "--rev-id", "0001")
	p.mustRun(0, "upgrade", "head")
	p.matchesModels(p.inspect())
	p.mustRun(0, "check")
	if out := p.mustRun(0, "revision", "--autogenerate", "-m", "again", "--rev-id", "0002"); !strings.Contains(out, "no changes detected") {
		t.Errorf("second autogenerate: want no changes\n%s", out)
	}
}

// TestEnumOfExcludedTable: an enum type that a table strata does not read
// uses (excluded by the configuration) is not the models': never dropped.
func TestEnumOfExcludedTable(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	if _, err := db.DB.Exec(`CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE legacy_feelings (m mood)`); err != nil {
		t.Fatal(err)
	}
	p := newProject(t, db)
	writeFile(t, p.dir+"/strata.toml", fmt.Sprintf("database_url = %q\nversions_dir = \"migrations\"\nmodels = [\"./models\"]\nexclude = [\"legacy_*\"]\n", db.URL))
	p.setModels(users)
	p.mustRun(0, "revision", "--autogenerate", "-m", "v1", "--rev-id", "0001")
	if up, _ := p.sections("0001"); strings.Contains(strings.Join(up, "\n"), "TYPE") {
		t.Errorf("the revision touches the excluded table's type:\n%s", p.revisionText())
	}
}

// TestEnumUnusedKept: an enum type of the database that no column uses
// (here a function's) and no model declares is not the models' to drop.
func TestEnumUnusedKept(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	if _, err := db.DB.Exec(`CREATE TYPE lonely AS ENUM ('a'); CREATE FUNCTION is_a(x lonely) RETURNS boolean LANGUAGE sql AS 'SELECT x = ''a'''`); err != nil {
		t.Fatal(err)
	}
	p := newProject(t, db)
	p.setModels(users)
	p.mustRun(0, "revision", "--autogenerate", "-m", "v1", "--rev-id", "0001")
	if up, down := p.sections("0001"); strings.Contains(strings.Join(append(up, down...), "\n"), "TYPE") {
		t.Errorf("the revision touches the type:\n%s", p.revisionText())
	}
	p.mustRun(0, "upgrade", "head")
	p.mustRun(0, "check")
}

// TestSequenceDefault: a column whose default takes the next value of a
// sequence made outside the models (the vocabulary's way to name one)
// round-trips, whatever the sequence's name.
func TestSequenceDefault(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	if _, err := db.DB.Exec(`CREATE SEQUENCE order_no_seq; CREATE SEQUENCE ticket_counter`); err != nil {
		t.Fatal(err)
	}
	p := newProject(t, db)
	p.setModels(item(`No int64 «strata:"default:nextval('order_no_seq'::regclass)"»`, `Ticket int64 «strata:"default:nextval('ticket_counter'::regclass)"»`))
	p.mustRun(0, "revision", "--autogenerate", "-m", "v1", "--rev-id", "0001")
	p.mustRun(0, "upgrade", "head")
	p.mustRun(0, "check")
	if out := p.mustRun(0, "revision", "--autogenerate", "-m", "again", "--rev-id", "0002"); !strings.Contains(out, "no changes detected") {
		t.Errorf("second autogenerate: want no changes\n%s", out)
	}
}
