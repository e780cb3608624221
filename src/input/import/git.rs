//! The repository a site is in, from git: its `origin` remote as a web URL, and the branch
//! checked out. Used only when the generator's settings name no repository.
//!
//! The `git` command is run, as for the build's history: outside a repository, without git, or
//! with a remote that is not a web host's, there is simply no repository.

use std::path::Path;
use std::process::{Command, Stdio};

/// The web URL of the `origin` remote of the repository holding `root`, without any user name
/// or token written in it, and the branch checked out.
pub(super) fn origin(root: &Path) -> Option<(String, Option<String>)> {
    let remote = git(root, &["config", "--get", "remote.origin.url"])?;
    let url = web_url(&remote)?;
    let branch = git(root, &["symbolic-ref", "--quiet", "--short", "HEAD"]);
    Some((url, branch))
}

/// One line of output of `git ARGS` run in `root`, or `None` when it fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let line = String::from_utf8(output.stdout).ok()?;
    Some(line.trim().to_string()).filter(|l| !l.is_empty())
}

/// A remote's web URL: `git@host:owner/repo.git` and `ssh://git@host/owner/repo` become
/// `https://host/owner/repo`; `https://user:token@host/…` loses its credentials. Local paths and
/// other schemes are no web URL.
fn web_url(remote: &str) -> Option<String> {
    let (host, path) = if let Some(rest) = remote.strip_prefix("ssh://") {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let (host, path) = rest.split_once('/')?;
        (host.split(':').next()?.to_string(), path.to_string())
    } else if let Some(rest) = remote
        .strip_prefix("https://")
        .or_else(|| remote.strip_prefix("http://"))
    {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        (host.to_string(), path.to_string())
    } else if let Some((user_host, path)) = remote.split_once(':')
        && !remote.contains("://")
        && user_host.contains('@')
    {
        (user_host.rsplit_once('@')?.1.to_string(), path.to_string())
    } else {
        return None;
    };
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    (!host.is_empty() && path.contains('/')).then(|| format!("https://{host}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_become_web_urls_without_credentials() {
        for (remote, url) in [
            (
                "git@github.com:example-ospo/handbook.git",
                "https://github.com/example-ospo/handbook",
            ),
            (
                "https://github.com/example-ospo/handbook",
                "https://github.com/example-ospo/handbook",
            ),
            (
                "https://user:s3cret@gitlab.com/g/sub/handbook.git",
                "https://gitlab.com/g/sub/handbook",
            ),
            (
                "ssh://git@codeberg.org:22/o/handbook.git",
                "https://codeberg.org/o/handbook",
            ),
        ] {
            assert_eq!(web_url(remote).as_deref(), Some(url), "{remote}");
        }
        for remote in [
            "/srv/git/handbook.git",
            "file:///srv/h.git",
            "../handbook",
            "https://host.example/",
        ] {
            assert_eq!(web_url(remote), None, "{remote}");
        }
    }

    #[test]
    fn outside_a_repository_there_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(origin(dir.path()), None);
    }
}
