//! Keyset pagination: `limit` (default 20, at most 100) and an opaque cursor
//! naming the last item of the previous page. Never OFFSET.

use crate::{ServiceError, ServiceResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A page request as received.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

impl PageRequest {
    pub fn limit(&self) -> ServiceResult<u64> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(limit) if (1..=MAX_LIMIT).contains(&limit) => Ok(limit),
            Some(_) => Err(ServiceError::validation(
                "limit",
                "validation",
                "must be 1 to 100",
            )),
        }
    }

    /// The id the page starts after.
    pub fn after(&self) -> ServiceResult<Option<Uuid>> {
        let Some(cursor) = self.cursor.as_deref().filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let bytes = URL_SAFE_NO_PAD.decode(cursor).ok();
        let id = bytes.and_then(|b| Uuid::from_slice(&b).ok());
        id.map(Some).ok_or_else(|| {
            ServiceError::validation("cursor", "validation", "is not a cursor this API gave out")
        })
    }
}

/// Builds a page from up to `limit + 1` rows: the extra row only tells whether
/// another page follows.
pub fn page<T>(mut rows: Vec<T>, limit: u64, id_of: impl Fn(&T) -> Uuid) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more {
        rows.last()
            .map(|last| URL_SAFE_NO_PAD.encode(id_of(last).as_bytes()))
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_garbage_is_refused() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let first = page(ids.clone(), 2, |id| *id);
        assert_eq!(first.items, ids[..2]);
        let request = PageRequest {
            limit: Some(2),
            cursor: first.next_cursor,
        };
        assert_eq!(request.after().unwrap(), Some(ids[1]));
        assert!(page(ids.clone(), 3, |id| *id).next_cursor.is_none());
        let bad = PageRequest {
            limit: Some(0),
            cursor: Some("not-a-cursor!".into()),
        };
        assert!(bad.after().is_err());
        assert!(bad.limit().is_err());
    }
}
