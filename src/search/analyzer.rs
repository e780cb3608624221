//! How text becomes search terms, on both sides of the index.
//!
//! A word is a run of alphanumeric characters (tantivy's `SimpleTokenizer` rule), lowercased.
//! Chinese and Japanese have no spaces between words, so a run of their characters becomes
//! overlapping bigrams, which find any word of two or more characters. Other words are stemmed
//! with tantivy's stemmer for the page's language, where it has one.
//!
//! The browser client repeats only the first part (words, lowercase, bigrams) in
//! `themes/default/static/assets/search.js`; the export maps each word form seen in the site to
//! its terms, so the browser never needs a stemmer. Keep the two in step.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use rustc_hash::FxHashMap;

use super::forms::{FormTable, Strings, form_hash};

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream,
    Tokenizer as TantivyTokenizer,
};

/// Words longer than this many characters are not indexed (hashes, base64, minified code).
pub const MAX_WORD_CHARS: usize = 40;

/// The name the analyzer is registered under in the tantivy index.
pub const TOKENIZER_NAME: &str = "folio";

/// Splits text into lowercased words and CJK bigrams.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    tokens: Vec<Token>,
}

/// The tokens of one text, handed out one at a time.
pub struct WordStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TantivyTokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.tokens.clear();
        split_words(text, |surface, from, to| {
            let position = self.tokens.len();
            self.tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: surface.to_string(),
                position_length: 1,
            });
        });
        WordStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// True for the scripts written without spaces, which are indexed as bigrams.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}' // Katakana extensions
        | '\u{3400}'..='\u{4DBF}' // Han extension A
        | '\u{4E00}'..='\u{9FFF}' // Han
        | '\u{F900}'..='\u{FAFF}' // Han compatibility
        | '\u{FF66}'..='\u{FF9F}' // Half-width Katakana
        | '\u{20000}'..='\u{2FA1F}') // Han extensions B and later
}

/// `char::is_alphanumeric`, looked up in a table for the Basic Multilingual Plane: the
/// standard library searches its Unicode tables for every character, and pages in Cyrillic,
/// Greek, Arabic or accented Latin have many.
fn is_alphanumeric(c: char) -> bool {
    static BMP: LazyLock<Box<[u64]>> = LazyLock::new(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for code in 0..0x10000u32 {
            if char::from_u32(code).is_some_and(char::is_alphanumeric) {
                bits[code as usize / 64] |= 1 << (code % 64);
            }
        }
        bits.into_boxed_slice()
    });
    let code = c as usize;
    match BMP.get(code / 64) {
        Some(bits) => bits & (1 << (code % 64)) != 0,
        None => c.is_alphanumeric(),
    }
}

/// Calls `emit(surface, from, to)` for each word of `text`, lowercased, with its byte range.
pub fn split_words(text: &str, mut emit: impl FnMut(&str, usize, usize)) {
    let mut lower = String::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        // Common Han, Hiragana and Katakana letters first: outside ASCII the general test is a
        // slow table search.
        let in_word = c.is_ascii_alphanumeric()
            || matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}')
            || (!c.is_ascii() && is_alphanumeric(c));
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                split_scripts(&text[from..i], from, &mut lower, &mut emit);
                start = None;
            }
            _ => {}
        }
    }
}

/// Splits one alphanumeric run into CJK bigrams and ordinary words; `lower` is scratch space.
fn split_scripts(
    word: &str,
    offset: usize,
    lower: &mut String,
    emit: &mut impl FnMut(&str, usize, usize),
) {
    // Most words are plain lowercase ASCII: emit them as they are, without copying.
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        if word.len() <= MAX_WORD_CHARS {
            emit(word, offset, offset + word.len());
        }
        return;
    }
    let mut rest = word;
    let mut at = offset;
    while let Some(first) = rest.chars().next() {
        let cjk = is_cjk(first);
        let len = rest
            .char_indices()
            .find(|&(_, c)| is_cjk(c) != cjk)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(len);
        if cjk {
            emit_bigrams(run, at, emit);
        } else {
            lower.clear();
            if run.is_ascii() {
                lower.extend(run.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                // str's lowercasing, unlike char's, knows a final Greek sigma.
                lower.push_str(&run.to_lowercase());
            }
            if lower.chars().count() <= MAX_WORD_CHARS {
                emit(lower, at, at + len);
            }
        }
        rest = tail;
        at += len;
    }
}

