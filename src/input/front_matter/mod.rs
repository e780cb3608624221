//! Front matter: splitting it off a Markdown file and reading it into typed fields.
//!
//! YAML goes between `---` lines, TOML between `+++` lines, and a file may have none. YAML is read
//! through [`crate::base::yaml`], the only module that calls `serde_yaml`. Problems come back as [`Diagnostic`]s positioned in the whole file, not in the front
//! matter alone.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::base::diag::{Diagnostic, Location, did_you_mean, tidy_serde_message};
use crate::base::model::{IsoDate, Kind, PolicyStatus, ReviewPeriod, Visibility};

mod foreign;
mod lenient;
mod unknown;

pub use foreign::{EleventyNavigation, Generator, THEME_FIELDS, is_theme_field};
pub use unknown::{UnknownField, report_unknown};

/// Every field a page may set in its front matter. Kind-specific fields are checked against the
/// page's kind once the kind is known.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    /// Page title; defaults to the first heading, else the file's name.
    #[serde(deserialize_with = "lenient::text")]
    pub title: Option<String>,
    /// One-sentence summary, used in lists and meta tags. Once read, it also holds Hugo's
    /// `summary` or Jekyll's `excerpt` when it is not set.
    #[serde(deserialize_with = "lenient::text")]
    pub description: Option<String>,
    /// policy, playbook, faq or page; defaults to the section's kind from site.toml.
    pub kind: Option<Kind>,
    /// Free-form tags: a list, or one tag as a string (`tags: ospo`).
    #[serde(deserialize_with = "lenient::list")]
    pub tags: Vec<String>,
    /// Sort key within the section: lower comes first. Once read, it also holds the order
    /// another generator's field gives (see [`FrontMatter::fold_foreign_fields`]).
    #[serde(deserialize_with = "lenient::number")]
    pub weight: Option<i64>,
    /// Left out of builds without `--drafts`.
    pub draft: bool,
    /// Replaces the file name in the URL.
    pub slug: Option<String>,
    /// Old URLs that redirect to this page: a list, or one as a string. Once read, it also holds
    /// Jekyll's `redirect_from`.
    #[serde(deserialize_with = "lenient::list")]
    pub aliases: Vec<String>,
    /// Publication date.
    pub date: Option<IsoDate>,
    /// Date of the last meaningful change.
    pub updated: Option<IsoDate>,
    /// public or internal.
    pub visibility: Option<Visibility>,
    /// Language of the page, e.g. `en`.
    pub lang: Option<String>,
    /// Anything templates may want.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The theme template to render the page with (`licenses` → `licenses.html`), instead of
    /// its kind's.
    pub template: Option<String>,

    /// The page's title in the sidebar, when shorter than its title: Hugo's `linkTitle`; once
    /// read, else Docusaurus' `sidebar_label`, else `eleventyNavigation.title`.
    #[serde(rename = "linkTitle", deserialize_with = "lenient::text")]
    pub nav_title: Option<String>,
    /// Jekyll's `order`: the sort key when `weight` is not set.
    #[serde(deserialize_with = "lenient::number")]
    pub order: Option<i64>,
    /// Jekyll's (Just the Docs') `nav_order`: the sort key after `order`.
    #[serde(deserialize_with = "lenient::number")]
    pub nav_order: Option<i64>,
    /// Docusaurus' `sidebar_position`: the sort key after `nav_order`.
    #[serde(deserialize_with = "lenient::number")]
    pub sidebar_position: Option<i64>,
    /// Docusaurus' `sidebar_label`: the sidebar's title after `linkTitle`.
    #[serde(deserialize_with = "lenient::text")]
    pub sidebar_label: Option<String>,
    /// Eleventy's navigation plugin: the page's key, parent, order and title.
    #[serde(rename = "eleventyNavigation")]
    pub eleventy_navigation: Option<EleventyNavigation>,
    /// Jekyll's and Eleventy's `permalink`: the page's URL path (`/es/guide/`), instead of the
    /// one its file gives. Eleventy's `permalink: false` is no permalink.
    #[serde(deserialize_with = "lenient::text_or_false")]
    pub permalink: Option<String>,
    /// Hugo's `url`: as `permalink`, when that is not set.
    #[serde(deserialize_with = "lenient::text_or_false")]
    pub url: Option<String>,
    /// Jekyll's `redirect_from`: old URLs, one or a list; moved into `aliases` once read.
    #[serde(deserialize_with = "lenient::list")]
    pub redirect_from: Vec<String>,
    /// Jekyll's `published`: `false` is `draft: true`.
    pub published: Option<bool>,
    /// Hugo's `summary`: the description when `description` is not set.
    #[serde(deserialize_with = "lenient::text")]
    pub summary: Option<String>,
    /// Jekyll's `excerpt`: the description after `summary`.
    #[serde(deserialize_with = "lenient::text")]
    pub excerpt: Option<String>,
    /// Authors' names: a list, or one as a string. Once read, it also holds `author`.
    #[serde(deserialize_with = "lenient::list")]
    pub authors: Vec<String>,
    /// Jekyll's and Hugo's `author`: one or a list; moved into `authors` once read.
    #[serde(deserialize_with = "lenient::list")]
    pub author: Vec<String>,
    /// Categories (Hugo, Jekyll, MkDocs' blog): a list, or one as a string.
    #[serde(deserialize_with = "lenient::list")]
    pub categories: Vec<String>,
    /// Keywords (Hugo, Docusaurus): a list, or one as a string.
    #[serde(deserialize_with = "lenient::list")]
    pub keywords: Vec<String>,
    /// Jekyll's `related`: names of pages (their file name, or their `class`) in the same
    /// language, listed under "Related".
    #[serde(deserialize_with = "lenient::list")]
    pub related: Vec<String>,
    /// The Open Source Guides' `class`, which matches `related` names.
    #[serde(deserialize_with = "lenient::text")]
    pub class: Option<String>,

    /// Policy: where it is in its lifecycle. Set when `status` is one of the policy statuses,
    /// whatever the page's kind (a policy status on another kind is warned about); see
    /// [`check_kind_fields`] for what other values mean.
    #[serde(skip)]
    pub status: Option<PolicyStatus>,
    /// `status` as written. Only policies must give a policy status: Hugo and Jekyll sites use
    /// `status` freely (`Completed`, `WIP`), so the value is read into `status` only once the
    /// page's kind is known.
    #[serde(rename = "status")]
    pub status_written: Option<serde_json::Value>,
    /// Policy: the team or person accountable for it.
    pub owner: Option<String>,
    /// Policy: who signed it off: a list, or one as a string.
    #[serde(deserialize_with = "lenient::optional_list")]
    pub approvers: Option<Vec<String>>,
    /// Policy: when it took effect.
    pub effective: Option<IsoDate>,
    /// Policy: when it was last reviewed.
    pub last_reviewed: Option<IsoDate>,
    /// Policy: how often it must be reviewed.
    pub review_every: Option<ReviewPeriod>,
    /// Policy: the page (a `.md` path) that replaces it.
    pub superseded_by: Option<String>,

    /// Playbook: who runs it.
    pub audience: Option<String>,
    /// Playbook: how long it takes, e.g. `2 hours`.
    pub time_required: Option<String>,
    /// Playbook: what must be in place first: a list, or one as a string.
    #[serde(deserialize_with = "lenient::optional_list")]
    pub prerequisites: Option<Vec<String>>,

    /// FAQ: the question; defaults to the title.
    pub question: Option<String>,
    /// FAQ: the group it is listed under.
    pub category: Option<String>,
}

