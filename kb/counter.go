package kb

import "slices"

// counter accumulates, while an index is built, how often each key (a
// term or an adjacent pair) occurs in each field of each article, article
// after article, and the keys' document frequencies. It is the largest
// part of the build's working memory (737,000 counts for the 2,504 eval
// articles), so a count takes 6 bytes, in blocks that never need copying:
// the key's id, and its frequency in each of the four fields in 4 bits
// each. A count with a frequency of 15 or more in any field moves whole
// to a map, which holds a few percent of them.
type counter struct {
	ids   [][]int32  // by count, in blocks of countBlock: the key
	tfs   [][]uint16 // by count: 4 bits a field, or movedTF
	moved map[int32]*[numFields]float32
	n     int32   // counts so far
	df    []int32 // by key: the articles it occurs in
	// seen[id] is 1 + the article in which key id was last counted, and
	// slot[id] its count there: no map per article.
	seen, slot []int32
}

// countBlock is how many counts a block holds.
const countBlock = 1 << 14

// movedTF marks a count kept in counter.moved. A field's 4 bits never
// reach 15 in place, so no count in place looks like it.
const movedTF = 0xFFFF

// add counts one occurrence of key id in field f of article doc.
func (c *counter) add(id int32, f int, doc int32) {
	if int(id) >= len(c.df) {
		c.df, c.seen, c.slot = extend(c.df, id), extend(c.seen, id), extend(c.slot, id)
	}
	if c.seen[id] != doc+1 {
		c.seen[id] = doc + 1
		c.slot[id] = c.n
		if c.n%countBlock == 0 {
			c.ids = append(c.ids, make([]int32, countBlock))
			c.tfs = append(c.tfs, make([]uint16, countBlock))
		}
		c.ids[c.n/countBlock][c.n%countBlock] = id
		c.n++
		c.df[id]++
	}
	i := c.slot[id]
	tf := &c.tfs[i/countBlock][i%countBlock]
	switch {
	case *tf == movedTF:
		c.moved[i][f]++
	case *tf>>(4*f)&0xF == 14:
		m := unpackTF(*tf)
		m[f]++
		if c.moved == nil {
			c.moved = make(map[int32]*[numFields]float32)
		}
		c.moved[i] = &m
		*tf = movedTF
	default:
		*tf += 1 << (4 * f)
	}
}

// extend returns s long enough to hold index id, new elements 0,
// doubling its capacity when it must grow (append grows a long slice by a
// quarter, and would copy these arrays many times).
func extend(s []int32, id int32) []int32 {
	if int(id) >= cap(s) {
		s = slices.Grow(s, max(int(id)+1, 2*cap(s), 1024)-len(s))
	}
	return s[:id+1]
}

// unpackTF is the frequencies by field of a count kept in place.
func unpackTF(tf uint16) [numFields]float32 {
	var m [numFields]float32
	for f := range m {
		m[f] = float32(tf >> (4 * f) & 0xF)
	}
	return m
}

// counts returns the key of count i and how often it occurs in each field.
func (c *counter) counts(i int32) (int32, [numFields]float32) {
	id, tf := c.ids[i/countBlock][i%countBlock], c.tfs[i/countBlock][i%countBlock]
	if tf == movedTF {
		return id, *c.moved[i]
	}
	return id, unpackTF(tf)
}

// done lets go of what only counting needs, once every article is
// counted: the postings are laid out from the counts alone.
func (c *counter) done() { c.seen, c.slot = nil, nil }

// dropFrom lets go of the blocks that hold only counts i and later, so
// that laying out postings from the last article to the first frees the
// counts as it goes.
func (c *counter) dropFrom(i int32) {
	for b := (i + countBlock - 1) / countBlock; int(b) < len(c.ids) && c.ids[b] != nil; b++ {
		c.ids[b], c.tfs[b] = nil, nil
	}
}

// release lets the counts go once their postings are built; df stays.
func (c *counter) release() {
	c.ids, c.tfs, c.moved, c.seen, c.slot = nil, nil, nil, nil, nil
}
