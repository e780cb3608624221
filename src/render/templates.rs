//! The template engine: Tera 2 with the theme's templates compiled once per build, and the one
//! table of the templates Folio renders ([`TEMPLATES`]), each required or not.
//!
//! Tera reports template errors with a line and column; this module turns them into
//! [`Diagnostic`]s that name the template file, so an author sees which file to fix.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;
use tera::{Context, ErrorKind, Tera};

use crate::base::diag::{Code, Diagnostic, Location};
use crate::base::model::Kind;
use crate::render::theme::{TemplateFile, Theme};

/// What a theme must do about a template Folio renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Every build renders it: a theme without it fails before any page is rendered.
    Required,
    /// Rendered for what only some sites have (FAQs, a glossary): such a site needs it.
    WhenUsed,
    /// Rendered when the theme has it; without it the page is shown another way (a kind's
    /// index as a plain section, or not written), so that older themes keep working.
    Optional,
}

/// The home page (the section of content/ itself).
pub const INDEX: &str = "index.html";
/// Every other section's page.
pub const SECTION: &str = "section.html";
/// A page of kind `page`.
pub const PAGE: &str = "page.html";
/// A policy.
pub const POLICY: &str = "policy.html";
/// A playbook.
pub const PLAYBOOK: &str = "playbook.html";
/// One FAQ.
pub const FAQ: &str = "faq.html";
/// The tag index and each tag's page.
pub const TAXONOMY: &str = "taxonomy.html";
/// The page shown for a URL the site does not have.
pub const NOT_FOUND: &str = "404.html";
/// A language version's search results page.
pub const SEARCH: &str = "search.html";
/// The page an alias redirects from.
pub const REDIRECT: &str = "redirect.html";
/// The FAQ hub.
pub const FAQ_HUB: &str = "faq-hub.html";
/// The glossary page.
pub const GLOSSARY: &str = "glossary.html";
/// The index of every policy or every playbook.
pub const KIND_INDEX: &str = "kind-index.html";

/// Every template Folio renders of its own accord, and what a theme must do about it. A page's
/// `template:` field may name any other (see [`template_file`]).
pub const TEMPLATES: &[(&str, Need)] = &[
    (INDEX, Need::Required),
    (SECTION, Need::Required),
    (PAGE, Need::Required),
    (POLICY, Need::Required),
    (PLAYBOOK, Need::Required),
    (FAQ, Need::Required),
    (TAXONOMY, Need::Required),
    (NOT_FOUND, Need::Required),
    (SEARCH, Need::Required),
    (REDIRECT, Need::Required),
    (FAQ_HUB, Need::WhenUsed),
    (GLOSSARY, Need::WhenUsed),
    (KIND_INDEX, Need::Optional),
];

/// The default theme's template for a licence policy: a page whose `template:` names it gets
/// the licence table, whose rows are anchors links may point at.
pub const LICENSES: &str = "licenses.html";

/// The template a page of `kind` renders with, unless its `template:` names another.
pub fn for_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Policy => POLICY,
        Kind::Playbook => PLAYBOOK,
        Kind::Faq => FAQ,
        Kind::Page => PAGE,
    }
}

/// The file of the template a page's `template:` names: `licenses` → `licenses.html`.
pub fn template_file(name: &str) -> String {
    let name = name.trim();
    if name.ends_with(".html") {
        name.to_string()
    } else {
        format!("{name}.html")
    }
}

/// Compiled templates, ready to render in parallel.
pub struct Templates {
    tera: Tera,
    files: HashMap<String, (PathBuf, String)>,
}

