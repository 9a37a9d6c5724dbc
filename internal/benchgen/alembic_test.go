package benchgen

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

// The Python models must declare what strata loads from the Go models of
// the same options: the same tables, columns in order, and index and
// foreign key names. Whether Alembic agrees with the database strata
// builds is checked by bench/compare.sh, which needs Python and servers.
func TestAlembic(t *testing.T) {
	const n = 60 // two files
	for _, d := range []dialect.Name{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
		for _, add := range []bool{false, true} {
			o := AlembicOptions{ModelOptions: ModelOptions{N: n, Seed: 3, AddColumn: add}, Dialect: d, URL: "sqlite:///x%20y.db"}
			name := string(d)
			if add {
				name += "+1col"
			}
			t.Run(name, func(t *testing.T) {
				files, err := Alembic(o)
				if err != nil {
					t.Fatal(err)
				}
				again, err := Alembic(o)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(files, again); diff != "" {
					t.Fatalf("two runs differ (-first +second):\n%s", diff)
				}
				var py bytes.Buffer
				textSize := ""
				paths := map[string]bool{}
				for _, f := range files {
					paths[f.Path] = true
					if strings.HasPrefix(f.Path, "benchmodels/m_") {
						py.Write(f.Data)
					}
					if m := pyTextSize.FindSubmatch(f.Data); f.Path == "benchmodels/base.py" && m != nil {
						textSize = string(m[1])
					}
				}
				for _, p := range []string{"alembic.ini", "alembic/env.py", "alembic/script.py.mako", "benchmodels/__init__.py", "benchmodels/base.py", "benchmodels/m_001.py"} {
					if !paths[p] {
						t.Errorf("no %s", p)
					}
				}
				ini := string(files[0].Data)
				if !strings.Contains(ini, "sqlalchemy.url = sqlite:///x%%20y.db\n") {
					t.Errorf("alembic.ini does not carry the escaped URL:\n%s", ini)
				}
				if diff := cmp.Diff(strataShape(t, o.ModelOptions, d), pythonShape(py.String(), textSize)); diff != "" {
					t.Errorf("Python models differ from the Go ones (-go +python):\n%s", diff)
				}
			})
		}
	}
}

// shape lists, per table, its columns in order, its index names, its
// foreign key names and the sizes of its string columns.
type shape map[string][]string

func strataShape(t *testing.T, o ModelOptions, d dialect.Name) shape {
	t.Helper()
	files, err := Models(o)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	realm, err := model.Load(context.Background(), dir, []string{"./..."}, d)
	if err != nil {
		t.Fatal(err)
	}
	sizes := regexp.MustCompile(`\((\d+)\)`)
	s := shape{}
	for _, tab := range realm.Schemas[0].Tables {
		var v []string
		for _, c := range tab.Columns {
			item := "col " + c.Name
			if m := sizes.FindStringSubmatch(c.Type.Raw); m != nil && strings.Contains(c.Type.Raw, "char") {
				item += " " + m[1]
			}
			v = append(v, item)
		}
		for _, idx := range tab.Indexes {
			v = append(v, "index "+idx.Name)
		}
		for _, fk := range tab.ForeignKeys {
			v = append(v, "fk "+fk.Symbol+" "+fk.RefTable.Name)
		}
		s[tab.Name] = v
	}
	return s
}

var (
	pyTable = regexp.MustCompile(`__tablename__ = "(\w+)"`)
	pyIndex = regexp.MustCompile(`sa\.Index\("(\w+)"`)
	pyCol   = regexp.MustCompile(`(?m)^    (\w+) = sa\.Column\((?:sa\.String\((\d+)\)|(TEXT))?`)
	pyFK    = regexp.MustCompile(`sa\.ForeignKey\("(\w+)\.id", name="(\w+)"\)`)
	// pyTextSize finds the size of TEXT when base.py makes it a string.
	pyTextSize = regexp.MustCompile(`(?m)^TEXT = sa\.String\((\d+)\)`)
)

// pythonShape reads the shape of the models in py; textSize is the size
// TEXT stands for, if any.
func pythonShape(py, textSize string) shape {
	s := shape{}
	for _, class := range strings.Split(py, "\nclass ")[1:] {
		name := pyTable.FindStringSubmatch(class)[1]
		var v []string
		for _, m := range pyCol.FindAllStringSubmatch(class, -1) {
			item := "col " + m[1]
			switch {
			case m[2] != "":
				item += " " + m[2]
			case m[3] != "" && textSize != "":
				item += " " + textSize
			}
			v = append(v, item)
		}
		for _, m := range pyIndex.FindAllStringSubmatch(class, -1) {
			v = append(v, "index "+m[1])
		}
		for _, m := range pyFK.FindAllStringSubmatch(class, -1) {
			v = append(v, "fk "+m[2]+" "+m[1])
		}
		s[name] = v
	}
	return s
}

func TestAlembicInvalid(t *testing.T) {
	for name, o := range map[string]AlembicOptions{
		"no tables":  {ModelOptions: ModelOptions{N: 0}, Dialect: dialect.Postgres, URL: "x"},
		"no dialect": {ModelOptions: ModelOptions{N: 1}, URL: "x"},
		"no URL":     {ModelOptions: ModelOptions{N: 1}, Dialect: dialect.Postgres},
	} {
		if _, err := Alembic(o); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}
