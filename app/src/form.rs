//! Forms that work before (and without) WebAssembly, and show errors beside their fields.
//!
//! A form's state is the latest outcome of its server function: the action's value once the
//! page is hydrated, or else the [`Flash`] a plain form post left for the page (see
//! `server/flash.rs`).

use crate::error::AppError;
use crate::model::flash::Flash;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The name of the form of server function `S`: its endpoint, as the pipeline keys its flash
/// (`backend::pipeline::answer::form_name`). Written once, in `#[server(endpoint = …)]`.
pub fn form_name<S: ServerFn>() -> &'static str {
    S::PATH.rsplit('/').next().unwrap_or(S::PATH)
}

/// Loads, during server rendering, the flash a plain post of `S`'s form left. In the browser
/// there is never one to load: a flash is only ever read by the page a plain form post is
/// redirected to, which is rendered on the server and hydrated with this value.
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

/// The state of one form, merging the hydrated action's result and the flash.
#[derive(Clone, Copy)]
pub struct FormState {
    id: &'static str,
    outcome: Signal<Option<Result<(), AppError>>>,
    flash: StoredValue<Option<Flash>>,
    pending: Signal<bool>,
}

impl FormState {
    /// The form of `action`; its name (the server function's endpoint) prefixes the ids of
    /// its inputs.
    pub fn new<S>(action: ServerAction<S>, flash: Option<Flash>) -> Self
    where
        S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        let id = form_name::<S>();
        let value = action.value();
        let from_flash = flash.as_ref().and_then(|f| {
            if f.done {
                Some(Ok(()))
            } else {
                f.error.clone().map(Err)
            }
        });
        let outcome = Signal::derive(move || match value.get() {
            Some(Ok(_)) => Some(Ok(())),
            Some(Err(e)) => Some(Err(e)),
            None => from_flash.clone(),
        });
        FormState {
            id,
            outcome,
            flash: StoredValue::new(flash),
            pending: action.pending().into(),
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

    pub fn pending(&self) -> Signal<bool> {
        self.pending
    }

    /// The value typed into `name` before a plain form post failed, to put back.
    pub fn typed(&self, name: &str) -> Option<String> {
        self.flash
            .with_value(|f| f.as_ref().and_then(|f| f.values.get(name).cloned()))
    }
}
