//! Synonyms in search: the groups of `data/synonyms.yaml` (read by
//! [`crate::content::synonyms`]) made to match each other in `folio search`, `/api/search` and
//! the browser client alike.
//!
//! Each group gets a **canonical term**: `~` and its first entry (`~accessibility`), which no
//! word of a page or query can be, since words are letters and digits only. At index time,
//! every entry of a group found in a page's text (a word, or a phrase of consecutive words,
//! compared by their terms, so `screen readers` is `screen reader`) adds the canonical term
//! at its position, beside the words' own terms ([`SynonymFilter`], placed after Folio's
//! tokenizer). At query time, a query's words stand for the canonical term of each group they
//! are in, so any entry finds the pages that use any other:
//!
//! - a single word through the vocabulary: [`Compiled::extend_vocabulary`] adds the
//!   canonical term to every written form whose term is an entry's (`a11y`, `accessibility`,
//!   `accessible`), and the entry itself as a form even when no page uses it;
//! - a phrase through [`Compiled::phrase_terms`]: consecutive query words each equal to the
//!   entry's word as written, or with its term among their form's terms. The export's `meta`
//!   lists the phrases (`synonyms`) and the client applies the same rule.
//!
//! Each canonical term is also a form of its own in the vocabulary (`~accessibility`), which
//! no typed word can reach, so that the browser finds its postings in the shards.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::Searcher;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

use super::analyzer::{split_words, with_analyzer};
use super::index::{Fields, Vocabulary};
use crate::content::synonyms::Synonyms;

/// Starts every canonical term: not a letter or digit, so no word is one.
pub const CANONICAL_MARK: char = '~';

/// The synonym groups of a site, compiled for the language an index is analyzed in.
#[derive(Debug, Default)]
pub struct Compiled {
    /// Each group's canonical term.
    canonicals: Vec<String>,
    /// The entries as sequences of terms: node 0 is the root; a node ends the entries of the
    /// groups it lists.
    nodes: Vec<Node>,
    /// The one-word entries: as written (lower-cased), their term, and their group.
    words: Vec<(String, String, u32)>,
    /// The entries of two words or more.
    phrases: Vec<Phrase>,
}

#[derive(Debug, Default)]
struct Node {
    children: FxHashMap<Box<str>, u32>,
    groups: Vec<u32>,
}

/// An entry of several words, as the export's `meta` lists it for the browser client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phrase {
    /// The canonical term of its group.
    pub term: String,
    /// Each word as written (lower-cased), with its term.
    pub words: Vec<(String, String)>,
}

/// A match in progress: the trie node reached, from the word at `position`.
#[derive(Debug, Clone, Copy)]
struct Partial {
    node: u32,
    position: usize,
    from: usize,
}

impl Compiled {
    /// The groups of `synonyms`, their entries analyzed in `language`.
    pub fn new(synonyms: &Synonyms, language: &str) -> Compiled {
        let mut compiled = Compiled {
            nodes: vec![Node::default()],
            ..Compiled::default()
        };
        for (g, group) in synonyms.groups.iter().enumerate() {
            let g = g as u32;
            let canonical = compiled.canonical_for(&group[0], g);
            compiled.canonicals.push(canonical.clone());
            for entry in group {
                let words = analyzed(entry, language);
                if words.is_empty() {
                    continue;
                }
                compiled.insert(&words, g);
                match words.as_slice() {
                    [(surface, term)] => {
                        let word = (surface.clone(), term.clone(), g);
                        if !compiled.words.contains(&word) {
                            compiled.words.push(word);
                        }
                    }
                    _ => {
                        let phrase = Phrase {
                            term: canonical.clone(),
                            words,
                        };
                        if !compiled.phrases.contains(&phrase) {
                            compiled.phrases.push(phrase);
                        }
                    }
                }
            }
        }
        compiled
    }

    /// True when the site has no synonyms: the analyzer then runs without the filter.
    pub fn is_empty(&self) -> bool {
        self.canonicals.is_empty()
    }

    /// The entries of several words, for the export.
    pub fn phrases(&self) -> &[Phrase] {
        &self.phrases
    }

