package model

import (
	"go/types"
	"strings"

	"github.com/jinzhu/inflection"
)

// gormRel is one association (schema.Relationship).
type gormRel struct {
	s, field *gormSchema // the owner of the field, and the associated model
	f        *gormField
	kind     relKind
	primary  []*gormField
	foreign  []*gormField
	own      bool // OwnPrimaryKey: the key is on the associated model (has)
	join     *gormSchema
	// joinName names a join table's key after the model it references
	// (the field's name for a self-reference), for the constraint name.
	joinName string
}

// relKind is the kind of an association.
type relKind int

const (
	relBelongs     relKind = iota + 1 // the key is on the owner of the field
	relHas                            // has-one or has-many: the key is on the associated model
	relMany2Many                      // through a join table
	relPolymorphic                    // no foreign key, as GORM makes none
	relJoinKey                        // a join table's key to one side
)

// relations reads the associations of s (once), as parseRelation.
func (r *gormReader) relations(s *gormSchema) {
	if s.relsDone {
		return
	}
	s.relsDone = true
	for _, f := range s.assoc {
		if f.noMigr {
			continue
		}
		n := named(f.typ)
		if n == nil {
			r.l.errorf(f.pos, "field %s.%s: GORM cannot store Go type %s (not a column type, nor an association); add gorm:\"-\" or a serializer", s.name, f.name, f.typ)
			continue
		}
		fs := r.schema(n)
		if fs == nil {
			continue
		}
		if f.bind > 1 {
			r.l.warnf(f.pos, "field %s.%s: an association inside an embedded struct; strata reads it as one of %s itself, without GORM's extra guesses for embedded associations; check its foreign key with strata models", s.name, f.name, s.name)
		}
		rel := &gormRel{s: s, field: fs, f: f}
		_, slice := f.typ.Underlying().(*types.Slice)
		switch m2m := f.set["MANY2MANY"]; {
		case hasPolymorphic(f.set):
			rel.kind = relPolymorphic // GORM makes no foreign key for these
		case m2m != "":
			if !r.many2many(rel, m2m) {
				continue
			}
		case !slice:
			if !r.guess(rel, s == fs, false) && !r.guess(rel, true, true) {
				continue
			}
		default:
			if !r.guess(rel, false, false) {
				continue
			}
		}
		s.rels = append(s.rels, rel)
		if rel.kind == relHas {
			r.hasInto[fs] = append(r.hasInto[fs], rel)
		}
		r.relations(fs)
	}
}

func hasPolymorphic(set map[string]string) bool {
	_, p := set["POLYMORPHIC"]
	_, t := set["POLYMORPHICTYPE"]
	_, id := set["POLYMORPHICID"]
	return p || t && id
}

// guess is guessRelation at one level: belongs (the key is on the owner)
// or has; report reports failure when this is the last level tried.
func (r *gormReader) guess(rel *gormRel, belongs, report bool) bool {
	primary, foreign := rel.s, rel.field
	if belongs {
		primary, foreign = rel.field, rel.s
	}
	var pfs, ffs []*gormField
	fail := func() bool {
		if report {
			r.l.errorf(rel.f.pos, "field %s.%s: GORM finds no foreign key for this association; name it with foreignKey (and references)", rel.s.name, rel.f.name)
		}
		return false
	}
	fkTag, refTag := columns(rel.f.set["FOREIGNKEY"]), columns(rel.f.set["REFERENCES"])
	if len(fkTag) > 0 {
		for _, k := range fkTag {
			f := foreign.lookup(k)
			if f == nil {
				return fail()
			}
			ffs = append(ffs, f)
		}
	} else {
		var cands []*gormField
		if len(refTag) > 0 {
			for _, k := range refTag {
				if f := primary.lookup(k); f != nil {
					cands = append(cands, f)
				}
			}
		} else {
			cands = primary.pks
		}
		for _, pf := range cands {
			look := primary.name + pf.name
			if belongs {
				look = rel.f.name + pf.name
			}
			names := []string{look}
			if len(cands) == 1 {
				base := strings.TrimSuffix(look, pf.name)
				names = append(names, base+"ID", base+"Id", gormSnake(base+"ID"))
			}
			for _, name := range names {
				if f := foreign.lookup(name); f != nil {
					ffs = append(ffs, f)
					pfs = append(pfs, pf)
					break
				}
			}
		}
	}
	switch {
	case len(ffs) == 0:
		return fail()
	case len(refTag) > 0:
		for i, k := range refTag {
			f := primary.lookup(k)
			switch {
			case f == nil:
				return fail()
			case len(pfs) < i+1:
				pfs = append(pfs, f)
			case f != pfs[i]:
				return fail()
			}
		}
	case len(pfs) == 0:
		switch {
		case len(ffs) == 1 && primary.prio != nil:
			pfs = append(pfs, primary.prio)
		case len(primary.pks) == len(ffs):
			pfs = append(pfs, primary.pks...)
		default:
			return fail()
		}
	}
	if len(pfs) != len(ffs) {
		return fail()
	}
	for i, ff := range ffs {
		copyKeyType(ff, pfs[i])
	}
	rel.primary, rel.foreign = pfs, ffs
	rel.own = !belongs
	rel.kind = relBelongs
	if !belongs {
		rel.kind = relHas
	}
	return true
}

