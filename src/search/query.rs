//! Searching the tantivy index: plain queries the way the browser runs them, and tantivy's query
//! syntax for `folio search`.
//!
//! A plain query is a list of words. Each word becomes the terms of its written form, found in
//! the index's vocabulary; the word being typed also matches the forms it begins; a word of five or
//! more letters that the site never uses matches the forms one edit away. Every term is looked
//! up in every scored field with that field's boost, and a document's score is the sum, which is
//! BM25 as tantivy computes it. Question and function words ([`super::stopwords`]) are left out
//! unless the query has no other words. Results are ranked and grouped by page as
//! [`super::ranking`] says. The browser client implements the same steps on the export.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Result, bail};
use serde::Serialize;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, Score, Searcher, TantivyDocument, Term};

use super::analyzer::split_words;
use super::found::FoundDocs;
use super::index::{self, Fields, SCORED_FIELDS, Vocabulary};
use super::ranking::{self, Ranked};
use super::synonyms::{self, Compiled};

/// Prefix matching starts at this many characters: shorter prefixes match too much to help.
pub const MIN_PREFIX_CHARS: usize = 3;
/// Words this long or longer may be corrected by one edit.
pub const MIN_TYPO_CHARS: usize = 5;
/// At most this many written forms are tried for one prefix or typo, shortest first.
pub const MAX_EXPANSIONS: usize = 50;
/// Words of a query past this many are ignored (the browser client has the same limit): each
/// word costs lookups, and a query pasted from a page would take seconds in the browser.
pub const MAX_QUERY_WORDS: usize = 32;
/// Typo candidates must share this many leading characters with the word typed.
pub const TYPO_SHARED_PREFIX: usize = 2;
/// Groups may nest this deep: `((a))` is two levels, and each `NOT` adds one to what it
/// negates. tantivy's query grammar, and the query it builds, recurse once or more per level,
/// so a query nested thousands deep overflows the stack and aborts the process (an 18 KB
/// request to `/api/search` did); no reader nests a search beyond a few levels.
pub const MAX_QUERY_NESTING: usize = 32;
/// A query may hold at most this many groups: `(` and `NOT`, nested or not. Each level of
/// recursion in tantivy's grammar starts at one of them, so this bounds its depth whatever
/// [`nesting_depth`] makes of the query's quotes (it does not model regexes, `/…/`, in which
/// a quote is text). 64 levels of the costliest kind, `+(a -"b c" …)`, take about 640 KiB of
/// stack in a debug build: a third of a `folio serve` request thread's 2 MiB.
pub const MAX_QUERY_GROUPS: usize = 64;

/// An open search index.
pub struct SearchIndex {
    /// The language it was analyzed in.
    language: String,
    index: Index,
    searcher: Searcher,
    fields: Fields,
    vocabulary: Vocabulary,
    /// The question and function words of its language.
    stop_words: HashSet<&'static str>,
    /// The synonym groups it was built with.
    synonyms: Arc<Compiled>,
}

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The query as typed.
    pub query: String,
    /// Only documents of this kind.
    pub kind: Option<String>,
    /// Only documents with this tag.
    pub tag: Option<String>,
    /// How many results (pages); none for 0.
    pub limit: usize,
    /// Treat the last word as a prefix, as while typing.
    pub prefix: bool,
}

/// One result: a page, linked to its best matching document (its own text or a section).
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// URL, with `#anchor` for a section.
    pub url: String,
    /// The page's or section's title.
    pub title: String,
    /// For a section, its page's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    /// The page's kind.
    pub kind: String,
    /// BM25 score.
    pub score: Score,
    /// Position in the export.
    pub ord: u64,
    /// A passage of the text around the matches.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched.
    pub highlights: Vec<(usize, usize)>,
    /// How many of the query's distinct words it matches (0 for a query in tantivy's syntax).
    pub words: usize,
    /// Up to three more matching documents of the page, in rank order.
    pub sections: Vec<Section>,
}

/// A matching document listed beneath its page's best.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// URL, with `#anchor` for a section.
    pub url: String,
    /// The section's title (the page's, for the page's own text).
    pub title: String,
    /// BM25 score.
    pub score: Score,
    /// Position in the export.
    pub ord: u64,
    /// How many of the query's distinct words it matches.
    pub words: usize,
    /// A passage of the text around the matches.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched.
    pub highlights: Vec<(usize, usize)>,
}

