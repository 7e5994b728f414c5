package sqlstore

import (
	"testing"
	"testing/fstest"
)

func TestLoadMigrations(t *testing.T) {
	one := &fstest.MapFile{Data: []byte("SELECT 1;")}
	ms, err := LoadMigrations(fstest.MapFS{
		"migrations/0002_b.sql": one, "migrations/0001_a.sql": one, "migrations/README": one,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Name != "0001_a" || ms[1].Name != "0002_b" || ms[1].Version != 2 {
		t.Errorf("LoadMigrations = %+v, want 0001_a then 0002_b", ms)
	}

	for name, fsys := range map[string]fstest.MapFS{
		"gap":        {"migrations/0001_a.sql": one, "migrations/0003_c.sql": one},
		"duplicate":  {"migrations/0001_a.sql": one, "migrations/0001_b.sql": one},
		"unnumbered": {"migrations/init.sql": one},
	} {
		if _, err := LoadMigrations(fsys); err == nil {
			t.Errorf("%s: LoadMigrations succeeded", name)
		}
	}
}
