package expr

// Fused leaves for the commonest condition terms: a field of the current
// event compared with a constant, or tested for null. They read the row in the
// comparison's own closure, saving a closure call per term.

func fusedInt(op cmpOp, l *node, c int64) fn[bool] {
	if l.cur == nil {
		return compareConst(op, l.i, c)
	}
	s := *l.cur
	return func(env Env) (bool, bool) {
		r := env.Current()
		if r == nil {
			return false, false
		}
		sl := s.of(r)
		if sl < 0 {
			return false, false
		}
		v, ok := r.Int(sl)
		return ok && ordered(op, v, c), ok
	}
}

func fusedFloat(op cmpOp, l *node, c float64) fn[bool] {
	if l.cur == nil {
		return compareConst(op, l.f, c)
	}
	s := *l.cur
	return func(env Env) (bool, bool) {
		r := env.Current()
		if r == nil {
			return false, false
		}
		sl := s.of(r)
		if sl < 0 {
			return false, false
		}
		v, ok := r.Float(sl)
		return ok && ordered(op, v, c), ok
	}
}

func fusedStr(op cmpOp, l *node, c string) fn[bool] {
	if l.cur == nil {
		return compareConst(op, l.s, c)
	}
	s := *l.cur
	return func(env Env) (bool, bool) {
		r := env.Current()
		if r == nil {
			return false, false
		}
		sl := s.of(r)
		if sl < 0 {
			return false, false
		}
		v, ok := r.Str(sl)
		return ok && ordered(op, v, c), ok
	}
}

// fusedIsNull is `f is null` (`is not null` when not) for a current field f.
func fusedIsNull(x *node, not bool) fn[bool] {
	s := *x.cur
	t := x.t
	return func(env Env) (bool, bool) {
		r := env.Current()
		if r == nil {
			return !not, true
		}
		sl := s.of(r)
		if sl < 0 {
			return !not, true
		}
		var ok bool
		switch {
		case t == Float:
			_, ok = r.Float(sl)
		case t == String:
			_, ok = r.Str(sl)
		case t == Bool:
			_, ok = r.Bool(sl)
		default:
			_, ok = r.Int(sl)
		}
		return ok == not, true
	}
}
