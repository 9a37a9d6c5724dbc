package introspect_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
)

func TestInspectSelectsTables(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		for _, name := range []string{"app_users", "app_orders", "app_tmp_x", "legacy", "strata_version"} {
			if _, err := db.DB.Exec("CREATE TABLE " + db.Dialect.Quote(name) + " (id int)"); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name string
			o    introspect.Options
			want []string
		}{
			{"all but strata's", introspect.Options{Skip: []string{"strata_version"}}, []string{"app_orders", "app_tmp_x", "app_users", "legacy"}},
			{"include", introspect.Options{Include: []string{"app_*"}, Skip: []string{"strata_version"}}, []string{"app_orders", "app_tmp_x", "app_users"}},
			{"exclude wins", introspect.Options{Include: []string{"app_*"}, Exclude: []string{"*_tmp_*"}}, []string{"app_orders", "app_users"}},
			{"nothing", introspect.Options{Include: []string{"none_*"}}, []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				drv, err := introspect.Driver(db.DB, db.Dialect)
				if err != nil {
					t.Fatal(err)
				}
				s, err := introspect.Inspect(context.Background(), drv, db.DB, db.Dialect, tt.o)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, tb := range s.Tables {
					got = append(got, tb.Name)
					if len(tb.Columns) != 1 {
						t.Errorf("table %s inspected with %d columns, want 1", tb.Name, len(tb.Columns))
					}
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestOptionsBadPattern(t *testing.T) {
	_, err := introspect.Options{Include: []string{"[a-"}}.Match("x")
	if err == nil || err.Error() != `include pattern "[a-": syntax error in pattern` {
		t.Errorf("err = %v", err)
	}
}