// copyKeyType gives a foreign key its referenced key's type, as GORM does.
func copyKeyType(ff, pf *gormField) {
	if copyable(pf.dataType) {
		ff.dataType = pf.dataType
	}
	ff.gormType = pf.gormType
	if ff.size == 0 {
		ff.size = pf.size
	}
}

func copyable(dataType string) bool {
	l := strings.ToLower(dataType)
	return !strings.Contains(l, "auto_increment") && !strings.Contains(l, "primary key")
}

// columns is toColumns: a comma-separated list, trimmed.
func columns(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	for _, c := range strings.Split(v, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}

// many2many builds the join table of a many2many association
// (buildMany2ManyRelation).
func (r *gormReader) many2many(rel *gormRel, m2m string) bool {
	s, fs, f := rel.s, rel.field, rel.f
	own, ref := s.pks, fs.pks
	lookup := func(sc *gormSchema, keys []string) ([]*gormField, bool) {
		var out []*gormField
		for _, k := range keys {
			x := sc.lookup(k)
			if x == nil {
				r.l.errorf(f.pos, "field %s.%s: %s has no field %q for the many2many key", s.name, f.name, sc.name, k)
				return nil, false
			}
			out = append(out, x)
		}
		return out, true
	}
	var ok bool
	if keys := columns(f.set["FOREIGNKEY"]); len(keys) > 0 {
		if own, ok = lookup(s, keys); !ok {
			return false
		}
	}
	if keys := columns(f.set["REFERENCES"]); len(keys) > 0 {
		if ref, ok = lookup(fs, keys); !ok {
			return false
		}
	}
	joinFK, joinRef := columns(f.set["JOINFOREIGNKEY"]), columns(f.set["JOINREFERENCES"])
	table := r.n.joinTable(m2m)
	j := &gormSchema{name: m2m, table: table, pos: f.pos, join: true, byDB: map[string]*gormField{}, byName: map[string]*gormField{}, relsDone: true}
	names := map[string]bool{}
	type col struct {
		name string
		key  *gormField
	}
	var cols []col
	for i, of := range own {
		name := title(s.name) + of.name
		if i < len(joinFK) {
			name = title(joinFK[i])
		}
		names[name] = true
		cols = append(cols, col{name, of})
	}
	ownN := len(cols)
	for i, rf := range ref {
		name := title(fs.name) + rf.name
		if names[name] {
			if f.name != fs.name {
				name = inflection.Singular(f.name) + rf.name
			} else {
				name += "Reference"
			}
		}
		if i < len(joinRef) {
			name = title(joinRef[i])
		}
		if !names[name] {
			names[name] = true
			cols = append(cols, col{name, rf})
		}
	}
	var ownCols, refCols []*gormField
	for i, c := range cols {
		jf := r.field(j, c.name, c.key.typ, `gorm:"`+joinTag(c.key.tag)+`"`, f.pos)
		jf.bind = 1
		if copyable(c.key.dataType) {
			jf.dataType = c.key.dataType
		}
		jf.gormType = c.key.gormType
		if jf.size == 0 {
			jf.size = c.key.size
		}
		j.all = append(j.all, jf)
		if i < ownN {
			ownCols = append(ownCols, jf)
		} else {
			refCols = append(refCols, jf)
		}
	}
	r.finishSchema(j)
	j.pks = j.fields
	if prev, dup := r.joins[table]; dup {
		j = prev
	} else {
		r.joins[table] = j
		relName, refName := s.name, fs.name
		if relName == refName {
			refName = f.name
		}
		j.rels = []*gormRel{
			{s: j, field: s, f: f, kind: relJoinKey, primary: own, foreign: ownCols, joinName: relName},
			{s: j, field: fs, f: f, kind: relJoinKey, primary: ref, foreign: refCols, joinName: refName},
		}
	}
	rel.kind = relMany2Many
	rel.join = j
	return true
}

// joinTag is the gorm tag of a join table column: the key's own, made a
// primary key, without column, autoIncrement, index and unique settings.
func joinTag(tag string) string {
	var keep []string
	for _, item := range strings.Split(tag, ";") {
		k, _, _ := strings.Cut(item, ":")
		switch strings.TrimSpace(strings.ToUpper(k)) {
		case "COLUMN", "AUTOINCREMENT", "INDEX", "UNIQUE", "UNIQUEINDEX", "":
			continue
		}
		keep = append(keep, item)
	}
	return strings.Join(append(keep, "primaryKey"), ";")
}
