//! Canonical text of names: spelling variants folded ([`normalize`], [`compact`], [`tokens`]).

use crate::digits::to_western;

/// The letter(s) a character is read as before matching, for characters that are spelling
/// variants of another. `""` means the character is dropped without splitting the word.
/// Called on lowercase characters; every output is a fixed point (it maps to itself), which is
/// what makes [`normalize`] idempotent.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        // --- Arabic script -----------------------------------------------------------------
        // Yeh: Arabic ي and alef maksura ى are what an Arabic keyboard gives for Persian ی;
        // Pashto writes ې, ۍ and ي as distinct letters, but Dari and Arabic keyboards cannot,
        // so one person's name arrives with any of them. ئ is yeh with a hamza seat, usually
        // dropped in Dari spelling (رئیس / رییس). ێ is Kurdish (Sorani) ē, typed as ی on
        // Arabic and Persian keyboards.
        '\u{064A}' | '\u{0649}' | '\u{06D0}' | '\u{06CD}' | '\u{0626}' | '\u{06CE}' => "\u{06CC}",
        // Kaf: Arabic ك and Persian ک (keheh) are one letter in two keyboard layouts.
        '\u{0643}' => "\u{06A9}",
        // Gaf: Pashto ګ (ring below) and Persian گ are the same sound; which one is typed
        // depends on the keyboard.
        '\u{06AB}' => "\u{06AF}",
        // Heh: teh marbuta ة is written ه in Dari and often in Arabic (فاطمة / فاطمه); ۀ is
        // heh with the ezafe hamza; ہ and ۂ (heh goal) and ۃ come from Urdu keyboards; ە is
        // the Kurdish vowel e and ھ the Kurdish h, both typed as ه on Arabic keyboards.
        '\u{0629}' | '\u{06C0}' | '\u{06C1}' | '\u{06C2}' | '\u{06C3}' | '\u{06D5}'
        | '\u{06BE}' => "\u{0647}",
        // Alef: the hamza and madda forms (أ إ آ), wasla (ٱ) and the rare wavy-hamza and
        // high-hamza alefs are all dropped to a bare alef by most writers some of the time.
        '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' | '\u{0672}' | '\u{0673}'
        | '\u{0675}' => "\u{0627}",
        // Waw: ؤ is waw with a hamza seat (dropped like the other seats); ۆ is Kurdish o and
        // ٶ the high-hamza waw, both typed as و on Arabic keyboards.
        '\u{0624}' | '\u{06C6}' | '\u{0676}' => "\u{0648}",
        // Hamza on the line: the hamza on a seat is dropped above (أ → ا, ؤ → و, ئ → ی), so
        // a bare hamza is dropped too (علاءالدین / علاالدین). Likewise the high hamza.
        '\u{0621}' | '\u{0674}' => "",
        // Pashto retroflex letters, where a keyboard without them leaves exactly one choice:
        // ټ → ت, ډ → د, ړ → ر, ڼ → ن. (ښ ږ ځ څ are NOT folded: people fall back to either
        // of two letters, ش/خ, ژ/گ, ز/ج, س/چ, so any choice would be wrong half the time.)
        '\u{067C}' => "\u{062A}",
        '\u{0689}' => "\u{062F}",
        '\u{0693}' => "\u{0631}",
        '\u{06BC}' => "\u{0646}",
        // Kurdish letters with a small v, typed as the plain letter on Arabic keyboards:
        // ڕ (trilled r) → ر, ڵ (velar l) → ل. (Kurdish ڤ is not folded: ف or و.)
        '\u{0695}' => "\u{0631}",
        '\u{06B5}' => "\u{0644}",
        // The ligature ﷲ is one key on some keyboards and ends hundreds of names (عبدﷲ).
        '\u{FDF2}' => "\u{0627}\u{0644}\u{0644}\u{0647}",

        // --- Latin: accents off, ligatures spelt out ----------------------------------------
        // Transliterations of one name differ in accents (Hüseyin, Şükrü, ʿAlī, Muḥammad);
        // the dotted-below letters are scholarly Arabic transliteration.
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ḍ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẽ' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'ǧ' => "g",
        'ĥ' | 'ħ' | 'ḥ' | 'ẖ' => "h",
        // ı is the Turkish dotless i.
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ị' => "i",
        'ĵ' | 'ǰ' => "j",
        'ķ' | 'ḳ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ọ' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ṣ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' | 'ṭ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ư' | 'ụ' => {
            "u"
        }
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' | 'ẓ' => "z",
        _ => return None,
    })
}

/// Invisible characters pasted in with text copied from right-to-left documents: zero-width
/// space, non-joiner and joiner; LRM, RLM and the Arabic letter mark; bidi embeddings and
/// isolates; word joiner, BOM, soft hyphen.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
    )
}