impl SearchIndex {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let (index, fields, settings) = index::open(dir)?;
        // Results are grouped by page from a fast field that indexes before it lacked.
        if !index.schema().get_field_entry(fields.page_ord).is_fast() {
            bail!("the search index was made by an older Folio: run `folio build` again");
        }
        let searcher = index.reader()?.searcher();
        let vocabulary = index::read_vocabulary(dir)?;
        let stop_words = super::stopwords::for_language(&settings.language)
            .into_iter()
            .collect();
        Ok(SearchIndex {
            synonyms: settings.compiled_synonyms(),
            language: settings.language,
            index,
            searcher,
            fields,
            vocabulary,
            stop_words,
        })
    }

    /// The language its pages were analyzed in: the language version it indexes.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Runs `request`: tantivy's query syntax when the query uses it, else a plain query. A
    /// query nested deeper than [`MAX_QUERY_NESTING`] or with more than [`MAX_QUERY_GROUPS`]
    /// groups is an error before anything parses it.
    pub fn search(&self, request: &Request) -> Result<Vec<Hit>> {
        check_nesting(&request.query)?;
        if request.limit == 0 {
            return Ok(Vec::new());
        }
        // `licen*` asks for the prefix matching the browser does while typing.
        if let Some(stem) = request.query.trim_end().strip_suffix('*')
            && !uses_query_syntax(stem)
        {
            let request = Request {
                query: stem.to_string(),
                prefix: true,
                ..request.clone()
            };
            return self.search(&request);
        }
        let (query, words): (Box<dyn Query>, Vec<Vec<String>>) =
            if uses_query_syntax(&request.query) {
                let query = self.exclude_phrases_beforehand(self.parse(&request.query)?)?;
                (query, Vec::new())
            } else {
                let words = self.words(&request.query, request.prefix);
                if words.is_empty() {
                    return Ok(Vec::new());
                }
                (Box::new(self.plain_query(&flatten(&words))), words)
            };
        let query = self.filtered(query, request);
        let pages = self.rank_grouped(query.as_ref(), &words, request.limit)?;
        let snippets =
            SnippetGenerator::create(&self.searcher, query.as_ref(), self.fields.scored[2])?;
        pages
            .into_iter()
            .map(|docs| self.page_hit(&snippets, &docs))
            .collect()
    }

    /// The best pages for a plain query, with its filters, each as the export positions (`ord`),
    /// scores and matched words of its documents, best first: what the browser client computes
    /// from the export.
    pub fn rank_plain(&self, request: &Request) -> Result<Vec<Vec<(u64, Score, usize)>>> {
        let words = self.words(&request.query, request.prefix);
        if words.is_empty() || request.limit == 0 {
            return Ok(Vec::new());
        }
        let query = self.filtered(Box::new(self.plain_query(&flatten(&words))), request);
        Ok(self
            .rank_grouped(query.as_ref(), &words, request.limit)?
            .into_iter()
            .map(|docs| docs.iter().map(|d| (d.ord, d.score, d.words)).collect())
            .collect())
    }

    /// The indexed terms a plain query stands for, in the order first met.
    pub fn terms(&self, query: &str, prefix: bool) -> Vec<String> {
        flatten(&self.words(query, prefix))
    }

    /// The distinct words of a plain query that are scored, each as the indexed terms it stands
    /// for: the first [`MAX_QUERY_WORDS`] words as typed, without the question and function
    /// words unless there is nothing else, and without the words that stand for no term or for
    /// the same terms as an earlier word.
    pub fn words(&self, query: &str, prefix: bool) -> Vec<Vec<String>> {
        let mut typed = Vec::new();
        split_words(query, |surface, _, _| {
            if typed.len() < MAX_QUERY_WORDS {
                typed.push(surface.to_string());
            }
        });
        // Synonym phrases are found among all the words typed: `bill of materials` has `of`.
        let phrases: Vec<(usize, usize, &str)> = self
            .synonyms
            .phrase_matches(&typed, |w| self.vocabulary.get(w))
            .into_iter()
            .filter(|(_, _, term)| self.vocabulary.contains_key(*term))
            .collect();
        let last = typed.len().saturating_sub(1);
        let count = typed.len();
        let mut typed: Vec<(usize, String, bool)> = typed
            .into_iter()
            .enumerate()
            .map(|(i, word)| (i, word, prefix && i == last))
            .collect();
        if typed
            .iter()
            .any(|(_, word, _)| !self.stop_words.contains(word.as_str()))
        {
            typed.retain(|(_, word, _)| !self.stop_words.contains(word.as_str()));
        }
        let mut words: Vec<Vec<String>> = Vec::new();
        // The word each typed word counts as, if any.
        let mut word_of: Vec<Option<usize>> = vec![None; count];
        for (i, word, as_prefix) in typed {
            let terms = self.word_terms(&word, as_prefix);
            let mut key = terms.clone();
            key.sort();
            let known = words.iter().position(|w| {
                let mut other = w.clone();
                other.sort();
                other == key
            });
            if terms.is_empty() {
                continue;
            }
            word_of[i] = Some(known.unwrap_or(words.len()));
            if known.is_none() {
                words.push(terms);
            }
        }
        synonyms::attach_phrases(&mut words, &word_of, &phrases);
        words
    }

    /// The terms one typed word stands for.
    fn word_terms(&self, word: &str, as_prefix: bool) -> Vec<String> {
        let chars = word.chars().count();
        let vocab = if as_prefix && chars >= MIN_PREFIX_CHARS {
            let mut forms = self.vocab_starting_with(word);
            shortest_first(&mut forms);
            forms
        } else {
            self.vocab_equal_to(word)
        };
        // A short word no page writes may be the singular or plural of one a page does
        // ("CVE" where pages say "CVEs"); longer words get there as a typo's fix.
        let vocab = match other_number(word) {
            Some(other) if vocab.is_empty() && chars < MIN_TYPO_CHARS => {
                self.vocab_equal_to(&other)
            }
            _ => vocab,
        };
        let vocab = if vocab.is_empty() && chars >= MIN_TYPO_CHARS {
            let shared: String = word.chars().take(TYPO_SHARED_PREFIX).collect();
            let mut forms = self.vocab_starting_with(&shared);
            forms.retain(|(surface, _)| one_edit_apart(surface, word));
            shortest_first(&mut forms);
            forms
        } else {
            vocab
        };
        let mut terms = Vec::new();
        for (_, form_terms) in vocab {
            for term in form_terms {
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        }
        terms
    }

    /// The written form `word` itself, with its terms, if some page uses it.
    fn vocab_equal_to(&self, word: &str) -> Vec<(String, Vec<String>)> {
        self.vocabulary
            .get_key_value(word)
            .map(|(form, terms)| (form.clone(), terms.clone()))
            .into_iter()
            .collect()
    }

    /// Written forms starting with `prefix`, each with its terms, in byte order.
    fn vocab_starting_with(&self, prefix: &str) -> Vec<(String, Vec<String>)> {
        self.vocabulary
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(|(form, _)| form.starts_with(prefix))
            .map(|(form, terms)| (form.clone(), terms.clone()))
            .collect()
    }

    /// Every term in every scored field, with the field's boost; scores add up.
    fn plain_query(&self, terms: &[String]) -> BooleanQuery {
        self.fields_query(terms, 0..SCORED_FIELDS.len())
    }

    /// Every term in the scored fields numbered `fields`, with each field's boost.
    fn fields_query(&self, terms: &[String], fields: std::ops::Range<usize>) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in terms {
            for (field, (_, boost)) in self.fields.scored[fields.clone()]
                .iter()
                .zip(&SCORED_FIELDS[fields.clone()])
            {
                let boost = *boost;
                let query = TermQuery::new(
                    Term::from_field_text(*field, term),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(query), boost)),
                ));
            }
        }
        BooleanQuery::new(clauses)
    }

    fn parse(&self, query: &str) -> Result<Box<dyn Query>> {
        let mut parser = QueryParser::for_index(&self.index, self.fields.scored.to_vec());
        for (field, (_, boost)) in self.fields.scored.iter().zip(SCORED_FIELDS) {
            parser.set_field_boost(*field, boost);
        }
        match parser.parse_query(query) {
            Ok(query) => Ok(query),
            Err(error) => bail!("cannot read the query `{query}`: {error}"),
        }
    }

    /// Replaces each excluded phrase in `query` (`-"a b"`, or `-a$b`, which tantivy reads as a
    /// phrase), at any depth, by the documents it matches, found first (see [`FoundDocs`]).
    fn exclude_phrases_beforehand(&self, query: Box<dyn Query>) -> Result<Box<dyn Query>> {
        let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
            if uses_positions(query.as_ref()) && format!("{query:?}").contains("MustNot") {
                // A boosted group, `(a -"b c")^2`: tantivy keeps its clauses private.
                bail!("cannot exclude a phrase inside a boosted group: leave out the `^`");
            }
            return Ok(query);
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (occur, clause) in boolean.clauses() {
            // Inside first: an excluded group may itself exclude a phrase, `-(a -"b c")`.
            let clause = self.exclude_phrases_beforehand(clause.box_clone())?;
            let clause: Box<dyn Query> =
                if *occur == Occur::MustNot && uses_positions(clause.as_ref()) {
                    Box::new(FoundDocs::search(&self.searcher, clause.as_ref())?)
                } else {
                    clause
                };
            clauses.push((*occur, clause));
        }
        Ok(Box::new(BooleanQuery::with_minimum_required_clauses(
            clauses,
            boolean.get_minimum_number_should_match(),
        )))
    }

    /// Adds the kind and tag filters, which must match but add nothing to the score.
    fn filtered(&self, query: Box<dyn Query>, request: &Request) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
        let filters = [
            (self.fields.kind, &request.kind),
            (self.fields.tags, &request.tag),
        ];
        for (field, value) in filters {
            if let Some(value) = value {
                let term = TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                );
                clauses.push((
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(term), 0.0)),
                ));
            }
        }
        if clauses.len() == 1 {
            clauses.pop().expect("one clause").1
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }

    /// The best `limit` pages, each as its matching documents in rank order ([`ranking`]).
    fn rank_grouped(
        &self,
        query: &dyn Query,
        words: &[Vec<String>],
        limit: usize,
    ) -> Result<Vec<Vec<Ranked>>> {
        // A plain query (it has words) weighs its title part by the share of it a title holds.
        let terms = flatten(words);
        let title = self.fields_query(&terms, 0..1);
        let rest = self.fields_query(&terms, 1..SCORED_FIELDS.len());
        let split = (!words.is_empty()).then_some(ranking::Split {
            rest: &rest,
            title: &title,
        });
        let docs = ranking::matching(&self.searcher, query, split, &self.fields.scored, words)?;
        Ok(ranking::group(docs, limit))
    }

    /// A page's result: its best document, with the others beneath it.
    fn page_hit(&self, snippets: &SnippetGenerator, docs: &[Ranked]) -> Result<Hit> {
        let best = docs.first().expect("a page has its best document");
        let mut hit = self.hit(snippets, best.score, best.ord, best.address)?;
        hit.words = best.words;
        for doc in &docs[1..] {
            let found = self.hit(snippets, doc.score, doc.ord, doc.address)?;
            hit.sections.push(Section {
                url: found.url,
                title: found.title,
                score: doc.score,
                ord: doc.ord,
                words: doc.words,
                snippet: found.snippet,
                highlights: found.highlights,
            });
        }
        Ok(hit)
    }

    fn hit(
        &self,
        snippets: &SnippetGenerator,
        score: Score,
        ord: u64,
        address: DocAddress,
    ) -> Result<Hit> {
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let snippet = snippets.snippet(&text(self.fields.text));
        let page_title = Some(text(self.fields.page_title)).filter(|t| !t.is_empty());
        Ok(Hit {
            url: text(self.fields.url),
            title: text(self.fields.title_text),
            page_title,
            kind: text(self.fields.kind),
            score,
            ord,
            snippet: snippet.fragment().to_string(),
            highlights: snippet
                .highlighted()
                .iter()
                .map(|r| (r.start, r.end))
                .collect(),
            words: 0,
            sections: Vec::new(),
        })
    }
}

