//! How results are ordered and grouped, the same in `folio search`, `/api/search` and the
//! browser client (`rankOnce` and `topK` in search.js).
//!
//! - A document (a page's own text, or one of its sections) is scored by tantivy's BM25 times
//!   the share of the query's distinct words it matches ([`coordinated`]): Lucene's coordination
//!   factor. A document with every word keeps its BM25; one with two words of three keeps two
//!   thirds, so matching more words counts for much, yet many matches of the commonest words do
//!   not outrank a strong match of the rare ones. Equal scores go to the first in the export.
//! - A title counts by how much of the query it holds: a document's score in the title field
//!   (a page's title, or a section's heading) is weighed by the square of the share of the
//!   query's distinct words the title has ([`title_share`]) before the coordination above. A
//!   heading that is the question ("Accepted licences" for `accepted licences`) keeps its whole
//!   boost; one that holds a single common word of a longer question ("Issues", "Logs") keeps
//!   little of it, and no longer outranks the page whose text answers the question. Developed
//!   on the odd-numbered questions of the three sets and checked on the even ones.
//! - Results are grouped by page: a page ranks where its best document does and links to it;
//!   beneath it come up to [`MAX_SECTIONS`] more of its documents, in rank order, among those
//!   ranked before the best document of the last page listed. So the listing is the ranking of
//!   documents down to the last page shown, one entry per page.

use std::collections::{HashMap, HashSet};

use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

/// At most this many more documents of a page are listed beneath its best.
pub const MAX_SECTIONS: usize = 3;

/// One matching document, where the ranking puts it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// Its position in the export.
    pub ord: u64,
    /// The `ord` of its page's own document.
    pub page: u64,
    /// How many of the query's distinct words it matches.
    pub words: usize,
    /// tantivy's BM25 score, coordinated.
    pub score: Score,
    /// Where tantivy keeps it.
    pub address: DocAddress,
}

/// A plain query's score, split: `rest` scores every field but the title, `title` the title
/// field alone (each with its boost), so that the title's part can be weighed by
/// [`title_share`].
pub struct Split<'a> {
    /// Every scored field but the title.
    pub rest: &'a dyn Query,
    /// The title field.
    pub title: &'a dyn Query,
}

/// Every document `query` matches, with how many of `words` (each word the terms it stands for)
/// it matches and its BM25 score coordinated by them; with no words (a query in tantivy's
/// syntax), its BM25 score as it is. With `split` (a plain query's), the BM25 score is
/// `rest + title × title_share`, the title's share counted on `scored[0]`, the title field.
pub fn matching(
    searcher: &Searcher,
    query: &dyn Query,
    split: Option<Split<'_>>,
    scored: &[Field],
    words: &[Vec<String>],
) -> tantivy::Result<Vec<Ranked>> {
    let mut docs = searcher.search(query, &AllMatches)?;
    if docs.is_empty() {
        return Ok(docs);
    }
    let counts = word_counts(searcher, scored, words)?;
    if let Some(split) = split {
        let rest = scores(searcher, split.rest)?;
        let title = scores(searcher, split.title)?;
        let in_title = word_counts(searcher, &scored[..1], words)?;
        for doc in &mut docs {
            let of = |scores: &HashMap<DocAddress, Score>| {
                scores.get(&doc.address).copied().unwrap_or_default()
            };
            let share = title_share(
                in_title.get(&doc.address).copied().unwrap_or_default(),
                words.len(),
            );
            doc.score = of(&rest) + of(&title) * share;
        }
    }
    for doc in &mut docs {
        doc.words = counts.get(&doc.address).copied().unwrap_or_default();
        doc.score = coordinated(doc.score, doc.words, words.len());
    }
    Ok(docs)
}

