//! The command line: `folio build`, `folio serve`, `folio search`, `folio init`, `folio import`,
//! `folio new`.
//!
//! May import: `base` only; only `cmd` (and the binary) uses it.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::base::model::{Kind, Visibility};

const EXAMPLES: &str = "\
Examples:
  folio build                          Build the site in this folder into public/
  folio build --root handbook --drafts Build another folder, drafts included
  folio build --base-url https://ospo.example.org/handbook/
  folio build --audience internal      Build the staff site, internal pages included
  folio serve --open                   Build, serve on http://127.0.0.1:1111/, rebuild on edits
  folio check --strict --format json   Check content and hygiene in CI, writing nothing
  folio check --strict --format github Annotate a pull request's lines with the findings
  folio search \"can I use AGPL code?\"  Search the last build's index
  folio search 'title:licence -draft' --kind policy --json
  folio init my-handbook               Start a new handbook with sample pages
  folio import ../mkdocs-handbook      Write site.toml for a handbook made for another generator
  folio new policy policies/ai-tools --title \"Generative AI tools\"

Exit status: 0 when the site was built, 1 for content or template errors, 2 for usage errors.";

/// Folio turns a Markdown handbook of policies, playbooks and FAQs into a static site.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses a command line (`["folio", "check", "--strict"]`) as the binary does, without
    /// exiting on an error: for tests, and for checking the commands of a CI workflow.
    pub fn try_parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Cli::try_parse_from(args)
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    #[command(after_help = EXAMPLES)]
    Build(BuildArgs),
    /// Build the site, serve it on this machine, and rebuild and reload the browser on every edit.
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
    /// Check the site as a build would, plus handbook hygiene, without writing anything.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Search the index of the last build (run `folio build` first).
    #[command(after_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// Create a new handbook in DIR: site.toml and sample pages of each kind.
    Init(InitArgs),
    /// Write the site.toml that builds a handbook written for MkDocs, Hugo, Jekyll, Eleventy,
    /// Docusaurus, mdBook or GitHub.
    #[command(after_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Create a page of a kind, with that kind's front-matter fields filled in.
    New(NewArgs),
}

/// Arguments of `folio build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site, instead of output_dir from site.toml.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Who the site is for, instead of audience from site.toml (default public): a public build
    /// leaves out pages with `visibility: internal`.
    #[arg(long, value_enum)]
    pub audience: Option<Audience>,
    /// The URL the site will be served from, instead of base_url from site.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print how long indexing and exporting search took, and their sizes.
    #[arg(long)]
    pub timings: bool,
    /// Print only errors and warnings: no progress bar and no summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

const SERVE_HELP: &str = "\
The site is built into a folder of its own beside the output folder (public/ gets
.public.folio-serve/), so the output `folio build` writes for deployment is never touched, and
only the served pages carry the live-reload script. /api/search?q=…&kind=…&tag=…&limit=… answers
with the JSON of `folio search --json`.

Press Ctrl-C to stop.";

/// Arguments of `folio serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address exposes the site (and drafts,
    /// with --drafts) to the network.
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Who the site is for, instead of audience from site.toml (default public): a public build
    /// leaves out pages with `visibility: internal`.
    #[arg(long, value_enum)]
    pub audience: Option<Audience>,
    /// Open the site in the default browser once it is built.
    #[arg(long)]
    pub open: bool,
}

const CHECK_HELP: &str = "\
Besides everything a build checks (front matter, links, anchors, templates), check reports:
  policy-without-owner   error    an approved policy has no owner
  policy-review-overdue  warning  a policy's next review date has passed
  policy-review-due      note     the next review is within review_due_soon_days (site.toml)
  orphan-page            warning  no other page links to the page
  duplicate-title        warning  another page has the same title
  faq-without-category   warning  an FAQ has no category
FOLIO_TODAY=YYYY-MM-DD sets the day reviews are compared with.

Formats for CI: `github` annotates the pull request's lines, `gitlab` writes a Code Quality
report, `markdown` a job summary; `--output-file` writes the report into a file.

Exit status: 0 when there is no error (with --strict: no warning either), 1 otherwise, 2 for
usage errors. Notes never fail a check.";

/// Arguments of `folio check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Which build to check, instead of audience from site.toml (default public): a public
    /// check leaves out pages with `visibility: internal`, as a public build does.
    #[arg(long, value_enum)]
    pub audience: Option<Audience>,
    /// How to print the findings: `text` on stderr, as `folio build` does; the others on
    /// stdout (or into --output-file).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Treat warnings as errors (exit status 1 when there is one).
    #[arg(long)]
    pub strict: bool,
    /// Write the report into this file (replacing it) instead of printing it; the exit status
    /// is the same.
    #[arg(long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,
}

