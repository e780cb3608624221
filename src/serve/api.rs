//! `GET /api/search?q=…&kind=…&tag=…&limit=…&lang=…`: the served build's search index, answering
//! with the JSON `folio search --json` prints. `lang` picks a language version of a site with
//! `languages` (the default language's without it).
//!
//! A request that cannot be answered as asked is a 400 with `{"error": "…"}`: no `q`, a `limit`
//! that is not a whole number or is 0, or a query nested deeper than the parser allows
//! ([`crate::search::query::MAX_QUERY_NESTING`]), which is refused before anything reads it.
//!
//! The index is opened after each successful full build and shared by all requests; a failed
//! build keeps the previous one, like the pages. After an edit updated the index in place, it
//! is opened again at the next query rather than at once: opening it reads the whole
//! vocabulary, work the next edit should not wait for when no one searches meanwhile.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;

use crate::search::language_index_dir;
use crate::search::query::{Request, SearchIndex, check_nesting};

use super::files::percent_decode;

/// The path the search API answers on.
pub(crate) const SEARCH_PATH: &str = "/api/search";

/// Results per query unless `limit` says otherwise, as for `folio search`.
const DEFAULT_LIMIT: usize = 10;

/// No query returns more than this, whatever `limit` asks.
const MAX_LIMIT: usize = 1000;

/// The index of the served build.
pub(crate) struct Search {
    /// The output folder the indexes are beside.
    output: PathBuf,
    /// The default language's index.
    index: RwLock<Option<Arc<SearchIndex>>>,
    /// The other languages' indexes, opened at their first query.
    others: RwLock<HashMap<String, Arc<SearchIndex>>>,
    /// True when an edit changed the indexes since they were opened: the next query opens
    /// them again (one query at a time, so none answers from the index being replaced).
    outdated: Mutex<bool>,
}

/// An answer: HTTP status and JSON body.
pub(crate) struct Answer {
    /// HTTP status code.
    pub(crate) status: u16,
    /// JSON text.
    pub(crate) body: String,
}

#[derive(Serialize)]
struct Failure<'a> {
    error: &'a str,
}

impl Search {
    /// The indexes of the build into `output`, opened by [`Search::reopen`].
    pub(crate) fn new(output: PathBuf) -> Search {
        Search {
            output,
            index: RwLock::new(None),
            others: RwLock::new(HashMap::new()),
            outdated: Mutex::new(false),
        }
    }

    /// An edit updated the indexes in place: they are opened again at the next query.
    pub(crate) fn outdate(&self) {
        *self.outdated.lock().unwrap_or_else(|e| e.into_inner()) = true;
    }

    /// Opens the indexes again if an edit changed them; when that fails, the previous ones
    /// keep answering and the server says why.
    fn refresh(&self) {
        let mut outdated = self.outdated.lock().unwrap_or_else(|e| e.into_inner());
        if std::mem::take(&mut *outdated)
            && let Err(error) = self.open()
        {
            eprintln!("warning: cannot open the search index: {error:#}");
        }
    }

    /// Opens the index a build just wrote, in place of the previous one.
    pub(crate) fn reopen(&self) -> anyhow::Result<()> {
        *self.outdated.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.open()
    }

    fn open(&self) -> anyhow::Result<()> {
        let index = SearchIndex::open(&language_index_dir(&self.output, None))?;
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(index));
        self.others
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        Ok(())
    }

    /// Answers a request whose query string is `query` (without the `?`).
    pub(crate) fn answer(&self, query: &str) -> Answer {
        let (request, lang) = match parse(query) {
            Ok(parsed) => parsed,
            Err(message) => return failure(400, &message),
        };
        self.refresh();
        let index = self.index.read().unwrap_or_else(|e| e.into_inner()).clone();
        let Some(mut index) = index else {
            return failure(503, "there is no search index yet: the site has not built");
        };
        if let Some(lang) = lang.filter(|l| l != index.language()) {
            index = match self.other(&lang) {
                Some(other) => other,
                None => return failure(400, &format!("the site has no language `{lang}`")),
            };
        }
        match index.search(&request) {
            Ok(hits) => Answer {
                status: 200,
                body: serde_json::to_string_pretty(&hits).unwrap_or_default() + "\n",
            },
            Err(error) => failure(400, &format!("{error:#}")),
        }
    }
}

