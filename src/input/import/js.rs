//! Reading the settings of a JavaScript config file (Eleventy's `.eleventy.js`, Docusaurus'
//! `docusaurus.config.js`) without running it.
//!
//! Folio runs no JavaScript, so it reads only what is written as a literal: `title: 'OSPO'`,
//! `dir: { input: "content" }`, `locales: ['en', 'fr']`. A value computed when the file runs
//! (`pathPrefix: process.env.BASE || '/'`, a variable, a function) is reported as such, for the
//! importer to say it was not read. Comments, strings, template literals and regular
//! expressions are skipped whole, so that nothing inside them is taken for a setting.

/// A value as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JsValue {
    /// A string literal (or a template literal without `${…}`).
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// A number literal.
    Number(f64),
    /// An array whose items are all literals.
    List(Vec<JsValue>),
    /// An object literal: the tokens between its braces (indexes into [`Script::tokens`]).
    Object(usize, usize),
    /// Anything computed: the source text of the expression, shortened.
    Expr(String),
}

/// One `name: value` of an object literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Property {
    /// The key, unquoted.
    pub(crate) name: String,
    /// How many brackets (`{`, `[`, `(`) are open where it is written.
    pub(crate) depth: usize,
    /// The index of its key in the token list.
    pub(crate) token: usize,
    /// The value.
    pub(crate) value: JsValue,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    /// A template literal with `${…}` in it.
    Template,
    Number(f64),
    Punct(char),
    /// A regular expression literal.
    Regex,
}

/// A tokenized JavaScript file.
pub(crate) struct Script {
    /// The tokens, with the byte offset each starts at.
    tokens: Vec<(Token, usize)>,
    text: String,
}

impl Script {
    /// Tokenizes `text`. Never fails: what it cannot tell apart becomes punctuation.
    pub(crate) fn new(text: &str) -> Script {
        Script {
            tokens: tokenize(text),
            text: text.to_string(),
        }
    }

    /// Every `name: value` written in an object literal, in order.
    pub(crate) fn properties(&self) -> Vec<Property> {
        let mut properties = Vec::new();
        let mut depth = 0usize;
        for (i, (token, _)) in self.tokens.iter().enumerate() {
            match token {
                Token::Punct('{' | '[' | '(') => depth += 1,
                Token::Punct('}' | ']' | ')') => depth = depth.saturating_sub(1),
                Token::Ident(name) | Token::Str(name) => {
                    let after_open =
                        i > 0 && matches!(self.tokens[i - 1].0, Token::Punct('{' | ','));
                    let colon = matches!(self.tokens.get(i + 1), Some((Token::Punct(':'), _)));
                    if after_open && colon {
                        properties.push(Property {
                            name: name.clone(),
                            depth,
                            token: i,
                            value: self.value_at(i + 2),
                        });
                    }
                }
                _ => {}
            }
        }
        properties
    }

    /// The shallowest property called `name` (the first of those at that depth): the site's
    /// own `title` rather than the navbar's.
    pub(crate) fn shallowest(&self, name: &str) -> Option<Property> {
        let properties = self.properties();
        let min = properties
            .iter()
            .filter(|p| p.name == name)
            .map(|p| p.depth)
            .min()?;
        properties
            .into_iter()
            .find(|p| p.name == name && p.depth == min)
    }

    /// The property `name` written directly in the object `value` (an [`JsValue::Object`]).
    pub(crate) fn member(&self, object: &JsValue, name: &str) -> Option<Property> {
        let JsValue::Object(start, end) = *object else {
            return None;
        };
        let inner = self.depth_at(start) + 1;
        self.properties()
            .into_iter()
            .find(|p| p.name == name && p.token > start && p.token < end && p.depth == inner)
    }

    /// The string literal passed to a call of `method` (`setInputDirectory("content")`): the
    /// literal, or the expression when it is computed.
    pub(crate) fn call_argument(&self, method: &str) -> Option<JsValue> {
        self.tokens.iter().enumerate().find_map(|(i, (token, _))| {
            let is_call = matches!(token, Token::Ident(name) if name == method)
                && matches!(self.tokens.get(i + 1), Some((Token::Punct('('), _)));
            is_call.then(|| self.value_at(i + 2))
        })
    }

