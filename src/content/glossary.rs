//! The glossary: terms defined in `data/glossary.yaml`, shown on one page at `/glossary/` with an
//! anchor per term, and linked from any page as `[[term]]` or `[[term|text]]`.
//!
//! The file is checked as a whole (every term needs a definition, no term or alias twice, `see`
//! names known terms) before any page is rendered, so that a `[[term]]` resolves against a
//! glossary known to be sound. In a public build, terms marked `visibility: internal` are left
//! out of the page, and linking one is an error, as linking an internal page is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::base::diag::{Code, Diagnostic, Location, did_you_mean};
use crate::base::paths::{FRAME_IDS, GLOSSARY_URL_PATH};
use crate::base::url::site_url;
use crate::content::markdown::{IdAllocator, LinkResolver, TermLink, TermResolver, render_inline};
use crate::input::data::{Data, DataFile, Item, ListFile};

/// The key of the glossary's data file (`data/glossary.yaml`).
pub const GLOSSARY_KEY: &str = "glossary";

/// The page links in definitions are resolved from, as if the definitions were written there.
const DEFINITIONS_FROM: &str = "glossary.md";

/// Fields a term may have.
const FIELDS: &[&str] = &["term", "name", "definition", "aliases", "see", "visibility"];

/// One term of the glossary.
#[derive(Debug, Clone)]
pub struct Term {
    /// The term as written (`SBOM`).
    pub term: String,
    /// Its expansion (`Software Bill of Materials`), if given.
    pub name: Option<String>,
    /// Its anchor on the glossary page: the term's GitHub-style slug.
    pub id: String,
    /// The definition as HTML (trusted: raw HTML in the file is escaped).
    pub definition_html: String,
    /// The definition as plain text, for tooltips and search.
    pub definition_text: String,
    /// Other spellings `[[...]]` accepts.
    pub aliases: Vec<String>,
    /// Related terms, as their `term`.
    pub see: Vec<String>,
    /// Left out of public builds.
    pub internal: bool,
}

impl Term {
    /// The tooltip: the expansion, then the definition.
    fn tip(&self) -> String {
        match &self.name {
            Some(name) => format!("{name}: {}", self.definition_text),
            None => self.definition_text.clone(),
        }
    }
}

/// The site's glossary, sorted by term.
#[derive(Debug, Clone)]
pub struct Glossary {
    /// Path shown in diagnostics.
    pub display_path: PathBuf,
    terms: Vec<Term>,
    /// Lower-cased term and aliases → index in `terms`.
    lookup: HashMap<String, usize>,
    /// True in a public build: internal terms are left out.
    public: bool,
    /// The glossary page's URL, with the base path.
    url: String,
}

impl Glossary {
    /// Reads and checks `data/glossary.yaml`; `None` when the site has none (or it cannot be
    /// used). Links in definitions resolve through `links` as if written in content/glossary.md.
    pub fn load(
        data: &Data,
        links: &dyn LinkResolver,
        public: bool,
        base_path: &str,
    ) -> (Option<Glossary>, Vec<Diagnostic>) {
        let Some(file) = data.file(GLOSSARY_KEY) else {
            return (None, Vec::new());
        };
        if !is_glossary(file) {
            return (None, vec![foreign_shape(file, "glossary", "term", FIELDS)]);
        }
        let list = match ListFile::new(file, "a list of terms") {
            Ok(list) => list,
            Err(d) => return (None, vec![d]),
        };
        let mut diagnostics = Vec::new();
        let mut read = Vec::new();
        for index in 0..list.len() {
            let read_one = |item: Item<'_>| {
                // Unknown fields are worth knowing even when the entry has other problems.
                diagnostics.extend(item.unknown_fields(FIELDS));
                read_term(&item, links)
            };
            match list.item(index).and_then(read_one) {
                Ok((term, found)) => {
                    diagnostics.extend(found);
                    read.push((index, term));
                }
                Err(d) => diagnostics.push(d),
            }
        }
        let lookup = index_names(&list, &read, &mut diagnostics);
        check_see(&list, &read, &lookup, public, &mut diagnostics);
        let glossary = Glossary::sorted(file.display_path.clone(), read, public, base_path);
        (Some(glossary), diagnostics)
    }

    /// Sorts the terms alphabetically ignoring case, gives each its id and indexes the names.
    fn sorted(
        display_path: PathBuf,
        read: Vec<(usize, Term)>,
        public: bool,
        base_path: &str,
    ) -> Glossary {
        let mut terms: Vec<Term> = read.into_iter().map(|(_, term)| term).collect();
        terms.sort_by(|a, b| {
            (a.term.to_lowercase(), &a.term).cmp(&(b.term.to_lowercase(), &b.term))
        });
        let mut ids = IdAllocator::default();
        for id in FRAME_IDS {
            ids.reserve(id);
        }
        let mut lookup = HashMap::new();
        for (index, term) in terms.iter_mut().enumerate() {
            term.id = ids.allocate(&term.term);
            for name in std::iter::once(&term.term).chain(&term.aliases) {
                lookup.entry(name.to_lowercase()).or_insert(index);
            }
        }
        Glossary {
            display_path,
            terms,
            lookup,
            public,
            url: site_url(base_path, GLOSSARY_URL_PATH),
        }
    }

    /// The terms in this build (a public build leaves internal ones out), sorted.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(|t| !(self.public && t.internal))
    }

    /// The term named `name` (its term or an alias, ignoring case), if it is in this build.
    pub fn find(&self, name: &str) -> Option<&Term> {
        let term = &self.terms[*self.lookup.get(&name.trim().to_lowercase())?];
        (!(self.public && term.internal)).then_some(term)
    }

    /// The URL of a term's entry on the glossary page.
    pub fn term_url(&self, term: &Term) -> String {
        format!("{}#{}", self.url, term.id)
    }

    /// The glossary page's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every name `[[...]]` accepts in this build, for did-you-mean hints.
    fn names(&self) -> Vec<&str> {
        self.terms()
            .flat_map(|t| std::iter::once(&t.term).chain(&t.aliases))
            .map(String::as_str)
            .collect()
    }
}

