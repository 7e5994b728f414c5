package kb

import "slices"

// Reading and counting the articles of a new index. Two stages run on two
// goroutines: a reader splits each article's texts into words and finds
// what each became (termReader: scanning, stemming, synonyms), and a
// counter turns those into term ids (termNumbers: phrases, numbering) and
// counts the terms and their adjacent pairs by article and field. They
// take about the same time, so on two cores the pipeline takes about half
// of doing both in turn, and it needs no merging: the counter takes the
// articles in order, giving term and pair ids in order of first sight,
// exactly as one goroutine would (TestIndexMatchesReference).

// articleCounts is what countArticles finds.
type articleCounts struct {
	stats        []docStats // by article
	numbers      termNumbers
	terms, pairs counter
	total        [numFields]float64 // the terms in each field of all articles
}

// readBatch carries the words of a run of articles from the reader to
// the counter.
type readBatch struct {
	first int         // the first article
	words []*readWord // the words of every segment, one after another
	segs  []readSeg   // by segment, in order
	ends  []int       // by article: the end of its segments in segs
}

// readSeg is one text segment of an article in a readBatch: its words are
// words[previous segment's end:end].
type readSeg struct {
	field int
	end   int
}

// readBatchArticles is how many articles a readBatch holds: enough to make
// handing batches over cheap, few enough to start counting soon.
const readBatchArticles = 32

// countArticles reads and counts the articles of ix, filling ix.terms,
// ix.pairs, ix.titles and the stems ix.an learns.
func countArticles(ix *Index) *articleCounts {
	c := &articleCounts{stats: make([]docStats, len(ix.articles)), numbers: termNumbers{terms: ix.terms}}
	full := make(chan *readBatch, 2)
	free := make(chan *readBatch, 3)
	for range cap(free) {
		free <- &readBatch{}
	}
	go readArticles(ix, full, free)
	for b := range full {
		c.count(ix, b)
		free <- b
	}
	c.terms.done()
	c.pairs.done()
	return c
}

// readArticles is the reader: it sends the words of ix's articles in
// batches on full, taking empty batches from free, and closes full at the
// end. It alone writes the analyzer's stems until then.
func readArticles(ix *Index, full chan<- *readBatch, free <-chan *readBatch) {
	defer close(full)
	rd := newTermReader(&ix.an)
	for first := 0; first < len(ix.articles); first += readBatchArticles {
		b := <-free
		b.first, b.words, b.segs, b.ends = first, b.words[:0], b.segs[:0], b.ends[:0]
		for d := first; d < min(first+readBatchArticles, len(ix.articles)); d++ {
			for f, segments := range fieldTexts(&ix.articles[d]) {
				for _, text := range segments {
					b.words = rd.read(text, b.words)
					b.segs = append(b.segs, readSeg{field: f, end: len(b.words)})
				}
			}
			b.ends = append(b.ends, len(b.segs))
		}
		full <- b
	}
}

// count is the counter: it counts the terms and adjacent pairs of the
// articles of b, giving new terms and pairs the next ids in ix.terms and
// ix.pairs, and finds the articles' title terms.
func (c *articleCounts) count(ix *Index, b *readBatch) {
	seg, from := 0, 0
	for i, end := range b.ends {
		d := b.first + i
		st, doc := &c.stats[d], int32(d)
		st.terms0, st.pairs0 = c.terms.n, c.pairs.n
		for ; seg < end; seg++ {
			s := b.segs[seg]
			ids := c.numbers.termIDs(b.words[from:s.end])
			from = s.end
			if s.field == fieldTitle && len(ids) > 0 {
				t := slices.Clone(ids)
				slices.Sort(t)
				ix.titles[d] = slices.Compact(t)
			}
			st.len[s.field] += float32(len(ids))
			c.total[s.field] += float64(len(ids))
			for j, id := range ids {
				c.terms.add(id, s.field, doc)
				if j == 0 {
					continue
				}
				k := pairKey(ids[j-1], id)
				pid, ok := ix.pairs[k]
				if !ok {
					pid = int32(len(ix.pairs))
					ix.pairs[k] = pid
				}
				c.pairs.add(pid, s.field, doc)
			}
		}
		st.terms1, st.pairs1 = c.terms.n, c.pairs.n
	}
}