/// Characters that are dropped without splitting a word: they change how a name looks, never
/// which name it is.
fn is_ignorable(c: char) -> bool {
    is_invisible(c)
        || matches!(
            c,
            // Arabic harakat, shadda, sukun, superscript alef, Quranic marks and honorifics.
            '\u{064B}'..='\u{065F}'
                | '\u{0670}'
                | '\u{06D6}'..='\u{06ED}'
                | '\u{0610}'..='\u{061A}'
                | '\u{08D3}'..='\u{08FF}'
                // Tatweel only stretches a word.
                | '\u{0640}'
                // Combining accents (a decomposed é); precomposed ones are folded instead.
                | '\u{0300}'..='\u{036F}'
                // Apostrophes and the half rings: inside a Latin name they stand for ayn or
                // hamza (Ja'far, Mas'ud, Saʿid), and people as often leave them out (Jafar), so
                // they join rather than split: a search for "jafar" must find "Ja'far".
                | '\''
                | '\u{2019}'
                | '\u{2018}'
                | '\u{02BB}'
                | '\u{02BC}'
                | '\u{02BD}'
                | '\u{02BE}'
                | '\u{02BF}'
                | '`'
                | '\u{00B4}'
                | '\u{2032}'
        )
}

/// The canonical form of a name for matching and search: one spelling per letter (see the
/// folding table in the source), no diacritics or invisible characters, Western digits,
/// lowercase unaccented Latin, and every run of spaces and punctuation (hyphens, dots, commas,
/// ، ؛) a single space, trimmed. Apostrophes are dropped without a space (`Ja'far` → `jafar`).
///
/// Idempotent: `normalize(&normalize(s)) == normalize(s)`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    // Writes a piece of a word, after the one space that stands for any run of separators
    // since the previous word (none before the first word, so the result is trimmed).
    let push = |out: &mut String, pending_space: &mut bool, text: &str| {
        if *pending_space && !out.is_empty() {
            out.push(' ');
        }
        *pending_space = false;
        out.push_str(text);
    };
    for c in to_western(s).chars().flat_map(char::to_lowercase) {
        if is_ignorable(c) {
            continue;
        }
        match fold(c) {
            Some("") => {}
            Some(letters) => push(&mut out, &mut pending_space, letters),
            None if c.is_alphanumeric() => {
                let mut buf = [0u8; 4];
                push(&mut out, &mut pending_space, c.encode_utf8(&mut buf));
            }
            None => pending_space = true,
        }
    }
    out
}

/// [`normalize`] without spaces, so that words written apart or together match: the attached
/// and detached article ("عبد الله" / "عبدالله", "Al Jubouri" / "Al-Jubouri" / "Aljubouri")
/// and compounds ("Gul Bibi" / "Gulbibi").
pub fn compact(s: &str) -> String {
    normalize(s).replace(' ', "")
}

