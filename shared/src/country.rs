//! The two countries Homeward serves, and which ministry works in which.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A country of return. MoRR works in Afghanistan, MoMD in Iraq.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Country {
    /// Afghanistan (`AF`).
    AF,
    /// Iraq (`IQ`).
    IQ,
}

impl TryFrom<String> for Country {
    type Error = crate::codes::UnknownCode;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        Country::parse(&code).ok_or(crate::codes::UnknownCode {
            kind: "Country",
            code,
        })
    }
}

impl Country {
    pub const ALL: [Country; 2] = [Country::AF, Country::IQ];

    /// Minutes east of UTC of the country's clocks: Asia/Kabul +4:30, Asia/Baghdad +3:00
    /// (neither observes daylight saving time).
    pub fn utc_offset_minutes(self) -> i64 {
        match self {
            Country::AF => 270,
            Country::IQ => 180,
        }
    }

    /// The ISO 3166-1 alpha-2 code, as stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Country::AF => "AF",
            Country::IQ => "IQ",
        }
    }

    /// Parses an ISO code, ignoring case and surrounding spaces.
    pub fn parse(s: &str) -> Option<Country> {
        match s.trim().to_ascii_uppercase().as_str() {
            "AF" => Some(Country::AF),
            "IQ" => Some(Country::IQ),
            _ => None,
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Country::ALL {
            assert_eq!(Country::parse(c.code()), Some(c));
        }
        assert_eq!(Country::parse(" af "), Some(Country::AF));
        assert_eq!(Country::parse("IR"), None);
    }
}
