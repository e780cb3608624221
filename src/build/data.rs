//! The data files, read in the load stage: everything under data/ for templates, and the
//! glossary, licence list and synonyms in it, checked; plus the checks that tie pages to the
//! templates those need.

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::paths::GLOSSARY_URL_PATH;
use crate::content::glossary::{Glossary, NoGlossary};
use crate::content::licenses::{self, License};
use crate::content::links::LinkMap;
use crate::content::markdown::TermResolver;
use crate::content::page::{Page, at_field_value};
use crate::content::site::Site;
use crate::content::synonyms::{self, Synonyms};
use crate::input::config::Config;
use crate::input::data::Data;
use crate::render::templates::{
    GLOSSARY as GLOSSARY_TEMPLATE, LICENSES as LICENSES_TEMPLATE, Templates, template_file,
};

/// The data files and what Folio reads from them, loaded once per build.
pub(super) struct LoadedData {
    /// Every data file, for templates.
    pub(super) files: Data,
    /// `data/glossary.yaml`, checked, when the site has one.
    pub(super) glossary: Option<Glossary>,
    /// `data/licenses.yaml`, checked (empty when the site has none).
    pub(super) licenses: Vec<License>,
    /// `data/synonyms.yaml`, checked (empty when the site has none).
    pub(super) synonyms: Synonyms,
}

impl LoadedData {
    /// What `[[term]]` links resolve against.
    pub(super) fn terms(&self) -> &dyn TermResolver {
        match &self.glossary {
            Some(glossary) => glossary,
            None => &NoGlossary,
        }
    }

    /// The ids the templates add to `page` beyond its Markdown's, so that links to them pass
    /// the anchor check: the licence table's rows (`#Apache-2.0`) on a page rendered with
    /// `licenses.html`, and the terms on the glossary page.
    pub(super) fn template_anchors(&self, page: &Page) -> Vec<String> {
        let template = page.front_matter.template.as_deref().map(template_file);
        let mut anchors = Vec::new();
        if template.as_deref() == Some(LICENSES_TEMPLATE) {
            anchors.extend(self.licenses.iter().map(|l| l.id.clone()));
        }
        if let Some(glossary) = &self.glossary
            && page.url_path == GLOSSARY_URL_PATH
        {
            anchors.extend(glossary.terms().map(|t| t.id.clone()));
        }
        anchors
    }

    /// The data as the template contexts take it.
    pub(super) fn site_data(&self) -> crate::render::context::SiteData<'_> {
        crate::render::context::SiteData {
            data: self.files.tree(),
            glossary: self.glossary.as_ref(),
            licenses: &self.licenses,
        }
    }
}

/// Checks the glossary and licence list among the data files read from data/; links in
/// definitions and notes resolve through `links`.
pub(super) fn load_data(
    config: &Config,
    files: Data,
    links: &LinkMap,
    public: bool,
    diagnostics: &mut Diagnostics,
) -> LoadedData {
    let (glossary, found) = Glossary::load(&files, links, public, &config.base_path);
    diagnostics.extend(found);
    let (licenses, found) = licenses::load(&files, links);
    diagnostics.extend(found);
    let (synonyms, found) = synonyms::load(&files);
    diagnostics.extend(found);
    let synonyms = if config.builtin_synonyms {
        crate::content::builtin_synonyms::with_builtin(synonyms)
    } else {
        synonyms
    };
    LoadedData {
        files,
        glossary,
        licenses,
        synonyms,
    }
}

/// The template each page's `template:` names must exist, as must `glossary.html` when the site
/// has a glossary.
pub(super) fn check_templates(
    site: &Site,
    templates: &Templates,
    data: &LoadedData,
    diagnostics: &mut Diagnostics,
) {
    for page in &site.pages {
        let Some(name) = page.front_matter.template.as_deref() else {
            continue;
        };
        let file = template_file(name);
        if templates.has(&file) {
            continue;
        }
        let mut d =
            Diagnostic::error(format!("the theme has no template `{file}`")).with_help(format!(
                "add templates/{file} to the site, or use one of the theme's: {}",
                templates.page_templates().join(", ")
            ));
        if let Some(location) = at_field_value(page, "template") {
            d = d.at(location);
        }
        diagnostics.push(d);
    }
    if data.glossary.is_some() && !templates.has(GLOSSARY_TEMPLATE) {
        diagnostics.push(
            Diagnostic::error(format!(
                "the theme has no template `{GLOSSARY_TEMPLATE}`, which the glossary page needs"
            ))
            .with_help(format!(
                "add templates/{GLOSSARY_TEMPLATE} to the site or the theme"
            )),
        );
    }
}
