//! Directions, courses and the outline (modules and lessons, one code path
//! for both levels).

use super::AdminCatalogue;
use crate::ServiceResult;
use crate::admin::Actor;
use bilim_domain::catalogue::{
    Course, CoursePatch, Direction, DirectionPatch, NewCourse, NewDirection, NewOutlineItem,
    OutlineItem, OutlineLevel, OutlinePatch,
};
use serde_json::json;
use uuid::Uuid;

/// The names of the fields a patch sets, for its audit entry.
fn changed(fields: &[(&'static str, bool)]) -> serde_json::Value {
    let names: Vec<&str> = fields
        .iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| *name)
        .collect();
    json!({ "changed": names })
}

impl AdminCatalogue {
    pub async fn create_direction(
        &self,
        actor: &Actor<'_>,
        new: NewDirection,
    ) -> ServiceResult<Direction> {
        let id = Uuid::now_v7();
        let details = json!({ "name": new.name.as_str() });
        let now = self.clock.now();
        self.change(
            actor,
            "direction.create",
            ("direction", id),
            details,
            "direction.not_found",
            |audit| async move { self.writer.create_direction(id, new, now, &audit).await },
        )
        .await
    }

    pub async fn update_direction(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        patch: DirectionPatch,
    ) -> ServiceResult<Direction> {
        let details = changed(&[
            ("name", patch.name.is_some()),
            ("description", patch.description.is_some()),
            ("position", patch.position.is_some()),
        ]);
        let now = self.clock.now();
        self.change(
            actor,
            "direction.update",
            ("direction", id),
            details,
            "direction.not_found",
            |audit| async move { self.writer.update_direction(id, patch, now, &audit).await },
        )
        .await
    }

    pub async fn delete_direction(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        self.change(
            actor,
            "direction.delete",
            ("direction", id),
            json!({}),
            "direction.not_found",
            |audit| async move { self.writer.delete_direction(id, &audit).await },
        )
        .await
    }

    pub async fn create_course(&self, actor: &Actor<'_>, new: NewCourse) -> ServiceResult<Course> {
        self.check_teacher(new.teacher_id).await?;
        let id = Uuid::now_v7();
        let details = json!({ "title": new.title.as_str() });
        let now = self.clock.now();
        self.change(
            actor,
            "course.create",
            ("course", id),
            details,
            "direction.not_found",
            |audit| async move { self.writer.create_course(id, new, now, &audit).await },
        )
        .await
    }

    /// A grant's expiry is fixed when granted: `access_months` does not move it.
    pub async fn update_course(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        patch: CoursePatch,
    ) -> ServiceResult<Course> {
        self.check_teacher(patch.teacher_id.flatten()).await?;
        let mut details = changed(&[
            ("direction_id", patch.direction_id.is_some()),
            ("title", patch.title.is_some()),
            ("description", patch.description.is_some()),
            ("level", patch.level.is_some()),
            ("status", patch.status.is_some()),
            ("teacher_id", patch.teacher_id.is_some()),
            ("access_months", patch.access_months.is_some()),
        ]);
        if let Some(status) = patch.status {
            details["status"] = json!(status.as_str());
        }
        let now = self.clock.now();
        self.change(
            actor,
            "course.update",
            ("course", id),
            details,
            "course.not_found",
            |audit| async move { self.writer.update_course(id, patch, now, &audit).await },
        )
        .await
    }

    /// Removes the course with its outline and files (not while students hold
    /// access: archive it then).
    pub async fn delete_course(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        let keys = self
            .change(
                actor,
                "course.delete",
                ("course", id),
                json!({}),
                "course.not_found",
                |audit| async move { self.writer.delete_course(id, &audit).await },
            )
            .await?;
        self.delete_files(keys).await;
        Ok(())
    }

    /// Adds a module to course `parent_id` or a lesson to module `parent_id`.
    pub async fn create_outline(
        &self,
        actor: &Actor<'_>,
        level: OutlineLevel,
        parent_id: Uuid,
        new: NewOutlineItem,
    ) -> ServiceResult<OutlineItem> {
        let id = Uuid::now_v7();
        let parent = match level {
            OutlineLevel::Module => "course_id",
            OutlineLevel::Lesson => "module_id",
        };
        self.change(
            actor,
            &format!("{}.create", level.as_str()),
            (level.as_str(), id),
            json!({ parent: parent_id }),
            level.parent_not_found(),
            |audit| async move {
                let writer = &self.writer;
                writer
                    .create_outline(level, id, parent_id, new, &audit)
                    .await
            },
        )
        .await
    }

    /// Renames, redescribes or moves a module or lesson.
    pub async fn update_outline(
        &self,
        actor: &Actor<'_>,
        level: OutlineLevel,
        id: Uuid,
        patch: OutlinePatch,
    ) -> ServiceResult<OutlineItem> {
        let mut details = changed(&[
            ("title", patch.title.is_some()),
            ("description", patch.description.is_some()),
            ("position", patch.position.is_some()),
        ]);
        if let Some(position) = patch.position {
            details["position"] = json!(position.get());
        }
        self.change(
            actor,
            &format!("{}.update", level.as_str()),
            (level.as_str(), id),
            details,
            level.not_found(),
            |audit| async move { self.writer.update_outline(level, id, patch, &audit).await },
        )
        .await
    }

    /// Removes a module with its lessons, or a lesson, with their files.
    pub async fn delete_outline(
        &self,
        actor: &Actor<'_>,
        level: OutlineLevel,
        id: Uuid,
    ) -> ServiceResult<()> {
        let keys = self
            .change(
                actor,
                &format!("{}.delete", level.as_str()),
                (level.as_str(), id),
                json!({}),
                level.not_found(),
                |audit| async move { self.writer.delete_outline(level, id, &audit).await },
            )
            .await?;
        self.delete_files(keys).await;
        Ok(())
    }
}