impl Search {
    /// The index of language `lang`, other than the default; None when the build has none.
    fn other(&self, lang: &str) -> Option<Arc<SearchIndex>> {
        // The code becomes part of a folder name: letters, digits and `-` only.
        let valid = !lang.is_empty() && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid {
            return None;
        }
        let cached = self.others.read().unwrap_or_else(|e| e.into_inner());
        if let Some(index) = cached.get(lang) {
            return Some(Arc::clone(index));
        }
        drop(cached);
        let index = SearchIndex::open(&language_index_dir(&self.output, Some(lang))).ok()?;
        let index = Arc::new(index);
        self.others
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(lang.to_string(), Arc::clone(&index));
        Some(index)
    }
}

fn failure(status: u16, message: &str) -> Answer {
    let body = serde_json::to_string(&Failure { error: message }).unwrap_or_default() + "\n";
    Answer { status, body }
}

/// Reads `q`, `kind`, `tag`, `limit` and `lang` from a query string; other parameters are
/// ignored.
fn parse(query: &str) -> Result<(Request, Option<String>), String> {
    let mut lang = None;
    let mut request = Request {
        limit: DEFAULT_LIMIT,
        ..Request::default()
    };
    let mut has_query = false;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = form_decode(value).ok_or_else(|| format!("`{key}` is not well encoded"))?;
        match key {
            "q" => {
                // Checked before the query reaches any parser, which would recurse as deep
                // as it nests.
                check_nesting(&value).map_err(|e| e.to_string())?;
                request.query = value;
                has_query = true;
            }
            "kind" if !value.is_empty() => request.kind = Some(value),
            "tag" if !value.is_empty() => request.tag = Some(value),
            "lang" if !value.is_empty() => lang = Some(value),
            "limit" => {
                let limit: usize = value
                    .parse()
                    .map_err(|_| format!("`limit` must be a whole number, not `{value}`"))?;
                if limit == 0 {
                    return Err("`limit=0` leaves room for no results: give 1 or more".into());
                }
                request.limit = limit.min(MAX_LIMIT);
            }
            _ => {}
        }
    }
    if has_query {
        Ok((request, lang))
    } else {
        Err("add the query as `q`, as in /api/search?q=licence".into())
    }
}

/// Decodes a query-string value: `+` is a space, then `%XX` escapes, as forms send them.
fn form_decode(value: &str) -> Option<String> {
    let bytes = percent_decode(&value.replace('+', " "))?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_decoded() {
        let (request, lang) =
            parse("q=open+source%3F&kind=policy&tag=&limit=3&x=1&lang=es").unwrap();
        assert_eq!(lang.as_deref(), Some("es"));
        assert_eq!(request.query, "open source?");
        assert_eq!(request.kind.as_deref(), Some("policy"));
        assert_eq!(request.tag, None);
        assert_eq!(request.limit, 3);
        assert!(!request.prefix);
        assert_eq!(parse("q=x").unwrap().0.limit, DEFAULT_LIMIT);
        assert_eq!(parse("q=x&limit=999999").unwrap().0.limit, MAX_LIMIT);
    }

    #[test]
    fn bad_requests_say_what_is_wrong() {
        assert!(parse("").unwrap_err().contains("`q`"));
        assert!(parse("q=x&limit=ten").unwrap_err().contains("limit"));
        assert!(parse("q=%zz").is_err());
        assert_eq!(
            parse("q=x&limit=0").unwrap_err(),
            "`limit=0` leaves room for no results: give 1 or more"
        );
    }

    #[test]
    fn a_deeply_nested_query_is_a_400_even_before_the_first_build() {
        let search = Search::new(PathBuf::from("/nonexistent/public"));
        let answer = search.answer(&format!("q={}", "%28".repeat(3000)));
        assert_eq!(answer.status, 400);
        let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(
            body["error"],
            "the query nests groups 3000 levels deep, and at most 32 are allowed: remove some \
             parentheses or `NOT`s"
        );
    }

    #[test]
    fn without_an_index_the_answer_is_503() {
        let search = Search::new(PathBuf::from("/nonexistent/public"));
        assert!(search.reopen().is_err());
        let answer = search.answer("q=x");
        assert_eq!(answer.status, 503);
        assert!(answer.body.contains("\"error\""));
    }
}
