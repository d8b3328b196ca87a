package matcher

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPostings applies random additions and removals to a posting list
// and checks, after each step, that it holds exactly the expected
// ordinals with their classes, through the array, its tail and, once the
// list is long enough, its bitmap form.
func TestPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, universe := range []int{100, 5000, 1 << 20} {
		var p postings
		want := map[uint32]uint16{} // ordinal -> class
		sawDense := false
		for step := range 4000 {
			o := uint32(r.IntN(universe))
			if c, ok := want[o]; ok && r.IntN(3) == 0 {
				p.remove(o, c)
				delete(want, o)
			} else if !ok {
				c := uint16(r.IntN(7))
				p.add(o, c)
				want[o] = c
			}
			sawDense = sawDense || p.bits != nil
			if step%97 != 0 {
				continue
			}
			got := map[uint32]uint16{}
			if p.bits != nil {
				for w, x := range p.bits {
					for ; x != 0; x &= x - 1 {
						o := uint32(w*64 + bits.TrailingZeros64(x))
						got[o] = want[o]
					}
				}
				if p.n != len(want) {
					t.Fatalf("universe %d step %d: bitmap counts %d, want %d", universe, step, p.n, len(want))
				}
			} else {
				start := uint32(0)
				for _, cr := range p.dir {
					run := p.ords[start:cr.end]
					if !slices.IsSorted(run) {
						t.Fatalf("universe %d step %d: run of class %d not sorted", universe, step, cr.class)
					}
					for _, x := range run {
						got[x] = cr.class
					}
					start = cr.end
				}
				for i, x := range p.tail {
					got[x] = p.tailClass[i]
				}
				if n := len(p.ords) + len(p.tail); n != len(got) {
					t.Fatalf("universe %d step %d: %d entries for %d ordinals (duplicates)", universe, step, n, len(got))
				}
			}
			if len(got) != len(want) || p.len() != len(want) {
				t.Fatalf("universe %d step %d: %d ordinals (len %d), want %d", universe, step, len(got), p.len(), len(want))
			}
			for o, c := range want {
				if gc, ok := got[o]; !ok || gc != c {
					t.Fatalf("universe %d step %d: ordinal %d class %d present=%v, want class %d", universe, step, o, gc, ok, c)
				}
			}
		}
		if dense := universe <= 5000; sawDense != dense {
			t.Errorf("universe %d: became a bitmap %v, want %v", universe, sawDense, dense)
		}
	}
}
