package features

// EachKey calls fn with every key that has state, for a caller that moves
// the whole state elsewhere (the engine carrying a feature over a swap of
// its rule set). The order is the key table's.
func (f *Feature) EachKey(fn func(key string)) {
	if f.g != nil {
		f.g.EachKey(fn)
		return
	}
	f.keys.each(func(st *state) {
		if !st.dead {
			fn(st.key)
		}
	})
}

// EachKey calls fn with every key that has state.
func (g *Group) EachKey(fn func(key string)) {
	g.keys.each(func(st *gstate) {
		if !st.dead {
			fn(st.key)
		}
	})
}
