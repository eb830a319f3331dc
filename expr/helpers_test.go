package expr

import (
	"maps"
	"math"
	"slices"
)

// A test schema: one stream whose fields are the slots below. Steps read rows
// of the same stream.
var schema = []struct {
	name string
	t    Type
}{
	{"amount", Float}, // 0
	{"country", String},
	{"merchant", String},
	{"card_id", String},
	{"is_fraud", Bool},
	{"ts", Time}, // 5
	{"n", Int},
	{"m", Int},
	{"f", Float},
	{"note", String},
	{"d", Duration}, // 10
	{"t2", Time},
	{"b", Bool},
	{"risk", Float}, // 13: a feature's slot
}

func slotNamed(name string) int {
	for i, f := range schema {
		if f.name == name {
			return i
		}
	}
	panic("no field " + name)
}

// row is a Row over Values, indexed by slot.
type row struct {
	stream int
	vals   []Value
}

func (r *row) Stream() int { return r.stream }
func (r *row) get(s int) Value {
	if s < 0 || s >= len(r.vals) {
		return Value{}
	}
	return r.vals[s]
}
func (r *row) Int(s int) (int64, bool)     { v := r.get(s); return v.I, !v.IsNull() }
func (r *row) Float(s int) (float64, bool) { v := r.get(s); return v.F, !v.IsNull() }
func (r *row) Str(s int) (string, bool)    { v := r.get(s); return v.S, !v.IsNull() }
func (r *row) Bool(s int) (bool, bool)     { v := r.get(s); return v.I != 0, !v.IsNull() }

// mkRow builds a row from field values by name; the others are null.
func mkRow(vals map[string]Value) *row {
	r := &row{vals: make([]Value, len(schema))}
	for k, v := range vals {
		r.vals[slotNamed(k)] = v
	}
	return r
}

// wordRow is a WordRow: the slots of a row in the event's layout (see
// WordRow), its Row methods reading them as *event.Event does.
type wordRow struct {
	stream int
	vals   []uint64
	strs   []string
}

// words converts r, a row of the test schema, to a wordRow. Null string
// slots are stored in either of the layout's two ways, their bit clear or
// their bit set and an index beyond strs, alternately from one to the next;
// and vals stops after the last stored slot. So the reads of every kind of
// null are exercised.
func words(r *row) *wordRow {
	return wordsOf(r, func(s int) bool { return s < len(schema) && schema[s].t == String })
}

// wordsOf is words for a row whose string slots are those isStr reports.
func wordsOf(r *row, isStr func(slot int) bool) *wordRow {
	stored := make([]bool, len(r.vals)) // non-null, or null with a bad index
	oob, n := len(r.vals)%2 == 0, 0
	for s, v := range r.vals {
		if v.IsNull() && isStr(s) {
			oob = !oob
			stored[s] = oob
		} else {
			stored[s] = !v.IsNull()
		}
		if stored[s] {
			n = s + 1
		}
	}
	w := &wordRow{stream: r.stream, vals: make([]uint64, n/64*65+min(n%64, 1)+n%64)}
	for s, v := range r.vals[:n] {
		if !stored[s] {
			continue
		}
		g, j := s/64*65, s/64*65+1+s%64
		w.vals[g] |= 1 << (s % 64)
		switch v.Type {
		case Null:
			w.vals[j] = 1 << 40
		case Float:
			w.vals[j] = math.Float64bits(v.F)
		case String:
			w.vals[j] = uint64(len(w.strs))
			w.strs = append(w.strs, v.S)
		default:
			w.vals[j] = uint64(v.I)
		}
	}
	return w
}

func (r *wordRow) Words() ([]uint64, []string) { return r.vals, r.strs }
func (r *wordRow) Stream() int                 { return r.stream }
func (r *wordRow) word(s int) (uint64, bool) {
	g := s / 64 * 65
	if s < 0 || g+1+s%64 >= len(r.vals) || r.vals[g]&(1<<(s%64)) == 0 {
		return 0, false
	}
	return r.vals[g+1+s%64], true
}
func (r *wordRow) Int(s int) (int64, bool) { w, ok := r.word(s); return int64(w), ok }
func (r *wordRow) Float(s int) (float64, bool) {
	w, ok := r.word(s)
	return math.Float64frombits(w), ok
}
func (r *wordRow) Bool(s int) (bool, bool) { w, ok := r.word(s); return w != 0, ok }
func (r *wordRow) Str(s int) (string, bool) {
	w, ok := r.word(s)
	if !ok || w >= uint64(len(r.strs)) {
		return "", false
	}
	return r.strs[w], true
}

// env is an Env over rows: steps[i] are the events of step i.
type env struct {
	cur   Row
	steps [][]Row
}

func (e *env) Current() Row { return e.cur }
func (e *env) StepLen(i int) int {
	if i >= len(e.steps) {
		return 0
	}
	return len(e.steps[i])
}
func (e *env) StepEvent(i, j int) Row { return e.steps[i][j] }

