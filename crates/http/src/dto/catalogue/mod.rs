//! Bodies of the catalogue routes, one file per entity: its response, its
//! request bodies and their conversion into the domain's typed commands
//! (`TryFrom`, every field's problem collected at once). No response type has
//! a field for a video.

mod course;
mod direction;
mod files;
mod outline;
mod pages;

pub use course::{
    AdminCourseListQuery, CourseCreateBody, CourseListQuery, CoursePatchBody, CourseSummary,
};
pub use direction::{DirectionCreateBody, DirectionList, DirectionPatchBody, DirectionResponse};
pub use files::{
    CertificateBody, CertificateSummary, VideoUpload, VideoUrlBody, WorkbookResponse,
    WorkbookSummary, WorkbookUpload,
};
pub use outline::{
    LessonCreateBody, LessonPatchBody, LessonSummary, ModuleCreateBody, ModulePatchBody,
    ModuleResponse, OutlineInput, OutlineResponse,
};
pub use pages::{CourseDetail, CoursePage, DirectionDetail, LessonDetail};

use bilim_domain::DomainError;
use bilim_domain::values::Description;
use bilim_service::input::Invalid;
use serde::{Deserialize, Deserializer};

/// Tells `"x": null` (clear) from an absent `x` (keep).
fn present_value<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

fn required<T>(field: &'static str, value: Option<T>, invalid: &mut Invalid) -> Option<T> {
    if value.is_none() {
        invalid.check::<()>(Err(DomainError::invalid(field, "required", "is required")));
    }
    value
}

fn description(raw: Option<String>, invalid: &mut Invalid) -> Option<Description> {
    raw.and_then(|d| invalid.check(Description::parse("description", &d)))
}
