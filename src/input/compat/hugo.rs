//! Hugo shortcodes: `{{< name … >}}`, `{{% name … %}}` and their closing `{{< /name >}}`.

use super::Tag;

/// The shortcode starting at byte `start` of `text` (which starts with `{{<` or `{{%` there),
/// if it is one and is closed.
pub(super) fn shortcode_at(text: &str, start: usize) -> Option<Tag> {
    let rest = &text[start..];
    let closer = if rest.starts_with("{{<") {
        ">}}"
    } else if rest.starts_with("{{%") {
        "%}}"
    } else {
        return None;
    };
    let inner_end = rest[3..].find(closer)? + 3;
    let inner = rest[3..inner_end].trim();
    // `{{</* x */>}}` is Hugo's way of showing a shortcode literally: not a use.
    if inner.starts_with("/*") {
        return None;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(name) => (true, name.trim_start()),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        .collect();
    if name.is_empty() {
        return None;
    }
    Some(Tag {
        end: start + inner_end + closer.len(),
        name: format!("{{{{{} {name} {}}}}}", &rest[2..3], &closer[..1]),
        closing,
        hugo: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_named_by_their_first_word() {
        let text = "a {{< figure src=\"x.png\" >}} b";
        let tag = shortcode_at(text, 2).unwrap();
        assert_eq!(tag.name, "{{< figure >}}");
        assert_eq!(&text[tag.end..], " b");
        assert!(!tag.closing);
        let closing = shortcode_at("{{% /hint %}}", 0).unwrap();
        assert_eq!(closing.name, "{{% hint %}}");
        assert!(closing.closing);
        assert!(shortcode_at("{{</* figure */>}}", 0).is_none());
        assert!(shortcode_at("{{< never closed", 0).is_none());
    }
}
