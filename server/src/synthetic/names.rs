//! Names in both scripts for generated people: the common given and family names of each
//! country, and the spelling variants real records have.

use rand::rngs::StdRng;
use rand::Rng;

/// (local script, Latin letters)
pub type Name = (&'static str, &'static str);

pub const AF_MEN: [Name; 24] = [
    ("محمد", "Mohammad"),
    ("احمد", "Ahmad"),
    ("علی", "Ali"),
    ("عبدالله", "Abdullah"),
    ("حمید", "Hamid"),
    ("کریم", "Karim"),
    ("نبی", "Nabi"),
    ("رحیم", "Rahim"),
    ("جاوید", "Jawid"),
    ("فرید", "Farid"),
    ("نوید", "Navid"),
    ("شفیق", "Shafiq"),
    ("ذبیح الله", "Zabihullah"),
    ("نجیب", "Najib"),
    ("بشیر", "Bashir"),
    ("قادر", "Qader"),
    ("ولی", "Wali"),
    ("سلیم", "Salim"),
    ("یوسف", "Yousuf"),
    ("امین", "Amin"),
    ("غلام سخی", "Ghulam Sakhi"),
    ("عبدالکریم", "Abdul Karim"),
    ("نورالله", "Noorullah"),
    ("داود", "Dawood"),
];
pub const AF_WOMEN: [Name; 18] = [
    ("فاطمه", "Fatima"),
    ("مریم", "Maryam"),
    ("زهرا", "Zahra"),
    ("گل بی بی", "Gul Bibi"),
    ("شکیلا", "Shakila"),
    ("نسرین", "Nasrin"),
    ("پروین", "Parwin"),
    ("ملالی", "Malalai"),
    ("زرغونه", "Zarghona"),
    ("فریبا", "Fariba"),
    ("لیلا", "Laila"),
    ("سیما", "Sima"),
    ("حلیمه", "Halima"),
    ("نادیه", "Nadia"),
    ("رقیه", "Roqia"),
    ("شبنم", "Shabnam"),
    ("مینا", "Mina"),
    ("هما", "Homa"),
];
pub const AF_FAMILY: [Name; 18] = [
    ("احمدی", "Ahmadi"),
    ("کریمی", "Karimi"),
    ("رحیمی", "Rahimi"),
    ("حیدری", "Haidari"),
    ("نوری", "Noori"),
    ("صدیقی", "Sediqi"),
    ("امیری", "Amiri"),
    ("محمدی", "Mohammadi"),
    ("عزیزی", "Azizi"),
    ("یوسفزی", "Yousufzai"),
    ("پوپلزی", "Popalzai"),
    ("هاشمی", "Hashimi"),
    ("سلطانی", "Sultani"),
    ("وردک", "Wardak"),
    ("نظری", "Nazari"),
    ("قریشی", "Qureshi"),
    ("صافی", "Safi"),
    ("مومند", "Momand"),
];
pub const IQ_MEN: [Name; 20] = [
    ("علي", "Ali"),
    ("حسن", "Hassan"),
    ("حسين", "Hussein"),
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmed"),
    ("عمر", "Omar"),
    ("مصطفى", "Mustafa"),
    ("كريم", "Karim"),
    ("عباس", "Abbas"),
    ("جاسم", "Jasim"),
    ("حيدر", "Haider"),
    ("يوسف", "Yousif"),
    ("إبراهيم", "Ibrahim"),
    ("سالم", "Salim"),
    ("خالد", "Khalid"),
    ("رائد", "Raed"),
    ("زيد", "Zaid"),
    ("مهدي", "Mahdi"),
    ("قاسم", "Qasim"),
    ("ياسر", "Yasir"),
];
pub const IQ_WOMEN: [Name; 15] = [
    ("زينب", "Zainab"),
    ("فاطمة", "Fatima"),
    ("مريم", "Maryam"),
    ("نور", "Noor"),
    ("سارة", "Sara"),
    ("هدى", "Huda"),
    ("رنا", "Rana"),
    ("سجى", "Saja"),
    ("آية", "Aya"),
    ("دعاء", "Duaa"),
    ("رقية", "Ruqaya"),
    ("شيماء", "Shaimaa"),
    ("إيمان", "Iman"),
    ("حنان", "Hanan"),
    ("ليلى", "Layla"),
];
pub const IQ_FAMILY: [Name; 15] = [
    ("الجبوري", "Al-Jubouri"),
    ("العبيدي", "Al-Obaidi"),
    ("الدليمي", "Al-Dulaimi"),
    ("التميمي", "Al-Tamimi"),
    ("الزبيدي", "Al-Zubaidi"),
    ("الربيعي", "Al-Rubaie"),
    ("الساعدي", "Al-Saadi"),
    ("الخفاجي", "Al-Khafaji"),
    ("الشمري", "Al-Shammari"),
    ("الموسوي", "Al-Mousawi"),
    ("الحسيني", "Al-Husseini"),
    ("الكعبي", "Al-Kaabi"),
    ("العزاوي", "Al-Azzawi"),
    ("البياتي", "Al-Bayati"),
    ("الطائي", "Al-Taie"),
];

/// A name as a clerk might type it: sometimes with Arabic-keyboard letters or a variant
/// transliteration, as real records have.
pub fn variant(rng: &mut StdRng, local: &str, latin: &str) -> (String, String) {
    let mut local = local.to_string();
    let mut latin = latin.to_string();
    if rng.gen_bool(0.15) {
        local = local.replace('ی', "ي").replace('ک', "ك");
    }
    if rng.gen_bool(0.15) {
        latin = latin
            .replace("Mohammad", "Muhammad")
            .replace("ou", "u")
            .replace("Ah", "Ahm");
    }
    (local, latin)
}