/// How `folio check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with file:line:col and the offending line, then a summary line.
    Text,
    /// One JSON document (see the README), for CI and scripts.
    Json,
    /// GitHub Actions workflow commands: each finding annotates its line of the pull request.
    Github,
    /// A GitLab Code Quality report (a JSON array), for `artifacts:reports:codequality`.
    Gitlab,
    /// A short Markdown report: counts, findings, reviews overdue or due soon (a job summary).
    Markdown,
}

const SEARCH_HELP: &str = "\
Query syntax: plain words find pages with any of them, best matches first (a word of five or
more letters the site never uses is corrected by one edit; a shorter one is tried without its
final s, or with one). tantivy's syntax also works:
  \"open source\"      a phrase
  +licence -draft     must have licence, must not have draft
  title:licence       only in titles (fields: title, headings, body, description, kind, tags)
  licen*              a prefix (via tantivy's parser: no typo correction)

Exit status: 0 with results, 1 with none or when there is no index, 2 for usage errors.";

/// Arguments of `folio search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for.
    pub query: String,
    /// Only results of this kind (policy, playbook, faq, page, section).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only results with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// How many results to show: pages, each with up to three more of its sections beneath.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Search this language version of the site (a code from `languages` in site.toml)
    /// instead of the default language's.
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Print results as JSON.
    #[arg(long)]
    pub json: bool,
    /// The site folder, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The output folder whose index to search, instead of output_dir from site.toml.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// Arguments of `folio init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create the handbook in (created if missing). Folio never replaces a file:
    /// when a file it would write exists, or DIR already has a content folder, it writes
    /// nothing and says which.
    pub dir: PathBuf,
    /// Write only the files that are missing, keeping every existing one as it is.
    #[arg(long)]
    pub skip_existing: bool,
    /// The CI workflow to write beside the handbook, unless one exists: GitHub Actions
    /// (.github/workflows/handbook.yml), GitLab CI (.gitlab-ci.yml) or none.
    #[arg(long, value_enum, default_value_t = Ci::Github)]
    pub ci: Ci,
}

/// The CI workflow `folio init` and `folio import` write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Ci {
    /// .github/workflows/handbook.yml: check pull requests, deploy to GitHub Pages.
    Github,
    /// .gitlab-ci.yml: check merge requests (Code Quality), publish with GitLab Pages.
    Gitlab,
    /// No workflow.
    None,
}

const IMPORT_HELP: &str = "\
The generator is found from its settings file: mkdocs.yml, hugo.toml (or config.toml,
config/_default/), _config.yml (Jekyll), .eleventy.js or eleventy.config.js, docusaurus.config.js,
book.toml (mdBook); with none, the Markdown is read as GitHub shows it. JavaScript settings are
read for their literal values only. folio import prints what it found, what it set, what it could
not read, and the command to run next.

Exit status: 0 when site.toml was written (or printed), 1 when DIR already has one or a settings
file is in error (nothing is written), 2 for usage errors.";

/// Arguments of `folio import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The folder of the handbook (its repository, or the folder of its settings file).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Print the site.toml on standard output instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// The CI workflow to write beside the handbook, unless one exists: GitHub Actions
    /// (.github/workflows/handbook.yml), GitLab CI (.gitlab-ci.yml) or none.
    #[arg(long, value_enum, default_value_t = Ci::Github)]
    pub ci: Ci,
}

/// Who a build is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Audience {
    /// Everyone: pages with `visibility: internal` are left out.
    Public,
    /// Staff: every page is built.
    Internal,
}

impl From<Audience> for Visibility {
    fn from(audience: Audience) -> Visibility {
        match audience {
            Audience::Public => Visibility::Public,
            Audience::Internal => Visibility::Internal,
        }
    }
}

/// The kinds `folio new` can create.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    /// A policy, with status, owner, approvers and review dates.
    Policy,
    /// A step-by-step playbook.
    Playbook,
    /// A question and its answer.
    Faq,
    /// A plain page.
    Page,
}

impl From<NewKind> for Kind {
    fn from(kind: NewKind) -> Kind {
        match kind {
            NewKind::Policy => Kind::Policy,
            NewKind::Playbook => Kind::Playbook,
            NewKind::Faq => Kind::Faq,
            NewKind::Page => Kind::Page,
        }
    }
}

/// Arguments of `folio new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The kind of page.
    pub kind: NewKind,
    /// Path of the new file, relative to content/ (`.md` is added when missing). An existing
    /// file is never replaced, and a path that a symbolic link would take out of content/ is
    /// refused.
    pub path: PathBuf,
    /// The page title.
    #[arg(long)]
    pub title: String,
    /// The site folder, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}
