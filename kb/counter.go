package kb

import "math"

// counter accumulates, while an index is built, how often each key (a
// term or an adjacent pair) occurs in each field of each article, article
// after article, and the keys' document frequencies. It is the largest
// part of the build's working memory (737,000 counts for the 2,504 eval
// articles), so a count takes 12 bytes, in blocks that never need copying.
type counter struct {
	blocks [][]keyCounts // of countBlock each
	n      int32         // counts so far
	df     []int32       // by key: the articles it occurs in
	// seen[id] is 1 + the article in which key id was last counted, and
	// slot[id] its count there: no map per article.
	seen, slot []int32
	// over holds what a count beyond math.MaxUint16 adds, by
	// numFields*count+field; a text repeating one word 65,535 times in
	// one field is the only way to get there.
	over map[int32]float32
}

// countBlock is how many counts a block holds.
const countBlock = 1 << 14

// keyCounts is how often one key occurs in each field of one article.
type keyCounts struct {
	id int32
	tf [numFields]uint16
}

// add counts one occurrence of key id in field f of article doc.
func (c *counter) add(id int32, f int, doc int32) {
	for int(id) >= len(c.df) {
		c.df = append(c.df, 0)
		c.seen = append(c.seen, 0)
		c.slot = append(c.slot, 0)
	}
	if c.seen[id] != doc+1 {
		c.seen[id] = doc + 1
		c.slot[id] = c.n
		if c.n%countBlock == 0 {
			c.blocks = append(c.blocks, make([]keyCounts, countBlock))
		}
		c.at(c.n).id = id
		c.n++
		c.df[id]++
	}
	i := c.slot[id]
	k := c.at(i)
	if k.tf[f] == math.MaxUint16 {
		if c.over == nil {
			c.over = make(map[int32]float32)
		}
		c.over[numFields*i+int32(f)]++
		return
	}
	k.tf[f]++
}

// at returns count i.
func (c *counter) at(i int32) *keyCounts {
	return &c.blocks[i/countBlock][i%countBlock]
}

// counts returns the key of count i and how often it occurs in each field.
func (c *counter) counts(i int32) (int32, [numFields]float32) {
	k := c.at(i)
	var tf [numFields]float32
	for f, n := range k.tf {
		tf[f] = float32(n)
		if n == math.MaxUint16 {
			tf[f] += c.over[numFields*i+int32(f)]
		}
	}
	return k.id, tf
}

// release lets the counts go once their postings are built; df stays.
func (c *counter) release() {
	c.blocks, c.seen, c.slot, c.over = nil, nil, nil, nil
}