fn emit_bigrams(run: &str, offset: usize, emit: &mut impl FnMut(&str, usize, usize)) {
    let mut chars = run.char_indices().peekable();
    if run.chars().nth(1).is_none() {
        emit(run, offset, offset + run.len());
        return;
    }
    while let Some((from, _)) = chars.next() {
        let Some(&(next, c)) = chars.peek() else {
            break;
        };
        let to = next + c.len_utf8();
        emit(&run[from..to], offset + from, offset + to);
    }
}

/// tantivy's stemmer for a language tag (`en`, `de-CH`, `pt_BR`), if it has one.
pub fn stemmer_language(tag: &str) -> Option<Language> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Language::Arabic,
        "da" => Language::Danish,
        "nl" => Language::Dutch,
        "en" => Language::English,
        "fi" => Language::Finnish,
        "fr" => Language::French,
        "de" => Language::German,
        "el" => Language::Greek,
        "hu" => Language::Hungarian,
        "it" => Language::Italian,
        "no" | "nb" | "nn" => Language::Norwegian,
        "pt" => Language::Portuguese,
        "ro" => Language::Romanian,
        "ru" => Language::Russian,
        "es" => Language::Spanish,
        "sv" => Language::Swedish,
        "ta" => Language::Tamil,
        "tr" => Language::Turkish,
        _ => return None,
    })
}

/// tantivy's analyzer for text in language `tag`: words, then the language's stemmer. The index
/// registers it for query parsing and snippets; documents arrive already analyzed.
pub fn text_analyzer(tag: &str) -> TextAnalyzer {
    match stemmer_language(tag) {
        Some(language) => TextAnalyzer::builder(WordTokenizer::default())
            .filter(Stemmer::new(language))
            .build(),
        None => TextAnalyzer::from(WordTokenizer::default()),
    }
}

/// Starts and ends the language tag that may open a field's text: `\u{E000}de\u{E000}Text…`.
/// A private-use character, so it never occurs in real text.
pub const LANGUAGE_MARK: char = '\u{E000}';

/// Prefixes `text` with a language mark when its language is not the site's: tantivy has one
/// analyzer per field, and this is how one field holds pages in several languages.
/// Text in the site's language is handed on as it is, not copied.
pub fn mark_language<'a>(text: &'a str, lang: &str, site_language: &str) -> Cow<'a, str> {
    if lang == site_language {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("{LANGUAGE_MARK}{lang}{LANGUAGE_MARK}{text}"))
    }
}

/// Every written form the indexer met, with its terms (one per language it was met in):
/// gathered while tantivy tokenizes the pages, so the text is read once.
pub struct FormRecorder {
    forms: Mutex<FxHashMap<String, Vec<String>>>,
    /// Which forms this recorder has been told about since it was made or last taken from:
    /// the analyzers an indexing thread keeps are reset when it changes (see [`RECORDING`]).
    epoch: AtomicU64,
}

/// The source of [`FormRecorder`] epochs, unique in the process.
static EPOCHS: AtomicU64 = AtomicU64::new(1);

impl Default for FormRecorder {
    fn default() -> Self {
        FormRecorder {
            forms: Mutex::default(),
            epoch: AtomicU64::new(EPOCHS.fetch_add(1, Ordering::Relaxed)),
        }
    }
}

