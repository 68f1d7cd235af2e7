//! Names as people type them, for search and duplicate detection: Arabic script (Dari, Pashto,
//! Arabic, some Kurdish) and Latin transliterations, each with many spellings of one name.
//! Matching never compares what was typed; it compares canonical forms ([`normalize`],
//! [`compact`], [`tokens`]), a loose key for Latin spellings ([`latin_skeleton`]) and a score for
//! whole names ([`similarity`], [`similar`]). Tazkira and passport numbers and phone numbers get
//! canonical forms too, since they are typed in three digit styles with any separators.
//!
//! Across scripts, a word in Arabic script and a Latin word are compared by the keys they
//! share ([`arabic_key`], [`latin_keys`], [`same_across_scripts`]): "Mohammad Karimi" and
//! "محمد کریمی" are similar. Matches in the script typed still rank first in search.

mod normalize;
mod numbers;
mod script_key;
mod search_terms;
mod similarity;
mod skeleton;

pub use normalize::{compact, normalize, tokens};
pub use numbers::{international_phone, normalize_document_number, phone_digits, phone_search_key};
pub use script_key::{arabic_key, latin_keys, loose_key, same_across_scripts};
pub use search_terms::{
    index_terms, search_words, word_terms, Match, OtherScript, WordTerms, ARABIC_KEY, LATIN_KEY,
    SKELETON,
};
pub use similarity::{similar, similarity, SIMILAR};
pub use skeleton::latin_skeleton;

/// Strategies for the property tests of every part of this module.
#[cfg(test)]
mod strategies {
    use proptest::prelude::*;

    /// Letters, variant letters, diacritics, invisible marks, digits in three styles, spaces
    /// and punctuation: what names are made of, and what goes wrong in them.
    const NAME_CHARS: &[char] = &[
        'a', 'b', 'd', 'e', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'r', 's', 'u', 'y', 'w', 'A', 'M',
        'Z', 'É', 'ö', 'ı', 'ß', 'İ', 'ḥ', 'ا', 'أ', 'إ', 'آ', 'ٱ', 'ب', 'ت', 'ح', 'د', 'ر', 'س',
        'ع', 'ل', 'م', 'ن', 'و', 'ؤ', 'ء', 'ي', 'ى', 'ی', 'ې', 'ۍ', 'ئ', 'ك', 'ک', 'ګ', 'گ', 'ة',
        'ۀ', 'ہ', 'ه', 'ټ', 'ښ', 'ﷲ', '\u{064B}', '\u{064E}', '\u{064F}', '\u{0650}', '\u{0651}',
        '\u{0652}', '\u{0670}', '\u{06E1}', '\u{0640}', '\u{200C}', '\u{200D}', '\u{200E}',
        '\u{200F}', '\u{061C}', '\u{0301}', '0', '7', '۱', '۹', '٢', '٥', ' ', ' ', ' ', '\t', '-',
        '\'', '’', 'ʻ', '.', ',', '،', '(', '/',
    ];

    pub(super) fn name_text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(NAME_CHARS), 0..24)
            .prop_map(|chars| chars.into_iter().collect())
    }
}
