//! The audit log, newest first.

use crate::dto::admin::{AuditEntryResponse, AuditPage, AuditQueryParams};
use crate::error::ApiError;
use crate::extract::CurrentAdmin;
use actix_web::{get, web};
use bilim_service::admin::Auditor;
use bilim_service::paging::PageRequest;

/// Who changed what, when and from where; filter by admin or target.
#[utoipa::path(
    operation_id = "adminListAudit",
    tag = "admin",
    security(("admin_token" = [])),
    params(AuditQueryParams),
    responses(
        (status = 200, description = "Who changed what, when and from where; newest first", body = AuditPage),
    )
)]
#[get("/admin/audit")]
pub async fn list(
    auditor: web::Data<Auditor>,
    _admin: CurrentAdmin,
    query: web::Query<AuditQueryParams>,
) -> Result<web::Json<AuditPage>, ApiError> {
    let query = query.into_inner();
    let request = PageRequest {
        limit: query.limit,
        cursor: query.cursor,
    };
    let page = auditor
        .list(query.admin_id, query.target_id, &request)
        .await?;
    Ok(web::Json(AuditPage {
        items: page
            .items
            .into_iter()
            .map(AuditEntryResponse::from)
            .collect(),
        next_cursor: page.next_cursor,
    }))
}