impl FormRecorder {
    /// The forms met, with their terms.
    pub fn take(&self) -> FxHashMap<String, Vec<String>> {
        let mut forms = self.forms.lock().unwrap_or_else(|e| e.into_inner());
        // Forms met from now on are recorded again, as by a fresh tokenizer.
        self.epoch
            .store(EPOCHS.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        std::mem::take(&mut *forms)
    }

    fn record(&self, form: &str, term: &str) {
        let mut forms = self.forms.lock().unwrap_or_else(|e| e.into_inner());
        // Each indexing thread meets most forms: the second finds them here.
        match forms.get_mut(form) {
            Some(terms) if terms.iter().any(|t| t == term) => {}
            Some(terms) => terms.push(term.to_string()),
            None => {
                forms.insert(form.to_string(), vec![term.to_string()]);
            }
        }
    }
}

thread_local! {
    /// The analyzers of the recording tokenizer on this thread, with the recorder epoch they
    /// recorded into. tantivy gives each field of each segment a clone of the tokenizer; with
    /// analyzers of their own, each clone would stem and record every word form again.
    /// A list, not a map: a site has a language or a few, and a text is lent one per field.
    static RECORDING: RefCell<(u64, Vec<(String, Analyzer)>)> = const { RefCell::new((0, Vec::new())) };
}

/// This thread's analyzer for language `lang` and the recorder epoch `epoch`, lent to one
/// [`TermStream`], which gives it back when dropped.
fn lend_analyzer(epoch: u64, lang: &str) -> Analyzer {
    RECORDING.with(|cell| {
        let mut held = cell.borrow_mut();
        if held.0 != epoch {
            *held = (epoch, Vec::new());
        }
        match held.1.iter_mut().find(|(l, _)| l == lang) {
            Some((_, analyzer)) => std::mem::take(analyzer),
            None => Analyzer::new(lang),
        }
    })
}

fn return_analyzer(epoch: u64, lang: &str, analyzer: Analyzer) {
    // During thread teardown the table may be gone: the analyzer is then only dropped.
    let _ = RECORDING.try_with(|cell| {
        let mut held = cell.borrow_mut();
        if held.0 == epoch {
            match held.1.iter_mut().find(|(l, _)| l == lang) {
                Some((_, slot)) => *slot = analyzer,
                None => held.1.push((lang.to_string(), analyzer)),
            }
        }
    });
}

/// The tokenizer registered in the index: the site language's analyzer, or the one a language
/// mark at the start of the text names. While indexing it also records the written forms.
///
/// It is the indexer's hot loop, so it does what [`text_analyzer`] does (and a test holds the
/// two equal) without its costs: a word met before is looked up, not stemmed again, and no
/// token allocates.
#[derive(Clone)]
pub struct MultilingualTokenizer {
    site_language: String,
    analyzers: HashMap<String, Analyzer>,
    recorder: Option<Arc<FormRecorder>>,
    /// The words of the text being tokenized, reused from one text to the next.
    words: Vec<Word>,
}

/// One word of a text: where it is, and its term in the analyzer's table.
#[derive(Clone, Copy)]
struct Word {
    from: usize,
    to: usize,
    term: u32,
}

impl MultilingualTokenizer {
    /// A tokenizer for a site written in `site_language`.
    pub fn new(site_language: &str) -> Self {
        MultilingualTokenizer {
            site_language: site_language.to_string(),
            analyzers: HashMap::new(),
            recorder: None,
            words: Vec::new(),
        }
    }

