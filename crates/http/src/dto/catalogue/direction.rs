//! A direction: its answer, its body, and the body as `NewDirection` or
//! `DirectionPatch`.

use super::{description, present_value, required};
use bilim_domain::catalogue::{Direction, DirectionPatch, NewDirection};
use bilim_domain::values::{Description, DirectionName, Position};
use bilim_service::ServiceError;
use bilim_service::input::Invalid;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectionResponse {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub position: i32,
}

impl From<&Direction> for DirectionResponse {
    fn from(d: &Direction) -> Self {
        Self {
            id: d.id,
            name: d.name.clone(),
            description: d.description.clone(),
            position: d.position,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectionList {
    pub items: Vec<DirectionResponse>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectionBody {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub position: Option<i32>,
}

/// Parses what a direction body says, whether creating or changing.
fn direction_parts(
    body: DirectionBody,
    invalid: &mut Invalid,
) -> (
    Option<DirectionName>,
    Option<Option<Description>>,
    Option<Position>,
) {
    let name = body
        .name
        .and_then(|n| invalid.check(DirectionName::parse("name", &n)));
    let description = body.description.map(|d| description(d, invalid));
    let position = body
        .position
        .and_then(|p| invalid.check(Position::parse(p)));
    (name, description, position)
}

impl TryFrom<DirectionBody> for NewDirection {
    type Error = ServiceError;

    fn try_from(body: DirectionBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        required("name", body.name.as_ref(), &mut invalid);
        let (name, description, position) = direction_parts(body, &mut invalid);
        invalid.finish()?;
        let Some(name) = name else {
            return Err(ServiceError::Internal("direction name lost".into()));
        };
        Ok(Self {
            name,
            description: description.flatten(),
            position,
        })
    }
}

impl TryFrom<DirectionBody> for DirectionPatch {
    type Error = ServiceError;

    fn try_from(body: DirectionBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let (name, description, position) = direction_parts(body, &mut invalid);
        invalid.finish()?;
        Ok(Self {
            name,
            description,
            position,
        })
    }
}
