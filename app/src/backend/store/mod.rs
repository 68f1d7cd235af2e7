//! All SQL, grouped by what it stores. Written once for SQLite and PostgreSQL (see `db.rs`).
//! Rows decode into typed values (`sqlx::FromRow`); a stored code that no longer parses is an
//! error, never a default.

pub mod assessments;
pub mod audit_log;
pub mod binds;
pub mod bulk;
pub mod directory;
pub mod documents;
pub mod families;
pub mod flashes;
pub mod follow_ups;
pub mod locations;
pub mod organisations;
pub mod outbox;
pub mod overview;
pub mod referral_codes;
pub mod referrals;
pub mod retention;
pub mod sessions;
pub mod team;
pub mod throttle;
pub mod timeline;
pub mod transfers;
pub mod users;

use sqlx::any::{AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Any, Decode, Type};

/// A flag column: 0 or 1 (sqlx's Any driver reads no SQLite booleans). Fields of type `bool`
/// decode through it with `#[sqlx(try_from = "Flag")]`; any other number is an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }
    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <i64 as Decode<Any>>::decode(value)? {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            n => Err(format!("a flag column holds {n}").into()),
        }
    }
}

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

/// A code column that may be empty: `Option<T>` fields decode through it with
/// `#[sqlx(try_from = "OptionalCode<T>")]`.
pub struct OptionalCode<T>(Option<T>);

impl<T> Type<Any> for OptionalCode<T> {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r, T> Decode<'r, Any> for OptionalCode<T>
where
    T: TryFrom<String, Error = shared::codes::UnknownCode>,
{
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <Option<String> as Decode<Any>>::decode(value)?;
        Ok(OptionalCode(text.map(T::try_from).transpose()?))
    }
}

impl<T> From<OptionalCode<T>> for Option<T> {
    fn from(c: OptionalCode<T>) -> Option<T> {
        c.0
    }
}