    /// The first argument of every call to `method` (`addPassthroughCopy("assets")`), with the
    /// index of the method's token, in order.
    pub(crate) fn call_arguments(&self, method: &str) -> Vec<(JsValue, usize)> {
        (0..self.tokens.len())
            .filter(|&i| {
                matches!(&self.tokens[i].0, Token::Ident(name) if name == method)
                    && matches!(self.tokens.get(i + 1), Some((Token::Punct('('), _)))
            })
            .map(|i| (self.value_at(i + 2), i))
            .collect()
    }

    /// The line (1-based) of token `index`, for notes.
    pub(crate) fn line_of(&self, index: usize) -> usize {
        let offset = self.tokens.get(index).map_or(0, |(_, o)| *o);
        self.text[..offset].matches('\n').count() + 1
    }

    /// How many brackets are open just before token `index`.
    fn depth_at(&self, index: usize) -> usize {
        let mut depth = 0usize;
        for (token, _) in &self.tokens[..index] {
            match token {
                Token::Punct('{' | '[' | '(') => depth += 1,
                Token::Punct('}' | ']' | ')') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        depth
    }

    /// The value that starts at token `start`: a literal when the token after it ends the
    /// value, else the expression's text.
    fn value_at(&self, start: usize) -> JsValue {
        let ends_value = |i: usize| {
            matches!(
                self.tokens.get(i),
                None | Some((Token::Punct(',' | '}' | ']' | ')' | ';'), _))
            )
        };
        match self.tokens.get(start) {
            Some((Token::Str(s), _)) if ends_value(start + 1) => return JsValue::Str(s.clone()),
            Some((Token::Number(n), _)) if ends_value(start + 1) => return JsValue::Number(*n),
            Some((Token::Ident(word), _))
                if ends_value(start + 1) && (word == "true" || word == "false") =>
            {
                return JsValue::Bool(word == "true");
            }
            Some((Token::Punct('{'), _)) => {
                if let Some(end) = self.closing(start)
                    && ends_value(end + 1)
                {
                    return JsValue::Object(start, end);
                }
            }
            Some((Token::Punct('['), _)) => {
                if let Some(list) = self.literal_list(start) {
                    return list;
                }
            }
            _ => {}
        }
        JsValue::Expr(self.expression_text(start))
    }

    /// `[ 'a', "b" ]` with literal items only.
    fn literal_list(&self, start: usize) -> Option<JsValue> {
        let end = self.closing(start)?;
        let mut items = Vec::new();
        let mut i = start + 1;
        while i < end {
            match &self.tokens[i].0 {
                Token::Str(s) => items.push(JsValue::Str(s.clone())),
                Token::Number(n) => items.push(JsValue::Number(*n)),
                _ => return None,
            }
            match &self.tokens[i + 1].0 {
                Token::Punct(',') => i += 2,
                _ if i + 1 == end => i += 1,
                _ => return None,
            }
        }
        Some(JsValue::List(items))
    }

    /// The index of the bracket closing the one at `open`.
    fn closing(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (i, (token, _)) in self.tokens.iter().enumerate().skip(open) {
            match token {
                Token::Punct('{' | '[' | '(') => depth += 1,
                Token::Punct('}' | ']' | ')') => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The source of the expression starting at token `start`, up to the `,` or bracket that
    /// ends it, on one line and at most 60 characters.
    fn expression_text(&self, start: usize) -> String {
        let Some(&(_, from)) = self.tokens.get(start) else {
            return String::new();
        };
        let mut depth = 0usize;
        let mut to = self.text.len();
        for (token, offset) in &self.tokens[start..] {
            match token {
                Token::Punct('{' | '[' | '(') => depth += 1,
                Token::Punct('}' | ']' | ')') if depth == 0 => {
                    to = *offset;
                    break;
                }
                Token::Punct('}' | ']' | ')') => depth -= 1,
                Token::Punct(',' | ';') if depth == 0 => {
                    to = *offset;
                    break;
                }
                _ => {}
            }
        }
        let text: String = self.text[from..to]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if text.chars().count() > 60 {
            format!("{}…", text.chars().take(59).collect::<String>())
        } else {
            text
        }
    }
}

/// Splits `text` into tokens, skipping comments and white space.
fn tokenize(text: &str) -> Vec<(Token, usize)> {
    let bytes = text.as_bytes();
    let mut tokens: Vec<(Token, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
        } else if text[i..].starts_with("//") {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
        } else if text[i..].starts_with("/*") {
            i = text[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2);
        } else if c == b'\'' || c == b'"' {
            let (value, end) = quoted(text, i, c);
            tokens.push((Token::Str(value), start));
            i = end;
        } else if c == b'`' {
            let (value, end) = template(text, i);
            tokens.push((value.map_or(Token::Template, Token::Str), start));
            i = end;
        } else if c == b'/' && regex_may_start(tokens.last().map(|(t, _)| t)) {
            i = regex_end(bytes, i);
            tokens.push((Token::Regex, start));
        } else if c.is_ascii_digit() {
            let end = i + text[i..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '_'))
                .unwrap_or(text.len() - i);
            let number = text[i..end].replace('_', "").parse().unwrap_or(f64::NAN);
            tokens.push((Token::Number(number), start));
            i = end;
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 {
            let end = i + text[i..]
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$'))
                .unwrap_or(text.len() - i);
            let end = end.max(i + text[i..].chars().next().map_or(1, char::len_utf8));
            tokens.push((Token::Ident(text[i..end].to_string()), start));
            i = end;
        } else {
            tokens.push((Token::Punct(c as char), start));
            i += 1;
        }
    }
    tokens
}

/// A `'…'` or `"…"` string starting at `start`: its value and the offset after it.
fn quoted(text: &str, start: usize, quote: u8) -> (String, usize) {
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(unescape(escaped));
                }
            }
            '\n' => return (value, start + 1 + i),
            c if c as u32 == u32::from(quote) => return (value, start + 1 + i + 1),
            c => value.push(c),
        }
    }
    (value, text.len())
}

