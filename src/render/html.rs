//! A page's HTML: which template each page renders with, and with which context. The home
//! page, sections, the FAQ hub, kind indexes and the glossary page each have their own; a
//! page's `template:` field replaces the template, never the context.

use crate::base::diag::Diagnostic;
use crate::content::site::Site;
use crate::render::context::Contexts;
use crate::render::templates::{self as template, Templates, template_file};

/// The HTML of page `index`, through the template for its kind.
pub fn page_html(
    templates: &Templates,
    contexts: &Contexts,
    site: &Site,
    index: usize,
) -> Result<String, Diagnostic> {
    let page = &site.pages[index];
    // `template:` in front matter replaces the template, never the context.
    let custom = page.front_matter.template.as_deref().map(template_file);
    let name = |default: &str| custom.clone().unwrap_or_else(|| default.to_string());
    let rendered = if contexts.is_glossary_page(Some(index)) {
        templates.render(
            &name(template::GLOSSARY),
            &contexts.glossary_page(Some(index)),
        )
    } else if page.section_dir.is_some() {
        if page.url_path.is_empty() {
            templates.render(&name(template::INDEX), &contexts.section(index))
        } else if site.is_faq_hub(index) {
            templates.render(&name(template::FAQ_HUB), &contexts.faq_hub_section(index))
        } else if let Some(kind) = site
            .kind_index_of(index)
            .filter(|_| templates.has(template::KIND_INDEX))
        {
            templates.render(
                &name(template::KIND_INDEX),
                &contexts.kind_index_section(index, kind),
            )
        } else {
            templates.render(&name(template::SECTION), &contexts.section(index))
        }
    } else {
        templates.render(&name(template::for_kind(page.kind)), &contexts.page(index))
    };
    rendered.map_err(|d| d.with_help(format!("while rendering `{}`", page.display_path.display())))
}
