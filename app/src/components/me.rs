//! Who is signed in, loaded once per page and shared through the context (`App` provides it).

use crate::error::AppError;
use crate::model::auth::Me;
use leptos::prelude::*;

pub type MeResource = Resource<Result<Option<Me>, AppError>>;

/// The signed-in user of this page, or `None`.
pub fn use_me() -> MeResource {
    expect_context::<MeResource>()
}
