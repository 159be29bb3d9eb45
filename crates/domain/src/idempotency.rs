//! Idempotency keys: the first answer to a request that moves money, kept
//! per caller and key for 24 hours, so a retry gets it again.

/// An answer as it was sent: status and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    pub status: u16,
    pub body: String,
}

/// What a caller's key says about a new request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyClaim {
    /// The key is new (or its old use expired): this request does the work.
    Claimed,
    /// The same request was answered before: send this again.
    Answered(StoredAnswer),
    /// The same request is being answered now by another.
    InProgress,
    /// The key was used for another request.
    Mismatch,
}