/// The words of [`normalize`]`(s)`, without repeats, in order. These are what a search index
/// stores; a search term matches a token by prefix.
pub fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in normalize(s).split(' ').filter(|w| !w.is_empty()) {
        if !out.iter().any(|t| t == word) {
            out.push(word.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::strategies::name_text;
    use proptest::prelude::*;

    // --- normalize ------------------------------------------------------------------------

    #[test]
    fn every_yeh_becomes_the_persian_yeh() {
        for yeh in ['ي', 'ى', 'ی', 'ې', 'ۍ', 'ئ', 'ێ'] {
            assert_eq!(normalize(&format!("عل{yeh}")), "علی", "{yeh:?}");
        }
        assert_eq!(normalize("رئيس"), normalize("رییس"));
    }

    #[test]
    fn arabic_kaf_becomes_keheh_and_pashto_gaf_the_persian_gaf() {
        assert_eq!(normalize("كريم"), "کریم");
        assert_eq!(normalize("ګل"), "گل");
    }

    #[test]
    fn teh_marbuta_and_heh_forms_become_heh() {
        for heh in ['ة', 'ۀ', 'ہ', 'ۂ', 'ۃ', 'ە', 'ه'] {
            assert_eq!(normalize(&format!("فاطم{heh}")), "فاطمه", "{heh:?}");
        }
        assert_eq!(normalize("ھاوار"), "هاوار");
    }

    #[test]
    fn alef_forms_become_bare_alef() {
        for alef in ['أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ', 'ٵ', 'ا'] {
            assert_eq!(normalize(&format!("{alef}حمد")), "احمد", "{alef:?}");
        }
    }

    #[test]
    fn waw_with_hamza_becomes_waw_and_a_bare_hamza_is_dropped() {
        assert_eq!(normalize("مؤمن"), "مومن");
        assert_eq!(normalize("ۆمەر"), "ومهر");
        assert_eq!(normalize("علاءالدين"), "علاالدین");
    }

    #[test]
    fn pashto_and_kurdish_letters_fold_only_where_the_fallback_is_certain() {
        assert_eq!(normalize("ټ ډ ړ ڼ"), "ت د ر ن");
        assert_eq!(normalize("ڕ ڵ"), "ر ل");
        // ښ ږ ځ څ and ڤ have two possible fallbacks and stay as typed.
        assert_eq!(normalize("ښ ږ ځ څ ڤ"), "ښ ږ ځ څ ڤ");
    }

    #[test]
    fn the_allah_ligature_is_spelt_out() {
        assert_eq!(normalize("عبدﷲ"), "عبدالله");
    }

    #[test]
    fn diacritics_tatweel_and_invisible_marks_are_removed() {
        assert_eq!(normalize("مُحَمَّد"), "محمد");
        assert_eq!(normalize("مـــحمد"), "محمد");
        assert_eq!(normalize("عبدالرَّحْمٰن"), "عبدالرحمن");
        assert_eq!(normalize("\u{200F}محمد\u{200C}علی\u{200E}"), "محمدعلی");
        assert_eq!(normalize("\u{061C}\u{FEFF}ali\u{200D}"), "ali");
    }

    #[test]
    fn persian_and_arabic_digits_become_western() {
        assert_eq!(normalize("۱۲۳ ٤٥٦"), "123 456");
    }

    #[test]
    fn latin_is_lowercased_and_loses_its_accents() {
        assert_eq!(
            normalize("ÁÀÂÄÃÅĀ éèêëē íìîïī óòôöõō úùûüū"),
            "aaaaaaa eeeee iiiii oooooo uuuuu"
        );
        assert_eq!(normalize("Çñşšğı"), "cnssgi");
        assert_eq!(normalize("Muḥammad ʿAlī"), "muhammad ali");
        assert_eq!(normalize("Hüseyin Şükrü"), "huseyin sukru");
        assert_eq!(normalize("Straße Ærø"), "strasse aero");
        // A decomposed accent (e + combining acute) reads like the precomposed one.
        assert_eq!(normalize("Jose\u{301}"), normalize("José"));
        assert_eq!(normalize("İbrahim"), "ibrahim");
    }

    #[test]
    fn punctuation_splits_words_and_spaces_collapse() {
        assert_eq!(normalize("  Al-Jubouri,  Ali. "), "al jubouri ali");
        assert_eq!(normalize("محمد، احمدی؛ کریم"), "محمد احمدی کریم");
        assert_eq!(normalize("Gul\t\u{A0}bibi"), "gul bibi");
        assert_eq!(normalize("(Ali) / Omar_Saleh"), "ali omar saleh");
        assert_eq!(normalize(" - . "), "");
    }

    #[test]
    fn apostrophes_join_rather_than_split() {
        for name in ["Ja'far", "Ja’far", "Jaʻfar", "Jaʿfar", "Jafar"] {
            assert_eq!(normalize(name), "jafar", "{name:?}");
        }
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for s in [
            "مُحَمَّد أحمدي",
            "Al-Jubouri  ʿAlī",
            "فاطمة ۱۴۰۵",
            "İSTANBUL ẞ",
            "عبدﷲ",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once, "{s:?}");
        }
    }

    // --- compact and tokens ---------------------------------------------------------------

    #[test]
    fn compact_joins_words_written_apart() {
        assert_eq!(compact("عبد الله"), compact("عبدالله"));
        assert_eq!(compact("Abd al Rahman"), "abdalrahman");
        assert_eq!(compact("Al-Jubouri"), compact("Aljubouri"));
        assert_eq!(compact("Al Jubouri"), "aljubouri");
    }

    #[test]
    fn tokens_are_the_distinct_words_in_order() {
        assert_eq!(tokens("Mohammad  Ali Mohammad"), vec!["mohammad", "ali"]);
        assert_eq!(tokens("محمد، أحمدي"), vec!["محمد", "احمدی"]);
        assert!(tokens(" -- ").is_empty());
    }

    const IGNORABLE_ARABIC: &[char] = &['\u{064E}', '\u{0651}', '\u{0640}', '\u{200C}', '\u{200F}'];

    proptest! {
        #[test]
        fn normalize_is_idempotent(s in name_text()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn normalize_is_idempotent_on_any_text(s in any::<String>()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn compact_of_normalized_is_compact(s in name_text()) {
            prop_assert_eq!(compact(&normalize(&s)), compact(&s));
        }

        #[test]
        fn tokens_use_only_characters_of_the_normalized_name(s in name_text()) {
            let normalized = normalize(&s);
            let joined = tokens(&s).join(" ");
            prop_assert!(joined.chars().all(|c| normalized.contains(c)), "{:?} {:?}", joined, normalized);
        }

        #[test]
        fn harakat_and_invisible_marks_change_nothing(
            s in name_text(),
            marks in prop::collection::vec(prop::sample::select(IGNORABLE_ARABIC), 24),
        ) {
            let marked: String = s.chars().zip(&marks).flat_map(|(c, &m)| [c, m]).collect();
            prop_assert_eq!(normalize(&marked), normalize(&s));
        }
    }
}