/// Names of the fields every kind accepts.
const COMMON_FIELDS: &[&str] = &[
    "title",
    "description",
    "kind",
    "tags",
    "weight",
    "draft",
    "slug",
    "aliases",
    "date",
    "updated",
    "visibility",
    "lang",
    "extra",
    "template",
    "linkTitle",
    "order",
    "nav_order",
    "sidebar_position",
    "sidebar_label",
    "eleventyNavigation",
    "permalink",
    "url",
    "redirect_from",
    "published",
    "summary",
    "excerpt",
    "authors",
    "author",
    "categories",
    "keywords",
    "related",
    "class",
];
const POLICY_FIELDS: &[&str] = &[
    "status",
    "owner",
    "approvers",
    "effective",
    "last_reviewed",
    "review_every",
    "superseded_by",
];
const PLAYBOOK_FIELDS: &[&str] = &["audience", "time_required", "prerequisites"];
const FAQ_FIELDS: &[&str] = &["question", "category"];

impl FrontMatter {
    /// A policy's next review date: `review_every` after `last_reviewed` (or, before the first
    /// review, after `effective`). None without a period or a date to count from.
    pub fn next_review(&self) -> Option<IsoDate> {
        let period = self.review_every?;
        self.last_reviewed.or(self.effective)?.plus(period)
    }

