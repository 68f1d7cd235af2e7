//! Enumerations of codes: the values stored in the database, sent by forms and translated by
//! the interface. One macro gives them all the same `as_str`, `parse` and `ALL`, and makes
//! serde read and write the code too (in data files and server-function payloads alike).

/// A code read back (from the database, a file) that names no value of its enum.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code `{code}`")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// Declares an enum whose variants each have a stable text code.
#[macro_export]
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order (the order forms show them in).
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];

            /// The code stored in the database and sent by forms.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $code ),+
                }
            }

            /// The value of a code, ignoring surrounding spaces.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                $name::parse(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} code `{code}`", stringify!($name)))
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::codes::UnknownCode;

            /// A stored code that no longer parses is an error, never a default.
            fn try_from(code: String) -> Result<Self, Self::Error> {
                $name::parse(&code).ok_or_else(|| $crate::codes::UnknownCode {
                    kind: stringify!($name),
                    code,
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    code_enum! {
        enum Colour { Red = "red", DarkBlue = "dark_blue" }
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_do_not_parse() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Colour::parse(" dark_blue "), Some(Colour::DarkBlue));
        assert_eq!(Colour::parse("green"), None);
        assert_eq!(Colour::DarkBlue.to_string(), "dark_blue");
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).unwrap(),
            "\"dark_blue\""
        );
        assert_eq!(
            serde_json::from_str::<Colour>("\"red\"").unwrap(),
            Colour::Red
        );
        assert!(serde_json::from_str::<Colour>("\"Red\"").is_err());
        assert_eq!(Colour::try_from("red".to_string()), Ok(Colour::Red));
        assert!(Colour::try_from("green".to_string()).is_err());
    }
}
