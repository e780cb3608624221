//! The synonyms every site gets unless site.toml says `builtin_synonyms = false`: standard
//! abbreviations of the software field that have one meaning, one thing's two names (a
//! platform's, a jurisdiction's, the inclusive one), British and American spellings whose stems
//! differ, and compounds written joined, hyphenated or as two words. A site's own
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
    &[
        "personally identifiable information",
        "PII",
        "personal data",
        "personal information",
    ],
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
    &["OSPO", "open source program office"],
    &["OSS", "open source software"],
    &["FOSS", "FLOSS", "free and open source software"],
    &["CLA", "contributor license agreement"],
    &["DCO", "developer certificate of origin"],
    &["CVSS", "common vulnerability scoring system"],
    &["SPDX", "software package data exchange"],
    &["SLSA", "supply-chain levels for software artifacts"],
    &["GPL", "GNU general public license"],
    &["LGPL", "GNU lesser general public license"],
    &["AGPL", "GNU affero general public license"],
    &["NDA", "non-disclosure agreement"],
    &["PHI", "protected health information"],
    &["SRE", "site reliability engineering"],
    &["SLI", "service level indicator"],
    &["MTTR", "mean time to recovery", "mean time to restore"],
    &["RTO", "recovery time objective"],
    &["RPO", "recovery point objective"],
    &["SPOF", "single point of failure"],
    &["RCA", "root cause analysis"],
    &["OOM", "out of memory"],
    &["CDN", "content delivery network"],
    &["DNS", "domain name system"],
    &["ETL", "extract, transform, load"],
    &["FaaS", "function as a service"],
    &["VCS", "version control system"],
    &["LTS", "long-term support"],
    &["SDK", "software development kit"],
    &["ADR", "architecture decision record"],
    &["RFC", "request for comments"],
    &["NFR", "non-functional requirement"],
    &["MVP", "minimum viable product"],
    &["PoC", "proof of concept"],
    &["OKR", "objectives and key results"],
    &["UX", "user experience"],
    &["UI", "user interface"],
    &["FAQ", "frequently asked questions"],
    &["LLM", "large language model"],
    &["GenAI", "generative AI"],
    &["ML", "machine learning"],
    &["AI", "artificial intelligence"],
    &["DEI", "diversity, equity and inclusion"],
    &["PTO", "paid time off"],
    &["WFH", "work from home"],
    &["TSC", "technical steering committee"],
    &["DevRel", "developer relations"],
    &["o11y", "observability"],
    &["semver", "semantic versioning"],
    &["authn", "authentication"],
    &["authz", "authorization", "authorisation"],
    &["OIDC", "OpenID Connect"],
    &["MDM", "mobile device management"],
    &["vuln", "vulnerability"],
    &["pentest", "pen test", "penetration test"],
    &["env var", "environment variable"],
    &["preprod", "pre-production"],
    &["DSAR", "data subject access request"],
    &["DPIA", "data protection impact assessment"],
    // One thing under two names: platforms', jurisdictions' and the inclusive names.
    &["pull request", "merge request"],
    &["allowlist", "allow list", "whitelist", "safelist"],
    &[
        "denylist",
        "deny list",
        "blocklist",
        "block list",
        "blacklist",
    ],
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
    &["postmortem", "post-mortem"],
    &["hotfix", "hot fix"],
    &["monorepo", "mono-repo"],
    &["healthcheck", "health check"],
    &["oncall", "on-call"],
    &["runbook", "run book"],
    &["rollback", "roll back"],
    &["lockfile", "lock file"],
    &["timezone", "time zone"],
    &["autoscaling", "auto-scaling"],
    &["frontend", "front end"],
    &["backend", "back end"],
    &["codeowners", "code owners"],
    &["innersource", "inner source"],
    &["username", "user name"],
    &["filename", "file name"],
    &["workflow", "work flow"],
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
