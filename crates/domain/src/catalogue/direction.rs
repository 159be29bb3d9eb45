//! A direction (subject area) groups courses; directions are ordered by
//! position.

use crate::values::{Description, DirectionName, Position};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Direction {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDirection {
    pub name: DirectionName,
    pub description: Option<Description>,
    /// Appended when absent; others move to make room.
    pub position: Option<Position>,
}

/// `None` keeps a field; `description: Some(None)` clears it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectionPatch {
    pub name: Option<DirectionName>,
    pub description: Option<Option<Description>>,
    pub position: Option<Position>,
}
