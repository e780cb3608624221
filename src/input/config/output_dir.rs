//! Where a build may write: the output folder named by `output_dir` in site.toml or by
//! `--output` must not be the site root nor above it, nor one of the folders an author writes in,
//! nor a folder Folio did not write. `folio serve` checks site.toml's before its first build.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::{CONFIG_FILE, Config, value_location};
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::output::{MARKER, absolute, is_empty_dir, normalize, remove_leftovers, shown};

/// What every refusal of an output folder suggests instead.
const OUTPUT_HELP: &str =
    "set output_dir in site.toml or pass --output to a folder of its own, such as public";

/// The folders of a site that hold what an author wrote, none of which may hold the output nor
/// lie in it: `(what it is, where)`, the folders of `static_dirs` included.
fn sources(config: &Config) -> Vec<(&'static str, PathBuf)> {
    let root = &config.root;
    let mut sources = vec![
        ("content folder", config.content_dir()),
        ("data folder", root.join(crate::input::data::DATA_DIR)),
        ("static files folder", root.join("static")),
        ("templates folder", root.join("templates")),
        ("themes folder", root.join("themes")),
    ];
    let listed = config.static_dirs.iter().map(|dir| root.join(dir));
    sources.extend(listed.map(|path| ("static_dirs folder", path)));
    sources
}

/// Why `output` must not hold a build: it is the site root, holds it, or is, holds or lies in
/// one of its [`sources`]. None when it is none of these.
fn overlaps_sources(config: &Config, output: &Path) -> Option<String> {
    let output = absolute(output);
    let root = absolute(&config.root);
    if output == root {
        return Some(format!(
            "it is the site root, the folder holding {CONFIG_FILE}"
        ));
    }
    if root.starts_with(&output) {
        return Some(format!(
            "it holds the site root, the folder holding {CONFIG_FILE}"
        ));
    }
    for (what, path) in sources(config) {
        let source = absolute(&path);
        let name = match path.strip_prefix(&config.root) {
            // The content folder is the root itself (`content_dir = "."`).
            Ok(rel) if rel.as_os_str().is_empty() => Path::new("."),
            Ok(rel) => shown(rel),
            Err(_) => shown(&path),
        };
        let name = name.display();
        if output == source {
            return Some(format!("it is the site's {what}, `{name}`"));
        }
        if output.starts_with(&source) {
            return Some(format!("it is inside the site's {what}, `{name}`"));
        }
        if source.starts_with(&output) {
            return Some(format!("it holds the site's {what}, `{name}`"));
        }
    }
    None
}

/// Checks that the output folder is a safe place to write: not the site root nor above it, not
/// one of the folders an author writes in (content, data, static, static_dirs, templates,
/// themes) nor inside or above one, not a file, and not an existing folder Folio did not write.
/// `given` is `--output`, as typed; None means output_dir from site.toml, which diagnostics then
/// point at.
pub fn check_output_path(config: &Config, given: Option<&Path>) -> Result<(), Diagnostic> {
    let output = given.unwrap_or(&config.output_dir);
    let resolved = normalize(output);
    let shown_path = shown(output).display();
    // `public/../content` (that is, `content`): the folder meant, when the path climbs.
    let climbs = output.components().any(|c| c == Component::ParentDir);
    let that_is = if climbs && shown(&resolved) != Path::new(&shown_path.to_string()) {
        format!(" (that is, `{}`)", shown(&resolved).display())
    } else {
        String::new()
    };
    let located = |diagnostic: Diagnostic| match given {
        None => match value_location(&config.root, "output_dir") {
            Some(location) => diagnostic.at(location),
            None => diagnostic,
        },
        Some(_) => diagnostic,
    };
    let refuse = |why: &str| {
        Err(located(
            Diagnostic::error(format!(
                "refusing to use `{shown_path}`{that_is} as the output folder: {why}"
            ))
            .with_help(OUTPUT_HELP),
        ))
    };
    if let Some(why) = overlaps_sources(config, &resolved) {
        return refuse(&why);
    }
    let output_abs = absolute(&resolved);
    if output_abs.is_dir() && !output_abs.join(MARKER).is_file() && !is_empty_dir(&output_abs) {
        return Err(located(
            Diagnostic::error(format!(
                "refusing to replace `{shown_path}`{that_is}: it exists and was not written by Folio (it has no {MARKER} file)"
            ))
            .with_help("move its files elsewhere, or choose another output folder with --output"),
        ));
    }
    if output_abs.exists() && !output_abs.is_dir() {
        return refuse("it is a file");
    }
    // Folio could replace it anyway (that needs only the folder above), but someone made it
    // read-only on purpose: say so rather than override them.
    if fs::metadata(&output_abs).is_ok_and(|m| m.permissions().readonly()) {
        return Err(located(
            Diagnostic::error(format!(
                "refusing to replace `{shown_path}`{that_is}: it is read-only"
            ))
            .with_help(format!(
                "make it writable (`chmod u+w {shown_path}`), or choose another output folder with --output"
            )),
        ));
    }
    Ok(())
}

