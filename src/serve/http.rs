//! Answering one HTTP request: the event stream, the search API, or a file of the served build.
//!
//! Requests must name this server in their `Host` header: a loopback name (`localhost`,
//! `*.localhost`, `127.0.0.1`, `[::1]`…) or the address it listens on; others get 421. A web
//! page can point a name of its own at 127.0.0.1 (DNS rebinding) and then read whatever that
//! name serves as its own, but its requests carry its name. The event stream and the search API
//! also refuse requests a browser marks as sent by another site (403): nothing but the served
//! pages needs them, and other pages should not be able to hold connections or run queries.
//!
//! Every response says `Cache-Control: no-store`, so the browser asks again on every visit and
//! never shows a page from before the last rebuild. HTML gets the live-reload script on its way
//! out (see [`reload::inject`]): the files on disk are exactly what `folio build` would write.

use std::fs::{self, File};
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;

use super::tiny_http::{Header, Method, Request, Response};

use super::State;
use super::api::SEARCH_PATH;
use super::files::{self, Resolved};
use super::reload::{self, EVENTS_PATH};

/// Shown when the site has no 404 page yet: before the first successful build. It carries the
/// live-reload script too, so it shows the build's errors and goes away once they are fixed.
const NO_BUILD_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body>\n<h1>Not found</h1>\n<p>Nothing is here, or the site has not built yet: see the terminal running <code>folio serve</code>.</p>\n</body>\n</html>\n";

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// Answers `request`. Runs on a thread of its own: the event stream keeps its connection open.
pub(crate) fn handle(request: Request, state: &State) {
    let host = match host(&request) {
        Ok(host) => host,
        Err(message) => return text(request, 400, &message, None),
    };
    if !host
        .as_deref()
        .is_none_or(|h| is_our_host(h, state.address))
    {
        let message = misdirected(host.as_deref().unwrap_or_default(), state.address);
        return text(request, 421, &message, None);
    }
    let target = request.url().to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let method = request.method().clone();
    if !matches!(method, Method::Get | Method::Head) {
        let allow = header("Allow", "GET, HEAD");
        return text(request, 405, "405 Method Not Allowed\n", Some(allow));
    }
    let private = path == EVENTS_PATH || path == SEARCH_PATH;
    if private && is_cross_site(&request, host.as_deref()) {
        return cross_site(request, path);
    }
    if path == EVENTS_PATH && method == Method::Get {
        state.hub.subscribe(request.into_writer());
        return;
    }
    if path == SEARCH_PATH {
        let answer = state.search.answer(query);
        let response = Response::from_data(answer.body).with_status_code(answer.status);
        return send(request, response, "application/json");
    }
    match files::resolve(&state.output, path) {
        Resolved::File(file) => serve_file(request, state, &file, 200),
        Resolved::Redirect(to) => redirect(request, &to, query),
        Resolved::NotFound => not_found(request, state),
        Resolved::BadRequest => text(request, 400, "400 Bad Request\n", None),
    }
}

/// The request's `Host` header, if it has one (only HTTP 1.0 may leave it out); an error message
/// when it is missing or repeated.
fn host(request: &Request) -> Result<Option<String>, String> {
    let mut hosts = request.headers().iter().filter(|h| h.field.equiv("Host"));
    match (hosts.next(), hosts.next()) {
        (Some(host), None) => Ok(Some(host.value.as_str().to_string())),
        (Some(_), Some(_)) => Err("400 Bad Request: more than one Host header\n".into()),
        (None, _) if *request.http_version() <= (1, 0) => Ok(None),
        (None, _) => Err("400 Bad Request: HTTP/1.1 requests need a Host header\n".into()),
    }
}

/// True when `host` (a `Host` header: name or address, then maybe `:port`) names this server:
/// `localhost` or a name under it (which browsers resolve to loopback themselves), a loopback
/// address, or the address it listens on. When it listens on all addresses, any address will
/// do: DNS rebinding needs a name. The port is not checked: a name is what rebinding changes.
pub(crate) fn is_our_host(host: &str, listening: SocketAddr) -> bool {
    let Some(name) = host_name(host) else {
        return false;
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    let address = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().map(IpAddr::V6),
        None => name.parse::<Ipv4Addr>().map(IpAddr::V4),
    };
    let Ok(address) = address else {
        return false;
    };
    let (address, ours) = (address.to_canonical(), listening.ip().to_canonical());
    address.is_loopback() || address == ours || ours.is_unspecified()
}

