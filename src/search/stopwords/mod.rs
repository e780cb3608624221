//! Question and function words: the words of a query that say how it is asked ("how do I",
//! "what is the"), not what it is about. A plain query leaves them out of its score, in the
//! language of the index it searches, unless it is made of nothing else.
//!
//! English has a list of its own: Snowball's English list, which holds the question words, the
//! pronouns and the auxiliaries a question is made of, with the modal verbs and the pieces
//! contractions split into (`don't` is read as `don` and `t`). Every other language tantivy stems
//! and Snowball has a list for uses Snowball's list ([`snowball`]); Arabic, Greek, Romanian, Tamil
//! and Turkish have none, and their queries score every word.

mod snowball;

use tantivy::tokenizer::Language;

use super::analyzer::stemmer_language;

/// English question and function words, lowercase, as the analyzer reads them.
const ENGLISH: &str = "\
    a about above after again against all also am an and any are as at be because been before \
    being below between both but by can cannot could d did didn do does doesn doing don down \
    during each etc few for from further had has have having he her here hers herself him \
    himself his how i if in into is isn it its itself just ll m may me might more most must my \
    myself no nor not now of off on once only or other our ours ourselves out over own re s same \
    shall she should so some such t than that the their theirs them themselves then there these \
    they this those through to too under until up ve very via was we were what when where which \
    while who whom whose why will with won would you your yours yourself yourselves";

/// The question and function words of the language tagged `tag` (`en`, `pt-BR`), in no order;
/// none for a language without a list.
pub fn for_language(tag: &str) -> Vec<&'static str> {
    let list = match stemmer_language(tag) {
        Some(Language::English) => ENGLISH,
        Some(Language::Danish) => snowball::DANISH,
        Some(Language::Dutch) => snowball::DUTCH,
        Some(Language::Finnish) => snowball::FINNISH,
        Some(Language::French) => snowball::FRENCH,
        Some(Language::German) => snowball::GERMAN,
        Some(Language::Hungarian) => snowball::HUNGARIAN,
        Some(Language::Italian) => snowball::ITALIAN,
        Some(Language::Norwegian) => snowball::NORWEGIAN,
        Some(Language::Portuguese) => snowball::PORTUGUESE,
        Some(Language::Russian) => snowball::RUSSIAN,
        Some(Language::Spanish) => snowball::SPANISH,
        Some(Language::Swedish) => snowball::SWEDISH,
        _ => "",
    };
    list.split_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_with_a_list_has_its_question_words() {
        assert!(for_language("en").contains(&"how"));
        assert!(for_language("en-GB").contains(&"which"));
        assert!(!for_language("en").contains(&"licence"));
        assert!(for_language("fr").contains(&"les"));
        assert!(for_language("de-CH").contains(&"wie"));
        assert!(for_language("es").contains(&"cómo") || for_language("es").contains(&"como"));
        assert!(for_language("pt_BR").contains(&"não"));
        assert!(for_language("tr").is_empty());
        assert!(for_language("ja").is_empty());
    }

    #[test]
    fn lists_are_lowercase_words_as_the_analyzer_reads_them() {
        for tag in [
            "en", "da", "nl", "fi", "fr", "de", "hu", "it", "no", "pt", "ru", "es", "sv",
        ] {
            let words = for_language(tag);
            assert!(words.len() > 50, "{tag}: {}", words.len());
            for word in words {
                let mut read = Vec::new();
                super::super::analyzer::split_words(word, |w, _, _| read.push(w.to_string()));
                assert_eq!(read, [word], "{tag}: `{word}`");
            }
        }
    }
}