    /// Reads `status_written` into `status` when it is a policy status.
    fn read_status(&mut self) {
        self.status = self
            .status_written
            .as_ref()
            .and_then(|value| PolicyStatus::deserialize(value).ok());
    }

    /// The error for a `status` that is not a policy status, if it is set and is not one.
    fn status_error(&self) -> Option<String> {
        use serde_json::Value;
        let value = self.status_written.as_ref()?;
        let error = PolicyStatus::deserialize(value).err()?;
        // serde_json words a value of the wrong type as "expected string or map", which is how
        // it reads enums, not what an author may write.
        let found = match value {
            Value::String(_) => return Some(tidy_serde_message(&format!("status: {error}"))),
            Value::Bool(b) => format!("boolean `{b}`"),
            Value::Number(n) => format!("number `{n}`"),
            Value::Array(_) => "sequence".to_string(),
            Value::Object(_) | Value::Null => "map".to_string(),
        };
        Some(format!(
            "status: invalid type: {found}, expected a policy status"
        ))
    }

    /// Names of the kind-specific fields this front matter sets, with the kind they belong to.
    fn kind_fields_set(&self) -> Vec<(&'static str, Kind)> {
        let set = [
            ("status", Kind::Policy, self.status.is_some()),
            ("owner", Kind::Policy, self.owner.is_some()),
            ("approvers", Kind::Policy, self.approvers.is_some()),
            ("effective", Kind::Policy, self.effective.is_some()),
            ("last_reviewed", Kind::Policy, self.last_reviewed.is_some()),
            ("review_every", Kind::Policy, self.review_every.is_some()),
            ("superseded_by", Kind::Policy, self.superseded_by.is_some()),
            ("audience", Kind::Playbook, self.audience.is_some()),
            (
                "time_required",
                Kind::Playbook,
                self.time_required.is_some(),
            ),
            (
                "prerequisites",
                Kind::Playbook,
                self.prerequisites.is_some(),
            ),
            ("question", Kind::Faq, self.question.is_some()),
            ("category", Kind::Faq, self.category.is_some()),
        ];
        set.into_iter()
            .filter(|(_, _, present)| *present)
            .map(|(name, kind, _)| (name, kind))
            .collect()
    }
}

/// The syntax the front matter was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` … `---`
    Yaml,
    /// `+++` … `+++`
    Toml,
}

/// A Markdown file cut into front matter and body.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The front matter's syntax and text (without its fences), if the file has one.
    pub front_matter: Option<(Format, &'a str)>,
    /// Byte offset of the front matter text in the file.
    pub front_matter_offset: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

impl Split<'_> {
    /// Where the front matter lies in the file, when it has one.
    pub fn span(&self) -> Option<Span> {
        let (_, text) = self.front_matter?;
        Some(Span {
            start: self.front_matter_offset,
            end: self.front_matter_offset + text.len(),
        })
    }
}

/// Where a file's front matter lies in it: the byte range of its text, fences left out. A page
/// keeps it, so that a diagnostic found after the front matter was read can point at a field
/// without cutting the file again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the front matter's first line in the file.
    pub start: usize,
    /// Byte offset of the closing fence's line.
    pub end: usize,
}

