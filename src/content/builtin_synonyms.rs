//! The synonyms every site gets unless site.toml says `builtin_synonyms = false`: standard
//! abbreviations of the software field that have one meaning, British and American spellings
//! whose stems differ, and compounds written joined, hyphenated or as two words. A site's own
//! `data/synonyms.yaml` comes first: a built-in group sharing an entry with one of the site's
//! groups is left out, so the site's list decides.

use super::synonyms::{Synonyms, normalize};

/// The built-in groups, each written as a reader types it; the first entry names the group.
pub const BUILTIN_SYNONYMS: &[&[&str]] = &[
    // Abbreviations with one meaning in software.
    &["accessibility", "a11y"],
    &["internationalization", "internationalisation", "i18n"],
    &["localization", "localisation", "l10n"],
    &["end-to-end", "e2e"],
    &["kubernetes", "k8s"],
    &[
        "multi-factor authentication",
        "MFA",
        "2FA",
        "two-factor authentication",
    ],
    &["single sign-on", "SSO"],
    &["personally identifiable information", "PII"],
    &["continuous integration", "CI"],
    &["repository", "repo"],
    &["SBOM", "software bill of materials"],
    &["CVE", "common vulnerabilities and exposures"],
    &["API", "application programming interface"],
    &["CLI", "command-line interface"],
    &["IDE", "integrated development environment"],
    &["IaC", "infrastructure as code"],
    &["RBAC", "role-based access control"],
    &["SLA", "service level agreement"],
    &["SLO", "service level objective"],
    &["TDD", "test-driven development"],
    &[
        "BDD",
        "behaviour-driven development",
        "behavior-driven development",
    ],
    &["GDPR", "general data protection regulation"],
    &["SAST", "static application security testing"],
    &["DAST", "dynamic application security testing"],
    // British and American spellings the stemmer keeps apart.
    &["licence", "license"],
    &["behaviour", "behavior"],
    &["organise", "organize"],
    &["analyse", "analyze"],
    &["optimise", "optimize"],
    &["prioritise", "prioritize"],
    &["recognise", "recognize"],
    &["standardise", "standardize"],
    &["customise", "customize"],
    &["authorise", "authorize"],
    &["colour", "color"],
    &["catalogue", "catalog"],
    &["centre", "center"],
    &["defence", "defense"],
    &["artefact", "artifact"],
    &["judgement", "judgment"],
    // Compounds written joined, hyphenated or as two words.
    &["standup", "stand-up"],
    &["devcontainer", "dev container"],
    &["codebase", "code base"],
    &["email", "e-mail"],
    &["opensource", "open source"],
    &["onboarding", "on-boarding"],
];

/// `site`'s groups, then every built-in group that shares no entry with them.
pub fn with_builtin(mut site: Synonyms) -> Synonyms {
    let taken: std::collections::HashSet<String> =
        site.groups.iter().flatten().map(|e| normalize(e)).collect();
    for group in BUILTIN_SYNONYMS {
        if group.iter().all(|e| !taken.contains(&normalize(e))) {
            site.groups
                .push(group.iter().map(|e| e.to_string()).collect());
        }
    }
    site
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_list_decides_where_a_built_in_group_overlaps_it() {
        let site = Synonyms {
            groups: vec![vec!["a11y".into(), "screen reader".into()]],
        };
        let merged = with_builtin(site);
        assert_eq!(merged.groups[0], ["a11y", "screen reader"]);
        assert!(
            !merged.groups[1..]
                .iter()
                .any(|g| g.contains(&"accessibility".to_string()))
        );
        assert!(merged.groups.iter().any(|g| g == &["kubernetes", "k8s"]));
    }

    #[test]
    fn built_in_entries_are_in_one_group_each() {
        let mut seen = std::collections::HashSet::new();
        for group in BUILTIN_SYNONYMS {
            assert!(group.len() >= 2, "{group:?}");
            for entry in *group {
                assert!(seen.insert(normalize(entry)), "`{entry}` is in two groups");
            }
        }
    }
}