fn unescape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        other => other,
    }
}

/// A template literal starting at `start`: its value when it holds no `${…}`, and the offset
/// after it. Nested braces in `${…}` are counted, strings in them are not: good enough to find
/// the end of what config files write.
fn template(text: &str, start: usize) -> (Option<String>, usize) {
    let mut value = String::new();
    let mut literal = true;
    let mut chars = text[start + 1..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(unescape(escaped));
                }
            }
            '`' => return (literal.then_some(value), start + 1 + i + 1),
            '$' if chars.peek().is_some_and(|(_, n)| *n == '{') => {
                literal = false;
                let mut depth = 0;
                for (_, inner) in chars.by_ref() {
                    match inner {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            c => value.push(c),
        }
    }
    (None, text.len())
}

/// True when a `/` after `previous` starts a regular expression rather than a division.
fn regex_may_start(previous: Option<&Token>) -> bool {
    match previous {
        None => true,
        Some(Token::Punct(p)) => !matches!(p, ')' | ']' | '}'),
        Some(Token::Ident(word)) => {
            matches!(word.as_str(), "return" | "typeof" | "case" | "in" | "of")
        }
        _ => false,
    }
}

/// The offset after a regular expression literal starting at `start` (flags included).
fn regex_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    let mut in_class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                return i;
            }
            b'\n' => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "title", "dir", "input", ": ", ", ", "{", "}", "[", "]", "(", ")", "'", "\"", "`", "${",
        "/", "//", "/*", "*/", "\\", "\n", "=", "return ", "1.5", "true", "é", "→",
    ];

    proptest! {
        // Failures are kept as unit tests, not in a proptest-regressions folder in the source tree.
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn any_text_is_read_without_panicking(
            parts in proptest::collection::vec(
                prop_oneof![
                    4 => proptest::sample::select(PIECES).prop_map(str::to_string),
                    1 => any::<char>().prop_map(String::from),
                ],
                0..64,
            )
        ) {
            let script = Script::new(&parts.concat());
            for property in script.properties() {
                let _ = script.member(&property.value, "input");
                let _ = script.line_of(property.token);
            }
            let _ = script.shallowest("title");
            let _ = script.call_argument("setInputDirectory");
        }
    }

    const DOCUSAURUS: &str = r#"