impl TermResolver for Glossary {
    fn resolve_term(&self, term: &str) -> TermLink {
        if let Some(found) = self.find(term) {
            return TermLink::Found {
                href: self.term_url(found),
                tip: found.tip(),
            };
        }
        let term = term.trim();
        let internal = self
            .lookup
            .get(&term.to_lowercase())
            .is_some_and(|&i| self.terms[i].internal);
        if internal {
            return TermLink::Broken {
                message: format!(
                    "link to internal glossary term `{term}`, which a public build leaves out"
                ),
                help: Some(
                    "make the linking page internal too, or remove `visibility: internal` from the term"
                        .into(),
                ),
            };
        }
        TermLink::Broken {
            message: format!("unknown glossary term `{term}`"),
            help: Some(term_help(term, &self.names(), &self.display_path)),
        }
    }
}

/// The resolver for a site without a glossary: every `[[term]]` is shown as written (wikis and
/// other generators use the brackets for their own ends), with one note per build.
pub struct NoGlossary;

impl TermResolver for NoGlossary {
    fn resolve_term(&self, _term: &str) -> TermLink {
        TermLink::Unlinked
    }
}

/// True when `file` is in the shape of Folio's glossary (see [`ListFile::has_shape`]), so that
/// its mistakes are errors; a `data/glossary.yaml` of another shape is a data file like any.
pub fn is_glossary(file: &DataFile) -> bool {
    ListFile::has_shape(file, "term", FIELDS)
}