/// What `folio serve` does before its first build: refuses to start when output_dir in
/// site.toml could not be built into (the serve folder lives beside it, and `folio build` would
/// refuse it), and removes what killed builds left beside the output and the serve folder
/// `serving`. A site.toml that does not load is left for the build to report.
pub fn before_serving(root: &Path, serving: &Path) -> anyhow::Result<()> {
    if let Ok(config) = Config::load(root) {
        let output = &config.output_dir;
        if let Some(why) = overlaps_sources(&config, output) {
            // As site.toml says it: relative to the root (`serve` has made the root absolute).
            let relative = match output.strip_prefix(root) {
                Ok(rest) if rest.as_os_str().is_empty() => Path::new("."),
                Ok(rest) => rest,
                Err(_) => output,
            };
            let mut diagnostic = Diagnostic::error(format!(
                "refusing to use `{}` as the output folder: {why}",
                relative.display()
            ))
            .with_help(format!(
                "{OUTPUT_HELP} (`folio serve` builds into a hidden folder beside it)"
            ));
            if let Some(location) = value_location(root, "output_dir") {
                diagnostic = diagnostic.at(location);
            }
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(diagnostic);
            use std::io::IsTerminal;
            eprint!("{}", diagnostics.render(std::io::stderr().is_terminal()));
            anyhow::bail!("not serving: choose another output_dir in {CONFIG_FILE}");
        }
        remove_leftovers(output);
    }
    remove_leftovers(serving);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site in `root` whose site.toml holds `extra` besides its title.
    fn config(root: &Path, extra: &str) -> Config {
        let text = format!("title = \"T\"\n{extra}");
        fs::write(root.join(CONFIG_FILE), &text).unwrap();
        Config::parse(root, Path::new(CONFIG_FILE), &text).unwrap()
    }

    #[test]
    fn output_must_not_be_the_root_or_a_source_or_above_one() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("content")).unwrap();
        let config = config(root, "");
        let refused = |path: PathBuf| {
            check_output_path(&config, Some(&path))
                .map(|()| path.display().to_string())
                .unwrap_err()
                .message
        };
        assert!(refused(root.to_path_buf()).contains("it is the site root"));
        assert!(refused(root.parent().unwrap().to_path_buf()).contains("it holds the site root"));
        for source in ["content", "data", "static", "templates", "themes"] {
            assert!(
                refused(root.join(source)).contains("it is the site's"),
                "{source}"
            );
            assert!(
                refused(root.join(source).join("x")).contains("inside"),
                "{source}"
            );
            let climbing = root.join("nothere/..").join(source);
            assert!(refused(climbing).contains("(that is, `"), "{source}");
        }
        assert!(check_output_path(&config, Some(&root.join("public"))).is_ok());
        assert!(check_output_path(&config, Some(&root.join("content/../public"))).is_ok());
    }

    #[test]
    fn a_content_folder_elsewhere_may_not_be_held_by_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(tmp.path().join("shared/pages")).unwrap();
        fs::create_dir_all(&root).unwrap();
        let config = config(&root, "content_dir = \"../shared/pages\"\n");
        let err = check_output_path(&config, Some(&tmp.path().join("shared"))).unwrap_err();
        assert!(
            err.message.contains("it holds the site's content folder"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_content_folder_that_is_the_root_is_named_dot() {
        let tmp = tempfile::tempdir().unwrap();
        let config = config(tmp.path(), "content_dir = \".\"\n");
        let err = check_output_path(&config, Some(&tmp.path().join("public"))).unwrap_err();
        assert!(
            err.message
                .ends_with("it is inside the site's content folder, `.`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn output_dir_from_site_toml_points_at_site_toml() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let config = config(root, "output_dir = \"build/../data\"\n");
        let err = check_output_path(&config, None).unwrap_err();
        assert!(
            err.message.contains("it is the site's data folder"),
            "{}",
            err.message
        );
        let location = err.location.expect("a position in site.toml");
        assert_eq!((location.line, location.column), (2, 14));
    }

    #[test]
    fn foreign_folders_are_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let config = config(root, "");
        let out = root.join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("mine.txt"), "keep").unwrap();
        let err = check_output_path(&config, Some(&out)).unwrap_err();
        assert!(
            err.message.contains("was not written by Folio"),
            "{}",
            err.message
        );
    }
}