/// Each document's score for `query`.
fn scores(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<HashMap<DocAddress, Score>> {
    Ok(searcher
        .search(query, &AllMatches)?
        .into_iter()
        .map(|doc| (doc.address, doc.score))
        .collect())
}

/// How many of `words` each document has in one of `fields`.
fn word_counts(
    searcher: &Searcher,
    fields: &[Field],
    words: &[Vec<String>],
) -> tantivy::Result<HashMap<DocAddress, usize>> {
    let mut counts: HashMap<DocAddress, usize> = HashMap::new();
    for terms in words {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in terms {
            for field in fields {
                clauses.push((
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(*field, term),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        let found: HashSet<DocAddress> =
            searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?;
        for address in found {
            *counts.entry(address).or_default() += 1;
        }
    }
    Ok(counts)
}

/// `bm25` times the share of the query's `total` words a document matches (`matched`), in
/// float32 as the browser client computes it: `bm25 × (matched / total)`.
pub fn coordinated(bm25: Score, matched: usize, total: usize) -> Score {
    if total == 0 {
        return bm25;
    }
    bm25 * (matched as f32 / total as f32)
}

/// What a title's score counts for when it holds `matched` of the query's `total` words: the
/// square of that share, in float32 as the browser client computes it.
pub fn title_share(matched: usize, total: usize) -> Score {
    if total == 0 {
        return 1.0;
    }
    let share = matched as f32 / total as f32;
    share * share
}

/// The best `limit` pages of `docs`, each as its documents in rank order: its best, then up to
/// [`MAX_SECTIONS`] more ranked before the best document of the last page.
pub fn group(mut docs: Vec<Ranked>, limit: usize) -> Vec<Vec<Ranked>> {
    docs.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.ord.cmp(&b.ord)));
    let mut pages: Vec<Vec<Ranked>> = Vec::new();
    let mut at: HashMap<u64, usize> = HashMap::new();
    for doc in docs {
        if pages.len() >= limit && !at.contains_key(&doc.page) {
            break;
        }
        let n = *at.entry(doc.page).or_insert_with(|| {
            pages.push(Vec::new());
            pages.len() - 1
        });
        if pages[n].len() <= MAX_SECTIONS {
            pages[n].push(doc);
        }
        // The best document of the last page ends the listing.
        if pages.len() == limit && pages[n].len() == 1 && n == limit - 1 {
            break;
        }
    }
    pages
}

/// Collects every matching document with its score, `ord` and page.
struct AllMatches;

struct SegmentMatches {
    segment: SegmentOrdinal,
    ord: Column<u64>,
    page: Column<u64>,
    docs: Vec<Ranked>,
}

impl Collector for AllMatches {
    type Fruit = Vec<Ranked>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment,
            ord: reader.fast_fields().u64("ord")?,
            page: reader.fast_fields().u64("page_ord")?,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.docs.push(Ranked {
            ord: self.ord.first(doc).unwrap_or(u64::MAX),
            page: self.page.first(doc).unwrap_or(u64::MAX),
            words: 0,
            score,
            address: DocAddress::new(self.segment, doc),
        });
    }

    fn harvest(self) -> Vec<Ranked> {
        self.docs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(ord: u64, page: u64, score: Score) -> Ranked {
        Ranked {
            ord,
            page,
            words: 1,
            score,
            address: DocAddress::new(0, ord as DocId),
        }
    }

    fn ords(pages: &[Vec<Ranked>]) -> Vec<Vec<u64>> {
        pages
            .iter()
            .map(|p| p.iter().map(|d| d.ord).collect())
            .collect()
    }

    #[test]
    fn matching_more_words_counts_as_lucene_coordination_does() {
        assert_eq!(coordinated(9.0, 3, 3), 9.0);
        assert_eq!(coordinated(9.0, 2, 3), 6.0);
        assert_eq!(coordinated(9.0, 0, 0), 9.0);
        // Two words of three at 12 beat three of three at 7.5; not at 10.
        assert!(coordinated(12.0, 2, 3) > coordinated(7.5, 3, 3));
        assert!(coordinated(10.0, 2, 3) < coordinated(7.5, 3, 3));
    }

    #[test]
    fn a_title_counts_by_the_square_of_the_share_of_the_query_it_holds() {
        assert_eq!(title_share(2, 2), 1.0);
        assert_eq!(title_share(1, 2), 0.25);
        assert_eq!(title_share(1, 4), 0.0625);
        assert_eq!(title_share(0, 3), 0.0);
        assert_eq!(title_share(0, 0), 1.0);
    }

    #[test]
    fn higher_score_first_then_order_in_the_export() {
        let docs = vec![
            doc(20, 20, 9.0),
            doc(10, 10, 1.0),
            doc(0, 0, 9.0),
            doc(30, 30, 9.5),
        ];
        assert_eq!(
            ords(&group(docs, 10)),
            [vec![30], vec![0], vec![20], vec![10]]
        );
    }

    #[test]
    fn a_page_lists_its_best_and_up_to_three_sections_ranked_before_the_last_page() {
        let docs = vec![
            doc(1, 0, 9.0),
            doc(2, 0, 8.0),
            doc(3, 0, 7.0),
            doc(4, 0, 6.5),
            doc(5, 0, 6.4),
            doc(10, 10, 6.0),
            doc(0, 0, 5.0),
            doc(21, 20, 4.0),
        ];
        // Two pages: the second's best (6.0) ends the listing, so 5.0 is not beneath page 0,
        // and 6.4 is one section too many.
        assert_eq!(ords(&group(docs.clone(), 2)), [vec![1, 2, 3, 4], vec![10]]);
        assert_eq!(
            ords(&group(docs.clone(), 3)),
            [vec![1, 2, 3, 4], vec![10], vec![21]]
        );
        assert_eq!(ords(&group(docs.clone(), 1)), [vec![1]]);
        assert!(group(docs, 0).is_empty());
    }
}