/// The note for a data file Folio would read (`what`: "glossary") that is in another shape.
pub(crate) fn foreign_shape(file: &DataFile, what: &str, key: &str, fields: &[&str]) -> Diagnostic {
    let path = file.display_path.display();
    Diagnostic::note(format!(
        "`{path}` is not in the shape of Folio's {what} (a list of entries with `{key}`), so \
         Folio leaves it to the templates as `data.{}`",
        file.display_path
            .with_extension("")
            .strip_prefix("data")
            .unwrap_or(&file.display_path)
            .to_string_lossy()
            .replace(['/', '\\'], ".")
    ))
    .at(Location::from_offset(&file.display_path, &file.text, 0, 1))
    .with_help(format!(
        "for Folio's {what}, write each entry with the fields {}; to keep this file as it \
         is and silence this note, rename it",
        fields
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .with_code(Code::ForeignData)
}

/// A did-you-mean over the known names, else where terms are defined.
fn term_help(term: &str, names: &[&str], path: &Path) -> String {
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let lower_refs: Vec<&str> = lower.iter().map(String::as_str).collect();
    match did_you_mean(term, &lower_refs) {
        Some(found) => {
            let i = lower_refs.iter().position(|n| *n == found).unwrap_or(0);
            format!("did you mean `[[{}]]`?", names[i])
        }
        None => format!("define it in `{}`", path.display()),
    }
}

/// Reads one entry; warnings come back beside it.
fn read_term(
    item: &Item<'_>,
    links: &dyn LinkResolver,
) -> Result<(Term, Vec<Diagnostic>), Diagnostic> {
    let mut found = Vec::new();
    let term = item.required("term")?;
    let definition = item.required("definition")?;
    let internal = match item.string("visibility")?.as_deref().map(str::trim) {
        None | Some("public") => false,
        Some("internal") => true,
        Some(other) => {
            return Err(Diagnostic::error(format!(
                "unknown visibility `{other}`, expected `public` or `internal`"
            ))
            .at(item.value_location("visibility")));
        }
    };
    let rendered = render_inline(&definition, Path::new(DEFINITIONS_FROM), links);
    for (message, help) in rendered.broken_links {
        let mut d = Diagnostic::error(message).at(item.value_location("definition"));
        if let Some(help) = help {
            d = d.with_help(format!(
                "{help}; links in definitions start from the content folder"
            ));
        }
        found.push(d);
    }
    for url in &rendered.unsafe_links {
        found.push(
            unsafe_link(&format!("the definition of `{term}`"), url)
                .at(item.value_location("definition")),
        );
    }
    let term = Term {
        term,
        name: item.string("name")?.map(|n| n.trim().to_string()),
        id: String::new(),
        definition_html: rendered.html,
        definition_text: rendered.text,
        aliases: item.strings("aliases")?,
        see: item.strings("see")?,
        internal,
    };
    Ok((term, found))
}

/// The warning for a link in a data file (`what`: "the definition of `SBOM`") whose URL would
/// run script, which is shown as its text instead.
pub(crate) fn unsafe_link(what: &str, url: &str) -> Diagnostic {
    Diagnostic::warning(format!(
        "a link to `{url}` in {what} would run script in the reader's browser: it is shown as \
         text, not as a link"
    ))
    .with_help(
        "link to an https: or mailto: URL or to a page of the site; data: URLs may only be images",
    )
}

/// Lower-cased names (terms and aliases) → index in `read`; a name given twice is an error at
/// its second use.
fn index_names(
    list: &ListFile<'_>,
    read: &[(usize, Term)],
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<String, usize> {
    let mut lookup: HashMap<String, usize> = HashMap::new();
    for (i, (index, term)) in read.iter().enumerate() {
        let names = std::iter::once(("term", &term.term))
            .chain(term.aliases.iter().map(|a| ("aliases", a)));
        for (field, name) in names {
            let key = name.to_lowercase();
            match lookup.get(&key) {
                Some(&first) if first != i || field == "aliases" => {
                    let location = match list.item(*index) {
                        Ok(item) if field == "term" => item.value_location("term"),
                        Ok(item) => item.entry_location("aliases", name),
                        Err(_) => list.positions.item(*index),
                    };
                    let first_term = &read[first].1.term;
                    let message = if first == i {
                        format!("`{name}` is given twice for the term `{first_term}`")
                    } else {
                        format!(
                            "`{name}` is already in the glossary, under the term `{first_term}`"
                        )
                    };
                    diagnostics.push(
                        Diagnostic::error(message)
                            .at(location)
                            .with_help("each term and alias may appear once, ignoring case"),
                    );
                }
                Some(_) => {}
                None => {
                    lookup.insert(key, i);
                }
            }
        }
    }
    lookup
}

/// Each `see` must name a term (or alias) of the glossary; in a public build, a public term may
/// not point at an internal one, whose entry the page leaves out.
fn check_see(
    list: &ListFile<'_>,
    read: &[(usize, Term)],
    lookup: &HashMap<String, usize>,
    public: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let names: Vec<&str> = read
        .iter()
        .flat_map(|(_, t)| std::iter::once(&t.term).chain(&t.aliases))
        .map(String::as_str)
        .collect();
    for (index, term) in read {
        for see in &term.see {
            let location = || match list.item(*index) {
                Ok(item) => item.entry_location("see", see),
                Err(_) => list.positions.item(*index),
            };
            match lookup.get(&see.to_lowercase()) {
                None => diagnostics.push(
                    Diagnostic::error(format!("`see` names an unknown term `{see}`"))
                        .at(location())
                        .with_help(term_help(see, &names, &list.file.display_path)),
                ),
                Some(&target) if public && !term.internal && read[target].1.internal => {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "`see` names the internal term `{see}`, which a public build leaves out"
                        ))
                        .at(location())
                        .with_help("make this term internal too, or remove it from `see`"),
                    );
                }
                Some(_) => {}
            }
        }
    }
}
