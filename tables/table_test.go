package tables

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

var (
	str  = expr.StringValue
	num  = expr.IntValue
	flt  = expr.FloatValue
	bl   = expr.BoolValue
	tm   = expr.TimeValue
	null = expr.Value{}
)

// merchantRisk is language.md's example table.
func merchantRisk(t testing.TB) *Table {
	t.Helper()
	return mustNew(t, Schema{
		Name:   "merchant_risk",
		Fields: []string{"merchant", "score", "category"},
		Types:  []expr.Type{expr.String, expr.Float, expr.String},
		Keys:   []int{0},
	})
}

func mustNew(t testing.TB, s Schema) *Table {
	t.Helper()
	tab, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func mustRow(t testing.TB, tab *Table, vals ...expr.Value) *Row {
	t.Helper()
	r, err := tab.NewRow(vals...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSchemaErrors(t *testing.T) {
	S, I := expr.String, expr.Int
	tests := []struct {
		name string
		s    Schema
	}{
		{"no columns", Schema{Keys: []int{0}}},
		{"types", Schema{Fields: []string{"a", "b"}, Types: []expr.Type{S}, Keys: []int{0}}},
		{"no key", Schema{Fields: []string{"a"}, Types: []expr.Type{S}}},
		{"key range", Schema{Fields: []string{"a"}, Types: []expr.Type{S}, Keys: []int{1}}},
		{"key twice", Schema{Fields: []string{"a", "b"}, Types: []expr.Type{S, I}, Keys: []int{0, 0}}},
		{"dup column", Schema{Fields: []string{"a", "a"}, Types: []expr.Type{S, I}, Keys: []int{0}}},
		{"empty name", Schema{Fields: []string{""}, Types: []expr.Type{S}, Keys: []int{0}}},
		{"duration", Schema{Fields: []string{"a", "d"}, Types: []expr.Type{S, expr.Duration}, Keys: []int{0}}},
		{"null type", Schema{Fields: []string{"a", "d"}, Types: []expr.Type{S, expr.Null}, Keys: []int{0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.s); !errors.Is(err, ErrSchema) {
				t.Fatalf("New: %v, want ErrSchema", err)
			}
		})
	}
}

// The table's schema is its own copy.
func TestSchemaCopied(t *testing.T) {
	s := Schema{Name: "t", Fields: []string{"a", "b"}, Types: []expr.Type{expr.String, expr.Int}, Keys: []int{0}}
	tab := mustNew(t, s)
	s.Fields[0], s.Types[1], s.Keys[0] = "x", expr.Float, 1
	got := tab.Schema()
	if got.Fields[0] != "a" || got.Types[1] != expr.Int || got.Keys[0] != 0 {
		t.Fatalf("schema changed with the caller's slices: %+v", got)
	}
}

func TestLookupSingleStringKey(t *testing.T) {
	tab := merchantRisk(t)
	tab.Set(mustRow(t, tab, str("m1"), flt(0.9), str("gambling")),
		mustRow(t, tab, str("m2"), null, str("")),
		mustRow(t, tab, str(""), flt(0.1), null)) // "" is a key like any other string
	r := tab.Lookup([]expr.Value{str("m1")})
	if r == nil {
		t.Fatal("m1 not found")
	}
	if f, ok := r.Float(1); !ok || f != 0.9 {
		t.Errorf("score = %v, %v", f, ok)
	}
	if s, ok := r.Str(2); !ok || s != "gambling" {
		t.Errorf("category = %q, %v", s, ok)
	}
	if r.Stream() != -1 {
		t.Errorf("Stream = %d", r.Stream())
	}
	r2 := tab.Lookup([]expr.Value{str("m2")})
	if _, ok := r2.Float(1); ok {
		t.Error("null score is not null")
	}
	if s, ok := r2.Str(2); !ok || s != "" {
		t.Errorf("empty category = %q, %v; want \"\", non-null", s, ok)
	}
	if tab.Lookup([]expr.Value{str("")}) == nil {
		t.Error(`"" not found`)
	}
	for _, key := range [][]expr.Value{{str("m3")}, {null}, {num(1)}, {}, {str("m1"), str("m1")}} {
		if r := tab.Lookup(key); r != nil {
			t.Errorf("Lookup(%v) = %v, want nil", key, r)
		}
	}
	if tab.Len() != 3 {
		t.Errorf("Len = %d", tab.Len())
	}
}

func TestLookupCompositeKey(t *testing.T) {
	// Key (country, card_bin, premium), not in declaration order.
	tab := mustNew(t, Schema{
		Name:   "bins",
		Fields: []string{"card_bin", "limit", "country", "premium", "since"},
		Types:  []expr.Type{expr.Int, expr.Float, expr.String, expr.Bool, expr.Time},
		Keys:   []int{2, 0, 3},
	})
	tab.Set(
		mustRow(t, tab, num(411111), flt(500), str("DE"), bl(true), tm(1000)),
		mustRow(t, tab, num(411111), flt(100), str("DE"), bl(false), null),
		mustRow(t, tab, num(411111), flt(200), str("FR"), bl(true), null),
		// Strings that would collide if concatenated without lengths.
		mustRow(t, tab, num(1), flt(1), str("a\x01"), bl(true), null),
		mustRow(t, tab, num(1), flt(2), str("a"), bl(true), null),
	)
	tests := []struct {
		key   []expr.Value
		limit float64 // 0: no row
	}{
		{[]expr.Value{str("DE"), num(411111), bl(true)}, 500},
		{[]expr.Value{str("DE"), num(411111), bl(false)}, 100},
		{[]expr.Value{str("FR"), num(411111), bl(true)}, 200},
		{[]expr.Value{str("FR"), num(411111), bl(false)}, 0},
		{[]expr.Value{str("a\x01"), num(1), bl(true)}, 1},
		{[]expr.Value{str("a"), num(1), bl(true)}, 2},
		{[]expr.Value{str("DE"), null, bl(true)}, 0},
		{[]expr.Value{str("DE"), num(411111)}, 0},                    // too few
		{[]expr.Value{num(411111), str("DE"), bl(true)}, 0},          // wrong order
		{[]expr.Value{str("DE"), flt(411111), bl(true)}, 0},          // float for an int column: no narrowing
		{[]expr.Value{str("DE"), tm(411111), bl(true)}, 0},           // time for an int column
		{[]expr.Value{str("DE"), num(411111), num(1)}, 0},            // int for a bool column
		{[]expr.Value{str("DE"), num(411111), bl(true), null}, 0},    // too many
		{[]expr.Value{str("DE"), num(411111), bl(true), str("")}, 0}, // too many
	}
	for _, tt := range tests {
		r := tab.Get(tt.key...)
		switch {
		case tt.limit == 0 && r != nil:
			t.Errorf("%v: found %v", tt.key, r.Values())
		case tt.limit != 0 && r == nil:
			t.Errorf("%v: not found", tt.key)
		case r != nil:
			if f, _ := r.Float(1); f != tt.limit {
				t.Errorf("%v: limit %v, want %v", tt.key, f, tt.limit)
			}
		}
	}
	r := tab.Get(str("DE"), num(411111), bl(true))
	if v, ok := r.Int(4); !ok || v != 1000 {
		t.Errorf("since = %d, %v", v, ok)
	}
	if got := r.Key(); !slices.Equal(got, []expr.Value{str("DE"), num(411111), bl(true)}) {
		t.Errorf("Key = %v", got)
	}
}

func TestLookupFloatKeyWidening(t *testing.T) {
	tab := mustNew(t, Schema{
		Name:   "rates",
		Fields: []string{"amount", "fee"},
		Types:  []expr.Type{expr.Float, expr.Float},
		Keys:   []int{0},
	})
	tab.Set(mustRow(t, tab, num(10), flt(0.5)), // an int is accepted for a float column
		mustRow(t, tab, flt(2.5), flt(0.1)),
		mustRow(t, tab, flt(0), flt(0.01)))
	tests := []struct {
		key  expr.Value
		want float64
	}{
		{flt(10), 0.5},
		{num(10), 0.5}, // widened
		{flt(2.5), 0.1},
		{num(2), 0},
		{flt(math.Copysign(0, -1)), 0.01}, // -0 == +0
		{num(0), 0.01},
		{flt(math.NaN()), 0},
		{str("10"), 0},
		{null, 0},
	}
	for _, tt := range tests {
		r := tab.Lookup([]expr.Value{tt.key})
		if tt.want == 0 {
			if r != nil {
				t.Errorf("%v: found", tt.key)
			}
			continue
		}
		if r == nil {
			t.Errorf("%v: not found", tt.key)
			continue
		}
		if f, _ := r.Float(1); f != tt.want {
			t.Errorf("%v: fee %v, want %v", tt.key, f, tt.want)
		}
	}
}

func TestLookupIntTimeBoolKeys(t *testing.T) {
	for _, kt := range []expr.Type{expr.Int, expr.Time, expr.Bool} {
		t.Run(kt.String(), func(t *testing.T) {
			tab := mustNew(t, Schema{Name: "t", Fields: []string{"k", "v"}, Types: []expr.Type{kt, expr.String}, Keys: []int{0}})
			k := func(i int64) expr.Value { return expr.Value{Type: kt, I: i} }
			tab.Set(mustRow(t, tab, k(1), str("one")), mustRow(t, tab, k(0), str("zero")))
			for i, want := range []string{"zero", "one"} {
				r := tab.Lookup([]expr.Value{k(int64(i))})
				if s, _ := r.Str(1); s != want {
					t.Errorf("%d: %q, want %q", i, s, want)
				}
			}
			if kt != expr.Bool && tab.Lookup([]expr.Value{k(2)}) != nil {
				t.Error("2 found")
			}
		})
	}
}

func TestNewRowErrors(t *testing.T) {
	tab := merchantRisk(t)
	for _, vals := range [][]expr.Value{
		{null, flt(1), str("x")},           // null key
		{str("m"), str("1"), str("x")},     // wrong type
		{str("m"), flt(1)},                 // too few
		{str("m"), flt(1), str("x"), null}, // too many
	} {
		if _, err := tab.NewRow(vals...); !errors.Is(err, ErrBadRow) {
			t.Errorf("NewRow(%v): %v, want ErrBadRow", vals, err)
		}
	}
	f := mustNew(t, Schema{Name: "f", Fields: []string{"k"}, Types: []expr.Type{expr.Float}, Keys: []int{0}})
	if _, err := f.NewRow(flt(math.NaN())); !errors.Is(err, ErrBadRow) {
		t.Errorf("NaN key: %v", err)
	}
}

func TestRowGettersOutOfRange(t *testing.T) {
	tab := merchantRisk(t)
	r := mustRow(t, tab, str("m"), flt(1), str("c"))
	for _, slot := range []int{-1, 3, 64, 1000} {
		if _, ok := r.Int(slot); ok {
			t.Errorf("Int(%d) not null", slot)
		}
		if _, ok := r.Str(slot); ok {
			t.Errorf("Str(%d) not null", slot)
		}
		if v := r.Value(slot); !v.IsNull() {
			t.Errorf("Value(%d) = %v", slot, v)
		}
	}
}

// A table of more than 64 columns uses several groups of the word layout.
func TestWideRow(t *testing.T) {
	n := 150
	s := Schema{Name: "wide", Keys: []int{0}}
	for i := range n {
		s.Fields = append(s.Fields, "c"+string(rune('A'+i/26))+string(rune('a'+i%26)))
		s.Types = append(s.Types, []expr.Type{expr.String, expr.Int, expr.Float}[i%3])
	}
	tab := mustNew(t, s)
	vals := make([]expr.Value, n)
	for i := range n {
		switch i % 3 {
		case 0:
			vals[i] = str(string(rune('a' + i%26)))
		case 1:
			vals[i] = num(int64(i))
		case 2:
			if i%5 != 0 {
				vals[i] = flt(float64(i) / 2)
			}
		}
	}
	tab.Set(mustRow(t, tab, vals...))
	r := tab.Get(vals[0])
	if got := r.Values(); !slices.Equal(got, vals) {
		t.Fatalf("values differ:\n%v\n%v", got, vals)
	}
}

func TestSetDeleteReplace(t *testing.T) {
	tab := merchantRisk(t)
	row := func(m string, s float64) *Row { return mustRow(t, tab, str(m), flt(s), null) }
	score := func(m string) float64 {
		r := tab.Get(str(m))
		if r == nil {
			return -1
		}
		f, _ := r.Float(1)
		return f
	}
	tab.Set(row("a", 1), row("b", 2))
	tab.Set(row("a", 3))
	tab.Delete([]expr.Value{str("b")}, []expr.Value{str("zz")}, []expr.Value{null})
	if score("a") != 3 || score("b") != -1 || tab.Len() != 1 {
		t.Fatalf("a=%v b=%v len=%d", score("a"), score("b"), tab.Len())
	}
	if d := tab.Replace([]*Row{row("c", 1), row("d", 1), row("c", 5)}); d != 1 {
		t.Errorf("duplicates = %d", d)
	}
	if score("a") != -1 || score("c") != 5 || score("d") != 1 || tab.Len() != 2 {
		t.Fatalf("after Replace: a=%v c=%v d=%v len=%d", score("a"), score("c"), score("d"), tab.Len())
	}
}

// The delta and its merges against a map as oracle, across merge sizes.
func TestApplyOracle(t *testing.T) {
	tab := mustNew(t, Schema{Name: "t", Fields: []string{"k", "v"}, Types: []expr.Type{expr.Int, expr.Int}, Keys: []int{0}})
	oracle := map[int64]int64{}
	seed := uint64(1)
	rnd := func(n int) int64 { // xorshift, deterministic
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return int64(seed % uint64(n))
	}
	for step := range 3000 {
		var rows []*Row
		var dels [][]expr.Value
		batch := int(rnd(40)) + 1
		if step%500 == 0 {
			batch = 3000 // forces a merge
		}
		for range batch {
			k := rnd(5000)
			if rnd(3) == 0 {
				if len(rows) > 0 { // flush pending sets, keeping the order of changes
					tab.Set(rows...)
					rows = nil
				}
				dels = append(dels, []expr.Value{num(k)})
				delete(oracle, k)
				continue
			}
			if len(dels) > 0 {
				tab.Delete(dels...)
				dels = nil
			}
			v := rnd(1000)
			rows = append(rows, mustRow(t, tab, num(k), num(v)))
			oracle[k] = v
		}
		tab.Set(rows...)
		tab.Delete(dels...)
		if tab.Len() != len(oracle) {
			t.Fatalf("step %d: Len %d, oracle %d", step, tab.Len(), len(oracle))
		}
	}
	for k := range int64(5000) {
		r := tab.Get(num(k))
		want, ok := oracle[k]
		if (r != nil) != ok {
			t.Fatalf("key %d: found %v, want %v", k, r != nil, ok)
		}
		if ok {
			if v, _ := r.Int(1); v != want {
				t.Fatalf("key %d: %d, want %d", k, v, want)
			}
		}
	}
	n := 0
	for r := range tab.All() {
		k, _ := r.Int(0)
		if _, ok := oracle[k]; !ok {
			t.Fatalf("All yields deleted key %d", k)
		}
		n++
	}
	if n != len(oracle) {
		t.Fatalf("All yields %d rows, want %d", n, len(oracle))
	}
}

// Changes within one batch apply in order.
func TestApplyInOrder(t *testing.T) {
	tab := merchantRisk(t)
	a1, a2 := mustRow(t, tab, str("a"), flt(1), null), mustRow(t, tab, str("a"), flt(2), null)
	tab.Set(mustRow(t, tab, str("b"), flt(1), null))
	tab.apply([]change{{key: "a", row: a1}, {key: "a"}, {key: "b"}, {key: "b", row: a2}, {key: "c"}})
	if tab.Get(str("a")) != nil || tab.Get(str("b")) != a2 || tab.Len() != 1 {
		t.Fatalf("a=%v b=%v len=%d", tab.Get(str("a")), tab.Get(str("b")), tab.Len())
	}
	tab.apply([]change{{key: "a", row: a1}, {key: "a", row: a2}, {key: "a"}, {key: "a", row: a1}})
	if tab.Get(str("a")) != a1 || tab.Len() != 2 {
		t.Fatalf("a=%v len=%d", tab.Get(str("a")), tab.Len())
	}
}