impl Span {
    /// The front matter's text in `text`, the whole file it was found in; None when `text` is
    /// not that file (a page whose source was let go).
    pub fn text<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.start..self.end)
    }

    /// Finds the line where a top-level field is set in `text`, the whole file at `path`.
    pub fn field_location(&self, path: &Path, text: &str, field: &str) -> Option<Location> {
        let (offset, _) = self.find_field(text, field)?;
        Some(Location::from_offset(path, text, offset, field.len()))
    }

    /// Finds where the value of a top-level field starts (`status: x` → `x`) in `text`, the
    /// whole file at `path`; the field's name when the value is on the following lines.
    pub fn field_value_location(&self, path: &Path, text: &str, field: &str) -> Option<Location> {
        let (offset, line) = self.find_field(text, field)?;
        let after_separator = line.find([':', '='])? + 1;
        let rest = &line[after_separator..];
        let value = after_separator + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        if line[value..].trim().is_empty() {
            return Some(Location::from_offset(path, text, offset, field.len()));
        }
        Some(Location::from_offset(path, text, offset + value, 1))
    }

    /// The byte offset in the file and the text of the line setting a top-level field.
    fn find_field<'a>(&self, text: &'a str, field: &str) -> Option<(usize, &'a str)> {
        let mut offset = self.start;
        for line in self.text(text)?.split_inclusive('\n') {
            let key = line
                .split([':', '='])
                .next()
                .unwrap_or("")
                .trim_end()
                .trim_matches(['"', '\'']);
            if !line.starts_with([' ', '\t']) && key == field && line.len() > key.len() {
                return Some((offset, line));
            }
            offset += line.len();
        }
        None
    }
}

/// Cuts `text` into front matter and body. A file that opens a fence and never closes it is an
/// error at line 1.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let fence = text[start..first_line_end].trim_end();
    let format = match fence {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => {
            return Ok(Split {
                front_matter: None,
                front_matter_offset: start,
                body: &text[start..],
                body_offset: start,
            });
        }
    };
    let fm_start = (first_line_end + 1).min(text.len());
    let mut line_start = fm_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == fence || (format == Format::Yaml && line == "...") {
            let body_offset = (line_end + 1).min(text.len());
            return Ok(Split {
                front_matter: Some((format, &text[fm_start..line_start])),
                front_matter_offset: fm_start,
                body: &text[body_offset..],
                body_offset,
            });
        }
        line_start = line_end + 1;
    }
    Err(Diagnostic::error(format!(
        "front matter opened with `{fence}` is never closed"
    ))
    .at(Location::from_offset(path, text, start, 3))
    .with_help(format!(
        "add a line with only `{fence}` after the last front-matter field"
    )))
}

/// Front matter read from a file, with the unknown fields found on the way.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The typed fields.
    pub front_matter: FrontMatter,
    /// Fields Folio does not know, which are ignored: a build reports each name once
    /// ([`report_unknown`]). Other generators' theme fields ([`THEME_FIELDS`]) are not among
    /// them.
    pub unknown: Vec<UnknownField>,
}

/// Reads the front matter of `split` (cut from `text`, the whole file at `path`).
pub fn parse(path: &Path, text: &str, split: &Split<'_>) -> Result<Parsed, Diagnostic> {
    let Some((format, fm_text)) = split.front_matter else {
        return Ok(Parsed::default());
    };
    if fm_text.trim().is_empty() {
        return Ok(Parsed::default());
    }
    let locate = |line: usize, column: usize| {
        let fm_line = text[..split.front_matter_offset].matches('\n').count();
        Location::from_line_col(path, text, fm_line + line, column)
    };
    let mut unknown = Vec::new();
    let result = match format {
        Format::Yaml => crate::base::yaml::parse_tracking(fm_text, &mut unknown).map_err(|e| {
            let (line, column) = e.position.unwrap_or((1, 1));
            (e.message, locate(line, column), e.help)
        }),
        Format::Toml => parse_toml(fm_text, &mut unknown).map_err(|(msg, offset)| {
            let offset = split.front_matter_offset + offset.unwrap_or(0);
            (msg, Location::from_offset(path, text, offset, 1), None)
        }),
    };
    let mut front_matter = result.map_err(|(message, location, help)| {
        let d = Diagnostic::error(format!("invalid front matter: {message}")).at(location);
        match help {
            Some(help) => d.with_help(help),
            None => d,
        }
    })?;
    front_matter.read_status();
    front_matter.fold_foreign_fields();
    let unknown = unknown
        .into_iter()
        .filter(|field| !is_theme_field(field.split('.').next().unwrap_or(field)))
        .map(|field| unknown_field(path, text, split, field))
        .collect();
    Ok(Parsed {
        front_matter,
        unknown,
    })
}

type ParseError<P> = (String, Option<P>);

fn parse_toml(text: &str, unknown: &mut Vec<String>) -> Result<FrontMatter, ParseError<usize>> {
    let deserializer = toml::de::Deserializer::parse(text)
        .map_err(|e| (tidy_serde_message(e.message()), e.span().map(|s| s.start)))?;
    serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()))
        .map_err(|e: toml::de::Error| (tidy_serde_message(e.message()), e.span().map(|s| s.start)))
}