    /// The same, recording every written form it meets into `recorder`.
    pub fn recording(site_language: &str, recorder: Arc<FormRecorder>) -> Self {
        MultilingualTokenizer {
            recorder: Some(recorder),
            ..MultilingualTokenizer::new(site_language)
        }
    }
}

impl TantivyTokenizer for MultilingualTokenizer {
    type TokenStream<'a> = TermStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermStream<'a> {
        let MultilingualTokenizer {
            site_language,
            analyzers,
            recorder,
            words,
        } = self;
        let (lang, text) = text
            .strip_prefix(LANGUAGE_MARK)
            .and_then(|rest| rest.split_once(LANGUAGE_MARK))
            .unwrap_or((site_language.as_str(), text));
        let mut analyzer = match recorder.as_deref() {
            Some(recorder) => {
                let epoch = recorder.epoch.load(Ordering::Relaxed);
                Held::Lent(lend_analyzer(epoch, lang), epoch, lang)
            }
            None => {
                if !analyzers.contains_key(lang) {
                    analyzers.insert(lang.to_string(), Analyzer::new(lang));
                }
                Held::Own(analyzers.get_mut(lang).expect("inserted above"))
            }
        };
        words.clear();
        let tokens = analyzer.get_mut();
        split_words(text, |surface, from, to| {
            let (term, new) = tokens.term_id(surface);
            if let (true, Some(recorder)) = (new, recorder.as_deref()) {
                recorder.record(surface, tokens.term_text(term));
            }
            words.push(Word { from, to, term });
        });
        TermStream {
            words,
            analyzer,
            next: 0,
            token: Token::default(),
        }
    }
}

/// The analyzer a [`TermStream`] reads its terms from: the tokenizer's own, or, while
/// indexing, the one its thread lent it.
enum Held<'a> {
    Own(&'a mut Analyzer),
    /// Given back to the thread's table when the stream is dropped: with the recorder epoch
    /// and the language it was lent for.
    Lent(Analyzer, u64, &'a str),
}

impl Held<'_> {
    fn get_mut(&mut self) -> &mut Analyzer {
        match self {
            Held::Own(analyzer) => analyzer,
            Held::Lent(analyzer, ..) => analyzer,
        }
    }

    fn get(&self) -> &Analyzer {
        match self {
            Held::Own(analyzer) => analyzer,
            Held::Lent(analyzer, ..) => analyzer,
        }
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        if let Held::Lent(analyzer, epoch, lang) = self {
            return_analyzer(*epoch, lang, std::mem::take(analyzer));
        }
    }
}

/// The terms of one text, handed out one at a time.
pub struct TermStream<'a> {
    words: &'a [Word],
    analyzer: Held<'a>,
    next: usize,
    token: Token,
}

impl TokenStream for TermStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(word) = self.words.get(self.next) else {
            return false;
        };
        self.token.offset_from = word.from;
        self.token.offset_to = word.to;
        self.token.position = self.next;
        self.token.text.clear();
        self.token
            .text
            .push_str(self.analyzer.get().term_text(word.term));
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

thread_local! {
    /// One analyzer per language and thread, kept across pages (and builds, in `folio serve`)
    /// so each thread stems a word form once.
    static ANALYZERS: RefCell<HashMap<String, Analyzer>> = RefCell::new(HashMap::new());
}

/// Runs `f` with this thread's analyzer for language `tag`.
pub fn with_analyzer<R>(tag: &str, f: impl FnOnce(&mut Analyzer) -> R) -> R {
    ANALYZERS.with(|cell| {
        let mut analyzers = cell.borrow_mut();
        let analyzer = analyzers
            .entry(tag.to_string())
            .or_insert_with(|| Analyzer::new(tag));
        f(analyzer)
    })
}

/// Stems the words of one language, remembering stems: most words of a site recur.
#[derive(Clone, Default)]
pub struct Analyzer {
    stemmer: Option<TextAnalyzer>,
    /// English: the plural `s` the stemmer keeps on acronyms (CVEs, PRs) is dropped.
    english: bool,
    /// Every form met, by number: the indexer's hot loop looks each word up here.
    forms: FormTable,
    /// The term of each form, by the form's number.
    terms: Strings,
}

impl Analyzer {
    /// An analyzer for language `tag`.
    pub fn new(tag: &str) -> Analyzer {
        Analyzer {
            english: stemmer_language(tag) == Some(Language::English),
            stemmer: stemmer_language(tag).map(|language| {
                TextAnalyzer::builder(RawTokenizer::default())
                    .filter(Stemmer::new(language))
                    .build()
            }),
            forms: FormTable::default(),
            terms: Strings::default(),
        }
    }