/// Every term of `words`, once, in the order first met.
fn flatten(words: &[Vec<String>]) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for term in words.iter().flatten() {
        if !terms.contains(term) {
            terms.push(term.clone());
        }
    }
    terms
}

/// True when `query` matches on term positions: a phrase somewhere in it.
fn uses_positions(query: &dyn Query) -> bool {
    let mut positions = false;
    query.query_terms(&mut |_, needs_positions| positions |= needs_positions);
    positions
}

/// Refuses a query that nests groups deeper than [`MAX_QUERY_NESTING`] or holds more than
/// [`MAX_QUERY_GROUPS`] of them, saying which and how to fix it. Reads the text once, without
/// recursing, so it is safe on any input.
pub fn check_nesting(query: &str) -> Result<()> {
    let depth = nesting_depth(query);
    if depth > MAX_QUERY_NESTING {
        bail!(
            "the query nests groups {depth} levels deep, and at most {MAX_QUERY_NESTING} are \
             allowed: remove some parentheses or `NOT`s"
        );
    }
    let groups = group_count(query);
    if groups > MAX_QUERY_GROUPS {
        bail!(
            "the query has {groups} groups (`(` and `NOT`), and at most {MAX_QUERY_GROUPS} are \
             allowed: search for fewer things at once"
        );
    }
    Ok(())
}

