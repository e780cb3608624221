/*
 * Folio search: runs in the browser against the static export in /_search/, no server needed.
 *
 * It ranks exactly as tantivy does on the server side (BM25, k1 = 1.2, b = 0.75, tantivy's
 * one-byte field norms, per-field boosts, the title's part times the square of the share of
 * the query's words the title holds, float32 arithmetic, times the share of the query's words a
 * document matches), groups the results by page as src/search/ranking.rs does, and
 * fetches only what a query needs: the vocabulary shard of each word, further postings of a frequent word only while
 * they could still change the top results, and the data of the results shown.
 *
 * The word rules mirror src/search/analyzer.rs, the expansion and stop word rules
 * src/search/query.rs;
 * the file formats are described in src/search/export/mod.rs. Every string from the index is
 * inserted with textContent, never as HTML.
 *
 * Every file of the export but entry.json is named by its content, and reached only through the
 * names written in the files before it (entry → meta → shards → postings, meta → page data),
 * so the files of one query always come from one build even where a browser or CDN caches them.
 * entry.json is revalidated on each query; when a new build has replaced the one in use (a new
 * build id, or a file of the old build gone with 404), the client opens the new build and runs
 * the query again.
 */
(function () {
  "use strict";

  var f32 = Math.fround;
  var K1 = f32(1.2);
  var B = f32(0.75);
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var CJK = /[\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{2FA1F}]/u;
  var MAX_WORD_CHARS = 40;
  /* Words of a query past this many are ignored, as `folio search` does (MAX_QUERY_WORDS in
     src/search/query.rs): each word costs lookups, and a pasted page would take seconds. */
  var MAX_QUERY_WORDS = 32;
  /* The export format this client reads (FORMAT in src/search/export/mod.rs). */
  var FORMAT = 3;
  /* Times a query is run again on a newer build before giving up. */
  var MAX_RERUNS = 3;
  /* More documents of a page listed beneath its best (MAX_SECTIONS in src/search/ranking.rs). */
  var MAX_SECTIONS = 3;

  /* ---------- words: the same rules as the indexer ---------- */

  /**
   * The lowercased words and CJK bigrams of `text`, each with its [start, end) in `text`; with
   * `limit`, the first `limit` of them (a long query stops being read there).
   */
  function words(text, limit) {
    var out = [];
    WORD.lastIndex = 0;
    var match;
    while ((match = WORD.exec(text))) {
      if (out.length >= limit) return out.slice(0, limit);
      var chars = Array.from(match[0]);
      var at = match.index;
      var i = 0;
      while (i < chars.length) {
        var cjk = CJK.test(chars[i]);
        var j = i;
        while (j < chars.length && CJK.test(chars[j]) === cjk) j++;
        var run = chars.slice(i, j);
        var runLength = run.join("").length;
        if (cjk) {
          if (run.length === 1) out.push([run[0], at, at + runLength]);
          var offset = at;
          for (var n = 0; n + 1 < run.length && !(out.length >= limit); n++) {
            var pair = run[n] + run[n + 1];
            out.push([pair, offset, offset + pair.length]);
            offset += run[n].length;
          }
        } else {
          var lower = run.join("").toLowerCase();
          if (Array.from(lower).length <= MAX_WORD_CHARS) out.push([lower, at, at + runLength]);
        }
        at += runLength;
        i = j;
      }
    }
    return out;
  }

  /**
   * `word` without its final `s` (three letters or more), or with one added (two or more), as
   * `other_number` in src/search/query.rs.
   */
  function otherNumber(word) {
    var length = Array.from(word).length;
    if (word.endsWith("s")) return length >= 3 ? word.slice(0, -1) : null;
    return length >= 2 ? word + "s" : null;
  }

  /** True when one insertion, deletion, substitution or swap of neighbours turns a into b. */
  function oneEditApart(a, b) {
    a = Array.from(a);
    b = Array.from(b);
    var common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    var ra = a.slice(common), rb = b.slice(common);
    var same = function (x, y) { return x.join("\u0000") === y.join("\u0000"); };
    if (ra.length === rb.length) {
      if (ra.length === 0) return false;
      return same(ra.slice(1), rb.slice(1)) ||
        (ra.length >= 2 && ra[0] === rb[1] && ra[1] === rb[0] && same(ra.slice(2), rb.slice(2)));
    }
    if (ra.length === rb.length + 1) return same(ra.slice(1), rb);
    if (ra.length + 1 === rb.length) return same(ra, rb.slice(1));
    return false;
  }

  /** Compares by code point, which is the byte order of UTF-8 that the index sorts by. */
  function compare(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return i < a.length ? 1 : j < b.length ? -1 : 0;
  }

  function shortestFirst(forms, limit) {
    forms.sort(function (x, y) {
      var lx = Array.from(x.surface).length, ly = Array.from(y.surface).length;
      return lx !== ly ? lx - ly : compare(x.surface, y.surface);
    });
    return forms.slice(0, limit);
  }

  /* ---------- binary reading ---------- */

  function Reader(bytes) { this.b = bytes; this.i = 0; }
  Reader.prototype.u8 = function () { return this.b[this.i++]; };
  Reader.prototype.varint = function () {
    var value = 0, scale = 1, byte;
    do {
      byte = this.b[this.i++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  };
  /** 8 bytes as 16 hex digits: a content hash, as in a file name. */
  Reader.prototype.hash = function () {
    var out = "";
    for (var k = 0; k < 8; k++) { var b = this.b[this.i++]; out += (b < 16 ? "0" : "") + b.toString(16); }
    return out;
  };
  var decoder = new TextDecoder();
  Reader.prototype.string = function () {
    var n = this.varint();
    var s = decoder.decode(this.b.subarray(this.i, this.i + n));
    this.i += n;
    return s;
  };

  function hex(text) {
    return Array.from(new TextEncoder().encode(text), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  /** A group header: which fields, and the term frequency and norm code in each. */
  function readHeader(r) {
    var mask = r.u8(), fields = [];
    for (var f = 0; f < 4; f++) {
      if (mask & (1 << f)) fields.push([f, r.varint(), r.u8()]);
    }
    return fields;
  }

  function readChunk(r) {
    var groups = [], count = r.varint();
    for (var g = 0; g < count; g++) {
      var header = readHeader(r), n = r.varint(), docs = new Array(n), doc = 0;
      for (var d = 0; d < n; d++) { doc += r.varint(); docs[d] = doc; }
      groups.push({ header: header, docs: docs });
    }
    return groups;
  }

  /* ---------- the engine ---------- */

  /**
   * Opens the export at `base` (a URL ending in `/`). `fetcher(url, init)` may be given to count
   * or stub downloads; it must resolve to an ArrayBuffer, and reject with an error whose
   * `status` is 404 for a missing file.
   */
  function Engine(base, fetcher) {
    this.base = base;
    this.fetcher = fetcher || function (url, init) {
      return fetch(url, init).then(function (response) {
        if (!response.ok) {
          var error = new Error(url + ": " + response.status);
          error.status = response.status;
          throw error;
        }
        return response.arrayBuffer();
      });
    };
    // Files named by their content: what one holds never changes, whichever build names it.
    this.files = new Map();
    this.bytes = 0;
    // The entry of the build in use, and how many times a newer build replaced it.
    this.entry = null;
    this.reloads = 0;
    this.generation = 0;
    this.meta = null;
    this.metaPromise = null;
    this.startsPromise = null;
    this.parsed = new Map();
    this.loadedForms = [];
  }

  /** entry.json, revalidated with the host on every fetch (never taken from a cache unasked). */
  /**
   * With `fresh`, past every cache: a query string of its own, which a CDN that still holds the
   * old entry after a deploy has never seen.
   */
  Engine.prototype.fetchEntry = function (fresh) {
    var self = this;
    if (!this.entryPromise || fresh) {
      var url = this.base + "entry.json" + (fresh ? "?fresh=" + Date.now() : "");
      var promise = this.entryPromise = this.fetcher(url, { cache: "no-cache" })
        .then(function (buffer) {
          self.bytes += buffer.byteLength;
          var entry = JSON.parse(decoder.decode(new Uint8Array(buffer)));
          if (entry.format !== FORMAT) throw new Error("search index format " + entry.format + " is not supported");
          return entry;
        });
      var done = function () { if (self.entryPromise === promise) self.entryPromise = null; };
      promise.then(done, done);
    }
    return this.entryPromise;
  };

  /** Gzip undone; bytes that are not gzip (a host may have undone it already) as they are. */
  function gunzip(bytes) {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  /** Runs `fetch` for `key` once (again after a failure), keeping its promise. */
  Engine.prototype.once = function (key, fetch) {
    var self = this;
    if (!this.files.has(key)) {
      var promise = fetch();
      this.files.set(key, promise);
      promise.catch(function () { if (self.files.get(key) === promise) self.files.delete(key); });
    }
    return this.files.get(key);
  };

  /** Fetches and unzips one file of the export. */
  Engine.prototype.load = function (path) {
    var self = this;
    return this.once(path, function () {
      return self.fetcher(self.base + path).then(function (buffer) {
        self.bytes += buffer.byteLength;
        return gunzip(new Uint8Array(buffer));
      });
    });
  };

  /**
   * Bytes [start, end) of a pack (`p/`, `d/`), with an HTTP range request. A server that
   * ignores the range sends the whole file: it is kept, and every later part comes from it.
   */
  Engine.prototype.loadRange = function (path, start, end) {
    var self = this;
    var whole = this.files.get(path);
    if (whole) return whole.then(function (bytes) { return bytes.subarray(start, end); });
    return this.once(path + "#" + start + "-" + end, function () {
      var init = { headers: { Range: "bytes=" + start + "-" + (end - 1) } };
      return self.fetcher(self.base + path, init).then(function (buffer) {
        self.bytes += buffer.byteLength;
        var bytes = new Uint8Array(buffer);
        if (bytes.length === end - start) return bytes;
        if (bytes.length < end) throw new Error(path + ": " + bytes.length + " bytes, not " + end);
        if (!self.files.has(path)) self.files.set(path, Promise.resolve(bytes));
        return bytes.subarray(start, end);
      });
    });
  };

  Engine.prototype.loadJson = function (path) {
    return this.load(path).then(function (bytes) { return JSON.parse(decoder.decode(bytes)); });
  };

  /** The meta of the build in use, once loaded (the entry first, on the first call). */
  Engine.prototype.ready = function () {
    var self = this;
    if (!this.metaPromise) {
      var promise = this.metaPromise = this.fetchEntry().then(function (entry) { return self.openEntry(entry); });
      promise.catch(function () { if (self.metaPromise === promise) self.metaPromise = null; });
    }
    return this.metaPromise;
  };

  /** Switches to the build `entry` names: what came from the previous build's meta is dropped. */
  Engine.prototype.open = function (entry) {
    this.generation++;
    this.reloads++;
    this.meta = null;
    this.startsPromise = null;
    this.parsed = new Map();
    this.loadedForms = [];
    var self = this, promise = this.metaPromise = this.openEntry(entry);
    promise.catch(function () { if (self.metaPromise === promise) self.metaPromise = null; });
  };

  Engine.prototype.openEntry = function (entry) {
    var self = this, generation = this.generation;
    return this.loadJson(entry.meta).then(function (meta) {
      if (meta.format !== FORMAT) throw new Error("search index format " + meta.format + " is not supported");
      if (self.generation !== generation) return self.ready();
      self.entry = entry;
      self.meta = meta;
      self.stopWords = new Set(meta.stop_words || []);
      var n = f32(meta.docs);
      self.fields = meta.fields.map(function (field) {
        var average = f32(f32(field[2]) / n);
        var cache = meta.norms.map(function (norm) {
          return f32(K1 * f32(f32(f32(1) - B) + f32(f32(B * f32(norm)) / average)));
        });
        return { name: field[0], boost: f32(field[1]), cache: cache };
      });
      return meta;
    });
  };

  /**
   * Runs `work` (a query: a function returning a promise) on one build. The entry is revalidated
   * alongside; when it names a newer build, or a file of the build in use is gone (404: a deploy
   * replaced it), the newer build is opened and the query run again, so results never mix builds.
   */
  Engine.prototype.consistent = function (work, reruns) {
    var self = this, generation = this.generation;
    reruns = reruns || 0;
    var check = this.entry && !reruns ? this.fetchEntry() : null;
    if (check) check.catch(function () {});
    function again() {
      if (reruns >= MAX_RERUNS) throw new Error("the search index changed while searching: try again");
      return self.consistent(work, reruns + 1);
    }
    return work().then(function (result) {
      if (self.generation !== generation) return again();
      if (!check) return result;
      return check.then(function (entry) {
        if (self.generation !== generation) return again();
        if (entry.build === self.entry.build) return result;
        self.open(entry);
        return again();
      }, function () { return result; });
    }, function (error) {
      if (self.generation !== generation) return again();
      if (error.status !== 404 && error.status !== 410) throw error;
      // A file of the build in use is gone. The entry a cache revalidated may still be the old
      // one (a CDN keeps it minutes after a deploy): ask past the caches.
      return self.fetchEntry(true).then(function (entry) {
        if (self.generation !== generation) return again();
        if (self.entry && entry.build === self.entry.build) throw error;
        self.open(entry);
        return again();
      });
    });
  };

  /** The shard whose run of forms would hold `word`: the last whose first key is not after it. */
  Engine.prototype.shardFor = function (word) {
    var keys = this.meta.shards, lo = 0, hi = keys.length;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (compare(keys[mid], word) <= 0) lo = mid; else hi = mid;
    }
    return lo;
  };

  Engine.prototype.shard = function (n) {
    var meta = this.meta, self = this;
    var path = "s/" + n + "." + meta.shard_groups[Math.floor(n / meta.shard_group)] + ".bin";
    return this.load(path).then(function (bytes) {
      // Parsed once per build: a term's weight depends on the build's document count.
      if (self.parsed.has(path)) return self.parsed.get(path);
      var r = new Reader(bytes), terms = [], count = r.varint();
      for (var t = 0; t < count; t++) terms.push(self.readTerm(r));
      var forms = [], n = r.varint();
      for (var f = 0; f < n; f++) {
        var surface = r.string(), k = r.varint(), ids = [];
        for (var i = 0; i < k; i++) ids.push(terms[r.varint()]);
        forms.push({ surface: surface, terms: ids });
      }
      self.parsed.set(path, forms);
      self.loadedForms = self.loadedForms.concat(forms);
      return forms;
    });
  };

  Engine.prototype.readTerm = function (r) {
    var term = { text: r.string(), mask: r.u8(), weights: [] };
    for (var f = 0; f < 4; f++) {
      if (!(term.mask & (1 << f))) continue;
      var df = r.varint();
      // tantivy: idf = ln(1 + (N - n + 0.5) / (n + 0.5)), weight = idf * (1 + k1)
      var x = f32(f32(f32(this.meta.docs - df) + 0.5) / f32(f32(df) + 0.5));
      var idf = f32(Math.log(f32(1 + x)));
      term.weights[f] = f32(idf * f32(1 + K1));
    }
    var chunks = r.varint();
    term.chunks = chunks;
    term.first = chunks > 0 ? readChunk(r) : [];
    // Each further chunk: the best score in it (a group header), and where it is.
    term.next = [];
    term.refs = [];
    for (var c = 1; c < chunks; c++) {
      term.next.push(readHeader(r));
      var pack = r.varint(), offset = r.varint(), length = r.varint();
      term.refs.push({ path: "p/" + pack + "." + r.hash() + ".bin", start: offset, end: offset + length });
    }
    return term;
  };

  /** A document's score for one term, from a group header: BM25 per field, times its boost. */
  Engine.prototype.groupScore = function (term, header) {
    var total = f32(0);
    for (var i = 0; i < header.length; i++) {
      var f = header[i][0], tf = f32(header[i][1]), field = this.fields[f];
      var tfFactor = f32(tf / f32(tf + field.cache[header[i][2]]));
      var score = f32(term.weights[f] * tfFactor);
      total = f32(total + f32(score * field.boost));
    }
    return total;
  };

  /**
   * A document's score for one term split as src/search/ranking.rs splits it: [the title
   * field's, every other field's], each BM25 times the field's boost.
   */
  Engine.prototype.groupParts = function (term, header) {
    var title = f32(0), rest = f32(0);
    for (var i = 0; i < header.length; i++) {
      var f = header[i][0], tf = f32(header[i][1]), field = this.fields[f];
      var tfFactor = f32(tf / f32(tf + field.cache[header[i][2]]));
      var score = f32(f32(term.weights[f] * tfFactor) * field.boost);
      if (f === 0) title = f32(title + score);
      else rest = f32(rest + score);
    }
    return [title, rest];
  };

  /** The written forms starting with `prefix`: they lie in consecutive shards. */
  Engine.prototype.formsStartingWith = function (prefix) {
    var first = this.shardFor(prefix), last = this.shardFor(prefix + "\u{10FFFF}"), wanted = [];
    for (var n = first; n <= last; n++) wanted.push(this.shard(n));
    return Promise.all(wanted).then(function (shards) {
      var out = [];
      shards.forEach(function (forms) {
        forms.forEach(function (form) { if (form.surface.startsWith(prefix)) out.push(form); });
      });
      return out;
    });
  };

  /** The written form `word` itself, if the site uses it. */
  Engine.prototype.formsEqualTo = function (word) {
    return this.shard(this.shardFor(word)).then(function (forms) {
      return forms.filter(function (form) { return form.surface === word; });
    });
  };

  /** The forms one typed word stands for: itself, or the forms it begins, or a typo's fix. */
  Engine.prototype.wordForms = function (word, asPrefix) {
    var meta = this.meta, self = this, length = Array.from(word).length;
    var direct = asPrefix && length >= meta.min_prefix
      ? this.formsStartingWith(word).then(function (forms) { return shortestFirst(forms, meta.expansions); })
      : this.formsEqualTo(word);
    return direct.then(function (forms) {
      if (forms.length) return forms;
      if (length < meta.min_typo) {
        // A short word no page writes may be the singular or plural of one a page does.
        var other = otherNumber(word);
        return other ? self.formsEqualTo(other) : forms;
      }
      var shared = Array.from(word).slice(0, meta.typo_shared).join("");
      return self.formsStartingWith(shared).then(function (candidates) {
        return shortestFirst(candidates.filter(function (form) {
          return oneEditApart(form.surface, word);
        }), meta.expansions);
      });
    });
  };

  /**
   * Where a query's words hold a synonym phrase (`screen reader`), as
   * `Compiled::phrase_matches` in src/search/synonyms.rs finds them: each word of the phrase is
   * the query's word as written, or one of the terms of that word's form. Each match as
   * {start, length, terms}: its first word, its number of words and its group's term (none when
   * the export does not have it). One-word synonyms need nothing here: the vocabulary gives their
   * forms the group's term.
   */
  Engine.prototype.phrases = function (typed) {
    var self = this, phrases = this.meta.synonyms || [], found = [];
    if (!phrases.length || typed.length < 2) return Promise.resolve([]);
    return Promise.all(typed.map(function (word) { return self.formsEqualTo(word); })).then(function (exact) {
      phrases.forEach(function (phrase) {
        var n = phrase.words.length;
        for (var i = 0; i + n <= typed.length; i++) {
          var here = phrase.words.every(function (word, j) {
            return typed[i + j] === word[0] || exact[i + j].some(function (form) {
              return form.terms.some(function (term) { return term.text === word[1]; });
            });
          });
          if (here) found.push({ start: i, length: n, term: phrase.term });
        }
      });
      // Each group's term is a form of its own, which no typed word can reach.
      return Promise.all(found.map(function (match) { return self.formsEqualTo(match.term); }));
    }).then(function (lists) {
      return found.map(function (match, n) {
        match.terms = [].concat.apply([], lists[n].map(function (form) { return form.terms; }));
        return match;
      }).filter(function (match) { return match.terms.length; });
    });
  };

  /**
   * The terms of a query, the distinct words they come from (each a list of indexes into
   * `terms`) and the forms that led to them. Question and function words (the meta's
   * `stop_words`) are left out unless the query has no other words; a word that stands for no
   * term, or for the same terms as an earlier word, is not a word of its own (`words` in
   * src/search/query.rs). A synonym phrase's group term joins the words it covers, or is a word
   * of its own when it covers none (`attach_phrases` in src/search/synonyms.rs).
   */
  Engine.prototype.analyze = function (query, prefix) {
    var self = this, typed;
    return this.ready().then(function () {
      var all = words(query, MAX_QUERY_WORDS).slice(0, MAX_QUERY_WORDS).map(function (w, i, list) {
        return { word: w[0], prefix: prefix && i === list.length - 1, at: i };
      });
      typed = all;
      if (typed.some(function (t) { return !self.stopWords.has(t.word); })) {
        typed = typed.filter(function (t) { return !self.stopWords.has(t.word); });
      }
      return Promise.all([
        Promise.all(typed.map(function (t) { return self.wordForms(t.word, t.prefix); })),
        self.phrases(all.map(function (t) { return t.word; })),
      ]);
    }).then(function (loaded) {
      var lists = [], wordOf = [], keyed = new Map(), forms = new Set();
      loaded[0].forEach(function (list, n) {
        var own = [];
        var texts = new Set();
        list.forEach(function (form) {
          form.terms.forEach(function (term) {
            if (!texts.has(term.text)) { texts.add(term.text); own.push(term); }
          });
        });
        var key = own.map(function (term) { return term.text; }).sort().join("\u0000");
        if (!own.length) return;
        if (keyed.has(key)) { wordOf[typed[n].at] = keyed.get(key); return; }
        keyed.set(key, lists.length);
        wordOf[typed[n].at] = lists.length;
        list.forEach(function (form) { forms.add(form.surface); });
        lists.push(own);
      });
      loaded[1].forEach(function (match) {
        var covered = [];
        for (var i = match.start; i < match.start + match.length; i++) {
          if (wordOf[i] !== undefined && covered.indexOf(wordOf[i]) < 0) covered.push(wordOf[i]);
        }
        var term = match.terms[0];
        if (!covered.length) {
          if (!lists.some(function (l) { return l.length === 1 && l[0].text === term.text; })) lists.push([term]);
          return;
        }
        covered.forEach(function (w) {
          if (!lists[w].some(function (t) { return t.text === term.text; })) lists[w].push(term);
        });
      });
      var terms = [], index = new Map();
      var groups = lists.map(function (own) {
        return own.map(function (term) {
          if (!index.has(term.text)) { index.set(term.text, terms.length); terms.push(term); }
          return index.get(term.text);
        });
      });
      // Snippets mark every written form of a matched term that a loaded shard knows:
      // "licence" also marks "licences".
      self.loadedForms.forEach(function (form) {
        if (form.terms.some(function (term) { return index.has(term.text); })) forms.add(form.surface);
      });
      return { terms: terms, groups: groups, forms: forms };
    });
  };

  /** For each page, the ord of its first document (and one past the end). */
  Engine.prototype.pageStarts = function () {
    var self = this;
    if (!this.startsPromise) {
      var promise = this.startsPromise = this.load("m/pages." + this.meta.page_table + ".bin").then(function (bytes) {
        var r = new Reader(bytes), starts = [0];
        while (r.i < bytes.length) starts.push(starts[starts.length - 1] + r.varint());
        return starts;
      });
      promise.catch(function () { if (self.startsPromise === promise) self.startsPromise = null; });
    }
    return this.startsPromise;
  };

  function pageOf(starts, doc) {
    var lo = 0, hi = starts.length - 1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= doc) lo = mid; else hi = mid;
    }
    return lo;
  }

  /** The set of pages allowed by the kind and tag filters, or null for all. */
  Engine.prototype.allowedPages = function (options) {
    var self = this, wanted = [];
    /* The file of a kind or tag the meta lists; none (no pages) for one it does not. */
    function filter(prefix, name, known) {
      var found = known.filter(function (entry) { return entry[0] === name; })[0];
      wanted.push(found ? "f/" + prefix + "-" + hex(name) + "." + found[2] + ".bin" : null);
    }
    if (options.kind) filter("k", options.kind, this.meta.kinds);
    if (options.tag) filter("t", options.tag, this.meta.tags);
    if (!wanted.length) return Promise.resolve(null);
    return Promise.all(wanted.map(function (path) {
      if (!path) return new Set();
      return self.load(path).then(function (bytes) {
        var r = new Reader(bytes), set = new Set(), page = 0;
        while (r.i < bytes.length) { page += r.varint(); set.add(page); }
        return set;
      });
    })).then(function (sets) {
      return sets.reduce(function (a, b) {
        return new Set(Array.from(a).filter(function (x) { return b.has(x); }));
      });
    });
  };

  /**
   * The best `k` pages for `query`, as [{page, docs: [{doc, score, words, exact}]}], best
   * first: tantivy's ranking, grouped as src/search/ranking.rs groups it. A page's first
   * document is its best; up to MAX_SECTIONS more follow, those ranked before the best document
   * of the last page. Further postings are fetched only while they could change the listing,
   * so a score is tantivy's exactly when `exact`, and otherwise a lower bound of it.
   */
  Engine.prototype.rank = function (query, options) {
    var self = this;
    return this.consistent(function () { return self.rankOnce(query, options); });
  };

  Engine.prototype.rankOnce = function (query, options) {
    options = options || {};
    var k = options.k || 10, self = this;
    return this.analyze(query, !!options.prefix).then(function (analyzed) {
      return Promise.all([self.allowedPages(options), self.pageStarts()]).then(function (loaded) {
        return self.topK(analyzed, k, loaded[0], loaded[1]).then(function (top) {
          top.forms = analyzed.forms;
          return top;
        });
      });
    });
  };

  /** The share of the query's `n` words that `m` are: tantivy's coordination, in float32. */
  function coordination(m, n) { return n ? f32(f32(m) / f32(n)) : f32(1); }

  /** What a title's score counts for when it holds `m` of the query's `n` words (title_share). */
  function titleShare(m, n) {
    if (!n) return f32(1);
    var share = f32(f32(m) / f32(n));
    return f32(share * share);
  }

  Engine.prototype.topK = function (analyzed, k, allowed, starts) {
    var self = this, docs = new Map(), terms = analyzed.terms, groups = analyzed.groups;
    var n = groups.length;
    var lists = terms.map(function (term, i) { return { term: term, index: i, loaded: 1 }; });
    var keep = allowed ? function (doc) { return allowed.has(pageOf(starts, doc)); } : null;
    var EPSILON = 1 + 1e-6; // float32 sums may differ in the last bit: stay on the safe side

    function take(list, chunk) {
      chunk.forEach(function (group) {
        var parts = self.groupParts(list.term, group.header);
        var inTitle = group.header.some(function (h) { return h[0] === 0; });
        group.docs.forEach(function (doc) {
          if (keep && !keep(doc)) return;
          var entry = docs.get(doc);
          if (!entry) {
            entry = { doc: doc, title: f32(0), rest: f32(0), seen: new Set(), inTitle: new Set() };
            docs.set(doc, entry);
          }
          entry.title = f32(entry.title + parts[0]);
          entry.rest = f32(entry.rest + parts[1]);
          entry.seen.add(list.index);
          if (inTitle) entry.inTitle.add(list.index);
          entry.dirty = true;
        });
      });
    }
    /** The best score a document can still get from the unread part of a list. */
    function bound(list) {
      var next = list.loaded - 1;
      return next < list.term.next.length ? self.groupScore(list.term, list.term.next[next]) : 0;
    }
    lists.forEach(function (list) { take(list, list.term.first); });

    /** How many words a document matches: at least (`open` null), or at most. */
    function matched(entry, open) {
      return groups.filter(function (group) {
        return group.some(function (i) { return entry.seen.has(i) || (open && open[i] > 0); });
      }).length;
    }

    /** The pages listed when no unread posting can change them or their order, else null. */
    function settled(bounds) {
      var unseen = bounds.reduce(function (a, b) { return a + b; }, 0);
      var ranked = Array.from(docs.values());
      ranked.forEach(function (e) {
        if (!e.dirty) return; // nothing read since its score was computed
        e.dirty = false;
        e.words = matched(e, null);
        var titleWords = groups.filter(function (group) {
          return group.some(function (i) { return e.inTitle.has(i); });
        }).length;
        e.bm25 = f32(e.rest + f32(e.title * titleShare(titleWords, n)));
        e.score = f32(e.bm25 * coordination(e.words, n));
      });
      ranked.sort(byScore);
      // The listing ends with the best document of the k-th page.
      var pages = new Set(), cut = ranked.length;
      for (var c = 0; c < ranked.length; c++) {
        pages.add(pageOf(starts, ranked[c].doc));
        if (pages.size === k) { cut = c + 1; break; }
      }
      var top = ranked.slice(0, cut);
      if (unseen === 0) return top.map(function (e) { e.exact = true; return e; });
      if (pages.size < k) return null;
      var openWords = matched({ seen: new Set() }, bounds);
      var upper = ranked.map(function (e) {
        // The title's share can still grow, by the words of lists not read for it yet.
        var titleAtMost = groups.filter(function (group) {
          return group.some(function (i) { return e.inTitle.has(i) || (bounds[i] > 0 && !e.seen.has(i)); });
        }).length;
        var u = e.rest + e.title * titleShare(titleAtMost, n) + unseen;
        e.seen.forEach(function (i) { u -= bounds[i]; });
        // A score is final when no unread list can add to it; otherwise the order is settled
        // but the score is only a lower bound, and fetching more postings would not change it.
        e.exact = bounds.every(function (b, i) { return b === 0 || e.seen.has(i); });
        return u * coordination(matched(e, bounds), n) * EPSILON;
      });
      var unseenDocs = unseen * coordination(openWords, n) * EPSILON;
      // Best upper bound among the documents ranked after each position, and unseen documents.
      var after = new Array(ranked.length + 1);
      after[ranked.length] = unseenDocs;
      for (var j = ranked.length - 1; j >= 0; j--) after[j] = Math.max(after[j + 1], upper[j]);
      for (var i = 0; i < top.length; i++) {
        var a = top[i];
        if (a.score > after[i + 1]) continue;
        // Equal scores are ordered by document, which needs both scores to be final.
        if (!(a.score > unseenDocs) || !a.exact) return null;
        for (var m = i + 1; m < ranked.length; m++) {
          var b = ranked[m];
          if (a.score > upper[m]) continue;
          if (!(b.exact && (a.score > b.score || (a.score === b.score && a.doc < b.doc)))) return null;
        }
      }
      return top;
    }

    /** The listed documents grouped by page, at most 1 + MAX_SECTIONS each. */
    function grouped(top) {
      var out = [], at = new Map();
      top.forEach(function (e) {
        var page = pageOf(starts, e.doc);
        if (!at.has(page)) { at.set(page, out.length); out.push({ page: page, docs: [] }); }
        var listed = out[at.get(page)].docs;
        if (listed.length <= MAX_SECTIONS) {
          listed.push({ doc: e.doc, score: e.score, words: e.words, exact: e.exact });
        }
      });
      return out;
    }

    function step() {
      var bounds = lists.map(bound);
      var top = settled(bounds);
      if (top) return Promise.resolve(grouped(top));
      // Read on in the lists that can still matter most, a few at a time.
      var open = lists.filter(function (list, i) { return bounds[i] > 0; })
        .sort(function (a, b) { return bounds[b.index] - bounds[a.index]; })
        .slice(0, 4);
      return Promise.all(open.map(function (list) {
        var at = list.term.refs[list.loaded - 1];
        list.loaded++;
        return self.loadRange(at.path, at.start, at.end).then(gunzip).then(function (bytes) {
          return [list, readChunk(new Reader(bytes))];
        });
      })).then(function (chunks) {
        chunks.forEach(function (chunk) { take(chunk[0], chunk[1]); });
        return step();
      });
    }
    return step();
  };

  function byScore(a, b) { return b.score - a.score || a.doc - b.doc; }

  /**
   * What a result shows of page `page` and its sections, from its `d/` pack: the pack's table
   * of offsets first (one range), then the page's own gzip member (another).
   */
  Engine.prototype.pageData = function (page) {
    var meta = this.meta, self = this;
    var pack = Math.floor(page / meta.data_pages);
    var path = "d/" + pack + "." + meta.data_groups[Math.floor(pack / meta.data_group)] + ".bin";
    var count = Math.min(meta.data_pages, meta.pages - pack * meta.data_pages);
    return this.loadRange(path, 0, 4 * (count + 1)).then(function (table) {
      var view = new DataView(table.buffer, table.byteOffset, table.byteLength);
      var i = page - pack * meta.data_pages;
      return self.loadRange(path, view.getUint32(4 * i), view.getUint32(4 * i + 4));
    }).then(gunzip).then(function (bytes) { return JSON.parse(decoder.decode(bytes)); });
  };

  /** Title, URL, breadcrumb, kind and snippet text of ranked documents. */
  Engine.prototype.describe = function (ranked) {
    var self = this;
    return this.pageStarts().then(function (starts) {
      return Promise.all(ranked.map(function (hit) {
        var page = pageOf(starts, hit.doc);
        return self.pageData(page).then(function (data) {
          var n = hit.doc - starts[page] - 1;
          var result = {
            doc: hit.doc, page: page, score: hit.score, kind: data.k, tags: data.g,
            breadcrumb: data.b, url: data.u, title: data.t, text: data.x, pageTitle: null,
          };
          if (n >= 0 && data.s[n]) {
            result.url = data.u + "#" + data.s[n][0];
            result.pageTitle = data.t;
            result.title = data.s[n][1];
            result.text = data.s[n][2];
          }
          return result;
        });
      }));
    });
  };

  /**
   * Search: the best pages, each its best document described, with up to MAX_SECTIONS more of
   * its matching documents in `sections`.
   */
  Engine.prototype.search = function (query, options) {
    var self = this;
    return this.consistent(function () { return self.searchOnce(query, options); });
  };

  Engine.prototype.searchOnce = function (query, options) {
    var self = this;
    options = options || {};
    var limit = options.limit || 8;
    return this.rankOnce(query, { prefix: options.prefix, kind: options.kind, tag: options.tag, k: limit })
      .then(function (pages) {
        var docs = [];
        pages.forEach(function (page) { docs = docs.concat(page.docs); });
        return self.describe(docs).then(function (described) {
          described.forEach(function (result, i) {
            result.words = docs[i].words;
            result.snippet = snippet(result.text, pages.forms);
          });
          var at = 0;
          return pages.map(function (page) {
            var best = described[at];
            best.sections = described.slice(at + 1, at + page.docs.length);
            at += page.docs.length;
            return best;
          });
        });
      });
  };

  /** Cuts `text` around the first match: [[text, isMatch], ...]. */
  function snippet(text, forms) {
    text = text || "";
    var found = words(text).filter(function (w) { return forms.has(w[0]); });
    var start = 0;
    if (found.length && found[0][1] > 90) {
      start = text.lastIndexOf(" ", found[0][1] - 40) + 1;
    }
    var parts = [], at = start;
    if (start > 0) parts.push(["…", false]);
    found.forEach(function (w) {
      if (w[1] < at) return;
      if (w[1] > at) parts.push([text.slice(at, w[1]), false]);
      parts.push([text.slice(w[1], w[2]), true]);
      at = w[2];
    });
    parts.push([text.slice(at), false]);
    return parts;
  }

  /* ---------- the user interface ---------- */

  var KIND_LABELS = { policy: "Policy", playbook: "Playbook", faq: "FAQ", page: "Page", section: "Section", glossary: "Glossary" };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fillSnippet(node, parts) {
    parts.forEach(function (part) {
      node.appendChild(part[1] ? el("mark", "", part[0]) : document.createTextNode(part[0]));
    });
  }

  /**
   * One page's entry: its best match as the option the arrow keys select, then links to up to
   * three more of its matching sections, each with its snippet.
   */
  function renderResult(result, id) {
    var entry = el("div", "search-group");
    entry.setAttribute("role", "presentation");
    var link = el("a", "search-result");
    link.href = result.url;
    link.id = id;
    link.setAttribute("role", "option");
    var top = el("span", "search-result-top");
    top.appendChild(el("span", "kind-badge kind-" + result.kind, KIND_LABELS[result.kind] || result.kind));
    top.appendChild(el("span", "search-result-title", result.title));
    link.appendChild(top);
    var crumbs = result.breadcrumb.slice();
    if (result.pageTitle) crumbs.push(result.pageTitle);
    if (crumbs.length) link.appendChild(el("span", "search-result-crumbs", crumbs.join(" › ")));
    var text = el("span", "search-result-snippet");
    fillSnippet(text, result.snippet);
    link.appendChild(text);
    entry.appendChild(link);
    if (result.sections && result.sections.length) {
      var sections = el("div", "search-sections");
      result.sections.forEach(function (section) {
        var item = el("a", "search-section");
        item.href = section.url;
        item.appendChild(el("span", "search-section-title", section.title));
        var snippetText = el("span", "search-section-snippet");
        fillSnippet(snippetText, section.snippet);
        item.appendChild(snippetText);
        sections.appendChild(item);
      });
      entry.appendChild(sections);
    }
    return entry;
  }

  /** Wires a search box: as-you-type results, filters and keyboard navigation. */
  function attach(engine, form, options) {
    var input = form.querySelector("input[type=search]");
    var panel = options.panel;
    var kindSelect = form.querySelector("select[name=kind]");
    var tagSelect = form.querySelector("select[name=tag]");
    var list = el("div", "search-results");
    list.id = (options.idPrefix || "search") + "-listbox";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    var status = el("p", "search-status");
    status.setAttribute("aria-live", "polite");
    panel.appendChild(status);
    panel.appendChild(list);
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    var active = -1, sequence = 0, timer = 0;

    function options_() {
      return {
        prefix: options.prefix,
        kind: kindSelect && kindSelect.value || "",
        tag: tagSelect && tagSelect.value || "",
        limit: options.limit,
      };
    }

    function fillFilters() {
      engine.ready().then(function (meta) {
        if (kindSelect && kindSelect.options.length <= 1) {
          meta.kinds.forEach(function (kind) {
            kindSelect.appendChild(new Option((KIND_LABELS[kind[0]] || kind[0]) + " (" + kind[1] + ")", kind[0]));
          });
        }
        if (tagSelect && tagSelect.options.length <= 1) {
          meta.tags.forEach(function (tag) { tagSelect.appendChild(new Option(tag[0] + " (" + tag[1] + ")", tag[0])); });
          if (!meta.tags.length) tagSelect.hidden = true;
        }
        if (options.onReady) options.onReady();
      }, function () { status.textContent = "Search is unavailable: the index could not be loaded."; });
    }

    function setActive(index) {
      var items = list.querySelectorAll(".search-result");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function run() {
      var query = input.value.trim();
      var mine = ++sequence;
      if (options.onQuery) options.onQuery(query, options_());
      if (!query) {
        list.textContent = "";
        status.textContent = "";
        panel.hidden = !options.alwaysOpen;
        return;
      }
      var started = performance.now();
      engine.search(query, options_()).then(function (results) {
        if (mine !== sequence) return;
        list.textContent = "";
        active = -1;
        input.removeAttribute("aria-activedescendant");
        results.forEach(function (result, i) { list.appendChild(renderResult(result, list.id + "-" + i)); });
        status.textContent = results.length
          ? results.length + (results.length === 1 ? " result" : " results")
          : "No results for “" + query + "”";
        panel.hidden = false;
        panel.dataset.ms = String(Math.round(performance.now() - started));
        if (options.onResults) options.onResults(results);
      }, function (error) {
        if (mine !== sequence) return;
        status.textContent = "Search failed: " + error.message;
        panel.hidden = false;
      });
    }

    function schedule() { clearTimeout(timer); timer = setTimeout(run, 40); }

    input.addEventListener("focus", fillFilters);
    input.addEventListener("input", schedule);
    if (kindSelect) kindSelect.addEventListener("change", run);
    if (tagSelect) tagSelect.addEventListener("change", run);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); setActive(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); setActive(active - 1); }
      else if (event.key === "Escape") {
        if (!options.alwaysOpen) panel.hidden = true;
        input.blur();
      } else if (event.key === "Enter") {
        var items = list.querySelectorAll(".search-result");
        if (items.length && !options.submitOnEnter) {
          event.preventDefault();
          window.location.href = items[active >= 0 ? active : 0].href;
        }
      }
    });
    // Esc from a result reached with Tab closes the panel too, and puts the focus back in the
    // box: left on a hidden link, it would drop to the top of the page.
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !options.alwaysOpen) {
        panel.hidden = true;
        input.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!options.alwaysOpen && !form.contains(event.target) && !panel.contains(event.target)) panel.hidden = true;
    });
    return { run: run, fill: fillFilters, input: input };
  }

  function start() {
    var script = document.querySelector("script[data-search-index]");
    if (!script) return;
    var engine = new Engine(script.getAttribute("data-search-index"));
    window.FolioSearch.engine = engine;

    var form = document.querySelector(".site-search");
    if (form) {
      var panel = el("div", "search-panel");
      panel.hidden = true;
      form.appendChild(panel);
      attach(engine, form, { panel: panel, prefix: true, limit: 8, idPrefix: "header-search" });
      document.addEventListener("keydown", function (event) {
        var target = event.target;
        var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
        if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
          event.preventDefault();
          form.querySelector("input[type=search]").focus();
        }
      });
    }

    var page = document.querySelector(".search-page form");
    if (page) {
      var results = document.querySelector(".search-page .search-page-results");
      var params = new URLSearchParams(window.location.search);
      var wired = attach(engine, page, {
        panel: results, prefix: false, limit: 20, alwaysOpen: true, submitOnEnter: true, idPrefix: "page-search",
        onQuery: function (query, opts) {
          var next = new URLSearchParams();
          if (query) next.set("q", query);
          if (opts.kind) next.set("kind", opts.kind);
          if (opts.tag) next.set("tag", opts.tag);
          var search = next.toString();
          history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
        },
        // Runs each time the box gets focus: apply the URL's filters only the first time, or
        // focusing the box would undo a filter the reader has changed since.
        onReady: function () {
          if (wired.started) return;
          wired.started = true;
          var kind = page.querySelector("select[name=kind]"), tag = page.querySelector("select[name=tag]");
          if (kind && params.get("kind")) kind.value = params.get("kind");
          if (tag && params.get("tag")) tag.value = params.get("tag");
          wired.run();
        },
      });
      wired.input.value = params.get("q") || "";
      wired.fill();
    }
  }

  window.FolioSearch = { Engine: Engine, words: words, oneEditApart: oneEditApart };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