    /// `~` and the first entry's words; another group with the same first entry gets its
    /// number after them.
    fn canonical_for(&self, first: &str, group: u32) -> String {
        let mut words = String::new();
        split_words(first, |surface, _, _| {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(surface);
        });
        let canonical = format!("{CANONICAL_MARK}{words}");
        if self.canonicals.contains(&canonical) {
            format!("{canonical} {}", group + 1)
        } else {
            canonical
        }
    }

    fn insert(&mut self, words: &[(String, String)], group: u32) {
        let mut node = 0usize;
        for (_, term) in words {
            let next = self.nodes.len() as u32;
            let child = *self.nodes[node]
                .children
                .entry(term.as_str().into())
                .or_insert(next);
            if child == next {
                self.nodes.push(Node::default());
            }
            node = child as usize;
        }
        if !self.nodes[node].groups.contains(&group) {
            self.nodes[node].groups.push(group);
        }
    }

    /// Moves the matches in progress (`active`, oldest first) on by one term, and starts one
    /// at it; calls `found(group, start)` for each entry it completes, oldest start first.
    fn step(
        &self,
        active: &mut Vec<Partial>,
        scratch: &mut Vec<Partial>,
        term: &str,
        here: Partial,
        mut found: impl FnMut(u32, Partial),
    ) {
        scratch.clear();
        for partial in active.iter().copied().chain([here]) {
            let Some(&child) = self.nodes[partial.node as usize].children.get(term) else {
                continue;
            };
            let node = &self.nodes[child as usize];
            for &group in &node.groups {
                found(group, partial);
            }
            if !node.children.is_empty() {
                scratch.push(Partial {
                    node: child,
                    ..partial
                });
            }
        }
        std::mem::swap(active, scratch);
    }

    /// The canonical terms the index adds to a text whose terms are `terms`, one per entry
    /// found (as [`SynonymFilter`] adds them): what a field holds beyond its words' terms.
    pub fn added_terms<'a>(&'a self, terms: &[impl AsRef<str>]) -> Vec<&'a str> {
        let (mut active, mut scratch, mut emitted) = (Vec::new(), Vec::new(), Vec::new());
        let mut added = Vec::new();
        for (position, term) in terms.iter().enumerate() {
            let here = Partial {
                node: 0,
                position,
                from: 0,
            };
            self.step(&mut active, &mut scratch, term.as_ref(), here, |g, p| {
                if first_at(&mut emitted, g, p.position) {
                    added.push(self.canonicals[g as usize].as_str());
                }
            });
        }
        added
    }

    /// Adds each group's canonical term to the written forms that stand for one of its words:
    /// every form whose terms include a one-word entry's term, and the entry as written even
    /// when no page uses it; and the canonical term as a form of its own. Only groups whose
    /// canonical term is in the index (`indexed`) count: the others match nothing.
    pub fn extend_vocabulary(&self, vocab: &mut Vocabulary, indexed: impl Fn(&str) -> bool) {
        if self.is_empty() {
            return;
        }
        let present: Vec<bool> = self.canonicals.iter().map(|c| indexed(c)).collect();
        let mut by_term: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
        for (_, term, g) in &self.words {
            if present[*g as usize] {
                by_term.entry(term.as_str()).or_default().push(*g);
            }
        }
        let mut additions: Vec<(String, String)> = Vec::new();
        let canonical = |g: &u32| self.canonicals[*g as usize].clone();
        for (form, terms) in vocab.iter() {
            for term in terms {
                for g in by_term.get(term.as_str()).into_iter().flatten() {
                    additions.push((form.clone(), canonical(g)));
                }
            }
        }
        for (surface, term, g) in &self.words {
            if present[*g as usize] {
                additions.push((surface.clone(), canonical(g)));
                // As the word would find its term had a page written it so.
                if indexed(term) {
                    additions.push((surface.clone(), term.clone()));
                }
            }
        }
        for (g, canonical) in self.canonicals.iter().enumerate() {
            if present[g] {
                additions.push((canonical.clone(), canonical.clone()));
            }
        }
        for (form, term) in additions {
            let terms = vocab.entry(form).or_default();
            if !terms.contains(&term) {
                terms.push(term);
                terms.sort_unstable();
            }
        }
    }

    /// Where a query's words (`words`, lower-cased, in order) hold a phrase entry: a phrase
    /// matches where each of its words is the query's word as written, or is among the terms
    /// `exact` gives for that word's written form (its vocabulary entry). Each match as its
    /// first word, its number of words and its group's term; phrases in the order listed, each
    /// from the first word on.
    pub fn phrase_matches<'v>(
        &self,
        words: &[String],
        exact: impl Fn(&str) -> Option<&'v Vec<String>>,
    ) -> Vec<(usize, usize, &str)> {
        let matches = |word: &String, (surface, term): &(String, String)| {
            word == surface || exact(word).is_some_and(|terms| terms.contains(term))
        };
        let mut found = Vec::new();
        for phrase in &self.phrases {
            let n = phrase.words.len();
            for start in 0..(words.len() + 1).saturating_sub(n) {
                let here = words[start..start + n]
                    .iter()
                    .zip(&phrase.words)
                    .all(|(w, p)| matches(w, p));
                if here {
                    found.push((start, n, phrase.term.as_str()));
                }
            }
        }
        found
    }

    /// Whether each canonical term is in the index whose `searcher` and `fields` are given.
    pub fn indexed_in<'s>(
        searcher: &'s Searcher,
        fields: &'s Fields,
    ) -> impl Fn(&str) -> bool + 's {
        move |term| {
            fields.scored.iter().any(|field| {
                let term = tantivy::Term::from_field_text(*field, term);
                searcher.doc_freq(&term).is_ok_and(|n| n > 0)
            })
        }
    }
}