/// The name or address of a `Host` value, without its port; None when the port is not a
/// number.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.rfind(':') {
        // A colon inside `[…]` is part of an IPv6 address.
        Some(colon) if !host[colon..].contains(']') => (&host[..colon], &host[colon + 1..]),
        _ => (host, ""),
    };
    let port_ok = port.is_empty() || port.bytes().all(|b| b.is_ascii_digit());
    (port_ok && !name.is_empty()).then_some(name)
}

fn misdirected(host: &str, listening: SocketAddr) -> String {
    format!(
        "421 Misdirected Request: this server answers to localhost, 127.0.0.1, [::1] and {}, \
         not to `{host}`. (A web page can give a name of its own to this machine's address to \
         read what is served here; so no other name is answered.)\n",
        listening.ip()
    )
}

/// True when a browser says another site sent the request: `Sec-Fetch-Site` other than
/// `same-origin` or `none` (an address typed or a bookmark), or, from browsers without it, an
/// `Origin` other than this server's. Requests without either (curl, scripts) are not.
fn is_cross_site(request: &Request, host: Option<&str>) -> bool {
    let value = |name: &'static str| {
        let header = request.headers().iter().find(|h| h.field.equiv(name));
        header.map(|h| h.value.as_str())
    };
    if let Some(site) = value("Sec-Fetch-Site") {
        return !(site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none"));
    }
    match (value("Origin"), host) {
        (Some(origin), Some(host)) => !origin.eq_ignore_ascii_case(&format!("http://{host}")),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// 403 for a cross-site request to the event stream or the search API.
fn cross_site(request: Request, path: &str) {
    let why = "only the site's own pages may use it, not a page of another site";
    if path == SEARCH_PATH {
        let body = serde_json::json!({ "error": format!("{path}: {why}") }).to_string() + "\n";
        let response = Response::from_data(body).with_status_code(403);
        return send(request, response, "application/json");
    }
    text(
        request,
        403,
        &format!("403 Forbidden: {path}: {why}\n"),
        None,
    );
}

/// Redirects to `to` (a checked path), keeping the query.
fn redirect(request: Request, to: &str, query: &str) {
    let location = if query.is_empty() {
        to.to_string()
    } else {
        format!("{to}?{query}")
    };
    // A header value must be visible ASCII; browsers send paths percent-encoded, so anything
    // else did not come from a browser.
    if !location.bytes().all(|b| b.is_ascii_graphic()) {
        return text(request, 400, "400 Bad Request\n", None);
    }
    let body = format!("Moved to {location}\n");
    text(request, 308, &body, Some(header("Location", &location)));
}

/// The site's 404.html with status 404, or a stand-in page while there is none.
fn not_found(request: Request, state: &State) {
    let page = state.output.join(crate::base::paths::NOT_FOUND_PATH);
    if page.is_file() {
        return serve_file(request, state, &page, 404);
    }
    let html = reload::inject(NO_BUILD_PAGE.as_bytes(), &state.hub.build_id());
    send(
        request,
        Response::from_data(html).with_status_code(404),
        HTML,
    );
}

fn serve_file(request: Request, state: &State, path: &Path, status: u16) {
    let content_type = files::content_type(path);
    if files::is_html(path) {
        // Read the build id before the page: a page read just before a rebuild then carries the
        // older id, and reloads as soon as its event stream says hello.
        let build = state.hub.build_id();
        match fs::read(path) {
            Ok(html) => {
                let html = reload::inject(&html, &build);
                let response = Response::from_data(html).with_status_code(status);
                send(request, response, content_type);
            }
            Err(_) => vanished(request),
        }
        return;
    }
    if let Some(range) = requested_range(&request) {
        // The search client reads its packs by parts (src/search/export/mod.rs).
        match fs::read(path) {
            Ok(bytes) => match satisfiable(range, bytes.len()) {
                Some((start, end)) => {
                    let total = bytes.len();
                    let response = Response::from_data(bytes[start..end].to_vec())
                        .with_status_code(206)
                        .with_header(header(
                            "Content-Range",
                            &format!("bytes {start}-{}/{total}", end - 1),
                        ));
                    send(request, response, content_type);
                }
                None => send(request, Response::from_data(bytes), content_type),
            },
            Err(_) => vanished(request),
        }
        return;
    }
    match File::open(path) {
        Ok(file) => send(
            request,
            Response::from_file(file).with_status_code(status),
            content_type,
        ),
        Err(_) => vanished(request),
    }
}

/// The one range of a `Range: bytes=A-B` (or `bytes=A-`) header; other forms are answered with
/// the whole file, as HTTP allows.
fn requested_range(request: &Request) -> Option<(usize, Option<usize>)> {
    let value = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Range"))?
        .value
        .as_str()
        .strip_prefix("bytes=")?;
    let (start, end) = value.split_once('-')?;
    let start = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => None,
        end => Some(end.parse().ok()?),
    };
    Some((start, end))
}

/// The bytes [start, end) a range asks of a file of `len` bytes, when it lies in the file.
fn satisfiable((start, last): (usize, Option<usize>), len: usize) -> Option<(usize, usize)> {
    let end = last.map_or(len, |last| last.saturating_add(1).min(len));
    (start < end).then_some((start, end))
}

/// For a file that vanished between finding and opening it (a rebuild swapped the output).
fn vanished(request: Request) {
    text(request, 404, "404 Not Found\n", None);
}

fn text(request: Request, status: u16, body: &str, extra: Option<Header>) {
    let mut response = Response::from_string(body).with_status_code(status);
    if let Some(extra) = extra {
        response.add_header(extra);
    }
    send(request, response, TEXT);
}

/// Sends `response` with the headers every response has. Its length is known (a file or bytes
/// in memory), so it goes out with `Content-Length`, and tiny_http leaves the body out for HEAD.
fn send<R: Read>(request: Request, response: Response<R>, content_type: &str) {
    let response = response
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        // tiny_http switches to chunked encoding above 32 KiB; a length is better for browsers
        // (and for HEAD, which then says how long the body would be).
        .with_chunked_threshold(usize::MAX);
    // The browser may have gone away (a reload while loading): nothing to do about it.
    let _ = request.respond(response);
}

fn header(name: &str, value: &str) -> Header {
    // Names are constants and values come from checked paths or constants: both are visible
    // ASCII, which is all from_bytes requires.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_the_listening_address_are_our_hosts() {
        let loopback: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        for host in [
            "localhost",
            "localhost:4000",
            "LocalHost.:4000",
            "docs.localhost:4000",
            "127.0.0.1:4000",
            "127.0.0.1",
            "127.1.2.3:80",
            "[::1]:4000",
            "[::1]",
            "[::ffff:127.0.0.1]:4000",
        ] {
            assert!(is_our_host(host, loopback), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:4000",
            "localhost.evil.example:4000",
            "127.0.0.1.nip.io:4000",
            "192.168.1.5:4000",
            "[::2]:4000",
            "localhost:http",
            "",
            ":4000",
            "[::1",
        ] {
            assert!(!is_our_host(host, loopback), "{host}");
        }
        let lan: SocketAddr = "192.168.1.5:4000".parse().unwrap();
        assert!(is_our_host("192.168.1.5:4000", lan));
        assert!(is_our_host("localhost:4000", lan));
        assert!(!is_our_host("10.0.0.1:4000", lan));
        assert!(!is_our_host("myhost.lan:4000", lan));
        let any: SocketAddr = "0.0.0.0:4000".parse().unwrap();
        assert!(is_our_host("10.0.0.1:4000", any));
        assert!(is_our_host("[fe80::1]:4000", any));
        assert!(!is_our_host("myhost.lan:4000", any));
    }
}