// words is e with its rows (*row or nil) converted to wordRows.
func (e *env) words() *env {
	conv := func(r Row) Row {
		if r == nil {
			return nil
		}
		return words(r.(*row))
	}
	w := &env{cur: conv(e.cur), steps: make([][]Row, len(e.steps))}
	for i, rows := range e.steps {
		for _, r := range rows {
			w.steps[i] = append(w.steps[i], conv(r))
		}
	}
	return w
}

// scope is a test Scope: the schema's fields (minus risk) on the current
// event and on every step; risk is a feature; tables are given.
type scope struct {
	steps  map[string]StepRef
	tables map[string]TableRef
	key    bool // key is the card_id field
}

func schemaField(name string) (FieldRef, bool) {
	for i, f := range schema {
		if f.name == name && name != "risk" {
			return FieldRef{Type: f.t, Slot: i}, true
		}
	}
	return FieldRef{}, false
}

func (s *scope) Field(name string) (FieldRef, bool) { return schemaField(name) }
func (s *scope) Step(name string) (StepRef, bool) {
	st, ok := s.steps[name]
	return st, ok
}
func (s *scope) Feature(name string) (FieldRef, bool) {
	if name == "risk" {
		return FieldRef{Type: Float, Slot: slotNamed("risk")}, true
	}
	return FieldRef{}, false
}
func (s *scope) Table(name string) (TableRef, bool) {
	t, ok := s.tables[name]
	return t, ok
}
func (s *scope) Key() (FieldRef, bool) {
	if s.key {
		return schemaField("card_id")
	}
	return FieldRef{}, false
}

func (s *scope) Names(of string) []string {
	var names []string
	if _, ok := s.steps[of]; of != "" && ok {
		for _, f := range schema {
			names = append(names, f.name)
		}
		return names
	}
	if of != "" {
		return []string{"score", "category"}
	}
	for _, f := range schema {
		names = append(names, f.name)
	}
	names = append(names, slices.Collect(maps.Keys(s.steps))...)
	return append(names, slices.Collect(maps.Keys(s.tables))...)
}

// Steps: p is a single-event step (index 0), s a looping one (index 1), x a
// negated one (index 2).
func testScope() *scope {
	return &scope{
		steps: map[string]StepRef{
			"p": {Index: 0, Field: schemaField},
			"s": {Index: 1, Looping: true, Field: schemaField},
			"x": {Index: 2, Negated: true, Field: schemaField},
		},
		tables: map[string]TableRef{"risk_by_merchant": merchantTable(), "pair": pairTable()},
		key:    true,
	}
}

// merchantTable is keyed by merchant (string): score float, category string.
func merchantTable() TableRef {
	rows := map[string]*row{
		"m1": {vals: []Value{FloatValue(0.9), StringValue("gambling")}},
		"m2": {vals: []Value{FloatValue(0.1), {}}},
	}
	return TableRef{
		Keys: []Type{String},
		Field: func(name string) (FieldRef, bool) {
			switch name {
			case "score":
				return FieldRef{Type: Float, Slot: 0}, true
			case "category":
				return FieldRef{Type: String, Slot: 1}, true
			}
			return FieldRef{}, false
		},
		Lookup: func(key []Value) Row {
			if r, ok := rows[key[0].S]; ok {
				return r
			}
			return nil
		},
	}
}

// pairTable is keyed by (string, float): limit int.
func pairTable() TableRef {
	nl := &row{vals: []Value{IntValue(100)}}
	return TableRef{
		Keys: []Type{String, Float},
		Field: func(name string) (FieldRef, bool) {
			if name == "limit" {
				return FieldRef{Type: Int, Slot: 0}, true
			}
			return FieldRef{}, false
		},
		Lookup: func(key []Value) Row {
			if key[0].Type != String || key[1].Type != Float {
				panic("bad key types")
			}
			if key[0].S == "NL" && key[1].F == 2 {
				return nl
			}
			return nil
		},
	}
}

// Tree builders; positions are zero unless set with at.

func lit(v Value) Node          { return &Lit{Val: v} }
func litI(i int64) Node         { return lit(IntValue(i)) }
func litF(f float64) Node       { return lit(FloatValue(f)) }
func litS(s string) Node        { return lit(StringValue(s)) }
func litB(b bool) Node          { return lit(BoolValue(b)) }
func litD(ms int64) Node        { return lit(DurationValue(ms)) }
func litNull() Node             { return lit(Value{}) }
func name(n string) Node        { return &Name{Name: n} }
func sel(x Node, f string) Node { return &Selector{X: x, Field: f} }
func bin(op string, l, r Node) Node {
	return &Binary{Op: op, L: l, R: r}
}
func un(op string, x Node) Node         { return &Unary{Op: op, X: x} }
func call(fn string, args ...Node) Node { return &Call{Fn: fn, Args: args} }
func inl(x Node, list ...Node) Node     { return &In{X: x, List: list} }
func betw(x, lo, hi Node) Node          { return &Between{X: x, Lo: lo, Hi: hi} }
func isnull(x Node, not bool) Node      { return &IsNull{X: x, Not: not} }
func index(x Node, keys ...Node) Node   { return &Index{X: x, Keys: keys} }