/// Joins the group term of each phrase match (`matches`, as [`Compiled::phrase_matches`] gives
/// them) to the query's scored words it covers, so that a page with the group's term matches
/// each of them, as a page with the phrase does; `word_of` maps each typed word to its scored
/// word, if it is one (a question word, or a word no page uses, is not). A match that covers no
/// scored word (`screen reader` where no page says screen or reader) becomes a word of its own.
pub fn attach_phrases(
    words: &mut Vec<Vec<String>>,
    word_of: &[Option<usize>],
    matches: &[(usize, usize, &str)],
) {
    for &(start, len, term) in matches {
        let mut covered: Vec<usize> = Vec::new();
        for word in word_of[start..start + len].iter().flatten() {
            if !covered.contains(word) {
                covered.push(*word);
            }
        }
        if covered.is_empty() {
            if !words.iter().any(|w| w.len() == 1 && w[0] == term) {
                words.push(vec![term.to_string()]);
            }
            continue;
        }
        for word in covered {
            if !words[word].iter().any(|t| t == term) {
                words[word].push(term.to_string());
            }
        }
    }
}

/// The words of an entry as the index analyzes them: each as written (lower-cased) and its term.
fn analyzed(entry: &str, language: &str) -> Vec<(String, String)> {
    let mut surfaces = Vec::new();
    split_words(entry, |surface, _, _| surfaces.push(surface.to_string()));
    with_analyzer(language, |analyzer| {
        surfaces
            .into_iter()
            .map(|surface| {
                let term = analyzer.term(&surface);
                (surface, term)
            })
            .collect()
    })
}

/// True the first time group `g` is added at `position` or after its last one: tantivy takes a
/// term's positions in order only, and an entry found twice at one place counts once.
fn first_at(emitted: &mut Vec<(u32, usize)>, g: u32, position: usize) -> bool {
    match emitted.iter_mut().find(|(group, _)| *group == g) {
        Some((_, last)) if *last >= position => false,
        Some((_, last)) => {
            *last = position;
            true
        }
        None => {
            emitted.push((g, position));
            true
        }
    }
}

/// The analyzer registered in the index for writing: `tokenizer`, followed by the synonym
/// filter when the site has synonyms.
pub fn analyzer<T: Tokenizer>(tokenizer: T, synonyms: &Arc<Compiled>) -> TextAnalyzer {
    if synonyms.is_empty() {
        TextAnalyzer::from(tokenizer)
    } else {
        TextAnalyzer::builder(tokenizer)
            .filter(SynonymFilter(Arc::clone(synonyms)))
            .build()
    }
}