/// How deep the query nests groups, as tantivy's grammar reads it: each `(` opens a level until
/// its `)`, and each `NOT` adds a level to the group or word it negates. Parentheses inside a
/// phrase (`"f(x)"`, `'a)'`) or escaped (`\(`) are text, not groups.
pub fn nesting_depth(query: &str) -> usize {
    // The levels each open group adds: one, plus the `NOT`s written just before it.
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0;
    let mut deepest = 0;
    // `NOT`s waiting for what they negate.
    let mut nots = 0;
    let mut quote: Option<char> = None;
    let mut at_word_start = true;
    let mut chars = query.char_indices();
    while let Some((at, c)) = chars.next() {
        if c == '\\' {
            chars.next();
            at_word_start = false;
            continue;
        }
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '(' => {
                open.push(1 + nots);
                depth += 1 + nots;
                nots = 0;
                at_word_start = true;
            }
            ')' => {
                depth -= open.pop().unwrap_or(0);
                nots = 0;
                at_word_start = false;
            }
            '+' | '-' if at_word_start => {}
            c if c.is_whitespace() => at_word_start = true,
            'N' if at_word_start && is_not_operator(&query[at..]) => {
                nots += 1;
                deepest = deepest.max(depth + nots);
                chars.nth(1);
                at_word_start = false;
            }
            c => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                nots = 0;
                at_word_start = false;
            }
        }
        deepest = deepest.max(depth);
    }
    deepest
}

