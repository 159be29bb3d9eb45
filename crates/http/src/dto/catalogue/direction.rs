//! A direction: its answer, its create and patch bodies, and those as
//! `NewDirection` or `DirectionPatch`.

use super::{present_value, required};
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
    #[schema(example = "Ingliz tili")]
    pub name: String,
    #[schema(
        required = true,
        example = "Xorijiy tillar: grammatika, soʻzlashuv, IELTS"
    )]
    pub description: Option<String>,
    /// 1-based place among the directions.
    #[schema(minimum = 1, example = 2)]
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

/// `POST /admin/directions`. Every field is checked and every broken one
/// reported at once (`errors[].code`: `required`, `text.length`,
/// `position.invalid`); `null` counts as absent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectionCreateBody {
    /// 1 to 100 characters after trimming; no other direction has exactly this
    /// name (409 `direction.name_taken`).
    #[schema(value_type = String, required = true, min_length = 1, max_length = 100, pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$", example = "Ingliz tili")]
    pub name: Option<String>,
    /// At most 20 000 characters after trimming; none when absent or `null`.
    #[schema(
        max_length = 20000,
        example = "Xorijiy tillar: grammatika, soʻzlashuv, IELTS"
    )]
    pub description: Option<String>,
    /// 1-based; the directions from there on move one down. Last when absent.
    #[schema(minimum = 1, maximum = 10000, example = 1)]
    pub position: Option<i32>,
}

/// `PATCH /admin/directions/{id}`: absent (or `null`) fields stay, except
/// `description: null`, which clears it. Rules and codes as when creating.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectionPatchBody {
    /// 1 to 100 characters after trimming; unique.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Xorijiy tillar"
    )]
    pub name: Option<String>,
    /// At most 20 000 characters after trimming; `null` clears it.
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<String>, max_length = 20000)]
    pub description: Option<Option<String>>,
    /// 1-based; a number past the end means last.
    #[schema(minimum = 1, maximum = 10000, example = 2)]
    pub position: Option<i32>,
}

/// Parses what a direction body says, whether creating or changing.
fn direction_parts(
    name: Option<String>,
    description: Option<Option<String>>,
    position: Option<i32>,
    invalid: &mut Invalid,
) -> (
    Option<DirectionName>,
    Option<Option<Description>>,
    Option<Position>,
) {
    let name = name.and_then(|n| invalid.check(DirectionName::parse("name", &n)));
    let description = description.map(|d| super::description(d, invalid));
    let position = position.and_then(|p| invalid.check(Position::parse(p)));
    (name, description, position)
}

impl TryFrom<DirectionCreateBody> for NewDirection {
    type Error = ServiceError;

    fn try_from(body: DirectionCreateBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        required("name", body.name.as_ref(), &mut invalid);
        let (name, description, position) = direction_parts(
            body.name,
            body.description.map(Some),
            body.position,
            &mut invalid,
        );
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

impl TryFrom<DirectionPatchBody> for DirectionPatch {
    type Error = ServiceError;

    fn try_from(body: DirectionPatchBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let (name, description, position) =
            direction_parts(body.name, body.description, body.position, &mut invalid);
        invalid.finish()?;
        Ok(Self {
            name,
            description,
            position,
        })
    }
}
