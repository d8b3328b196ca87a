package matcher

import (
	"cmp"
	"slices"
)

// postings lists the profiles holding one skill (or, for Index.under, a
// skill narrower than it). Most ordinals sit in one contiguous array
// sorted by gate class then ordinal, with a directory of class ranges, so
// a query reads the classes its static gates admit as a few long runs of
// memory instead of many small allocations. Additions go to a short tail,
// merged into the array once it reaches a quarter of it (amortised
// O(log n) per addition).
//
// A list holding a large share of the profiles (at least one in
// denseShare) becomes a bitmap instead, no larger than the array was: a
// query then reads it a word at a time, ANDed with its eligibility bitmap,
// and touches only the eligible holders.
type postings struct {
	ords []uint32
	dir  []classRange
	// tail holds recent additions in any class, tailClass their classes.
	tail      []uint32
	tailClass []uint16
	// bits, when not nil, holds the whole list (ords, dir and tail are
	// then empty); n counts its members.
	bits []uint64
	n    int
}

// denseShare: a list of at least 1/denseShare of the ordinals up to its
// largest is kept as a bitmap (32: 4 bytes an entry against 1 bit an
// ordinal).
const denseShare = 32

// classRange ends the run of one class in postings.ords; it starts where
// the previous range ends.
type classRange struct {
	class uint16
	end   uint32
}

// minMerge is the tail length below which additions are never merged.
const minMerge = 32

func (p *postings) len() int {
	if p.bits != nil {
		return p.n
	}
	return len(p.ords) + len(p.tail)
}

func (p *postings) add(o uint32, class uint16) {
	if p.bits != nil {
		w := int(o >> 6)
		if w >= len(p.bits) {
			p.bits = append(p.bits, make([]uint64, w+1-len(p.bits))...)
		}
		if p.bits[w]&(1<<(o&63)) == 0 {
			p.bits[w] |= 1 << (o & 63)
			p.n++
		}
		return
	}
	p.tail = append(p.tail, o)
	p.tailClass = append(p.tailClass, class)
	if len(p.tail) >= minMerge && 4*len(p.tail) >= len(p.ords) {
		p.merge()
	}
}

// merge moves the tail into the sorted array.
func (p *postings) merge() {
	type co struct {
		class uint16
		o     uint32
	}
	all := make([]co, 0, p.len())
	start := uint32(0)
	for _, r := range p.dir {
		for _, o := range p.ords[start:r.end] {
			all = append(all, co{r.class, o})
		}
		start = r.end
	}
	for i, o := range p.tail {
		all = append(all, co{p.tailClass[i], o})
	}
	slices.SortFunc(all, func(a, b co) int {
		if c := cmp.Compare(a.class, b.class); c != 0 {
			return c
		}
		return cmp.Compare(a.o, b.o)
	})
	ords := make([]uint32, len(all))
	var dir []classRange
	for i, x := range all {
		ords[i] = x.o
		if n := len(dir); n == 0 || dir[n-1].class != x.class {
			dir = append(dir, classRange{class: x.class})
		}
		dir[len(dir)-1].end = uint32(i + 1)
	}
	p.ords, p.dir = ords, slices.Clip(dir)
	p.tail, p.tailClass = p.tail[:0], p.tailClass[:0]
	hi := uint32(0)
	for _, o := range ords {
		hi = max(hi, o)
	}
	if len(ords) >= 64 && len(ords)*denseShare > int(hi) {
		b := make([]uint64, hi/64+1)
		for _, o := range ords {
			b[o>>6] |= 1 << (o & 63)
		}
		*p = postings{bits: b, n: len(ords)}
	}
}

// remove deletes ordinal o of gate class class; absent ordinals are
// ignored.
func (p *postings) remove(o uint32, class uint16) {
	if p.bits != nil {
		if w := int(o >> 6); w < len(p.bits) && p.bits[w]&(1<<(o&63)) != 0 {
			p.bits[w] &^= 1 << (o & 63)
			p.n--
		}
		return
	}
	for i, x := range p.tail {
		if x == o && p.tailClass[i] == class {
			last := len(p.tail) - 1
			p.tail[i], p.tailClass[i] = p.tail[last], p.tailClass[last]
			p.tail, p.tailClass = p.tail[:last], p.tailClass[:last]
			return
		}
	}
	start := uint32(0)
	for ri, r := range p.dir {
		if r.class != class {
			start = r.end
			continue
		}
		run := p.ords[start:r.end]
		j, ok := slices.BinarySearch(run, o)
		if !ok {
			return
		}
		at := int(start) + j
		p.ords = slices.Delete(p.ords, at, at+1)
		for k := ri; k < len(p.dir); k++ {
			p.dir[k].end--
		}
		if p.dir[ri].end == start {
			p.dir = slices.Delete(p.dir, ri, ri+1)
		}
		return
	}
}
