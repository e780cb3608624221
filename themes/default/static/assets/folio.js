/*
 * Folio default theme: small enhancements on top of pages that work without JS.
 *
 * - colour theme toggle (stored in localStorage as 'folio-theme' = 'light' | 'dark';
 *   the inline script in <head> applies it before the first paint)
 * - the Menu button that shows the sidebar on narrow screens
 * - fills in the sidebar from the language version's navigation file (`data-nav` on the
 *   sidebar): the rest of each open level, and a button on each section that opens it in place
 * - keeps the current page visible in a long sidebar
 * - "Copy" buttons on code blocks, keyboard-scrollable code blocks and tables
 * - highlights the table-of-contents entry of the section being read
 * - opens the FAQ hub's <details> named by the URL's #fragment, on load and on hashchange
 * - sortable index tables (`table[data-sortable]`): a button in each column heading sorts
 *   by that column and toggles the direction; without JS the headings stay plain text
 * - the licence table's filter (text and category) with a live count of the rows shown
 * - Escape hides an open [[term]] tooltip (WCAG 1.4.13), until the pointer or focus leaves
 * - tab sets (`=== "Tab"` in Markdown) become ARIA tabs; without JS every panel shows under its label
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var STORAGE_KEY = "folio-theme";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function storedTheme() {
    try {
      var value = localStorage.getItem(STORAGE_KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch (e) {
      return null; // storage disabled: follow the system
    }
  }

  function effectiveTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") return chosen;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  // ---------------------------------------------------------------- theme toggle

  function initThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;

    function sync() {
      button.setAttribute("aria-pressed", effectiveTheme() === "dark" ? "true" : "false");
      button.title = effectiveTheme() === "dark" ? "Switch to light mode" : "Switch to dark mode";
    }

    button.addEventListener("click", function () {
      var next = effectiveTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch (e) {
        /* the choice then lasts for this page only */
      }
      sync();
    });

    // Following the system: keep the button's state right when the system changes.
    if (darkQuery) {
      var onChange = function () {
        if (!storedTheme()) sync();
      };
      if (darkQuery.addEventListener) darkQuery.addEventListener("change", onChange);
      else if (darkQuery.addListener) darkQuery.addListener(onChange);
    }

    // Another tab changed the choice.
    window.addEventListener("storage", function (event) {
      if (event.key !== STORAGE_KEY) return;
      var value = storedTheme();
      if (value) root.setAttribute("data-theme", value);
      else root.removeAttribute("data-theme");
      sync();
    });

    sync();
  }

  // ---------------------------------------------------------------- menu (narrow screens)

  function initMenu() {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (!button || !nav) return;

    function setOpen(open, returnFocus) {
      nav.classList.toggle("is-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open && returnFocus) button.focus();
    }

    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      // Disclosure pattern: focus stays on the button; the sidebar follows it in tab order.
      setOpen(open, false);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false, true);
      }
    });
  }

  // ---------------------------------------------------------------- sidebar tree

  // A page's HTML holds the top level of the sidebar, the path down to the page and the list
  // the page is in; the whole tree is in the navigation file the sidebar names (`data-nav`:
  // `[title, url]` for a page, `[title, url, [children]]` for a section, a URL without a
  // leading `/` being relative to its section's). Once it arrives the sidebar is built from it:
  // the same sections open, each level whole, and a button beside each section that opens or
  // closes it in place, its list built when first opened. Without the file (offline, an old
  // browser, a failed request) the sidebar stays as the HTML has it.
  function initNavTree(done) {
    var nav = document.getElementById("site-nav");
    var src = nav && nav.getAttribute("data-nav");
    var list = nav && nav.querySelector(".nav-level-1");
    if (!src || !list || !window.fetch) {
      done();
      return;
    }
    fetch(src)
      .then(function (response) {
        if (!response.ok) throw new Error("navigation file: HTTP " + response.status);
        return response.json();
      })
      .then(function (tree) {
        if (!Array.isArray(tree)) throw new Error("navigation file: not a list");
        replaceNavList(nav, list, tree);
      })
      .catch(function () {
        /* the sidebar of the HTML stays */
      })
      .then(done);
  }

  function replaceNavList(nav, list, tree) {
    var open = {};
    var openLinks = nav.querySelectorAll("li.is-open > a");
    for (var i = 0; i < openLinks.length; i++) open[openLinks[i].getAttribute("href")] = true;
    var current = nav.querySelector('a[aria-current="page"]');
    var currentUrl = current ? current.getAttribute("href") : null;
    var focused = nav.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;

    function build(items, parentUrl, level) {
      var ul = document.createElement("ul");
      ul.className = "nav-level-" + level;
      for (var i = 0; i < items.length; i++) ul.appendChild(entry(items[i], parentUrl, level));
      return ul;
    }

    function entry(item, parentUrl, level) {
      var title = String(item[0]);
      var url = String(item[1]);
      if (url.charAt(0) !== "/" && !/^[a-z][a-z0-9+.-]*:/i.test(url)) url = parentUrl + url;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.setAttribute("href", url);
      a.textContent = title;
      li.appendChild(a);
      if (url === currentUrl) a.setAttribute("aria-current", "page");
      if (Array.isArray(item[2])) {
        li.classList.add("nav-section");
        var children = item[2];
        var button = document.createElement("button");
        button.type = "button";
        button.className = "nav-toggle";
        button.setAttribute("aria-label", title);
        button.setAttribute("aria-expanded", "false");
        li.appendChild(button);
        var sub = null;
        var setOpen = function (show) {
          if (show && !sub) {
            sub = build(children, url, level + 1);
            li.appendChild(sub);
          }
          li.classList.toggle("is-open", show);
          button.setAttribute("aria-expanded", show ? "true" : "false");
        };
        button.addEventListener("click", function () {
          setOpen(button.getAttribute("aria-expanded") !== "true");
        });
        if (open[url]) setOpen(true);
      }
      return li;
    }

    var fresh = build(tree, "", 1);
    list.parentNode.replaceChild(fresh, list);
    if (focused) {
      var links = fresh.querySelectorAll("a");
      for (var j = 0; j < links.length; j++) {
        if (links[j].getAttribute("href") === focused) {
          links[j].focus();
          break;
        }
      }
    }
  }

  // ---------------------------------------------------------------- sidebar position

  // On wide screens the sidebar scrolls on its own; start it where the current page is.
  function revealCurrentNavItem() {
    var nav = document.getElementById("site-nav");
    var current = nav && nav.querySelector('[aria-current="page"]');
    if (!current || nav.scrollHeight <= nav.clientHeight) return;
    var navBox = nav.getBoundingClientRect();
    var itemBox = current.getBoundingClientRect();
    if (itemBox.bottom > navBox.bottom || itemBox.top < navBox.top) {
      nav.scrollTop += itemBox.top - navBox.top - nav.clientHeight / 3;
    }
  }

  // ---------------------------------------------------------------- code blocks, tables

  function initScrollables() {
    // A box that scrolls sideways must be reachable with the keyboard to be scrolled.
    var boxes = document.querySelectorAll(".prose pre, .prose .table-wrap, .table-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    }
  }

  // A link to itself beside each heading of the page's text, for copying a section's address.
  // Added here rather than written into every page: on a large handbook it was over a kilobyte
  // a page. Without JavaScript the heading keeps its id and the table of contents links to it.
  function initHeadingAnchors() {
    var headings = document.querySelectorAll(
      ".prose :is(h1, h2, h3, h4, h5, h6)[id]"
    );
    for (var i = 0; i < headings.length; i++) {
      var heading = headings[i];
      if (heading.querySelector("a.anchor")) continue;
      var link = document.createElement("a");
      link.className = "anchor";
      link.setAttribute("href", "#" + heading.id);
      link.setAttribute("aria-label", "Link to this section");
      link.textContent = "#";
      heading.appendChild(document.createTextNode(" "));
      heading.appendChild(link);
    }
  }

  function initCopyButtons() {
    // The Clipboard API only exists in secure contexts (https, localhost).
    if (!navigator.clipboard || !window.isSecureContext) return;
    var blocks = document.querySelectorAll(".prose pre.code");
    for (var i = 0; i < blocks.length; i++) {
      addCopyButton(blocks[i]);
    }
  }

  function addCopyButton(pre) {
    var wrapper = document.createElement("div");
    wrapper.className = "code-block";
    pre.parentNode.insertBefore(wrapper, pre);
    wrapper.appendChild(pre);

    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    wrapper.appendChild(button);

    var timer = null;
    button.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      navigator.clipboard.writeText(code.innerText.replace(/\n$/, "")).then(
        function () { flash("Copied"); },
        function () { flash("Copy failed"); }
      );
    });

    function flash(text) {
      button.textContent = text;
      button.classList.add("is-done");
      clearTimeout(timer);
      timer = setTimeout(function () {
        button.textContent = "Copy";
        button.classList.remove("is-done");
      }, 2000);
    }
  }

  // ---------------------------------------------------------------- table of contents

  function initTocHighlight() {
    var links = document.querySelectorAll(".toc a[href^='#']");
    if (!links.length || !("IntersectionObserver" in window)) return;

    var byId = {};
    var headings = [];
    for (var i = 0; i < links.length; i++) {
      var id = decodeURIComponent(links[i].getAttribute("href").slice(1));
      var heading = document.getElementById(id);
      if (heading) {
        byId[id] = links[i];
        headings.push(heading);
      }
    }
    var visible = {};

    function update() {
      // The current section is the first heading on screen, or else the last one above it.
      var current = null;
      for (var i = 0; i < headings.length; i++) {
        if (visible[headings[i].id]) { current = headings[i]; break; }
        if (headings[i].getBoundingClientRect().top < 0) current = headings[i];
      }
      for (var id in byId) {
        var active = current && current.id === id;
        byId[id].classList.toggle("is-current", !!active);
      }
    }

    var observer = new IntersectionObserver(function (entries) {
      for (var i = 0; i < entries.length; i++) {
        visible[entries[i].target.id] = entries[i].isIntersecting;
      }
      update();
    }, { rootMargin: "-56px 0px -40% 0px" });
    for (var j = 0; j < headings.length; j++) observer.observe(headings[j]);
  }

  // ---------------------------------------------------------------- FAQ hub deep links

  function openFaqFromHash() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (e) {
      return; // a malformed fragment names nothing
    }
    if (!id) return;
    var target = document.getElementById(id);
    if (!target || target.tagName !== "DETAILS") return;
    target.open = true;
    target.scrollIntoView();
  }

  function initFaqHub() {
    if (!document.querySelector("details.faq-item")) return;
    openFaqFromHash();
    window.addEventListener("hashchange", openFaqFromHash);
  }

  // ---------------------------------------------------------------- sortable tables

  // A cell's sort value: its `data-sort` when it has one ("" means no value), else its text.
  function sortValue(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    return value.trim();
  }

  // Compares two non-empty values of a column. Dates are YYYY-MM-DD, so their text order is
  // chronological; numbers (the status's place in the lifecycle) compare as numbers.
  function compareValues(a, b, type) {
    if (type === "number") return parseFloat(a) - parseFloat(b);
    if (type === "date") return a < b ? -1 : a > b ? 1 : 0;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortTable(table, th, announce) {
    var headers = table.tHead.rows[0].cells;
    var column = th.cellIndex;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var type = th.getAttribute("data-sort-type") || "text";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var a = sortValue(x, column);
      var b = sortValue(y, column);
      // Rows without a value go last whichever the direction; ties keep their order.
      if (!a || !b) return (a ? 0 : 1) - (b ? 0 : 1);
      var order = compareValues(a, b, type);
      return ascending ? order : -order;
    });
    for (var i = 0; i < rows.length; i++) body.appendChild(rows[i]);
    for (var j = 0; j < headers.length; j++) headers[j].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    announce.textContent = "Sorted by " + th.textContent.trim() + ", " +
      (ascending ? "ascending" : "descending") + ".";
  }

  function initSortableTables() {
    var tables = document.querySelectorAll("table[data-sortable]");
    for (var i = 0; i < tables.length; i++) makeSortable(tables[i]);
  }

  // Moves each heading's text into a button, so that the headings are plain text without JS.
  function makeSortable(table) {
    if (!table.tHead || !table.tBodies[0]) return;
    var announce = document.createElement("p");
    announce.className = "visually-hidden";
    announce.setAttribute("aria-live", "polite");
    table.parentNode.insertBefore(announce, table);
    var headers = table.tHead.rows[0].cells;
    for (var i = 0; i < headers.length; i++) {
      var th = headers[i];
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      var arrow = document.createElement("span");
      arrow.className = "sort-arrow";
      arrow.setAttribute("aria-hidden", "true");
      button.appendChild(arrow);
      th.appendChild(button);
      // A button already answers Enter and Space with a click.
      button.addEventListener("click", sortTable.bind(null, table, th, announce));
    }
    table.classList.add("is-sortable");
  }

  // ---------------------------------------------------------------- licence table filter

  function initLicenseFilter() {
    var section = document.querySelector(".license-table");
    var form = section && section.querySelector(".license-filter");
    if (!form) return;
    var text = form.querySelector(".license-filter-text");
    var category = form.querySelector(".license-filter-category");
    var count = section.querySelector(".license-count");
    var rows = section.querySelectorAll("tbody tr");
    var total = rows.length;

    function apply() {
      var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var wanted = category.value;
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        // The id, name and notes columns; the category has its own control.
        var haystack = (row.cells[0].textContent + " " + row.cells[1].textContent + " " +
          row.cells[3].textContent).toLowerCase();
        var match = (!wanted || row.getAttribute("data-category") === wanted) &&
          words.every(function (w) { return haystack.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) shown++;
      }
      count.textContent = shown === total ? total + " licences" : shown + " of " + total + " licences";
    }

    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    text.addEventListener("input", apply);
    category.addEventListener("change", apply);
    apply();
  }

  // ---------------------------------------------------------------- term tooltips

  function initTermTooltips() {
    if (!document.querySelector(".term-tip")) return;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = document.querySelectorAll(".term:hover, .term:focus-within");
      for (var i = 0; i < open.length; i++) open[i].classList.add("is-dismissed");
    });
    function reset(event) {
      var term = event.target.closest && event.target.closest(".term");
      if (term) term.classList.remove("is-dismissed");
    }
    document.addEventListener("mouseout", reset);
    document.addEventListener("focusout", reset);
  }

  // ---------------------------------------------------------------- tabs

  // A tab set (`.tabs`) is written as its panels one after another, each under its label as a
  // heading: that is how it reads without JS, and in print. Here it becomes the ARIA tabs
  // pattern: a tablist of buttons above the panels, one panel shown, the arrow keys (and Home
  // and End) moving between tabs and showing theirs, Tab moving on into the panel. Hidden panels
  // are `hidden="until-found"` where the browser has it, so that find-in-page still reaches
  // their text and shows their tab; a link to something in a hidden panel shows it too.
  var tabIds = 0;

  function uniqueId(prefix) {
    var id;
    do {
      id = prefix + "-" + ++tabIds;
    } while (document.getElementById(id));
    return id;
  }

  function initTabs() {
    var sets = document.querySelectorAll(".tabs");
    if (!sets.length) return;
    var untilFound = "onbeforematch" in document.body;
    for (var i = 0; i < sets.length; i++) makeTabs(sets[i], untilFound);
    showTabOfTarget();
    window.addEventListener("hashchange", showTabOfTarget);
  }

  function makeTabs(set, untilFound) {
    var panels = [];
    for (var child = set.firstElementChild; child; child = child.nextElementSibling) {
      if (child.classList.contains("tab-panel")) panels.push(child);
    }
    if (!panels.length) return;
    var list = document.createElement("div");
    list.className = "tab-list";
    list.setAttribute("role", "tablist");
    var tabs = panels.map(function (panel, index) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = uniqueId("folio-tab");
      tab.setAttribute("role", "tab");
      if (!panel.id) panel.id = uniqueId("folio-tab-panel");
      tab.setAttribute("aria-controls", panel.id);
      // The label's content (it may hold <code> or <em>) becomes the tab's.
      var label = panel.querySelector(".tab-label");
      for (var node = label && label.firstChild; node; node = node.nextSibling) {
        tab.appendChild(node.cloneNode(true));
      }
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      tab.addEventListener("click", function () { select(index, false); });
      // Find-in-page found text in this hidden panel: show its tab.
      panel.addEventListener("beforematch", function () { select(index, false); });
      list.appendChild(tab);
      return tab;
    });

    function select(index, focus) {
      for (var i = 0; i < tabs.length; i++) {
        var selected = i === index;
        tabs[i].setAttribute("aria-selected", selected ? "true" : "false");
        tabs[i].tabIndex = selected ? 0 : -1;
        // An `until-found` panel keeps a box, which Tab would otherwise stop on.
        panels[i].tabIndex = selected ? 0 : -1;
        if (selected) panels[i].removeAttribute("hidden");
        else panels[i].setAttribute("hidden", untilFound ? "until-found" : "");
      }
      if (focus) tabs[index].focus();
    }

    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      if (current < 0) return;
      // Right is next in left-to-right text, previous in right-to-left text.
      var forward = getComputedStyle(list).direction === "rtl" ? -1 : 1;
      var next;
      if (event.key === "ArrowRight") next = current + forward;
      else if (event.key === "ArrowLeft") next = current - forward;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = tabs.length - 1;
      else return;
      event.preventDefault();
      select((next + tabs.length) % tabs.length, true);
    });

    set.insertBefore(list, set.firstChild);
    set.classList.add("is-tabbed");
    var first = 0;
    for (var i = 0; i < panels.length; i++) {
      if (panels[i].hasAttribute("data-selected")) {
        first = i;
        break;
      }
    }
    select(first, false);
  }

  // Shows the tabs (outermost first) of the panels that hold the URL's #fragment, and scrolls
  // to it: panels were hidden after the browser had scrolled.
  function showTabOfTarget() {
    var id = location.hash.slice(1);
    if (!id) return;
    var target = null;
    try {
      target = document.getElementById(decodeURIComponent(id));
    } catch (e) {
      return; // a malformed escape names no element
    }
    if (!target) return;
    var hidden = [];
    for (var node = target; node; node = node.parentElement) {
      if (node.getAttribute("role") === "tabpanel" && node.hasAttribute("hidden")) hidden.unshift(node);
    }
    if (!hidden.length) return;
    hidden.forEach(function (panel) {
      document.getElementById(panel.getAttribute("aria-labelledby")).click();
    });
    target.scrollIntoView();
  }

  function init() {
    initThemeToggle();
    initMenu();
    revealCurrentNavItem();
    initNavTree(revealCurrentNavItem);
    initScrollables();
    initHeadingAnchors();
    initCopyButtons();
    initTocHighlight();
    initFaqHub();
    initSortableTables();
    initLicenseFilter();
    initTermTooltips();
    initTabs();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