    /// The term indexed for the written form `surface`.
    pub fn term(&mut self, surface: &str) -> String {
        let (id, _) = self.term_id(surface);
        self.term_text(id).to_string()
    }

    /// The number of the term for `surface`, and whether this is the first time it is met.
    fn term_id(&mut self, surface: &str) -> (u32, bool) {
        let hash = form_hash(surface);
        if let Some(id) = self.forms.get(surface, hash) {
            return (id, false);
        }
        let term = self.stem(surface);
        self.terms.push(&term);
        (self.forms.insert(surface, hash), true)
    }

    fn term_text(&self, id: u32) -> &str {
        self.terms.get(id)
    }

    fn stem(&mut self, surface: &str) -> String {
        let Some(stemmer) = &mut self.stemmer else {
            return surface.to_string();
        };
        if surface.chars().next().is_some_and(is_cjk) {
            return surface.to_string();
        }
        let mut stem_of = |word: &str| {
            stemmer
                .token_stream(word)
                .next()
                .map_or_else(|| word.to_string(), |t| t.text.clone())
        };
        let stem = stem_of(surface);
        match self.english && keeps_plural_s(surface, &stem) {
            true => stem_of(&surface[..surface.len() - 1]),
            false => stem,
        }
    }
}

/// Whether the English stemmer kept the `s` of `surface` that makes an acronym plural. Porter2
/// drops a final `s` only after a vowel that is not just before it, so the plurals of acronyms
/// keep it (CVEs, NGOs, CLAs, KPIs, PRs, SDKs, LLMs, GPUs) and "CVE" never found a page saying
/// "CVEs". The `s` goes unless the word ends in `ss` (class, access) or in `us` after a vowel
/// (status, corpus: Porter2 keeps those on purpose). The few English words it also shortens
/// (this, has, yes, plus) are shortened alike in pages and queries, so they still find each
/// other.
fn keeps_plural_s(surface: &str, stem: &str) -> bool {
    let Some(before) = surface.strip_suffix('s') else {
        return false;
    };
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    stem.ends_with('s')
        && before.len() >= 2
        && before.is_ascii()
        && !before.ends_with('s')
        && !(before.ends_with('u') && before[..before.len() - 1].chars().any(vowel))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        split_words(text, |s, _, _| out.push(s.to_string()));
        out
    }

    #[test]
    fn words_are_lowercased_alphanumeric_runs() {
        assert_eq!(
            surfaces("Can I use AGPL-3.0 code?"),
            ["can", "i", "use", "agpl", "3", "0", "code"]
        );
    }

    #[test]
    fn chinese_and_japanese_become_bigrams() {
        assert_eq!(surfaces("开源政策"), ["开源", "源政", "政策"]);
        assert_eq!(surfaces("OSPO的"), ["ospo", "的"]);
        assert_eq!(surfaces("ライセンス"), ["ライ", "イセ", "セン", "ンス"]);
    }

    #[test]
    fn very_long_words_are_skipped() {
        let long = "a".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(surfaces(&format!("x {long} y")), ["x", "y"]);
    }

    /// Each word of `text` as written (lowercased) and its term, as the vocabulary records them.
    fn words_in(lang: &str, text: &str) -> Vec<(String, String)> {
        let mut analyzer = Analyzer::new(lang);
        let mut out = Vec::new();
        split_words(text, |surface, _, _| {
            let term = analyzer.term(surface);
            out.push((surface.to_string(), term));
        });
        out
    }

    #[test]
    fn english_is_stemmed_and_german_by_its_own_rules() {
        let found = words_in("en", "Licensing licenses");
        assert_eq!(found[0].0, "licensing");
        assert_eq!(found[0].1, found[1].1);
        assert_eq!(words_in("de-DE", "Lizenzen")[0].1, "lizenz");
        assert_eq!(words_in("zh", "licenses")[0].1, "licenses");
    }

    #[test]
    fn an_acronym_and_its_plural_are_one_term_in_english() {
        let term = |text: &str| words_in("en", text)[0].1.clone();
        for (plural, singular) in [
            ("CVEs", "CVE"),
            ("NGOs", "NGO"),
            ("CLAs", "CLA"),
            ("KPIs", "KPI"),
            ("PRs", "PR"),
            ("SDKs", "SDK"),
            ("GPUs", "GPU"),
        ] {
            assert_eq!(term(plural), term(singular), "{plural}");
        }
        // Porter2's own rules stand: a double s, and -us after another vowel.
        assert_eq!(term("class"), "class");
        assert_ne!(term("class"), term("CLAs"));
        assert_eq!(term("status"), "status");
        assert_eq!(term("licenses"), term("license"));
        // Other languages keep their stemmer's rules.
        assert_eq!(words_in("de", "PRs")[0].1, "prs");
    }

    #[test]
    fn a_language_mark_selects_the_stemmer() {
        let mut tokenizer = MultilingualTokenizer::new("en");
        let mut terms = |text: &str| {
            let mut stream = tokenizer.token_stream(text);
            let mut out = Vec::new();
            while let Some(token) = stream.next() {
                out.push(token.text.clone());
            }
            out
        };
        assert_eq!(terms("licences"), ["licenc"]);
        assert_eq!(terms(&mark_language("Lizenzen", "de", "en")), ["lizenz"]);
        assert_eq!(mark_language("same", "en", "en"), "same");
    }

    /// Terms and byte ranges of `text` through a tantivy tokenizer.
    fn tokens(tokenizer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.text.clone(), token.offset_from, token.offset_to));
        }
        out
    }

    #[test]
    fn the_query_analyzer_agrees_with_the_document_analyzer() {
        let text = "Contributing to OSS: licences, 开源 policies. ΟΔΟΣ Straße \
                    Licences again, x1y2 İstanbul";
        let expected = tokens(&mut text_analyzer("en"), text);
        let ours: Vec<String> = words_in("en", text).into_iter().map(|w| w.1).collect();
        let terms: Vec<String> = expected.iter().map(|t| t.0.clone()).collect();
        assert_eq!(terms, ours);
        // The indexer's tokenizer, asked twice so that the second pass comes from its table.
        let mut indexer = TextAnalyzer::from(MultilingualTokenizer::new("en"));
        assert_eq!(tokens(&mut indexer, text), expected);
        assert_eq!(tokens(&mut indexer, text), expected);
    }

    #[test]
    fn the_table_of_letters_and_digits_agrees_with_the_standard_library() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn each_recorder_hears_of_every_form_though_the_thread_keeps_its_analyzers() {
        let first = Arc::new(FormRecorder::default());
        let second = Arc::new(FormRecorder::default());
        let mut one = TextAnalyzer::from(MultilingualTokenizer::recording("en", first.clone()));
        let mut other = one.clone();
        tokens(&mut one, "licensing policy");
        tokens(&mut other, "licensing rules");
        assert_eq!(first.take().len(), 3);
        // Taken: the forms met next are recorded again, as a fresh tokenizer would.
        tokens(&mut other, "licensing");
        assert_eq!(first.take().len(), 1);
        let mut another =
            TextAnalyzer::from(MultilingualTokenizer::recording("en", second.clone()));
        tokens(&mut another, "licensing policy");
        assert_eq!(second.take().len(), 2);
    }

    #[test]
    fn the_recording_tokenizer_records_each_form_with_its_terms() {
        let recorder = Arc::new(FormRecorder::default());
        let mut indexer =
            TextAnalyzer::from(MultilingualTokenizer::recording("en", recorder.clone()));
        tokens(&mut indexer, "Licensing licensing licenses");
        tokens(&mut indexer, &mark_language("licensing", "de", "en"));
        let forms = recorder.take();
        assert_eq!(forms.len(), 2, "{forms:?}");
        let mut licensing = forms["licensing"].clone();
        licensing.sort();
        assert_eq!(licensing, ["licens", "licensing"]);
    }
}
