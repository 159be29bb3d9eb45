//! Uploads, owned by the service from the first byte: the HTTP layer hands
//! over a form as a stream of parts ([`FormPart`]); [`Uploads::receive`]
//! streams its `file` into storage (type sniffed, size capped, SHA-256 on the
//! way) and keeps its small text fields; [`Uploads::attach`] runs the change
//! that uses the file and deletes the file when that change fails. Avatars
//! come through the same form reader ([`read_image`]) into memory, since they
//! are decoded and re-encoded.

mod form;
mod store;

pub use form::{FormPart, ReceivedForm, read_image};
pub use store::{StoredUpload, UploadKind, UploadLimits, human_size};

use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::{FileKey, FileStore};
use futures_util::Stream;
use std::future::Future;
use std::sync::Arc;

/// Room a form's boundaries and text fields may take beyond its file.
const FORM_OVERHEAD_BYTES: u64 = 64 * 1024;

#[derive(Clone)]
pub struct Uploads {
    store: Arc<dyn FileStore>,
    limits: UploadLimits,
}

impl Uploads {
    pub fn new(store: Arc<dyn FileStore>, limits: UploadLimits) -> Self {
        Self { store, limits }
    }

    /// Refuses a body announced larger than the limit of `kind` before
    /// anything of it is read.
    pub fn check_announced(&self, kind: UploadKind, announced: Option<u64>) -> ServiceResult<()> {
        let limit = self.limits.of(kind);
        if announced.is_some_and(|length| length > limit + FORM_OVERHEAD_BYTES) {
            return Err(store::too_large(limit));
        }
        Ok(())
    }

    /// Reads a whole form: its `file` (one at most) goes into storage, every
    /// other field is kept as text. On any failure the stored file is removed.
    pub async fn receive<P, C, E>(&self, kind: UploadKind, parts: P) -> ServiceResult<ReceivedForm>
    where
        P: Stream<Item = ServiceResult<FormPart<C>>> + Unpin,
        C: Stream<Item = Result<Vec<u8>, E>> + Unpin,
        E: std::fmt::Display,
    {
        let mut form = ReceivedForm::default();
        let outcome = form::read_parts(parts, &mut form, |chunks| {
            store::store_upload(&self.store, self.limits, kind, chunks)
        })
        .await;
        if let Err(error) = outcome {
            if let Some(upload) = form.upload.take() {
                self.discard(&upload.key).await;
            }
            return Err(error);
        }
        Ok(form)
    }

    /// Runs `change` with the form's file; when the form brought none, or the
    /// change fails, the file is deleted and the error returned.
    pub async fn attach<T, F, Fut>(&self, form: ReceivedForm, change: F) -> ServiceResult<T>
    where
        F: FnOnce(StoredUpload, form::Fields) -> Fut,
        Fut: Future<Output = ServiceResult<T>>,
    {
        let Some(upload) = form.upload else {
            return Err(ServiceError::bad_request(
                "validation",
                "Send the file in a form field named file.",
            ));
        };
        let key = upload.key.clone();
        let result = change(upload, form.fields).await;
        if result.is_err() {
            self.discard(&key).await;
        }
        result
    }

    /// Deletes stored files that nothing uses any more; a failure is logged.
    pub async fn discard(&self, key: &str) {
        let Ok(key) = FileKey::parse(key) else {
            return;
        };
        if let Err(error) = self.store.delete(&key).await {
            tracing::warn!(%error, %key, "unused file not deleted");
        }
    }
}