/// Adds the canonical term of each synonym entry found in a text, at the entry's first word,
/// after that entry's last word.
#[derive(Clone)]
pub struct SynonymFilter(pub Arc<Compiled>);

impl TokenFilter for SynonymFilter {
    type Tokenizer<T: Tokenizer> = SynonymTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SynonymTokenizer<T> {
        SynonymTokenizer {
            inner: tokenizer,
            synonyms: self.0,
            buffers: Buffers::default(),
        }
    }
}

/// A tokenizer followed by the synonym filter.
#[derive(Clone)]
pub struct SynonymTokenizer<T> {
    inner: T,
    synonyms: Arc<Compiled>,
    buffers: Buffers,
}

/// Reused from one text to the next.
#[derive(Clone, Default)]
struct Buffers {
    active: Vec<Partial>,
    scratch: Vec<Partial>,
    pending: Vec<Token>,
    emitted: Vec<(u32, usize)>,
}

impl<T: Tokenizer> Tokenizer for SynonymTokenizer<T> {
    type TokenStream<'a> = SynonymStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let buffers = &mut self.buffers;
        buffers.active.clear();
        buffers.pending.clear();
        buffers.emitted.clear();
        SynonymStream {
            inner: self.inner.token_stream(text),
            synonyms: &self.synonyms,
            buffers,
            shown: 0,
        }
    }
}

/// The tokens of one text with the canonical terms added.
pub struct SynonymStream<'a, S> {
    inner: S,
    synonyms: &'a Compiled,
    buffers: &'a mut Buffers,
    /// How many of `buffers.pending` were handed out: the current token is the last of them,
    /// or the inner stream's when none is.
    shown: usize,
}

