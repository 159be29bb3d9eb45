//! `GET /leaderboard`: most points first, keyset paged by (points, user id).

use super::Quizzes;
use crate::paging::PageRequest;
use crate::{ServiceError, ServiceResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bilim_domain::quizzes::Leader;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct LeaderPage {
    /// Each with its rank on the whole board.
    pub items: Vec<(u64, Leader)>,
    pub next_cursor: Option<String>,
}

/// The cursor: the last row's points, user id and rank.
fn encode(points: i64, user_id: Uuid, rank: u64) -> String {
    let mut bytes = Vec::with_capacity(32);
    bytes.extend_from_slice(&points.to_be_bytes());
    bytes.extend_from_slice(user_id.as_bytes());
    bytes.extend_from_slice(&rank.to_be_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode(cursor: &str) -> Option<(i64, Uuid, u64)> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    if bytes.len() != 32 {
        return None;
    }
    let points = i64::from_be_bytes(bytes[..8].try_into().ok()?);
    let user_id = Uuid::from_slice(&bytes[8..24]).ok()?;
    let rank = u64::from_be_bytes(bytes[24..].try_into().ok()?);
    Some((points, user_id, rank))
}

impl Quizzes {
    /// The board, overall or of one direction. Ties share no rank: the
    /// order is points, then the user id.
    pub async fn leaderboard(
        &self,
        direction_id: Option<Uuid>,
        page: &PageRequest,
    ) -> ServiceResult<LeaderPage> {
        let limit = page.limit()?;
        let after = match page.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(cursor) => Some(decode(cursor).ok_or_else(|| {
                ServiceError::validation(
                    "cursor",
                    "validation",
                    "is not a cursor this API gave out",
                )
            })?),
        };
        let mut rows = self
            .points
            .leaderboard(direction_id, after.map(|(p, u, _)| (p, u)), limit + 1)
            .await?;
        let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let first_rank = after.map_or(1, |(_, _, rank)| rank + 1);
        let items: Vec<(u64, Leader)> = rows
            .into_iter()
            .enumerate()
            .map(|(i, leader)| (first_rank + i as u64, leader))
            .collect();
        let next_cursor = if more {
            items
                .last()
                .map(|(rank, leader)| encode(leader.points, leader.user_id, *rank))
        } else {
            None
        };
        Ok(LeaderPage { items, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let id = Uuid::now_v7();
        assert_eq!(decode(&encode(42, id, 7)), Some((42, id, 7)));
        assert_eq!(decode("garbage"), None);
    }
}