/// True when `rest` starts with the `NOT` operator: the word followed by white space.
fn is_not_operator(rest: &str) -> bool {
    rest.strip_prefix("NOT")
        .and_then(|after| after.chars().next())
        .is_some_and(char::is_whitespace)
}

/// Every `(` and every `NOT` followed by white space, wherever they are: a bound on how deep
/// tantivy's grammar can recurse that does not depend on reading the query right.
fn group_count(query: &str) -> usize {
    let parentheses = query.matches('(').count();
    let nots = query
        .match_indices("NOT")
        .filter(|(at, _)| is_not_operator(&query[*at..]))
        .count();
    parentheses + nots
}

/// True when the query uses tantivy's syntax: phrases, `+must`, `-not`, `field:term`, grouping.
pub fn uses_query_syntax(query: &str) -> bool {
    query.contains(['"', ':', '(', ')', '*', '^', '[', '{'])
        || query
            .split_whitespace()
            .any(|w| w.starts_with(['+', '-']) || matches!(w, "AND" | "OR" | "NOT"))
}

/// `word` without its final `s` (three letters or more), or with one added (two or more): what
/// a short word that no page writes is looked up as, in `folio search` and the browser client
/// (`otherNumber` in search.js) alike.
fn other_number(word: &str) -> Option<String> {
    let chars = word.chars().count();
    match word.strip_suffix('s') {
        Some(singular) if chars >= 3 => Some(singular.to_string()),
        Some(_) => None,
        None if chars >= 2 => Some(format!("{word}s")),
        None => None,
    }
}