impl Templates {
    /// Compiles the theme's templates, reporting every template with an error.
    pub fn compile(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let files: HashMap<String, (PathBuf, String)> = theme
            .templates
            .values()
            .map(|t| (t.name.clone(), (t.display_path.clone(), t.source.clone())))
            .collect();
        let mut diagnostics: Vec<Diagnostic> = TEMPLATES
            .iter()
            .filter(|(name, need)| *need == Need::Required && !files.contains_key(*name))
            .map(|(name, _)| {
                Diagnostic::error(format!("the theme has no template `{name}`"))
                    .with_help(format!("add templates/{name} to the site or the theme"))
            })
            .collect();
        // Check each template alone first, so that every syntax error is reported, not only the
        // first one Tera meets when it compiles them together.
        for template in theme.templates.values() {
            if let Some(d) = syntax_error(template, &files) {
                diagnostics.push(d);
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        let sources = theme
            .templates
            .values()
            .map(|t| (t.name.as_str(), t.source.as_str()));
        let templates = Templates { tera, files };
        let mut templates = templates;
        if let Err(e) = templates.tera.add_raw_templates(sources) {
            return Err(vec![templates.diagnostic(&e)]);
        }
        Ok(templates)
    }

    /// True when the theme (or the site) has the template `name`: optional templates, such as
    /// `kind-index.html`, are used only when they exist, so older themes keep working.
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// The templates a page's `template:` may sensibly name: those at the top level of the
    /// templates folder, except `base.html`, sorted.
    pub fn page_templates(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .files
            .keys()
            .filter(|n| !n.contains('/') && n.ends_with(".html") && *n != "base.html")
            .map(|n| n.trim_end_matches(".html").to_string())
            .collect();
        names.sort();
        names
    }

    /// Renders `name` with a serializable context.
    pub fn render<C: Serialize>(&self, name: &str, context: &C) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(context).map_err(|e| self.diagnostic(&e))?;
        self.tera
            .render(name, &context)
            .map(|html| crate::render::squeeze::squeeze(&html))
            .map_err(|e| self.diagnostic(&e))
    }

    /// Turns a Tera error into a diagnostic at the template's file, line and column.
    fn diagnostic(&self, error: &tera::Error) -> Diagnostic {
        diagnostic_for(error, &self.files).with_code(Code::Template)
    }
}

fn syntax_error(
    template: &TemplateFile,
    files: &HashMap<String, (PathBuf, String)>,
) -> Option<Diagnostic> {
    let mut alone = Tera::new();
    let error = alone
        .add_raw_template(&template.name, &template.source)
        .err()?;
    match error.kind() {
        ErrorKind::SyntaxError(_) => Some(diagnostic_for(&error, files)),
        _ => None,
    }
}

/// A template that includes or extends itself, through `chain`: shown at the `{% include %}` or
/// `{% extends %}` that closes the circle.
fn circular(
    files: &HashMap<String, (PathBuf, String)>,
    tpl: &str,
    chain: &[String],
    tag: &str,
) -> Diagnostic {
    let (verb, infinitive) = if tag == "include" {
        ("includes", "include")
    } else {
        ("extends", "extend")
    };
    // Tera ends an include chain with the repeated template, an inheritance chain before it.
    let mut chain = chain.to_vec();
    if chain.len() < 2 || chain.last().map(String::as_str) != Some(tpl) {
        chain.push(tpl.to_string());
    }
    let message = format!(
        "template error: `{tpl}` {verb} itself: {}",
        chain.join(" → ")
    );
    let help = format!(
        "remove that `{{% {tag} %}}`: no template may {infinitive} one that leads back to it"
    );
    // The template whose tag names `tpl` last in the chain, before the repeat.
    let closing = chain.len().checked_sub(2).map(|i| chain[i].as_str());
    let location = closing.and_then(|name| {
        let (path, source) = files.get(name)?;
        let offset = [format!("\"{tpl}\""), format!("'{tpl}'")]
            .iter()
            .find_map(|quoted| source.find(quoted.as_str()))?;
        Some(Location::from_offset(path, source, offset, tpl.len() + 2))
    });
    let d = Diagnostic::error(message).with_help(help);
    match location {
        Some(location) => d.at(location),
        None => d,
    }
}

fn diagnostic_for(error: &tera::Error, files: &HashMap<String, (PathBuf, String)>) -> Diagnostic {
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let message = format!("template error: {}", report.message());
            let Some((path, source)) = files.get(report.filename()) else {
                return Diagnostic::error(format!(
                    "{message} (in template `{}`)",
                    report.filename()
                ));
            };
            let span = report.span();
            let mut location =
                Location::from_line_col(path, source, span.start_line, span.start_col + 1);
            if span.end_line == span.start_line && span.end_col > span.start_col {
                location.width = span.end_col - span.start_col;
            }
            Diagnostic::error(message).at(location)
        }
        ErrorKind::CircularInclude { tpl, include_chain } => {
            circular(files, tpl, include_chain, "include")
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => circular(files, tpl, inheritance_chain, "extends"),
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error(format!("template error: template `{name}` not found"))
                .with_help(format!("add templates/{name} to the site or the theme"))
        }
        _ => {
            let mut message = format!("template error: {error}");
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            Diagnostic::error(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_default_theme_has_every_template_folio_renders() {
        let mut theme = Theme::default();
        theme.add_embedded();
        // Optional templates included: the default theme shows every kind of page.
        let names = TEMPLATES.iter().map(|(name, _)| *name);
        for name in names.chain(["base.html", LICENSES]) {
            assert!(theme.templates.contains_key(name), "missing {name}");
        }
        assert!(
            theme
                .static_files
                .contains_key(Path::new("assets/folio.css"))
        );
    }
}
