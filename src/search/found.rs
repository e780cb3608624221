//! A tantivy query that matches documents found by an earlier search, used to exclude phrases.
//!
//! tantivy 0.27 probes an excluded clause out of order (`seek_danger` from `Exclude`), which its
//! phrase scorer asserts against (`target should be greater than or equal to doc`): a panic in
//! every build with debug assertions, found by the query fuzz target for `-"a b"`, `x -(a -b$c)`
//! and `x -(a m -a$i)`. Running each excluded phrase on its own first and excluding the documents it
//! found, through [`FoundDocs`], gives the same results without ever probing a phrase scorer.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, Score, Searcher, SegmentReader, TantivyError};

/// The documents some query matched, by segment; as a query, it matches exactly those, each
/// with the score of its boost.
#[derive(Clone, Debug)]
pub struct FoundDocs {
    docs: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl FoundDocs {
    /// Runs `query` on `searcher` and keeps what it matched.
    pub fn search(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<FoundDocs> {
        let mut docs: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        for address in searcher.search(query, &DocSetCollector)? {
            let segment = searcher.segment_reader(address.segment_ord).segment_id();
            docs.entry(segment).or_default().push(address.doc_id);
        }
        Ok(FoundDocs {
            docs: Arc::new(docs),
        })
    }

    /// The documents found in `segment`.
    fn in_segment(&self, segment: SegmentId) -> &[DocId] {
        self.docs.get(&segment).map_or(&[], Vec::as_slice)
    }
}

impl Query for FoundDocs {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for FoundDocs {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut bits = BitSet::with_max_value(reader.max_doc());
        for &doc in self.in_segment(reader.segment_id()) {
            bits.insert(doc);
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(bits), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.in_segment(reader.segment_id()).contains(&doc) {
            Ok(Explanation::new("found by an earlier search", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} was not found by the earlier search"
            )))
        }
    }
}