impl<S: TokenStream> TokenStream for SynonymStream<'_, S> {
    fn advance(&mut self) -> bool {
        if self.shown < self.buffers.pending.len() {
            self.shown += 1;
            return true;
        }
        self.buffers.pending.clear();
        self.shown = 0;
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token();
        let Buffers {
            active,
            scratch,
            pending,
            emitted,
        } = &mut *self.buffers;
        if active.is_empty()
            && !self.synonyms.nodes[0]
                .children
                .contains_key(token.text.as_str())
        {
            return true;
        }
        let here = Partial {
            node: 0,
            position: token.position,
            from: token.offset_from,
        };
        let synonyms = self.synonyms;
        synonyms.step(active, scratch, &token.text, here, |g, start| {
            if first_at(emitted, g, start.position) {
                pending.push(Token {
                    offset_from: start.from,
                    offset_to: token.offset_to,
                    position: start.position,
                    text: synonyms.canonicals[g as usize].clone(),
                    position_length: 1,
                });
            }
        });
        true
    }

    fn token(&self) -> &Token {
        match self.shown {
            0 => self.inner.token(),
            n => &self.buffers.pending[n - 1],
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.shown {
            0 => self.inner.token_mut(),
            n => &mut self.buffers.pending[n - 1],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyzer::MultilingualTokenizer;

    fn compiled(groups: &[&[&str]]) -> Arc<Compiled> {
        let synonyms = Synonyms {
            groups: groups
                .iter()
                .map(|g| g.iter().map(|s| s.to_string()).collect())
                .collect(),
        };
        Arc::new(Compiled::new(&synonyms, "en"))
    }

    fn tokens(synonyms: &Arc<Compiled>, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut analyzer = analyzer(MultilingualTokenizer::new("en"), synonyms);
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn entries_add_their_groups_canonical_term_where_they_are() {
        let synonyms = compiled(&[
            &["accessibility", "a11y", "screen reader"],
            &["SBOM", "software bill of materials"],
        ]);
        let found = tokens(
            &synonyms,
            "Screen readers and A11y: a software bill of materials",
        );
        let added: Vec<_> = found.iter().filter(|t| t.0.starts_with('~')).collect();
        assert_eq!(
            added,
            [
                &("~accessibility".to_string(), 0, 0, 14),
                &("~accessibility".to_string(), 3, 19, 23),
                &("~sbom".to_string(), 5, 27, 53),
            ]
        );
        // The words keep their own terms, in order.
        let words: Vec<&str> = found
            .iter()
            .filter(|t| !t.0.starts_with('~'))
            .map(|t| t.0.as_str())
            .collect();
        assert_eq!(
            words,
            [
                "screen", "reader", "and", "a11i", "a", "softwar", "bill", "of", "materi"
            ]
        );
        assert_eq!(
            synonyms.added_terms(&["screen", "reader", "and", "a11i"]),
            ["~accessibility", "~accessibility"]
        );
    }

    #[test]
    fn overlapping_entries_of_one_group_add_its_term_once_in_order() {
        let synonyms = compiled(&[&["oss", "open source", "open source software", "source"]]);
        let found = tokens(&synonyms, "open source software");
        let added: Vec<(usize, usize)> = found
            .iter()
            .filter(|t| t.0 == "~oss")
            .map(|t| (t.1, t.2))
            .collect();
        // `open source` at 0, `source` at 1; `open source software` at 0 again is dropped.
        assert_eq!(added, [(0, 0), (1, 5)]);
    }

    #[test]
    fn the_vocabulary_gains_the_canonical_terms() {
        let synonyms = compiled(&[&["accessibility", "a11y", "screen reader"]]);
        let stem = with_analyzer("en", |a| a.term("accessibility"));
        let mut vocab = Vocabulary::new();
        vocab.insert("accessibilities".into(), vec![stem.clone()]);
        vocab.insert("reader".into(), vec!["reader".into()]);
        synonyms.extend_vocabulary(&mut vocab, |_| true);
        let terms = |form: &str| vocab.get(form).cloned().unwrap_or_default();
        assert_eq!(
            terms("accessibilities"),
            [stem.clone(), "~accessibility".into()]
        );
        assert_eq!(terms("accessibility"), [stem, "~accessibility".into()]);
        assert_eq!(terms("a11y"), ["a11i", "~accessibility"]);
        assert_eq!(terms("~accessibility"), ["~accessibility"]);
        // A phrase's word alone is not the group.
        assert_eq!(terms("reader"), ["reader"]);
        let mut none = Vocabulary::new();
        synonyms.extend_vocabulary(&mut none, |_| false);
        assert!(none.is_empty());
    }

    #[test]
    fn query_phrases_match_as_written_or_by_term() {
        let synonyms = compiled(&[
            &["accessibility", "screen reader"],
            &["SBOM", "software bill of materials"],
        ]);
        let mut vocab = Vocabulary::new();
        vocab.insert("readers".into(), vec!["reader".into()]);
        let words = |q: &str| -> Vec<String> { q.split(' ').map(str::to_string).collect() };
        let exact = |w: &str| vocab.get(w);
        assert_eq!(
            synonyms.phrase_matches(&words("best screen readers"), exact),
            [(1, 2, "~accessibility")]
        );
        assert_eq!(
            synonyms.phrase_matches(
                &words("software bill of materials screen reader screen reader"),
                exact
            ),
            [
                (4, 2, "~accessibility"),
                (6, 2, "~accessibility"),
                (0, 4, "~sbom")
            ]
        );
        assert!(
            synonyms
                .phrase_matches(&words("screen of reader"), exact)
                .is_empty()
        );
        assert!(synonyms.phrase_matches(&words("screen"), exact).is_empty());
    }

    #[test]
    fn a_phrase_joins_its_words_or_is_a_word_of_its_own() {
        // `software bill of materials`: `of` is no scored word, `bill` counts as `software`.
        let mut words = vec![vec!["softwar".to_string()], vec!["materi".to_string()]];
        let word_of = [Some(0), Some(0), None, Some(1), None, None];
        attach_phrases(
            &mut words,
            &word_of,
            &[(0, 4, "~sbom"), (4, 2, "~a11y"), (4, 2, "~a11y")],
        );
        assert_eq!(
            words,
            [
                vec!["softwar", "~sbom"],
                vec!["materi", "~sbom"],
                vec!["~a11y"],
            ]
        );
    }
}