/// Orders written forms shortest first, then alphabetically, and keeps the first few.
fn shortest_first(forms: &mut Vec<(String, Vec<String>)>) {
    forms.sort_by(|a, b| (a.0.chars().count(), &a.0).cmp(&(b.0.chars().count(), &b.0)));
    forms.truncate(MAX_EXPANSIONS);
}

/// True when one insertion, deletion, substitution or swap of neighbours turns `a` into `b`.
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[common..], &b[common..]);
    match (ra.len(), rb.len()) {
        (0, 0) => false,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x == y + 1 => ra[1..] == *rb,
        (x, y) if x + 1 == y => *ra == rb[1..],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_word_is_also_looked_up_in_its_other_number() {
        assert_eq!(other_number("cve").as_deref(), Some("cves"));
        assert_eq!(other_number("sdks").as_deref(), Some("sdk"));
        assert_eq!(other_number("pr").as_deref(), Some("prs"));
        // Too short to tell: `s` alone, or one letter.
        assert_eq!(other_number("us").as_deref(), None);
        assert_eq!(other_number("a").as_deref(), None);
    }

    #[test]
    fn one_edit_covers_the_four_kinds_of_typo() {
        assert!(one_edit_apart("license", "licence"));
        assert!(one_edit_apart("license", "licnese"));
        assert!(one_edit_apart("license", "licens"));
        assert!(one_edit_apart("license", "licensee"));
        assert!(!one_edit_apart("license", "license"));
        assert!(!one_edit_apart("license", "lisence2"));
        assert!(!one_edit_apart("license", "icenses"));
    }

    #[test]
    fn query_syntax_is_recognised() {
        assert!(uses_query_syntax("\"open source\""));
        assert!(uses_query_syntax("+license -gpl"));
        assert!(uses_query_syntax("kind:policy"));
        assert!(!uses_query_syntax("can I use AGPL code?"));
        assert!(!uses_query_syntax("open-source"));
    }

    #[test]
    fn nesting_is_counted_as_tantivy_reads_it() {
        assert_eq!(nesting_depth("licence"), 0);
        assert_eq!(nesting_depth("(a) (b) -(c)"), 1);
        assert_eq!(nesting_depth("+(a -(b (c)))"), 3);
        assert_eq!(nesting_depth("title:(a (b))"), 2);
        assert_eq!(nesting_depth("NOT NOT a"), 2);
        assert_eq!(nesting_depth("(NOT (NOT a))"), 4);
        // Text, not groups: inside phrases, escaped, or a word that only starts like NOT.
        assert_eq!(nesting_depth("\"f((x\" 'g(('"), 0);
        assert_eq!(nesting_depth("\\(\\( NOTICE NOTE"), 0);
        // A `)` in a phrase closes nothing; one too many closes nothing either.
        assert_eq!(nesting_depth("(a \")\" (b))"), 2);
        assert_eq!(nesting_depth("a)) ((b"), 2);
        assert_eq!(nesting_depth(&"(".repeat(20_000)), 20_000);
    }

    #[test]
    fn deep_or_crowded_queries_are_refused_with_the_limit() {
        let at_limit = format!(
            "{}a{}",
            "(".repeat(MAX_QUERY_NESTING),
            ")".repeat(MAX_QUERY_NESTING)
        );
        assert!(check_nesting(&at_limit).is_ok());
        let error = check_nesting(&format!("({at_limit})"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "the query nests groups 33 levels deep, and at most 32 are allowed: remove some \
             parentheses or `NOT`s"
        );
        let error = check_nesting(&"NOT ".repeat(3000)).unwrap_err().to_string();
        assert!(error.contains("3000 levels deep"), "{error}");
        let crowded = "(a) ".repeat(MAX_QUERY_GROUPS + 1);
        assert_eq!(nesting_depth(&crowded), 1);
        let error = check_nesting(&crowded).unwrap_err().to_string();
        assert!(error.contains("65 groups"), "{error}");
        // However quotes hide them, every `(` counts towards the groups.
        let hidden = "(\")\" ".repeat(MAX_QUERY_GROUPS + 1);
        assert!(check_nesting(&hidden).is_err());
        assert!(check_nesting(&"(a) ".repeat(MAX_QUERY_GROUPS)).is_ok());
    }
}