fn unknown_field(path: &Path, text: &str, split: &Split<'_>, field: String) -> UnknownField {
    // serde_ignored writes an optional field's value as a `?` step: `eleventyNavigation.?.x`.
    let field = field.replace(".?", "");
    let top = field.split('.').next().unwrap_or(&field);
    let all: Vec<&str> = [COMMON_FIELDS, POLICY_FIELDS, PLAYBOOK_FIELDS, FAQ_FIELDS].concat();
    let help = match did_you_mean(top, &all) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => format!(
            "put custom fields under `extra:`, where templates can read them as `page.extra.{top}`"
        ),
    };
    UnknownField {
        location: field_location(path, text, split, top),
        field,
        help,
    }
}

/// Finds the line where a top-level front-matter field is set.
pub fn field_location(path: &Path, text: &str, split: &Split<'_>, field: &str) -> Option<Location> {
    split.span()?.field_location(path, text, field)
}

/// Finds where the value of a top-level front-matter field starts (`status: x` → `x`); the
/// field's name when the value is on the following lines.
pub fn field_value_location(
    path: &Path,
    text: &str,
    split: &Split<'_>,
    field: &str,
) -> Option<Location> {
    split.span()?.field_value_location(path, text, field)
}

/// Checks the kind-specific fields against the page's kind: a field of another kind is a
/// warning, and on a policy a `status` that is not a policy status is an error.
///
/// On other kinds, a `status` that is not a policy status gets no diagnostic at all. Hugo and
/// Jekyll handbooks use `status` freely (`status: Completed` on the chapters of a book), the
/// value means nothing to Folio there and is kept out of the policy lifecycle, and a warning on
/// every such page would bury the warnings authors can act on, with nothing for them to fix. A
/// policy status on another kind is still warned about below: it suggests a policy whose `kind`
/// is missing.
pub fn check_kind_fields(
    path: &Path,
    text: &str,
    split: &Split<'_>,
    front_matter: &FrontMatter,
    kind: Kind,
) -> Vec<Diagnostic> {
    let status_error = front_matter
        .status_error()
        .filter(|_| kind == Kind::Policy)
        .map(|message| {
            let d = Diagnostic::error(format!("invalid front matter: {message}"));
            match field_value_location(path, text, split, "status") {
                Some(location) => d.at(location),
                None => d,
            }
        });
    let other_kind_fields = front_matter
        .kind_fields_set()
        .into_iter()
        .filter(|(_, field_kind)| *field_kind != kind)
        .map(|(field, field_kind)| {
            let mut d = Diagnostic::warning(format!(
                "`{field}` is a {field_kind} field, but this page is a {kind}; it is ignored"
            ))
            .with_help(format!("set `kind: {field_kind}` or remove `{field}`"));
            if let Some(location) = field_location(path, text, split, field) {
                d = d.at(location);
            }
            d
        });
    status_error.into_iter().chain(other_kind_fields).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Parsed, Diagnostic> {
        let path = Path::new("content/p.md");
        let split = split(path, text)?;
        parse(path, text, &split)
    }

    #[test]
    fn no_front_matter_means_whole_file_is_body() {
        let split = split(Path::new("a.md"), "# Hello\n").unwrap();
        assert!(split.front_matter.is_none());
        assert_eq!(split.body, "# Hello\n");
    }

    #[test]
    fn yaml_and_toml_are_both_read() {
        let yaml = parse_text("---\ntitle: A\nweight: 3\ntags: [x, y]\n---\nbody").unwrap();
        assert_eq!(yaml.front_matter.title.as_deref(), Some("A"));
        assert_eq!(yaml.front_matter.tags, ["x", "y"]);
        let toml = parse_text("+++\ntitle = \"B\"\ndate = 2026-01-02\n+++\nbody").unwrap();
        assert_eq!(toml.front_matter.title.as_deref(), Some("B"));
        assert_eq!(toml.front_matter.date.unwrap().to_string(), "2026-01-02");
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nbody\r\n";
        let parsed = parse_text(text).unwrap();
        assert_eq!(parsed.front_matter.title.as_deref(), Some("A"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let err = parse_text("---\ntitle: A\n").unwrap_err();
        assert!(err.message.contains("never closed"), "{}", err.message);
        assert_eq!(err.location.unwrap().line, 1);
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let err = parse_text("---\ntitle: A\nweight: heavy\n---\n").unwrap_err();
        let loc = err.location.unwrap();
        assert_eq!(loc.line, 3, "{}", err.message);
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }

    /// The diagnostics of `check_kind_fields` for `text` on a page of `kind`.
    fn kind_check(text: &str, kind: Kind) -> Vec<Diagnostic> {
        let path = Path::new("content/p.md");
        let s = split(path, text).unwrap();
        let fm = parse(path, text, &s).unwrap().front_matter;
        check_kind_fields(path, text, &s, &fm, kind)
    }

    #[test]
    fn bad_enum_values_list_the_choices() {
        let err = parse_text("---\ntitle: A\nvisibility: secrt\n---\n").unwrap_err();
        assert!(err.message.contains("`internal`"), "{}", err.message);
        assert_eq!(err.location.unwrap().line, 3);
    }

    #[test]
    fn an_unknown_status_on_a_policy_is_an_error_at_its_value() {
        let found = kind_check("---\ntitle: A\nstatus: aproved\n---\n", Kind::Policy);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].is_error());
        assert_eq!(
            found[0].message,
            "invalid front matter: status: unknown variant `aproved`, expected one of `draft`, `in-review`, `approved`, `retired`"
        );
        let loc = found[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (3, 9));

        let toml = kind_check("+++\ntitle = \"A\"\nstatus = 3\n+++\n", Kind::Policy);
        assert_eq!(
            toml[0].message,
            "invalid front matter: status: invalid type: number `3`, expected a policy status"
        );
        let loc = toml[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (3, 10));
    }

    #[test]
    fn any_status_on_other_kinds_is_accepted_and_kept_out_of_the_lifecycle() {
        for text in [
            "---\ntitle: A\nstatus: Completed\n---\n",
            "---\ntitle: A\nstatus: [a, b]\n---\n",
            "+++\ntitle = \"A\"\nstatus = \"WIP\"\n+++\n",
        ] {
            let parsed = parse_text(text).unwrap();
            assert!(parsed.unknown.is_empty(), "{:?}", parsed.unknown);
            assert_eq!(parsed.front_matter.status, None);
            for kind in [Kind::Page, Kind::Faq, Kind::Playbook] {
                assert!(kind_check(text, kind).is_empty(), "{kind}: {text}");
            }
        }
    }

    #[test]
    fn a_policy_status_is_read_and_warned_about_on_other_kinds() {
        let text = "---\ntitle: A\nstatus: in-review\n---\n";
        let parsed = parse_text(text).unwrap();
        assert_eq!(parsed.front_matter.status, Some(PolicyStatus::InReview));
        assert!(kind_check(text, Kind::Policy).is_empty());
        let warnings = kind_check(text, Kind::Faq);
        assert_eq!(warnings.len(), 1);
        assert!(!warnings[0].is_error());
        assert!(warnings[0].message.contains("`status` is a policy field"));
    }

    #[test]
    fn bad_dates_are_errors() {
        let err = parse_text("---\ntitle: A\neffective: 2026-13-01\n---\n").unwrap_err();
        assert!(
            err.message.contains("invalid date `2026-13-01`"),
            "{}",
            err.message
        );
        assert_eq!(err.location.unwrap().line, 3);
    }

    #[test]
    fn unknown_fields_warn_with_a_suggestion() {
        let parsed = parse_text("---\ntitel: A\n---\n").unwrap();
        let warning = &parsed.unknown[0].diagnostic();
        assert!(warning.message.contains("`titel`"));
        assert_eq!(warning.help.as_deref(), Some("did you mean `title`?"));
        assert_eq!(warning.location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn kind_fields_on_another_kind_warn() {
        let text = "---\ntitle: A\nowner: OSPO\n---\n";
        let path = Path::new("p.md");
        let s = split(path, text).unwrap();
        let fm = parse(path, text, &s).unwrap().front_matter;
        let warnings = check_kind_fields(path, text, &s, &fm, Kind::Page);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("`owner` is a policy field"));
        assert!(check_kind_fields(path, text, &s, &fm, Kind::Policy).is_empty());
    }
}
