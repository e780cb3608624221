//! Answering one HTTP request: the event stream, the search API, or a file of the served build.
//!
//! Every response says `Cache-Control: no-store`, so the browser asks again on every visit and
//! never shows a page from before the last rebuild. HTML gets the live-reload script on its way
//! out (see [`reload::inject`]): the files on disk are exactly what `folio build` would write.

use std::fs::{self, File};
use std::io::Read;
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
    let target = request.url().to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let method = request.method().clone();
    if !matches!(method, Method::Get | Method::Head) {
        let allow = header("Allow", "GET, HEAD");
        return text(request, 405, "405 Method Not Allowed\n", Some(allow));
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
    let page = state.output.join("404.html");
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
    match File::open(path) {
        Ok(file) => send(
            request,
            Response::from_file(file).with_status_code(status),
            content_type,
        ),
        Err(_) => vanished(request),
    }
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
