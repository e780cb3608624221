// Folio's live reload. `folio serve` injects this script into the HTML it serves; `folio build`
// output never carries it. It listens for Server-Sent Events from the dev server:
//   hello        on (re)connect: the current build; a page from another build reloads
//   reload       a rebuild succeeded: reload, keeping the scroll position
//   css          only stylesheets changed: swap them in place, no reload
//   build-error  the last edit broke the build: show its errors over the (last good) page
// Error text is only ever put into the page with textContent, never parsed as HTML.
(function () {
  "use strict";
  var build = document.currentScript.getAttribute("data-folio-build");
  var scrollKey = "folio-serve-scroll:" + location.pathname;
  var overlayId = "folio-error-overlay";

  restoreScroll();
  var source = new EventSource("/_folio/events");
  source.addEventListener("hello", function (event) {
    if (JSON.parse(event.data).build !== build) reload();
  });
  source.addEventListener("reload", reload);
  source.addEventListener("css", function (event) {
    build = JSON.parse(event.data).build;
    hideOverlay();
    swapStylesheets();
  });
  source.addEventListener("build-error", function (event) {
    showOverlay(JSON.parse(event.data));
  });

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([scrollX, scrollY]));
      // Ours is the position to restore: the browser's own restoring would come after it.
      history.scrollRestoration = "manual";
    } catch (e) {
      // Storage may be disabled; the reload still happens, at the top.
    }
    location.reload();
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (e) {
      return;
    }
    if (!saved) return;
    var position = JSON.parse(saved);
    // Instantly: the theme scrolls smoothly, and an author should not watch the page slide.
    var apply = function () {
      scrollTo({ left: position[0], top: position[1], behavior: "instant" });
    };
    // The script runs at the end of <body>, after the stylesheets: the layout is known now.
    // Scroll again once images have loaded, as they may change the page's height.
    apply();
    addEventListener("load", apply);
    if (document.fonts) document.fonts.ready.then(apply);
  }

  function swapStylesheets() {
    var stamp = String(Date.now());
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("folio-reload", stamp);
      var fresh = link.cloneNode();
      fresh.href = url.href;
      // Remove the old sheet only once the new one applies, so the page never flashes unstyled.
      fresh.onload = fresh.onerror = function () { link.remove(); };
      link.after(fresh);
    });
  }

  function element(tag, text, css) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (css) node.style.cssText = css;
    return node;
  }

  function hideOverlay() {
    var old = document.getElementById(overlayId);
    if (old) old.remove();
  }

  function showOverlay(data) {
    hideOverlay();
    var box = element("div", undefined,
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.94);color:#f4f4f5;font:15px/1.5 system-ui,sans-serif");
    box.id = overlayId;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build failed");
    var close = element("button", "Hide", "float:right;font:inherit;padding:.25rem .75rem");
    close.type = "button";
    close.addEventListener("click", hideOverlay);
    box.append(close, element("h2", "The site did not build", "margin:0 0 .5rem;color:#fca5a5"));
    box.append(element("p", "These pages are from the last good build. Fix the errors and save: " +
      "the page reloads by itself.", "margin:0 0 1rem"));
    var list = element("ul", undefined, "padding-left:1.25rem");
    data.errors.forEach(function (error) {
      var item = element("li", undefined, "margin-bottom:.5rem");
      if (error.location) {
        item.append(element("code", error.location, "color:#93c5fd"), " ");
      }
      item.append(element("span", error.message));
      if (error.help) item.append(element("div", "help: " + error.help, "color:#a1a1aa"));
      list.append(item);
    });
    box.append(list, element("pre", data.text,
      "white-space:pre-wrap;background:#000;padding:1rem;border-radius:4px;font:13px/1.4 monospace"));
    document.body.append(box);
  }
})();