// @ts-check
const lightTheme = require('prism-react-renderer').themes.github;
/* title: 'Not this one' */
/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'Example OSPO',
  tagline: "How we use, publish and contribute to open source",
  url: `https://ospo.example.org`,
  baseUrl: process.env.BASE_URL || '/',
  trailingSlash: true,
  onBrokenLinks: 'throw',
  i18n: { defaultLocale: 'en', locales: ['en', "fr"] },
  presets: [
    [
      'classic',
      ({
        docs: {
          path: 'handbook',
          editUrl: ({docPath}) => `https://github.com/o/r/edit/main/${docPath}`,
        },
        pages: { include: [/\.page\.md$/] },
      }),
    ],
  ],
  themeConfig: {
    navbar: { title: 'OSPO', 'aria-label': "x // y" },
  },
};
module.exports = config;
"#;

    #[test]
    fn literals_are_read_and_the_shallowest_wins() {
        let script = Script::new(DOCUSAURUS);
        let get = |name: &str| script.shallowest(name).map(|p| p.value);
        assert_eq!(get("title"), Some(JsValue::Str("Example OSPO".into())));
        assert_eq!(
            get("tagline"),
            Some(JsValue::Str(
                "How we use, publish and contribute to open source".into()
            ))
        );
        assert_eq!(
            get("url"),
            Some(JsValue::Str("https://ospo.example.org".into()))
        );
        assert_eq!(
            get("baseUrl"),
            Some(JsValue::Expr("process.env.BASE_URL || '/'".into()))
        );
        assert_eq!(get("trailingSlash"), Some(JsValue::Bool(true)));
        let i18n = get("i18n").unwrap();
        assert_eq!(
            script.member(&i18n, "locales").map(|p| p.value),
            Some(JsValue::List(vec![
                JsValue::Str("en".into()),
                JsValue::Str("fr".into())
            ]))
        );
        let docs = get("docs").unwrap();
        assert_eq!(
            script.member(&docs, "path").map(|p| p.value),
            Some(JsValue::Str("handbook".into()))
        );
        assert!(matches!(
            script.member(&docs, "editUrl").map(|p| p.value),
            Some(JsValue::Expr(e)) if e.starts_with("({docPath}) =>")
        ));
        // Not a member of docs, though written inside it further down.
        assert_eq!(script.member(&docs, "include"), None);
        assert_eq!(
            script.shallowest("title").map(|p| script.line_of(p.token)),
            Some(7)
        );
        assert_eq!(get("aria-label"), Some(JsValue::Str("x // y".into())));
    }

    #[test]
    fn eleventy_shapes() {
        let script = Script::new(
            "module.exports = function (config) {\n  let pathPrefix = '/';\n  config.setInputDirectory(\"src\");\n  return {\n    pathPrefix: pathPrefix,\n    dir: { input: 'content', output: \"dist\" },\n  };\n};\n",
        );
        let dir = script.shallowest("dir").unwrap().value;
        assert_eq!(
            script.member(&dir, "input").map(|p| p.value),
            Some(JsValue::Str("content".into()))
        );
        assert_eq!(
            script.shallowest("pathPrefix").map(|p| p.value),
            Some(JsValue::Expr("pathPrefix".into()))
        );
        assert_eq!(
            script.call_argument("setInputDirectory"),
            Some(JsValue::Str("src".into()))
        );
    }

    #[test]
    fn strings_regexes_and_templates_hide_what_they_hold() {
        let script = Script::new(
            "const a = { x: 'it\\'s {', y: /[/{]/g, z: `a ${ {b: 1}.b } c`, w: 2 / 3, v: 'end' };",
        );
        let names: Vec<String> = script.properties().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["x", "y", "z", "w", "v"]);
        let get = |name: &str| script.shallowest(name).map(|p| p.value);
        assert_eq!(get("x"), Some(JsValue::Str("it's {".into())));
        assert!(matches!(get("z"), Some(JsValue::Expr(_))));
        assert!(matches!(get("w"), Some(JsValue::Expr(e)) if e == "2 / 3"));
        assert_eq!(get("v"), Some(JsValue::Str("end".into())));
        // Unclosed things end at the end of the file, without a panic.
        for broken in ["{ a: 'x", "{ a: `x ${", "{ a: /x", "/* x", "{ a: [1, 2"] {
            let _ = Script::new(broken).properties();
        }
    }
}
