//! `FileStore` adapters: a local directory (the default) or an object store
//! (S3 or GCS, `BILIM_STORAGE_URL=s3://bucket/prefix`), which several
//! instances can share.

mod local;
mod object;

pub use local::LocalFileStore;
pub use object::{Deadlines, ObjectFileStore, use_ring_for_tls};
