//! The names languages give themselves (endonyms), for the language switcher: a reader looking
//! for their language recognises `Español` or `日本語` more readily than `es` or `ja`.

/// Common language codes (lower case, `-` between parts) and their names in the language itself.
const ENDONYMS: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("be", "Беларуская"),
    ("bg", "Български"),
    ("bn", "বাংলা"),
    ("ca", "Català"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hu", "Magyar"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("ms", "Bahasa Melayu"),
    ("nb", "Norsk bokmål"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pcm", "Naijá"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("pt-br", "Português (Brasil)"),
    ("pt-pt", "Português (Portugal)"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sa", "संस्कृतम्"),
    ("sv", "Svenska"),
    ("sw", "Kiswahili"),
    ("ta", "தமிழ்"),
    ("th", "ไทย"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
    ("zh-cn", "简体中文"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("zh-tw", "繁體中文"),
];

/// The name of the language `code` in that language, or the code itself when Folio does not
/// know it. `pt_BR` and `PT-br` are `pt-br`.
pub fn endonym(code: &str) -> String {
    let key = code.replace('_', "-").to_ascii_lowercase();
    ENDONYMS
        .binary_search_by(|(known, _)| known.cmp(&key.as_str()))
        .map_or_else(|_| code.to_string(), |i| ENDONYMS[i].1.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_are_named_in_their_language_and_others_stay_codes() {
        assert!(ENDONYMS.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        assert_eq!(endonym("es"), "Español");
        assert_eq!(endonym("pt_BR"), "Português (Brasil)");
        assert_eq!(endonym("zh"), "中文");
        assert_eq!(endonym("ar"), "العربية");
        assert_eq!(endonym("x-klingon"), "x-klingon");
    }
}
