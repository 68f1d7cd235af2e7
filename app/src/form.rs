//! Forms that work without WebAssembly, and show errors beside their fields.
//!
//! Pages are not hydrated (only islands are, `docs/architecture.md`): every form is a plain
//! post, and its state is the [`Flash`] the post left for the page it came back to (see
//! `backend/flash.rs`).

use crate::error::AppError;
use crate::model::flash::Flash;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The name of the form of server function `S`: its endpoint, as the pipeline keys its flash
/// (`backend::pipeline::answer::form_name`). Written once, in `#[server(endpoint = …)]`.
pub fn form_name<S: ServerFn>() -> &'static str {
    S::PATH.rsplit('/').next().unwrap_or(S::PATH)
}

/// Loads, during server rendering, the flash a plain post of `S`'s form left.
pub fn flash_resource<S: ServerFn>() -> Resource<Option<Flash>> {
    let form = form_name::<S>();
    Resource::new(
        || (),
        move |_| async move {
            #[cfg(feature = "ssr")]
            {
                crate::backend::flash::take(form).await
            }
            #[cfg(not(feature = "ssr"))]
            {
                let _ = form;
                None
            }
        },
    )
}

/// The state of one form: the outcome of its last post, from the flash.
#[derive(Clone, Copy)]
pub struct FormState {
    id: &'static str,
    outcome: Signal<Option<Result<(), AppError>>>,
    flash: StoredValue<Option<Flash>>,
}

impl FormState {
    /// The form of `action` (the `ActionForm`'s, which names the form: the server function's
    /// endpoint prefixes the ids of its inputs).
    pub fn new<S>(_action: ServerAction<S>, flash: Option<Flash>) -> Self
    where
        S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        Self::of::<S>(flash)
    }

    /// The form of server function `S` when it is a plain `<form>`, not an `ActionForm` (a
    /// multipart upload, whose arguments no action can hold).
    pub fn of<S: ServerFn>(flash: Option<Flash>) -> Self {
        let outcome = flash.as_ref().and_then(|f| {
            if f.done {
                Some(Ok(()))
            } else {
                f.error.clone().map(Err)
            }
        });
        FormState {
            id: form_name::<S>(),
            outcome: Signal::stored(outcome),
            flash: StoredValue::new(flash),
        }
    }

    /// The error to show beside field `name`.
    pub fn field_error(&self, name: impl Into<String>) -> Signal<Option<shared::FieldError>> {
        let outcome = self.outcome;
        let name = name.into();
        Signal::derive(move || match outcome.get() {
            Some(Err(AppError::Invalid(e))) => e.get(&name).cloned(),
            _ => None,
        })
    }

    pub fn id(&self) -> &'static str {
        self.id
    }

    /// An error about the whole form (anything but field errors).
    pub fn form_error(&self) -> Signal<Option<AppError>> {
        let outcome = self.outcome;
        Signal::derive(move || match outcome.get() {
            Some(Err(AppError::Invalid(_))) => None,
            Some(Err(e)) => Some(e),
            _ => None,
        })
    }

    /// True when the last submission had field errors.
    pub fn has_field_errors(&self) -> Signal<bool> {
        let outcome = self.outcome;
        Signal::derive(move || matches!(outcome.get(), Some(Err(AppError::Invalid(_)))))
    }

    /// The latest error, whatever it is (pages that explain conflicts or duplicates look at it).
    pub fn error(&self) -> Signal<Option<AppError>> {
        let outcome = self.outcome;
        Signal::derive(move || outcome.get().and_then(Result::err))
    }

    /// True after a successful submission.
    pub fn done(&self) -> Signal<bool> {
        let outcome = self.outcome;
        Signal::derive(move || matches!(outcome.get(), Some(Ok(()))))
    }

    /// The value typed into `name` before a plain form post failed, to put back.
    pub fn typed(&self, name: &str) -> Option<String> {
        self.flash
            .with_value(|f| f.as_ref().and_then(|f| f.values.get(name).cloned()))
    }
}
